/* splice_server.c - moves a request and its answer through pipes with
 * splice(), as a proxy does: the request from the socket into a pipe, the
 * answer from a pipe into the socket, neither through the program's
 * memory on the socket's side. A test program for sockstep run
 * (tests/programs/bytes.sh). */
#include <arpa/inet.h>
#include <fcntl.h>
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
	int in[2], out[2];
	if (pipe(in) < 0 || pipe(out) < 0)
		return 1;
	ssize_t n = splice(c, NULL, in[1], NULL, 1024, 0);
	char req[1024], answer[1100];
	if (n <= 0 || read(in[0], req, (size_t)n) != n)
		return 1;
	int len = snprintf(answer, sizeof answer, "spliced: %.*s", (int)n, req);
	if (write(out[1], answer, (size_t)len) != len || splice(out[0], NULL, c, NULL, (size_t)len, 0) != len)
		perror("splice");
	close(c);
	close(s);
	return 0;
}
