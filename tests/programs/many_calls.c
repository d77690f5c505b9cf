/* many_calls.c - a program of more socket calls than 16 bits count: a
 * socket, N getsockopt calls on it (70000 unless told), and its close.
 * Usage: many_calls [N] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 70000;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		int type;
		socklen_t len = sizeof type;
		getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len);
	}
	close(s);
	printf("%ld calls\n", n + 2);
	return 0;
}
