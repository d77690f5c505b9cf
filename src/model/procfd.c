/* procfd.c - another process's descriptors, asked of the kernel (see
 * procfd.h). */
#include "model/procfd.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* The process tid is a thread of (its descriptor table is the process's,
 * unless the thread was made with a table of its own), or -1. */
static pid_t tgid_of(pid_t tid)
{
	char path[48], line[128];
	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long tgid = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Tgid: %ld", &tgid) == 1)
			break;
	fclose(f);
	return (pid_t)tgid;
}

/* Kernels before 6.9 open no pidfd for a thread (PIDFD_THREAD): its
 * process's is asked then. */
int procfd_copy(pid_t tid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0)
		pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pidfd < 0) {
		pid_t tgid = tgid_of(tid);
		pidfd = tgid > 0 ? (int)syscall(SYS_pidfd_open, tgid, 0) : -1;
	}
	if (pidfd < 0)
		return -1;
	int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	return copy;
}

int procfd_listening(pid_t tid, int fd)
{
	int copy = procfd_copy(tid, fd);
	if (copy < 0)
		return -1;
	int on = 0;
	socklen_t len = sizeof on;
	int rc = getsockopt(copy, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
	close(copy);
	return rc < 0 ? -1 : on != 0;
}

int procfd_readable(pid_t tid, int fd)
{
	int copy = procfd_copy(tid, fd);
	if (copy < 0)
		return -1;
	struct pollfd p = { .fd = copy, .events = POLLIN };
	int rc = poll(&p, 1, 0);
	close(copy);
	return rc < 0 ? -1 : rc > 0;
}

int procfd_epoll_fds(pid_t tid, int epfd, int *fds, int max)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)tid, epfd);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int n = 0;
	while (n < max && fgets(line, sizeof line, f)) {
		char *end;
		if (strncmp(line, "tfd:", 4) != 0)
			continue;
		long fd = strtol(line + 4, &end, 10);
		if (end != line + 4 && fd >= 0)
			fds[n++] = (int)fd;
	}
	fclose(f);
	return n;
}
