/* threaded_client.c - two threads, each with its own connection to the
 * server, each sending one line: the main thread, then a second one. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void *talk(void *arg)
{
	const char *msg = arg;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0)
		return NULL;
	send(s, msg, strlen(msg), 0);
	char buf[64];
	ssize_t n = recv(s, buf, sizeof buf, 0);
	printf("%.*s\n", (int)(n > 0 ? n : 0), buf);
	close(s);
	return NULL;
}

int main(void)
{
	pthread_t t;
	talk("from main");
	pthread_create(&t, NULL, talk, "from a thread");
	pthread_join(t, NULL);
	return 0;
}
