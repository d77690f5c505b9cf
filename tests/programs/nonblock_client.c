/* nonblock_client.c - a non-blocking connect, as event loops make it: the
 * socket is made with SOCK_NONBLOCK, connect() returns EINPROGRESS, poll()
 * waits for POLLOUT and getsockopt(SO_ERROR) says how the handshake went.
 * Then a second socket is made non-blocking the older way, with fcntl; poll
 * waits on both for the echo, and select() looks at a read and a write set. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
		perror("connect");
		return 1;
	}
	struct pollfd p = { .fd = s, .events = POLLOUT };
	if (poll(&p, 1, -1) != 1)
		return 1;
	int err = 0;
	socklen_t len = sizeof err;
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		fprintf(stderr, "connect: %d\n", err);
		return 1;
	}
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	int fl = fcntl(u, F_GETFL);
	fcntl(u, F_SETFL, fl | O_NONBLOCK);
	send(s, "hello", 5, 0);
	/* Wait for the echo on either socket: each with its own events. */
	struct pollfd two[2] = { { .fd = s, .events = POLLIN }, { .fd = u, .events = POLLIN } };
	if (poll(two, 2, -1) != 1)
		return 1;
	/* It has come: select finds s readable, and writable too. */
	fd_set rd, wr;
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(s, &rd);
	FD_SET(u, &rd);
	FD_SET(s, &wr);
	struct timeval tv = { .tv_sec = 5 };
	if (select(u + 1, &rd, &wr, NULL, &tv) != 2)
		return 1;
	char buf[64];
	ssize_t n = recv(s, buf, sizeof buf, 0);
	printf("%.*s\n", (int)(n > 0 ? n : 0), buf);
	close(u);
	close(s);
	return 0;
}
