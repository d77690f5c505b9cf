/* fdpass_server.c - a listener that hands each connection to a worker: it
 * accepts, passes the connected TCP socket to its child over a socketpair
 * (sendmsg with SCM_RIGHTS), and closes its own descriptor; the child
 * receives it (recvmsg), under a number of its own, and answers on it. A
 * test program for sockstep run (tests/programs/bytes.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The worker: takes a socket off the pair and answers the request on it. */
static int worker(int pair)
{
	char one, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &one, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
	if (recvmsg(pair, &m, 0) != 1)
		return 1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return 1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	char req[1024];
	ssize_t n = recv(fd, req, sizeof req, 0);
	if (n <= 0)
		return 1;
	char answer[1100];
	int len = snprintf(answer, sizeof answer, "served by the worker: %.*s", (int)n, req);
	send(fd, answer, (size_t)len, 0);
	close(fd);
	return 0;
}

int main(void)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(pair[0]);
		_exit(worker(pair[1]));
	}
	close(pair[1]);
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
	char one = 'F', ctl[CMSG_SPACE(sizeof(int))];
	memset(ctl, 0, sizeof ctl);
	struct iovec iov = { &one, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof c);
	memcpy(CMSG_DATA(cm), &c, sizeof c);
	if (sendmsg(pair[0], &m, 0) != 1)
		perror("sendmsg");
	close(c);
	close(s);
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
