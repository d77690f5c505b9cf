/* reach_ancestors.c - a hostile program: it tries to take over the
 * processes that run it. For every ancestor (its parent, its parent's
 * parent and so on, up to sockstep's first process: what started sockstep
 * is the user's and none of sockstep's business) it tries to copy each descriptor (pidfd_getfd), to trace it
 * (PTRACE_SEIZE, then PTRACE_ATTACH) and to open its memory for writing
 * (/proc/PID/mem); then it tries to enter the network namespace of pid 1
 * and of the process that started sockstep (setns), which is how a
 * program would leave the lesson's network.
 *
 * It prints one line per ancestor, with its name (/proc/PID/comm) and
 * what it reached, and last "reached sockstep: N of M" (of the M processes
 * of sockstep's own, named "sockstep", how many it reached anything of) and
 * "setns: reached" or "setns: refused". It makes one socket call first, so
 * a run has a call to show. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_FD = 1024 };

static pid_t parent_of(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long ppid = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "PPid: %ld", &ppid) == 1)
			break;
	fclose(f);
	return (pid_t)ppid;
}

static void name_of(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		if (fgets(buf, (int)cap, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

/* How many of pid's descriptors a pidfd_getfd copies. */
static int copy_fds(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int got = 0;
	if (pidfd < 0)
		return 0;
	for (int fd = 0; fd < MAX_FD; fd++) {
		int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (copy >= 0) {
			got++;
			close(copy);
		}
	}
	close(pidfd);
	return got;
}

/* Could it trace pid? It lets go at once: seized, it is not even stopped. */
static int trace(pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) == 0) {
		ptrace(PTRACE_DETACH, pid, 0, 0);
		return 1;
	}
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
		return 1;
	}
	return 0;
}

static int open_mem(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	int fd = open(path, O_RDWR);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Enter pid's network namespace: 1 if that worked. */
static int enter_net(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	int ns = open(path, O_RDONLY);
	if (ns < 0) {
		printf("setns %d: refused (open: %s)\n", (int)pid, strerror(errno));
		return 0;
	}
	int entered = setns(ns, CLONE_NEWNET) == 0;
	printf("setns %d: %s\n", (int)pid, entered ? "reached" : strerror(errno));
	close(ns);
	return entered;
}

int main(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s >= 0)
		close(s);
	int sockstep = 0, seen = 0;   /* sockstep's processes reached, and met */
	pid_t outside = 0;   /* what started sockstep */
	for (pid_t pid = getppid(); pid > 1; pid = parent_of(pid)) {
		char name[64];
		name_of(pid, name, sizeof name);
		int is_sockstep = strcmp(name, "sockstep") == 0;
		if (seen && !is_sockstep) {
			outside = pid;
			break;
		}
		seen += is_sockstep;
		int fds = copy_fds(pid), traced = trace(pid), mem = open_mem(pid);
		printf("ancestor %d %s: %d descriptors copied, ptrace %s, mem %s\n", (int)pid, name, fds,
		       traced ? "reached" : "refused", mem ? "reached" : "refused");
		if (is_sockstep && (fds || traced || mem))
			sockstep++;
	}
	printf("reached sockstep: %d of %d\n", sockstep, seen);
	int left = enter_net(1);
	if (outside > 0)
		left += enter_net(outside);
	printf("left the network: %d\n", left);
	fflush(stdout);
	return 0;
}
