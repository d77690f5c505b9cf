/* int80.c - a hostile program: socket calls through the i386 ABI (int
 * 0x80, socketcall), which an x86-64 program may make too, where the
 * kernel has IA32 emulation. A filter that looks only at x86-64 calls
 * lets them through: socket, then listen without bind (0.0.0.0). It
 * prints where it listens, or why not. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__x86_64__)
/* socketcall(call, args): its arguments are 32-bit, so args must lie in
 * the first 4 GiB (MAP_32BIT). */
static long socketcall32(long call, unsigned *args)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(102L), "b"(call), "c"(args) : "memory");
	return ret;
}

int main(void)
{
	unsigned *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (args == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	args[0] = AF_INET; args[1] = SOCK_STREAM; args[2] = 0;
	long s = socketcall32(1, args);        /* SYS_SOCKET */
	if (s < 0) {
		printf("int 0x80 socket: error %ld\n", -s);
		return 1;
	}
	args[0] = (unsigned)s; args[1] = 1;
	long rc = socketcall32(4, args);       /* SYS_LISTEN */
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	getsockname((int)s, (struct sockaddr *)&a, &len);
	if (rc == 0)
		printf("listening on %s:%d\n", inet_ntoa(a.sin_addr), ntohs(a.sin_port));
	else
		printf("int 0x80 listen: error %ld\n", -rc);
	fflush(stdout);
	return 0;
}
#else
int main(void)
{
	printf("not x86-64\n");
	return 0;
}
#endif
