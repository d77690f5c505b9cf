/* nb_client.c - connects without blocking, as event-driven clients do:
 * connect() on a non-blocking socket returns EINPROGRESS, poll() says when
 * the socket is writable, getsockopt(SO_ERROR) whether the connection
 * succeeded; then it sends a line and prints the echo. Twice, one
 * connection after the other. A test program for sockstep run
 * (tests/programs/world.sh); its server is epoll_server. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int talk(const char *msg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
		perror("connect");
		return 1;
	}
	struct pollfd p = { .fd = s, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof err;
	if (poll(&p, 1, -1) != 1 || getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
		fprintf(stderr, "connect: %s\n", strerror(err));
		return 1;
	}
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK);
	send(s, msg, strlen(msg), 0);
	char buf[64];
	ssize_t n = recv(s, buf, sizeof buf, 0);
	printf("%.*s\n", (int)(n > 0 ? n : 0), buf);
	close(s);
	return 0;
}

int main(void)
{
	return talk("first, without blocking") || talk("second, without blocking");
}
