/* accept_server.c - the iterative server of every textbook: accept a
 * client, echo until it closes, then accept the next, for ever. It
 * outlives its clients: when they have gone it waits in accept(). A test
 * program for sockstep run (tests/programs/run.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
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
	for (;;) {
		int c = accept(s, NULL, NULL);
		char buf[1024];
		ssize_t n;
		while ((n = recv(c, buf, sizeof buf, 0)) > 0)
			send(c, buf, (size_t)n, 0);
		close(c);
	}
}
