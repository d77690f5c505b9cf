/* tracer.c - a program's socket calls, stopped and reported (see tracer.h).
 *
 * Why seccomp: PTRACE_SYSCALL alone stops a program twice at every system
 * call, which makes an interpreter's start-up crawl. A filter that returns
 * SECCOMP_RET_TRACE for the socket calls only (strace --seccomp-bpf's way)
 * stops just those; the rest never reach the tracer. Arguments come from
 * PTRACE_GET_SYSCALL_INFO, so no register layout is spelled out here, and
 * bytes from the tracee's memory. "Would this call block?" is answered by
 * polling a copy of the tracee's descriptor (pidfd_getfd), closed at once. */
#include "model/tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "model/gate.h"
#include "model/lesson.h"

#if defined(__x86_64__)
#define TRACER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TRACER_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

enum {
	MAX_TASKS = 512,
	EXIT_CANNOT_RUN = 127     /* what a shell says of a missing program */
};

typedef enum { T_RUNNING, T_AT_CALL, T_IN_CALL, T_AT_INPUT } TaskState;

typedef struct {
	pid_t tid;
	TaskState state;
	int reported;            /* has sent a record: the engine knows it */
	uint16_t calls;
	uint64_t nr;             /* the call it is stopped at or in */
	uint64_t args[6];
	GateRecord rec;          /* that call's record */
	uint64_t go_ns;
} Task;

typedef struct {
	int gate;
	int free_run;
	pid_t top;               /* the program's first process */
	int top_status;
	int top_gone;
	int master, slave;       /* its terminal; the tracer keeps the slave to
	                            ask how much input is waiting */
	char slave_name[64];
	int sigfd;
	Task task[MAX_TASKS];
	int ntasks;
	char out[GATE_DATA_MAX];  /* the program's output not yet sent */
	size_t outlen;
	int output_waiting;       /* the last poll saw output on the terminal */
	GateBatch batch;
	uint64_t flushed_ns;      /* when the batch was last sent */
} Tracer;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the records ------------------------------------------------------ */

static void send_record(Tracer *t, const GateRecord *r)
{
	int rc = t->free_run ? gate_batch_add(t->gate, &t->batch, r) : gate_send(t->gate, r);
	if (rc < 0)
		_exit(EXIT_FAILURE);  /* sockstep is gone; the tracees die with us */
}

static void flush(Tracer *t)
{
	t->flushed_ns = now_ns();
	if (t->free_run && gate_batch_flush(t->gate, &t->batch) < 0)
		_exit(EXIT_FAILURE);
}

/* A free run sends its batch when it is full (gate_batch_add) or has
 * waited FLUSH_MS: one message for hundreds of calls, not one per stop.
 * Returns how long poll may wait before the batch is due. */
static int flush_due(Tracer *t)
{
	enum { FLUSH_MS = 20 };
	if (!t->free_run || t->batch.n == 0)
		return -1;
	uint64_t age = (now_ns() - t->flushed_ns) / 1000000u;
	if (age >= FLUSH_MS) {
		flush(t);
		return -1;
	}
	return FLUSH_MS - (int)age;
}

static void send_text(Tracer *t, GateKind kind, const char *text, size_t n)
{
	static GateRecord r;
	memset(&r, 0, offsetof(GateRecord, data));
	r.kind = (uint8_t)kind;
	r.fd = -1;
	r.len = (uint32_t)(n < GATE_DATA_MAX ? n : GATE_DATA_MAX);
	memcpy(r.data, text, r.len);
	send_record(t, &r);
}

/* The program's output, a line at a time; what is left of a line goes
 * when the program stops (at a call, for input, at its end), so the
 * console and the calls keep their order. */
static volatile sig_atomic_t output_signalled;  /* SIGIO: the terminal has output */

static void read_output(Tracer *t, int partial)
{
	output_signalled = 0;   /* before reading: output after this signals again */
	for (;;) {
		ssize_t n = read(t->master, t->out + t->outlen, sizeof t->out - t->outlen);
		if (n > 0)
			t->outlen += (size_t)n;
		size_t start = 0;
		for (size_t i = 0; i < t->outlen; i++) {
			if (t->out[i] != '\n')
				continue;
			send_text(t, GATE_PRINT, t->out + start, i - start);
			start = i + 1;
		}
		if (start == 0 && t->outlen == sizeof t->out) {
			send_text(t, GATE_PRINT, t->out, t->outlen);  /* a line longer than a record */
			start = t->outlen;
		}
		memmove(t->out, t->out + start, t->outlen - start);
		t->outlen -= start;
		if (n <= 0)
			break;
	}
	if (partial && t->outlen) {
		send_text(t, GATE_PRINT, t->out, t->outlen);
		t->outlen = 0;
	}
}

/* ---- the tracee's memory and descriptors -------------------------------- */

static size_t peek(pid_t tid, uint64_t addr, void *buf, size_t n)
{
	if (!addr || !n)
		return 0;
	struct iovec local = { buf, n }, remote = { (void *)(uintptr_t)addr, n };
	ssize_t got = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	return got > 0 ? (size_t)got : 0;
}

/* A copy of the tracee's descriptor fd, or -1. Close it at once: a copy
 * kept would change what the tracee's close() does. */
static int copy_fd(pid_t tid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0)
		pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pidfd < 0)
		return -1;
	int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	return copy;
}

/* Does the tracee's descriptor fd name a file whose link in /proc starts
 * with prefix ("socket:", "anon_inode:[eventpoll]")? */
static int fd_is(pid_t tid, int fd, const char *prefix)
{
	char path[64], target[64];
	size_t len = strlen(prefix);
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tid, fd);
	ssize_t n = readlink(path, target, sizeof target - 1);
	return n >= (ssize_t)len && memcmp(target, prefix, len) == 0;
}

static int is_socket(pid_t tid, int fd)
{
	return fd_is(tid, fd, "socket:");
}

/* Is descriptor 0 of the tracee the terminal sockstep gave it? */
static int is_our_terminal(Tracer *t, pid_t tid)
{
	char path[64], target[64];
	snprintf(path, sizeof path, "/proc/%d/fd/0", (int)tid);
	ssize_t n = readlink(path, target, sizeof target - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	return strcmp(target, t->slave_name) == 0;
}

/* An address the call passes (bind, connect, sendto). */
static void keep_addr(GateRecord *r, pid_t tid, uint64_t at, uint64_t len)
{
	if (len > sizeof r->addr)
		len = sizeof r->addr;
	memset(&r->addr, 0, sizeof r->addr);
	r->addrlen = (uint32_t)peek(tid, at, &r->addr, (size_t)len);
}

/* An address the kernel wrote back, with its length behind lenp. */
static void keep_addr_out(GateRecord *r, pid_t tid, uint64_t at, uint64_t lenp)
{
	uint32_t len = 0;
	if (!at || peek(tid, lenp, &len, sizeof len) != sizeof len)
		return;
	keep_addr(r, tid, at, len);
}

/* The local or peer address of the tracee's socket fd, asked of a copy. */
static void keep_name(GateRecord *r, pid_t tid, int fd, int peer)
{
	int copy = copy_fd(tid, fd);
	if (copy < 0)
		return;
	socklen_t len = sizeof r->addr;
	int rc = peer ? getpeername(copy, (struct sockaddr *)&r->addr, &len)
		      : getsockname(copy, (struct sockaddr *)&r->addr, &len);
	close(copy);
	r->addrlen = rc == 0 ? len : 0;
}

static void keep_bytes(GateRecord *r, pid_t tid, uint64_t at, uint64_t n)
{
	r->len = (uint32_t)peek(tid, at, r->data, n < GATE_DATA_MAX ? (size_t)n : GATE_DATA_MAX);
}

/* The bytes a msghdr's iovecs hold, up to n in all: what sendmsg sends, or
 * recvmsg received. Returns the total the iovecs can hold. */
static uint64_t keep_iov(GateRecord *r, pid_t tid, const struct msghdr *m, uint64_t n)
{
	struct iovec iov[16];
	size_t cnt = m->msg_iovlen < 16 ? m->msg_iovlen : 16;
	cnt = peek(tid, (uint64_t)(uintptr_t)m->msg_iov, iov, cnt * sizeof iov[0]) / sizeof iov[0];
	uint64_t room = 0;
	r->len = 0;
	for (size_t i = 0; i < cnt; i++) {
		room += iov[i].iov_len;
		size_t want = iov[i].iov_len < n ? iov[i].iov_len : (size_t)n;
		if (want > GATE_DATA_MAX - r->len)
			want = GATE_DATA_MAX - r->len;
		size_t got = peek(tid, (uint64_t)(uintptr_t)iov[i].iov_base, r->data + r->len, want);
		r->len += (uint32_t)got;
		n -= want;
	}
	return room;
}

static int read_msghdr(pid_t tid, uint64_t at, struct msghdr *m)
{
	return peek(tid, at, m, sizeof *m) == sizeof *m ? 0 : -1;
}

/* ---- poll and select: which descriptors, and which were ready ----------- */

/* Each GateWaitFd in data (gate.h): the descriptors with the events asked
 * (revents 0) before the call, and with revents filled after it. */
static GateWaitFd *wait_fd(GateRecord *r, size_t i)
{
	return (GateWaitFd *)(void *)(r->data + i * sizeof(GateWaitFd));
}

/* poll's or ppoll's descriptors, as the pollfd array says: with revents
 * after the call. Returns whether any asks to write. */
static int poll_fds(GateRecord *r, pid_t tid, uint64_t at, uint64_t n)
{
	struct pollfd p[GATE_WAIT_MAX];
	size_t cnt = n < GATE_WAIT_MAX ? (size_t)n : GATE_WAIT_MAX;
	cnt = peek(tid, at, p, cnt * sizeof p[0]) / sizeof p[0];
	int writes = 0;
	for (size_t i = 0; i < cnt; i++) {
		GateWaitFd w = { .fd = p[i].fd, .events = p[i].events, .revents = p[i].revents };
		memcpy(wait_fd(r, i), &w, sizeof w);
		writes |= (p[i].events & POLLOUT) != 0;
	}
	r->len = (uint32_t)(cnt * sizeof(GateWaitFd));
	return writes;
}

/* One of select's sets, or none (at 0, or unreadable). */
static int read_set(pid_t tid, uint64_t at, int nfds, fd_set *set)
{
	size_t bytes = (size_t)(nfds + 7) / 8;
	memset(set, 0, sizeof *set);
	if (bytes > sizeof *set)
		bytes = sizeof *set;
	return at && peek(tid, at, set, bytes) == bytes;
}

/* select's or pselect6's three sets as one entry per descriptor named in
 * any: before the call, its events; after, each entry's revents from the
 * sets the kernel left (the entries stay those of the call). Returns
 * whether any waits to write. */
static int select_fds(GateRecord *r, pid_t tid, int nfds, const uint64_t *sets, int after)
{
	static const short bit[3] = { POLLIN, POLLOUT, POLLPRI };
	fd_set set[3];
	int have[3], writes = 0;
	for (int k = 0; k < 3; k++)
		have[k] = read_set(tid, sets[k], nfds, &set[k]);
	if (after) {
		for (size_t i = 0; i < r->len / sizeof(GateWaitFd); i++) {
			GateWaitFd *w = wait_fd(r, i);
			for (int k = 0; k < 3; k++)
				if (have[k] && w->fd >= 0 && w->fd < FD_SETSIZE && FD_ISSET(w->fd, &set[k]))
					w->revents |= bit[k];
		}
		return 0;
	}
	r->len = 0;
	for (int fd = 0; fd < nfds && fd < FD_SETSIZE && r->len / sizeof(GateWaitFd) < GATE_WAIT_MAX; fd++) {
		GateWaitFd w = { .fd = fd };
		for (int k = 0; k < 3; k++)
			if (have[k] && FD_ISSET(fd, &set[k]))
				w.events |= bit[k];
		if (!w.events)
			continue;
		writes |= (w.events & POLLOUT) != 0;
		memcpy(wait_fd(r, r->len / sizeof(GateWaitFd)), &w, sizeof w);
		r->len += sizeof w;
	}
	return writes;
}

static int64_t timespec_ms(pid_t tid, uint64_t at)
{
	struct timespec ts;
	if (!at || peek(tid, at, &ts, sizeof ts) != sizeof ts)
		return -1;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t timeval_ms(pid_t tid, uint64_t at)
{
	struct timeval tv;
	if (!at || peek(tid, at, &tv, sizeof tv) != sizeof tv)
		return -1;
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* ---- the seccomp filter ------------------------------------------------- */

/* Calls that always stop. read, write and close stop only on descriptors
 * that may be sockets (read on 0 too: the program waiting for its input);
 * fcntl only to read or set a descriptor's status flags (F_GETFL,
 * F_SETFL: how a socket is made non-blocking), not for the F_GETFD and
 * F_SETFD a program's start-up makes by the dozen. */
static const long always[] = {
	SYS_socket, SYS_socketpair, SYS_bind, SYS_listen, SYS_accept, SYS_accept4, SYS_connect,
	SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg, SYS_shutdown, SYS_setsockopt,
	SYS_getsockopt, SYS_getsockname, SYS_getpeername, SYS_ppoll, SYS_pselect6,
	SYS_epoll_pwait, SYS_epoll_ctl, SYS_epoll_create1,
#ifdef SYS_epoll_create
	SYS_epoll_create,
#endif
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_select
	SYS_select,
#endif
#ifdef SYS_epoll_wait
	SYS_epoll_wait,
#endif
#ifdef SYS_epoll_pwait2
	SYS_epoll_pwait2,
#endif
};

enum { NALWAYS = sizeof always / sizeof always[0] };

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter)BPF_STMT(code, k);
}

/* A jump from instruction at to instruction to when the test holds. */
static struct sock_filter jump(uint16_t code, uint32_t k, int at, int to)
{
	return (struct sock_filter)BPF_JUMP(code, k, (uint8_t)(to - at - 1), 0);
}

static int install_filter(void)
{
	enum { FIRST = 3, R = FIRST + 1 + NALWAYS, N = R + 17 };
	const uint32_t cmd_low = offsetof(struct seccomp_data, args[1]) +
				 (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0);
	const uint32_t fd_low = offsetof(struct seccomp_data, args[0]) +
				(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0);
	const int trace = R + 16;
	struct sock_filter f[N];
	int i = 0;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
#ifdef TRACER_ARCH
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, TRACER_ARCH, i, i + 2);
#else
	f[i] = jump(BPF_JMP | BPF_JA, 0, i, i + 2);
#endif
	i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);  /* another ABI: not traced */
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int k = 0; k < NALWAYS; k++, i++)
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)always[k], i, trace);
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_read, i, R + 5); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, i, R + 9); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_close, i, R + 9); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_fcntl, i, R + 12); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, fd_low);                      /* R + 5: read */
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, i, trace); i++;
	f[i] = jump(BPF_JMP | BPF_JGE | BPF_K, 3, i, trace); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, fd_low);                      /* R + 9: write, close */
	f[i] = jump(BPF_JMP | BPF_JGE | BPF_K, 3, i, trace); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, cmd_low);                     /* R + 12: fcntl */
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, F_GETFL, i, trace); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, F_SETFL, i, trace); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE);                    /* R + 16 */
	struct sock_fprog prog = { .len = (unsigned short)i, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* ---- starting the program ---------------------------------------------- */

static int open_terminal(Tracer *t)
{
	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->master < 0 || grantpt(t->master) < 0 || unlockpt(t->master) < 0 ||
	    ptsname_r(t->master, t->slave_name, sizeof t->slave_name) != 0)
		return -1;
	t->slave = open(t->slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->slave < 0)
		return -1;
	/* Lines, as a terminal gives them, but no echo (sockstep shows the
	 * input itself) and no \r added to the output. */
	struct termios tio;
	if (tcgetattr(t->slave, &tio) == 0) {
		tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		tio.c_lflag |= ICANON;
		tio.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(t->slave, TCSANOW, &tio);
	}
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	ioctl(t->slave, TIOCSWINSZ, &ws);
	int fl = fcntl(t->master, F_GETFL);
	fcntl(t->master, F_SETFL, fl | O_NONBLOCK);
	return 0;
}

/* In the program's process: its own session on the terminal, a stop for
 * the tracer to attach, the filter, then the command. */
static _Noreturn void program(Tracer *t, const char *command, const sigset_t *mask)
{
	/* SIGCHLD is the tracer's to wait for, not blocked for the program
	 * (a mask survives exec: a forking server would never hear of its
	 * children). */
	sigprocmask(SIG_SETMASK, mask, NULL);
	setsid();
	int tty = open(t->slave_name, O_RDWR);
	if (tty < 0 || dup2(tty, 0) < 0 || dup2(tty, 1) < 0 || dup2(tty, 2) < 0)
		_exit(EXIT_CANNOT_RUN);
	close_range(3, ~0U, 0);
	/* Traced from here: once the filter is in, a call it stops would fail
	 * with ENOSYS if no tracer were there to take it. */
	raise(SIGSTOP);
	if (install_filter() < 0) {
		dprintf(2, "sockstep: cannot install the seccomp filter: %s\n", strerror(errno));
		_exit(EXIT_CANNOT_RUN);
	}
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(EXIT_CANNOT_RUN);
}

static void fail(Tracer *t, const char *fmt, const char *arg)
{
	char msg[1024];
	snprintf(msg, sizeof msg, fmt, arg);
	send_text(t, GATE_FAIL, msg, strlen(msg));
	flush(t);
	_exit(EXIT_CANNOT_RUN);
}

static Task *task_add(Tracer *t, pid_t tid)
{
	if (t->ntasks == MAX_TASKS)
		return NULL;
	Task *k = &t->task[t->ntasks++];
	memset(k, 0, offsetof(Task, rec));
	k->tid = tid;
	return k;
}

static Task *task_find(Tracer *t, pid_t tid)
{
	for (int i = 0; i < t->ntasks; i++)
		if (t->task[i].tid == tid)
			return &t->task[i];
	return NULL;
}

static void start(Tracer *t, const char *command)
{
	if (open_terminal(t) < 0)
		fail(t, "cannot open a terminal for the program: %s", strerror(errno));
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigset_t before;
	sigprocmask(SIG_BLOCK, &chld, &before);
	t->sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	pid_t pid = fork();
	if (pid < 0)
		fail(t, "cannot start the program: %s", strerror(errno));
	if (pid == 0)
		program(t, command, &before);
	int status = 0;
	if (waitpid(pid, &status, WSTOPPED) != pid || !WIFSTOPPED(status)) {
		char why[64];
		read_output(t, 1);
		if (WIFSIGNALED(status))
			snprintf(why, sizeof why, "killed by %s", strsignal(WTERMSIG(status)));
		else
			snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(status));
		fail(t, "the program could not start (%s)", why);
	}
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
		    PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC;
	if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		fail(t, "cannot trace the program (ptrace: %s). A container may forbid ptrace (docker: "
		     "--cap-add=SYS_PTRACE or a seccomp profile that allows it), or the kernel's Yama "
		     "ptrace_scope may be 3. sockstep traces only the programs it starts itself.", strerror(err));
	}
	t->top = pid;
	task_add(t, pid);
	kill(pid, SIGCONT);
}

/* ---- a call, as a record -------------------------------------------------- */

/* What the call at a seccomp stop is, as a lesson op; -1 when it is not one
 * to show (read, write or close on a file that is not a socket). */
static int op_of(Tracer *t, Task *k)
{
	long nr = (long)k->nr;
	int fd = (int)k->args[0];
	if (nr == SYS_read || nr == SYS_write || nr == SYS_close) {
		if (nr == SYS_read && fd == 0 && !t->free_run && is_our_terminal(t, k->tid))
			return OP_INPUT;
		/* An epoll set's close is shown too: its descriptor was. */
		if (!is_socket(k->tid, fd) && !(nr == SYS_close && fd_is(k->tid, fd, "anon_inode:[eventpoll]")))
			return -1;
		return nr == SYS_read ? OP_READ : nr == SYS_write ? OP_WRITE : OP_CLOSE;
	}
	switch (nr) {
	case SYS_socket: return OP_SOCKET;
	case SYS_socketpair: return OP_SOCKETPAIR;
	case SYS_bind: return OP_BIND;
	case SYS_listen: return OP_LISTEN;
	case SYS_accept: case SYS_accept4: return OP_ACCEPT;
	case SYS_connect: return OP_CONNECT;
	case SYS_sendto: return k->args[4] ? OP_SENDTO : OP_SEND;
	case SYS_recvfrom: return k->args[4] ? OP_RECVFROM : OP_RECV;
	case SYS_sendmsg: return OP_SENDMSG;
	case SYS_recvmsg: return OP_RECVMSG;
	case SYS_shutdown: return OP_SHUTDOWN;
	case SYS_setsockopt: return OP_SETSOCKOPT;
	case SYS_getsockopt: return OP_GETSOCKOPT;
	case SYS_getsockname: return OP_GETSOCKNAME;
	case SYS_getpeername: return OP_GETPEERNAME;
	case SYS_ppoll: return OP_POLL;
	case SYS_pselect6: return OP_SELECT;
#ifdef SYS_poll
	case SYS_poll: return OP_POLL;
#endif
#ifdef SYS_select
	case SYS_select: return OP_SELECT;
#endif
#ifdef SYS_epoll_wait
	case SYS_epoll_wait: return OP_EPOLL_WAIT;
#endif
#ifdef SYS_epoll_pwait2
	case SYS_epoll_pwait2: return OP_EPOLL_WAIT;
#endif
	case SYS_epoll_pwait: return OP_EPOLL_WAIT;
	case SYS_epoll_ctl: return OP_EPOLL_CTL;
	case SYS_epoll_create1: return OP_EPOLL_CREATE;
#ifdef SYS_epoll_create
	case SYS_epoll_create: return OP_EPOLL_CREATE;
#endif
	case SYS_fcntl: return is_socket(k->tid, fd) ? OP_FCNTL : -1;
	default: return -1;
	}
}

/* Is nr the p-variant of a wait (ppoll, pselect6, epoll_pwait[2])? */
static int pcall(long nr)
{
#ifdef SYS_epoll_pwait2
	if (nr == SYS_epoll_pwait2)
		return 1;
#endif
	return nr == SYS_ppoll || nr == SYS_pselect6 || nr == SYS_epoll_pwait;
}

/* pselect6's sixth argument points at { const sigset_t *mask; size_t size }. */
static int pselect_has_mask(pid_t tid, uint64_t at)
{
	uint64_t m[2] = { 0, 0 };
	return peek(tid, at, m, sizeof m) == sizeof m && m[0] != 0;
}

static void describe_wait(GateRecord *r, pid_t tid, long nr, const uint64_t *a)
{
	r->fd = -1;
	int p = pcall(nr);
	if (r->op == OP_POLL) {
		r->arg[1] = poll_fds(r, tid, a[0], a[1]);
		r->arg[0] = p ? timespec_ms(tid, a[2]) : (int)a[2];
		r->arg[2] = GATE_WAIT_SET | (int64_t)(uint32_t)a[1] | (p ? GATE_WAIT_PCALL : 0) |
			    (p && a[3] ? GATE_WAIT_SIGMASK : 0);
		return;
	}
	r->arg[1] = select_fds(r, tid, (int)a[0], a + 1, 0);
	r->arg[0] = p ? timespec_ms(tid, a[4]) : timeval_ms(tid, a[4]);
	r->arg[2] = GATE_WAIT_SET | (int64_t)(uint32_t)a[0] | (p ? GATE_WAIT_PCALL : 0) |
		    (p && a[5] ? GATE_WAIT_SIGARG : 0) | (p && pselect_has_mask(tid, a[5]) ? GATE_WAIT_SIGMASK : 0);
}

/* The event an epoll_ctl passes, if any (EPOLL_CTL_DEL may pass none). */
static void describe_epoll_ctl(GateRecord *r, pid_t tid, const uint64_t *a)
{
	struct epoll_event e;
	r->arg[0] = (int64_t)a[1];
	r->arg[1] = (int)a[2];
	r->len = 0;
	if (!a[3] || peek(tid, a[3], &e, sizeof e) != sizeof e)
		return;
	GateEpollEvent g = { .events = e.events, .data = e.data.u64 };
	memcpy(r->data, &g, sizeof g);
	r->len = sizeof g;
}

/* The events an epoll_wait found ready, as many as it returned (at most
 * GATE_WAIT_MAX). */
static void epoll_ready(GateRecord *r, pid_t tid, uint64_t at, int64_t n)
{
	struct epoll_event e[GATE_WAIT_MAX];
	size_t cnt = n < GATE_WAIT_MAX ? (size_t)n : GATE_WAIT_MAX;
	cnt = peek(tid, at, e, cnt * sizeof e[0]) / sizeof e[0];
	for (size_t i = 0; i < cnt; i++) {
		GateEpollEvent g = { .events = e[i].events, .data = e[i].data.u64 };
		memcpy(r->data + i * sizeof g, &g, sizeof g);
	}
	r->len = (uint32_t)(cnt * sizeof(GateEpollEvent));
}

/* Everything the call record says, read before the call runs. */
static void describe_call(Task *k)
{
	GateRecord *r = &k->rec;
	const uint64_t *a = k->args;
	long nr = (long)k->nr;
	struct msghdr m;
	switch (r->op) {
	case OP_SOCKET:
	case OP_SOCKETPAIR:
		/* The type as given, SOCK_NONBLOCK and SOCK_CLOEXEC included: a
		 * socket made non-blocking here must look it. */
		r->fd = -1;
		r->arg[0] = (int64_t)a[0];
		r->arg[1] = (int)a[1];
		r->arg[2] = (int64_t)a[2];
		break;
	case OP_FCNTL:
		r->arg[0] = (int)a[1];
		r->arg[1] = (int)a[1] == F_SETFL ? (int64_t)(int)a[2] : 0;
		break;
	case OP_EPOLL_CTL:
		describe_epoll_ctl(r, k->tid, a);
		break;
	case OP_CLOSE:
		/* 1: the descriptor is an epoll set, not a socket (op_of lets
		 * only those two through). */
		r->arg[0] = !is_socket(k->tid, (int)a[0]);
		break;
	case OP_EPOLL_CREATE:
		r->fd = -1;
		r->arg[0] = (int)a[0];
		r->arg[1] = nr == SYS_epoll_create1;
		break;
	case OP_BIND:
	case OP_CONNECT:
		keep_addr(r, k->tid, a[1], a[2]);
		break;
	case OP_LISTEN:
	case OP_SHUTDOWN:
		r->arg[0] = (int64_t)a[1];
		break;
	case OP_ACCEPT:
		r->arg[1] = nr == SYS_accept4 ? (int64_t)a[3] : 0;
		r->arg[2] = nr == SYS_accept4 ? 4 : 0;
		break;
	case OP_SEND:
	case OP_SENDTO:
	case OP_WRITE:
		keep_bytes(r, k->tid, a[1], a[2]);
		r->total = a[2];
		r->arg[1] = r->op == OP_WRITE ? 0 : (int64_t)a[3];
		if (r->op == OP_SENDTO)
			keep_addr(r, k->tid, a[4], a[5]);
		break;
	case OP_RECV:
	case OP_RECVFROM:
	case OP_READ:
		r->arg[0] = (int64_t)a[2];
		r->arg[1] = r->op == OP_READ ? 0 : (int64_t)a[3];
		break;
	case OP_SENDMSG:
		if (read_msghdr(k->tid, a[1], &m) == 0) {
			r->total = keep_iov(r, k->tid, &m, UINT64_MAX);
			keep_addr(r, k->tid, (uint64_t)(uintptr_t)m.msg_name, m.msg_namelen);
		}
		r->arg[1] = (int64_t)a[2];
		break;
	case OP_RECVMSG:
		if (read_msghdr(k->tid, a[1], &m) == 0)
			r->arg[0] = (int64_t)keep_iov(r, k->tid, &m, 0);
		r->len = 0;
		r->arg[1] = (int64_t)a[2];
		break;
	case OP_SETSOCKOPT: {
		int v = 0;
		r->arg[0] = (int64_t)a[1];
		r->arg[1] = (int64_t)a[2];
		if (a[4] >= sizeof v)
			peek(k->tid, a[3], &v, sizeof v);
		r->arg[2] = v;
		break;
	}
	case OP_GETSOCKOPT:
		r->arg[0] = (int64_t)a[1];
		r->arg[1] = (int64_t)a[2];
		break;
	case OP_POLL:
	case OP_SELECT:
		describe_wait(r, k->tid, nr, a);
		break;
	case OP_EPOLL_WAIT:
		r->arg[0] = (int)a[2];
		r->arg[1] = (int)a[3];
#ifdef SYS_epoll_pwait2
		if (nr == SYS_epoll_pwait2)
			r->arg[1] = timespec_ms(k->tid, a[3]);
#endif
		r->arg[2] = pcall(nr) ? GATE_WAIT_PCALL | (a[4] ? GATE_WAIT_SIGMASK : 0) : 0;
		break;
	default:
		break;
	}
}

/* The result record: the return value, and what the call gave back. */
static void describe_result(Task *k, int64_t rval, int is_error, uint64_t ns)
{
	GateRecord *r = &k->rec;
	const uint64_t *a = k->args;
	struct msghdr m;
	r->kind = GATE_RESULT;
	r->ret = is_error ? -1 : rval;
	r->err = is_error ? (int32_t)-rval : 0;
	r->ns = ns;
	r->addrlen = 0;
	/* A wait keeps its descriptors, an epoll_ctl its event: the result
	 * then reads whole without its call. */
	int keeps = r->op == OP_POLL || r->op == OP_SELECT || r->op == OP_SOCKETPAIR || r->op == OP_EPOLL_CTL;
	if (!keeps)
		r->len = 0;
	r->total = 0;
	if (is_error) {
		r->total = keeps ? r->len : 0;
		return;
	}
	switch (r->op) {
	case OP_SEND: case OP_SENDTO: case OP_WRITE: case OP_SENDMSG:
		r->total = (uint64_t)rval;
		break;
	case OP_RECV: case OP_RECVFROM: case OP_READ: {
		uint64_t n = (uint64_t)rval < a[2] ? (uint64_t)rval : a[2];
		keep_bytes(r, k->tid, a[1], n);
		r->total = n;
		if (r->op == OP_RECVFROM)
			keep_addr_out(r, k->tid, a[4], a[5]);
		break;
	}
	case OP_RECVMSG:
		if (read_msghdr(k->tid, a[1], &m) == 0) {
			keep_iov(r, k->tid, &m, (uint64_t)rval);
			r->total = (uint64_t)rval;
			keep_addr(r, k->tid, (uint64_t)(uintptr_t)m.msg_name, m.msg_namelen);
		}
		break;
	case OP_ACCEPT:
		/* The peer's address, where the program asked for it; else asked
		 * of the new socket. */
		keep_addr_out(r, k->tid, a[1], a[2]);
		if (!r->addrlen)
			keep_name(r, k->tid, (int)rval, 1);
		break;
	case OP_CONNECT:
		keep_name(r, k->tid, r->fd, 0);
		break;
	case OP_GETSOCKNAME:
	case OP_GETPEERNAME:
		keep_addr_out(r, k->tid, a[1], a[2]);
		break;
	case OP_GETSOCKOPT: {
		int v = 0;
		peek(k->tid, a[3], &v, sizeof v);
		r->arg[2] = v;
		break;
	}
	case OP_SOCKETPAIR: {
		int32_t sv[2];
		r->len = 0;
		if (peek(k->tid, a[3], sv, sizeof sv) == sizeof sv) {
			memcpy(r->data, sv, sizeof sv);
			r->len = sizeof sv;
		}
		break;
	}
	case OP_POLL:
		poll_fds(r, k->tid, a[0], a[1]);
		break;
	case OP_SELECT:
		if (rval > 0)
			select_fds(r, k->tid, (int)a[0], a + 1, 1);
		break;
	case OP_EPOLL_WAIT:
		epoll_ready(r, k->tid, a[1], rval);
		break;
	default:
		break;
	}
	r->total = keeps ? r->len : r->total;
}

/* ---- would it block? ---------------------------------------------------- */

static int ready(pid_t tid, int fd, short events)
{
	int copy = copy_fd(tid, fd);
	if (copy < 0)
		return 1;  /* cannot tell: let it go and see */
	struct pollfd p = { .fd = copy, .events = events };
	int nonblocking = fcntl(copy, F_GETFL) & O_NONBLOCK;
	int rc = poll(&p, 1, 0);
	close(copy);
	return nonblocking || rc != 0;
}

/* Is any descriptor of a poll or select ready for what it waits for? */
static int any_ready(pid_t tid, const GateRecord *r)
{
	for (size_t at = 0; at + sizeof(GateWaitFd) <= r->len; at += sizeof(GateWaitFd)) {
		GateWaitFd w;
		memcpy(&w, r->data + at, sizeof w);
		if (w.fd >= 0 && ready(tid, w.fd, w.events))
			return 1;
	}
	return 0;
}

static int would_block(const Task *k)
{
	const GateRecord *r = &k->rec;
	int dontwait = (r->arg[1] & MSG_DONTWAIT) != 0;
	switch (r->op) {
	case OP_ACCEPT:
		return !ready(k->tid, r->fd, POLLIN);
	case OP_RECV: case OP_RECVFROM: case OP_RECVMSG: case OP_READ:
		return !dontwait && !ready(k->tid, r->fd, POLLIN);
	case OP_SEND: case OP_SENDTO: case OP_SENDMSG: case OP_WRITE:
		return !dontwait && !ready(k->tid, r->fd, POLLOUT);
	case OP_POLL: case OP_SELECT:
		return r->arg[0] != 0 && !any_ready(k->tid, r);
	case OP_EPOLL_WAIT:
		return r->arg[1] != 0 && !ready(k->tid, r->fd, POLLIN);
	default:
		return 0;
	}
}

/* ---- stops ------------------------------------------------------------ */

static void resume(pid_t tid, int how, int sig)
{
	ptrace(how, tid, 0, sig);
}

static void let_run(Tracer *t, Task *k)
{
	(void)t;
	k->state = T_IN_CALL;
	k->go_ns = now_ns();
	resume(k->tid, PTRACE_SYSCALL, 0);
}

/* The program reads its terminal: when a line is waiting it reads that,
 * else it stops for the student's line. */
static void at_input(Tracer *t, Task *k)
{
	int waiting = 0;
	if (ioctl(t->slave, FIONREAD, &waiting) == 0 && waiting > 0) {
		resume(k->tid, PTRACE_CONT, 0);
		return;
	}
	static GateRecord r;
	memset(&r, 0, offsetof(GateRecord, data));
	r.kind = GATE_INPUT;
	r.op = OP_INPUT;
	r.fd = 0;
	r.task = k->tid;
	r.step = k->calls;
	k->reported = 1;
	k->state = T_AT_INPUT;
	send_record(t, &r);
}

static void at_seccomp(Tracer *t, Task *k)
{
	/* Zeroed: valgrind does not know this request fills it in. */
	struct __ptrace_syscall_info info = { 0 };
	if (ptrace(PTRACE_GET_SYSCALL_INFO, k->tid, sizeof info, &info) <= 0 ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		resume(k->tid, PTRACE_CONT, 0);
		return;
	}
	k->nr = info.seccomp.nr;
	memcpy(k->args, info.seccomp.args, sizeof k->args);
	int op = op_of(t, k);
	if (op < 0) {
		resume(k->tid, PTRACE_CONT, 0);
		return;
	}
	/* Output before the call goes before it (a free run takes the cost of
	 * one more read per call only when the terminal has something). */
	if (!t->free_run || t->output_waiting || output_signalled)
		read_output(t, 1);
	if (op == OP_INPUT) {
		at_input(t, k);
		return;
	}
	GateRecord *r = &k->rec;
	memset(r, 0, offsetof(GateRecord, data));
	r->kind = GATE_CALL;
	r->op = (uint8_t)op;
	r->task = k->tid;
	r->step = ++k->calls;
	r->fd = (int32_t)k->args[0];
	describe_call(k);
	k->reported = 1;
	send_record(t, r);
	if (t->free_run)
		let_run(t, k);
	else
		k->state = T_AT_CALL;
}

static void at_syscall_exit(Tracer *t, Task *k)
{
	struct __ptrace_syscall_info info = { 0 };
	if (ptrace(PTRACE_GET_SYSCALL_INFO, k->tid, sizeof info, &info) <= 0) {
		resume(k->tid, PTRACE_CONT, 0);
		return;
	}
	if (info.op != PTRACE_SYSCALL_INFO_EXIT) {
		resume(k->tid, PTRACE_SYSCALL, 0);  /* its entry: the exit comes next */
		return;
	}
	if (k->state == T_IN_CALL) {
		describe_result(k, info.exit.rval, info.exit.is_error, now_ns() - k->go_ns);
		send_record(t, &k->rec);
	}
	k->state = T_RUNNING;
	resume(k->tid, PTRACE_CONT, 0);
}

static void task_gone(Tracer *t, Task *k, int status)
{
	if (k->tid == t->top) {
		t->top_gone = 1;
		t->top_status = status;
	}
	if (k->reported) {
		static GateRecord r;
		memset(&r, 0, offsetof(GateRecord, data));
		r.kind = GATE_DONE;
		r.task = k->tid;
		r.fd = -1;
		r.ret = status;
		r.step = k->calls;
		/* A call it was in never returned. */
		send_record(t, &r);
	}
	*k = t->task[--t->ntasks];
}

static void stopped(Tracer *t, Task *k, int status)
{
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (event == PTRACE_EVENT_SECCOMP) {
		at_seccomp(t, k);
	} else if (sig == (SIGTRAP | 0x80)) {
		at_syscall_exit(t, k);
	} else if (event == PTRACE_EVENT_STOP || event) {
		/* fork, clone, exec, or a stop: the new task reports itself */
		resume(k->tid, PTRACE_CONT, 0);
	} else {
		/* A signal for the program: deliver it (the first SIGSTOP was ours). */
		int first = k->tid == t->top && k->calls == 0 && sig == SIGSTOP;
		resume(k->tid, PTRACE_CONT, first ? 0 : sig);
	}
}

/* What waitpid said of tid: a stop to act on, or an end. */
static void waited(Tracer *t, pid_t tid, int status)
{
	Task *k = task_find(t, tid);
	if (!k && !(WIFEXITED(status) || WIFSIGNALED(status)))
		k = task_add(t, tid);
	if (!k) {
		if (WIFSTOPPED(status))
			resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		read_output(t, 1);
		task_gone(t, k, status);
	} else if (WIFSTOPPED(status)) {
		stopped(t, k, status);
	}
}

static void reap(Tracer *t)
{
	struct signalfd_siginfo si;
	while (read(t->sigfd, &si, sizeof si) > 0)
		;
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, WNOHANG | __WALL);
		if (tid <= 0)
			return;
		waited(t, tid, status);
	}
}

/* ---- the parent's commands ---------------------------------------------- */

static void give_line(Tracer *t, const char *line)
{
	size_t n = strlen(line);
	(void)!write(t->master, line, n);
	(void)!write(t->master, "\n", 1);
}

static void command(Tracer *t)
{
	static char line[GATE_DATA_MAX + 1];
	int32_t tid;
	int cmd = gate_wait_task(t->gate, &tid, line, sizeof line);
	if (cmd < 0)
		_exit(EXIT_FAILURE);  /* sockstep is gone */
	if (cmd == GATE_CMD_LINE || cmd == GATE_CMD_EOF) {
		if (cmd == GATE_CMD_LINE)
			give_line(t, line);
		else
			(void)!write(t->master, "\x04", 1);  /* VEOF: read() returns 0 */
		for (int i = 0; i < t->ntasks; i++) {
			if (t->task[i].state == T_AT_INPUT) {
				t->task[i].state = T_RUNNING;
				resume(t->task[i].tid, PTRACE_CONT, 0);
			}
		}
		return;
	}
	Task *k = task_find(t, tid);
	if (!k || k->state != T_AT_CALL)
		return;  /* it died meanwhile: its end is on its way */
	if (cmd == GATE_CMD_GO) {
		let_run(t, k);
	} else if (cmd == GATE_CMD_PROBE) {
		static GateRecord r;
		memset(&r, 0, offsetof(GateRecord, data));
		r.kind = GATE_PROBE;
		r.task = tid;
		r.fd = k->rec.fd;
		r.ret = would_block(k);
		send_record(t, &r);
	}
}

/* The program's own end becomes the tracer's: the same exit status, or
 * the same signal, so the engine reads it as it would the program's. */
static _Noreturn void finish(Tracer *t)
{
	read_output(t, 1);
	int status = t->top_status;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		static GateRecord r;
		memset(&r, 0, offsetof(GateRecord, data));
		r.kind = GATE_DONE;
		r.fd = -1;
		send_record(t, &r);
	}
	flush(t);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		prctl(PR_SET_DUMPABLE, 0);
		raise(WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_FAILURE);
}

/* Stepping: sleep in poll over the program's stops (SIGCHLD), sockstep's
 * commands and the program's terminal. */
static void step_loop(Tracer *t)
{
	while (t->ntasks > 0) {
		struct pollfd p[3] = {
			{ .fd = t->sigfd, .events = POLLIN },
			{ .fd = t->gate, .events = POLLIN },
			{ .fd = t->master, .events = POLLIN },
		};
		int rc = poll(p, 3, -1);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0)
			continue;
		if (p[1].revents)
			command(t);
		t->output_waiting = (p[2].revents & POLLIN) != 0;
		if (t->output_waiting)
			read_output(t, 0);
		if (p[0].revents)
			reap(t);
	}
}

static void on_tick(int sig)
{
	(void)sig;   /* only to interrupt waitpid */
}

static void on_output(int sig)
{
	(void)sig;
	output_signalled = 1;
}

/* A free run: the program stops at every socket call and goes on at once,
 * so what costs is the tracer's own work per stop. It sleeps in waitpid,
 * one system call a stop as strace does, rather than in poll, signalfd and
 * waitpid (four). A tick every FLUSH_MS interrupts it to send the batch,
 * take sockstep's commands and read the terminal. The terminal also
 * signals its output (SIGIO), which interrupts waitpid too: so a program's
 * output is read before its next call, in order, at no cost per stop. */
static void free_loop(Tracer *t)
{
	enum { TICK_US = 20000 };
	struct sigaction sa = { .sa_handler = on_tick };   /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_output;
	sigaction(SIGIO, &sa, NULL);
	sigset_t wake;
	sigemptyset(&wake);
	sigaddset(&wake, SIGALRM);
	sigaddset(&wake, SIGIO);
	sigprocmask(SIG_UNBLOCK, &wake, NULL);
	if (fcntl(t->master, F_SETOWN, getpid()) == 0)
		fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_ASYNC);
	struct itimerval tick = { { 0, TICK_US }, { 0, TICK_US } };
	setitimer(ITIMER_REAL, &tick, NULL);
	while (t->ntasks > 0) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid > 0) {
			waited(t, tid, status);
			continue;
		}
		if (errno != EINTR)
			break;
		if (output_signalled)
			read_output(t, 0);
		struct pollfd p[2] = { { .fd = t->gate, .events = POLLIN }, { .fd = t->master, .events = POLLIN } };
		if (poll(p, 2, 0) > 0) {
			if (p[0].revents)
				command(t);
			t->output_waiting = (p[1].revents & POLLIN) != 0;
			if (t->output_waiting)
				read_output(t, 0);
		}
		flush_due(t);
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
}

_Noreturn void tracer_run(const char *command_line, int gate, int free_run)
{
	static Tracer t;
	t.gate = gate;
	t.free_run = free_run;
	t.master = t.slave = t.sigfd = -1;
	start(&t, command_line);
	if (free_run)
		free_loop(&t);
	else
		step_loop(&t);
	finish(&t);
}

int tracer_asleep(int tid)
{
	char path[48], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "pid (comm) S ...": the name may hold spaces and parentheses. */
	const char *end = strrchr(buf, ')');
	return end && end[1] == ' ' && end[2] == 'S';
}
