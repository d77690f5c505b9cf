/* bind_race.c - a hostile program: the address it binds is 127.0.0.1
 * when sockstep reads it, and 0.0.0.0 when the kernel does. A second
 * thread rewrites it once the file GO exists (the test makes it while
 * the bind waits to be stepped, after sockstep has shown it), then makes
 * the file DONE. It prints where it is bound and where it listens.
 * Usage: bind_race GO DONE */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in addr;
static const char *go, *done;

static void *rewrite(void *arg)
{
	(void)arg;
	while (access(go, F_OK) != 0)
		usleep(1000);
	*(volatile in_addr_t *)&addr.sin_addr.s_addr = htonl(INADDR_ANY);
	FILE *f = fopen(done, "w");
	if (f)
		fclose(f);
	return NULL;
}

static void say(int s, const char *what)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	getsockname(s, (struct sockaddr *)&a, &len);
	printf("%s %s:%d\n", what, inet_ntoa(a.sin_addr), ntohs(a.sin_port));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bind_race GO DONE\n");
		return 2;
	}
	go = argv[1];
	done = argv[2];
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	pthread_t t;
	pthread_create(&t, NULL, rewrite, NULL);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	say(s, "bound to");
	if (listen(s, 1) < 0) {
		perror("listen");
		return 1;
	}
	say(s, "listening on");
	close(s);
	pthread_join(t, NULL);
	return 0;
}
