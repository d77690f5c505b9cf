/* threaded_server.c - the main thread listens, then a second thread
 * accepts and echoes one connection while the main thread waits for it.
 * The thread's accept is a call of a task sockstep has not seen, made
 * before the client has started. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void *serve(void *arg)
{
	int s = *(int *)arg;
	char buf[1024];
	int c = accept(s, NULL, NULL);
	if (c < 0)
		return NULL;
	ssize_t n = recv(c, buf, sizeof buf, 0);
	if (n > 0)
		send(c, buf, (size_t)n, 0);
	close(c);
	return NULL;
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
	pthread_t t;
	pthread_create(&t, NULL, serve, &s);
	pthread_join(t, NULL);
	close(s);
	return 0;
}
