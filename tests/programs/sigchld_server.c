/* sigchld_server.c - a forking server that reaps its children in a
 * SIGCHLD handler installed with SA_RESTART, and whose accept() a child's
 * end interrupts. The kernel restarts the accept: the program never sees
 * it fail. To make that happen every time, a first child waits until the
 * server sleeps in accept(), then ends; before it does, it starts a
 * grandchild that waits until the first child is reaped, then connects,
 * sends "ping" and reads the echo. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t reaped;

static void on_child(int sig)
{
	(void)sig;
	int saved = errno;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		reaped++;
	errno = saved;
}

/* Is process pid asleep (state S), as /proc says? */
static int asleep(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *end = strrchr(buf, ')');
	return end && end[1] == ' ' && end[2] == 'S';
}

static void pause_a_little(void)
{
	struct timespec ts = { 0, 2000000 };
	nanosleep(&ts, NULL);
}

static void client(struct sockaddr_in *a, pid_t first)
{
	char path[64];
	/* The server's end hangs up its terminal: this one ends by itself. */
	signal(SIGHUP, SIG_IGN);
	snprintf(path, sizeof path, "/proc/%d", (int)first);
	while (access(path, F_OK) == 0)   /* until the server has reaped it */
		pause_a_little();
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)a, sizeof *a) < 0)
		_exit(1);
	send(c, "ping", 4, 0);
	char buf[16];
	recv(c, buf, sizeof buf, 0);
	close(c);
	_exit(0);
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	struct sigaction sa = { .sa_handler = on_child, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int on = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 4) < 0) {
		perror("bind/listen");
		return 1;
	}
	pid_t server = getpid();
	if (fork() == 0) {
		close(s);
		while (!asleep(server))
			pause_a_little();
		pid_t first = getpid();
		if (fork() == 0)
			client(&a, first);
		_exit(0);
	}
	int c = accept(s, NULL, NULL);
	if (c < 0) {
		perror("accept");
		return 1;
	}
	char buf[16];
	ssize_t n;
	while ((n = recv(c, buf, sizeof buf, 0)) > 0)
		send(c, buf, (size_t)n, 0);
	close(c);
	close(s);
	printf("reaped %d\n", (int)reaped);
	return 0;
}
