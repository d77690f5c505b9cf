/* epoll_count_server.c - an event-driven echo server as C servers are written:
 * a non-blocking listener and its connections in one epoll set, served as
 * they become ready, in one thread. Echoes what each client sends until it
 * closes; after two clients (or as many as its argument says), exits. A test program for sockstep run
 * (tests/programs/world.sh); its client is nb_client. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Echoes what is there to read on c; returns 0 once the client closed. */
static int echo(int c)
{
	char buf[1024];
	ssize_t n = recv(c, buf, sizeof buf, 0);
	if (n < 0 && errno == EAGAIN)
		return 1;
	if (n <= 0)
		return 0;
	send(c, buf, (size_t)n, 0);
	return 1;
}

int main(int argc, char **argv)
{
	int clients = argc > 1 ? atoi(argv[1]) : 2;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s };
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 8) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) < 0) {
		perror("epoll_server");
		return 1;
	}
	int served = 0;
	while (served < clients) {
		struct epoll_event ready[8];
		int n = epoll_wait(ep, ready, 8, -1);
		for (int i = 0; i < n; i++) {
			int fd = ready[i].data.fd;
			if (fd == s) {
				int c = accept4(s, NULL, NULL, SOCK_NONBLOCK);
				if (c < 0)
					continue;
				struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
			} else if (!echo(fd)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
				served++;
			}
		}
	}
	close(ep);
	close(s);
	return 0;
}
