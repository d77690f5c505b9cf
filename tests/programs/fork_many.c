/* fork_many.c - more processes than sockstep has columns: ten children,
 * each making one socket call (getsockname on the socket they share) one
 * after the other, then the parent closes it. */
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	for (int i = 0; i < 10; i++) {
		if (fork() == 0) {
			struct sockaddr_storage a;
			socklen_t len = sizeof a;
			getsockname(s, (struct sockaddr *)&a, &len);
			_exit(0);
		}
		wait(NULL);
	}
	close(s);
	return 0;
}
