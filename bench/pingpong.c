/* pingpong.c - the benchmark's reference program (make bench): the exchange
 * of bench/lessons/pingpong.lesson in plain C, with no sockstep around it.
 *
 * A server and a client, forked, on loopback TCP: the client sends 64 bytes,
 * the server receives them with MSG_WAITALL and sends them back, ROUNDS
 * times. bench.c times it untraced and under `strace -f` against
 * `sockstep --free-run` of the lesson, and steps it under gdb for the step
 * latency row. It makes the same calls as the lesson, in the same order, so
 * the ratios compare the tools and not the programs: the client even sleeps
 * 20 ms before connect() as the lesson's client does (there, to let the
 * server listen first in a free run).
 *
 * Usage: pingpong [ROUNDS] [PORT]   (20000 and 65432 by default) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* sendall, as the lesson's step: send() until every byte is out. */
static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, 0);
		if (k < 0)
			die("send");
		p += k;
		n -= (size_t)k;
	}
}

static void recv_all(int fd, char *p, size_t n)
{
	ssize_t k = recv(fd, p, n, MSG_WAITALL);
	if (k != (ssize_t)n)
		die("recv");
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 20000;
	int port = argc > 2 ? atoi(argv[2]) : 65432;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	char buf[64];
	/* The lesson's "bytes 64": its pattern, so both send the same bytes. */
	static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = pattern[i % (sizeof pattern - 1)];

	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	/* Runs back to back on the host's loopback: a TIME_WAIT of the last
	 * run must not make bind() fail. */
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("bind");
	if (listen(ls, 1) < 0)
		die("listen");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* The server: the child, so that gdb, which follows the parent,
		 * stops at the client's calls. */
		int c = accept(ls, NULL, NULL);
		if (c < 0)
			die("accept");
		char in[64];
		for (long r = 0; r < rounds; r++) {
			recv_all(c, in, sizeof in);
			send_all(c, in, sizeof in);
		}
		close(c);
		close(ls);
		_exit(0);
	}
	close(ls);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		die("socket");
	nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000000L }, NULL);
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("connect");
	char back[64];
	for (long r = 0; r < rounds; r++) {
		send_all(s, buf, sizeof buf);
		recv_all(s, back, sizeof back);
		if (memcmp(back, buf, sizeof buf) != 0) {
			fprintf(stderr, "pingpong: the echo differs\n");
			return 1;
		}
	}
	close(s);
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	return 0;
}
