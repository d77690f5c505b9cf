/* io_uring.c - a hostile program: an io_uring makes socket calls (socket,
 * bind, listen, accept) from a ring the kernel works through, never as
 * system calls a tracer sees. Setting one up is as far as it needs to go:
 * it prints whether io_uring_setup worked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);   /* a call for the run to show */
	if (s >= 0)
		close(s);
#ifdef SYS_io_uring_setup
	unsigned char params[120] = { 0 };   /* struct io_uring_params, zeroed */
	long ring = syscall(SYS_io_uring_setup, 4, params);
	if (ring >= 0)
		printf("io_uring_setup: a ring, descriptor %ld\n", ring);
	else
		printf("io_uring_setup: %s\n", strerror(errno));
#else
	printf("io_uring_setup: not in this system's headers\n");
#endif
	fflush(stdout);
	return 0;
}
