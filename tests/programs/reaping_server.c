/* reaping_server.c - a forking echo server that reaps its children in a
 * SIGCHLD handler, as Stevens teaches: the handler calls waitpid(WNOHANG)
 * until none is left, and an accept() the signal interrupts (EINTR) is
 * called again. Serves two clients, then exits. A test program for
 * sockstep run (tests/programs/world.sh); its client is threaded_client. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t reaped;

static void reap(int sig)
{
	(void)sig;
	int saved = errno;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		reaped++;
	errno = saved;
}

static void serve(int c)
{
	char buf[1024];
	ssize_t n;
	while ((n = recv(c, buf, sizeof buf, 0)) > 0)
		send(c, buf, (size_t)n, 0);
	close(c);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = reap };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 4) < 0) {
		perror("bind/listen");
		return 1;
	}
	for (int i = 0; i < 2;) {
		int c = accept(s, NULL, NULL);
		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			return 1;
		if (fork() == 0) {
			close(s);
			serve(c);
			_exit(0);
		}
		close(c);
		i++;
	}
	close(s);
	/* The last children may still be serving: wait for the handler to
	 * have reaped them all. */
	sigset_t chld, before;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &before);
	while (reaped < 2)
		sigsuspend(&before);
	return 0;
}
