/* writev_server.c - answers one request with writev(): a header and a body
 * from two buffers in one call, as lighttpd does. A test program for
 * sockstep run (tests/programs/bytes.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
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
	char req[1024];
	if (recv(c, req, sizeof req, 0) <= 0)
		return 1;
	char head[] = "HTTP/1.0 200 OK\r\n\r\n";
	char body[] = "<p>two buffers, one call</p>\n";
	struct iovec iov[2] = { { head, sizeof head - 1 }, { body, sizeof body - 1 } };
	if (writev(c, iov, 2) < 0)
		perror("writev");
	close(c);
	close(s);
	return 0;
}
