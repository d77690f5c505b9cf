/* echo_server.c - the smallest TCP echo server in C: one client, then exit.
 * A test program for sockstep run (tests/programs/run.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int on = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0) {
		perror("bind/listen");
		return 1;
	}
	int c = accept(s, NULL, NULL);
	char buf[1024];
	ssize_t n;
	while ((n = recv(c, buf, sizeof buf, 0)) > 0)
		send(c, buf, (size_t)n, 0);
	close(c);
	close(s);
	return 0;
}
