/* poll_client.c - an interactive chat client in C: it waits on its standard
 * input and its socket at once, sends each line typed and prints what
 * comes back, until its input ends. With --epoll it waits in epoll_wait on
 * a set holding both, else in poll(). With --deaf it goes on waiting on its
 * input after the end of it, as a careless client does, until the server
 * closes. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { IN_READY = 1, SOCK_READY = 2 };

static int wait_poll(int s)
{
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN }, { .fd = s, .events = POLLIN } };
	if (poll(p, 2, -1) < 0)
		return -1;
	return (p[0].revents ? IN_READY : 0) | (p[1].revents ? SOCK_READY : 0);
}

static int wait_epoll(int ep, int s)
{
	struct epoll_event ev[2];
	int n = epoll_wait(ep, ev, 2, -1);
	int ready = 0;
	for (int i = 0; i < n; i++)
		ready |= ev[i].data.fd == s ? SOCK_READY : IN_READY;
	return n < 0 ? -1 : ready;
}

int main(int argc, char **argv)
{
	int use_epoll = argc > 1 && strcmp(argv[1], "--epoll") == 0;
	int deaf = argc > 1 && strcmp(argv[1], "--deaf") == 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5001) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		return 1;
	}
	int ep = -1;
	if (use_epoll) {
		ep = epoll_create1(0);
		struct epoll_event in = { .events = EPOLLIN, .data.fd = 0 }, sock = { .events = EPOLLIN, .data.fd = s };
		epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
		epoll_ctl(ep, EPOLL_CTL_ADD, s, &sock);
	}
	char buf[1024];
	for (;;) {
		int ready = use_epoll ? wait_epoll(ep, s) : wait_poll(s);
		if (ready < 0)
			break;
		if (ready & IN_READY) {
			ssize_t n = read(0, buf, sizeof buf);
			if (n <= 0 && !deaf)
				break;
			if (n > 0)
				send(s, buf, (size_t)n, 0);
		}
		if (ready & SOCK_READY) {
			ssize_t n = recv(s, buf, sizeof buf, 0);
			if (n <= 0)
				break;
			printf("Received from server: %.*s", (int)n, buf);
			fflush(stdout);
		}
	}
	close(s);
	return 0;
}
