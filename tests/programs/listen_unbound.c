/* listen_unbound.c - a hostile program: listen() on a socket it never
 * bound. The kernel binds it to every address (0.0.0.0) with a port of its
 * choosing: on the host's network, a port open to the world, though no
 * bind beyond loopback was ever made. It prints where it listens. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || listen(s, 1) < 0) {
		perror("listen");
		return 1;
	}
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	getsockname(s, (struct sockaddr *)&a, &len);
	printf("listening on %s:%d\n", inet_ntoa(a.sin_addr), ntohs(a.sin_port));
	fflush(stdout);
	close(s);
	return 0;
}
