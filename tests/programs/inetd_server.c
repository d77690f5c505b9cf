/* inetd_server.c - as inetd does: accepts one connection, and runs a
 * command with the socket as its standard input and output (descriptors 0
 * and 1), so the command's read(0) and write(1) are socket calls. Usage:
 * inetd_server COMMAND [ARG...]. A test program for sockstep run
 * (tests/programs/bytes.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: inetd_server COMMAND [ARG...]\n");
		return 2;
	}
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
	pid_t pid = fork();
	if (pid == 0) {
		if (dup2(c, 0) < 0 || dup2(c, 1) < 0)
			_exit(127);
		close(c);
		close(s);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	close(c);
	close(s);
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
