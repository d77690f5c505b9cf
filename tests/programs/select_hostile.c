/* select_hostile.c - a hostile program: select and pselect6 with the
 * arguments a tracer must not trust, which the kernel refuses or copes
 * with: nfds INT_MAX (the kernel takes it as its own limit) and negative
 * (EINVAL), and timeouts of LONG_MAX seconds (a wait without end, so a
 * descriptor is ready and they return at once) and of LONG_MIN seconds
 * (EINVAL). A tracer that multiplies them overflows. It prints what each
 * returned. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void said(const char *what, long rc)
{
	printf("%s = %ld%s%s\n", what, rc, rc < 0 ? " " : "", rc < 0 ? strerror(errno) : "");
}

int main(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || write(sv[1], "x", 1) != 1) {
		perror("socketpair");
		return 1;
	}
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(sv[0], &rd);
	struct timeval zero = { 0, 0 }, forever = { LONG_MAX, 0 }, before = { LONG_MIN, 0 };
	struct timespec tforever = { LONG_MAX, 999999999 }, tbefore = { LONG_MIN, 0 };
	fd_set set = rd;
	said("select INT_MAX", syscall(SYS_select, INT_MAX, &set, NULL, NULL, &zero));
	set = rd;
	said("select -1", syscall(SYS_select, -1, &set, NULL, NULL, &zero));
	set = rd;
	said("select LONG_MAX s", syscall(SYS_select, sv[0] + 1, &set, NULL, NULL, &forever));
	set = rd;
	said("select LONG_MIN s", syscall(SYS_select, sv[0] + 1, &set, NULL, NULL, &before));
	set = rd;
	said("pselect6 LONG_MAX s", syscall(SYS_pselect6, sv[0] + 1, &set, NULL, NULL, &tforever, NULL));
	set = rd;
	said("pselect6 LONG_MIN s", syscall(SYS_pselect6, sv[0] + 1, &set, NULL, NULL, &tbefore, NULL));
	set = rd;
	said("pselect6 INT_MIN", syscall(SYS_pselect6, INT_MIN, &set, NULL, NULL, &tforever, NULL));
	fflush(stdout);
	return 0;
}
