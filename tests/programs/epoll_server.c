/* epoll_server.c - an echo server around epoll: the listener and each
 * connection in one epoll set, epoll_wait for whichever is ready. Serves
 * one client's messages until it closes, then exits. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int on = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 4) < 0) {
		perror("bind/listen");
		return 1;
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s };
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	for (;;) {
		struct epoll_event ready[8];
		int n = epoll_wait(ep, ready, 8, -1);
		if (n < 0)
			return 1;
		for (int i = 0; i < n; i++) {
			int fd = ready[i].data.fd;
			if (fd == s) {
				int c = accept(s, NULL, NULL);
				struct epoll_event ce = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = c };
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
				continue;
			}
			char buf[1024];
			ssize_t got = recv(fd, buf, sizeof buf, 0);
			if (got > 0) {
				send(fd, buf, (size_t)got, 0);
				continue;
			}
			epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
			close(fd);
			close(ep);
			close(s);
			return 0;
		}
	}
}
