/* forking_server.c - the classic forking server: the parent accepts, a
 * child per connection echoes. Serves two clients, then exits. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 4) < 0) {
		perror("bind/listen");
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			return 1;
		if (fork() == 0) {
			close(s);
			serve(c);
			_exit(0);
		}
		close(c);
	}
	close(s);
	while (wait(NULL) > 0)
		;
	return 0;
}
