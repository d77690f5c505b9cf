/* poll_server.c - an event loop in C: one poll() over the listening socket
 * and every client, with a timeout, as servers write it to do other work
 * now and then. Non-blocking sockets: accept() is called until it fails
 * with EAGAIN. Echoes what each client sends, and serves for ever: when the
 * clients have gone, it polls on for the next one. A test program for
 * sockstep run (tests/programs/run.sh): its poll() returns 0 again and
 * again, which must not starve the client. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAX_CLIENTS = 8, TIMEOUT_MS = 50 };

static void nonblocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int on = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 8) < 0) {
		perror("bind/listen");
		return 1;
	}
	nonblocking(s);
	struct pollfd p[1 + MAX_CLIENTS] = { { .fd = s, .events = POLLIN } };
	int n = 1;
	for (;;) {
		if (poll(p, (nfds_t)n, TIMEOUT_MS) == 0)
			continue;   /* nothing yet: a real server would do its other work here */
		for (int k = n - 1; k > 0; k--) {
			char buf[1024];
			ssize_t got;
			if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = recv(p[k].fd, buf, sizeof buf, 0);
			if (got > 0) {
				send(p[k].fd, buf, (size_t)got, 0);
				continue;
			}
			if (got < 0 && errno == EAGAIN)
				continue;
			close(p[k].fd);
			p[k] = p[--n];
		}
		if (!(p[0].revents & POLLIN))
			continue;
		int c;
		while (n <= MAX_CLIENTS && (c = accept(s, NULL, NULL)) >= 0) {
			nonblocking(c);
			p[n++] = (struct pollfd){ .fd = c, .events = POLLIN };
		}
	}
}
