/* prefork_server.c - a pre-forking server: it listens, then forks two
 * workers that each accept on the same listening socket before any client
 * has connected, and echoes one connection each. The parent makes no call
 * after the fork: the workers' calls are the first of processes sockstep
 * has not seen yet, made while the client may not have started. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void work(int s)
{
	char buf[1024];
	int c = accept(s, NULL, NULL);
	if (c < 0)
		_exit(1);
	ssize_t n = recv(c, buf, sizeof buf, 0);
	if (n > 0)
		send(c, buf, (size_t)n, 0);
	close(c);
	_exit(0);
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 4) < 0) {
		perror("bind/listen");
		return 1;
	}
	for (int i = 0; i < 2; i++)
		if (fork() == 0)
			work(s);
	while (wait(NULL) > 0)
		;
	return 0;
}
