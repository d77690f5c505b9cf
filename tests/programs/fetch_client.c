/* fetch_client.c - asks for a page and prints what comes back: connects to
 * 127.0.0.1:65432, sends one line, shuts its sending side down, and
 * receives until the server closes. A test program for sockstep run
 * (tests/programs/bytes.sh): the client of the servers that send with
 * writev, sendfile, through descriptors 0 and 1, or a passed socket. */
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
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		return 1;
	}
	static const char ask[] = "GET /\n";
	send(s, ask, sizeof ask - 1, 0);
	shutdown(s, SHUT_WR);
	char buf[1024];
	ssize_t n;
	while ((n = recv(s, buf, sizeof buf, 0)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(s);
	return 0;
}
