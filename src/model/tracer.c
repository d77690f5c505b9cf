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
#include <linux/capability.h>
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
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "model/console.h"
#include "model/gate.h"
#include "model/lesson.h"
#include "model/procfd.h"

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
	uint32_t calls;          /* its socket calls so far: its step (up to INT32_MAX) */
	uint64_t nr;             /* the call it is stopped at or in */
	uint64_t args[6];
	GateRecord rec;          /* that call's record */
	uint64_t go_ns;
	int64_t pipe_fill;       /* splice out of a socket: bytes in the pipe before, or -1 */
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
	dev_t tty_dev;            /* the terminal's file, as stat names it: */
	ino_t tty_ino;            /* a descriptor is it when these match */
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

/* A record is stamped as it is made: a free run's come in batches, and
 * sockstep orders them by these times (model/timeline.h). */
static void send_record(Tracer *t, GateRecord *r)
{
	r->at_ns = now_ns();
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

/* A line of the program's terminal, as the terminal shows it
 * (console_render: its CR LF ends, colours, a progress rewritten). */
static void send_line(Tracer *t, const char *text, size_t n)
{
	static char shown[sizeof ((Tracer *)0)->out];
	send_text(t, GATE_PRINT, shown, console_render(text, n, shown));
}

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
			send_line(t, t->out + start, i - start);
			start = i + 1;
		}
		if (start == 0 && t->outlen == sizeof t->out) {
			send_line(t, t->out, t->outlen);  /* a line longer than a record */
			start = t->outlen;
		}
		memmove(t->out, t->out + start, t->outlen - start);
		t->outlen -= start;
		if (n <= 0)
			break;
	}
	if (partial && t->outlen) {
		send_line(t, t->out, t->outlen);
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

/* A socket timeout's struct timeval (two 64-bit fields; two 32-bit ones
 * from a 32-bit program, len 8) in milliseconds, as a lesson gives
 * SO_RCVTIMEO_MS: 0 is no timeout, and a timeout under a millisecond
 * counts as one, for it is one. Saturates at INT32_MAX. */
static int64_t sockopt_timeout_ms(pid_t tid, uint64_t addr, uint64_t len)
{
	int64_t sec = 0, usec = 0;
	if (len >= 2 * sizeof(int64_t)) {
		int64_t tv[2] = { 0, 0 };
		if (peek(tid, addr, tv, sizeof tv) != sizeof tv)
			return 0;
		sec = tv[0];
		usec = tv[1];
	} else if (len >= 2 * sizeof(int32_t)) {
		int32_t tv[2] = { 0, 0 };
		if (peek(tid, addr, tv, sizeof tv) != sizeof tv)
			return 0;
		sec = tv[0];
		usec = tv[1];
	}
	if (sec < 0 || usec < 0 || (sec == 0 && usec == 0))
		return 0;
	if (sec >= INT32_MAX / 1000)
		return INT32_MAX;
	int64_t ms = sec * 1000 + usec / 1000;
	return ms > 0 ? ms : 1;
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

/* Is descriptor fd of the tracee the terminal sockstep gave it? (Its
 * standard input, or a copy of it.) */
static int is_our_terminal(Tracer *t, pid_t tid, int fd)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tid, fd);
	return stat(path, &st) == 0 && st.st_dev == t->tty_dev && st.st_ino == t->tty_ino;
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
	int copy = procfd_copy(tid, fd);
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

/* The bytes cnt iovecs at `at` hold, up to n in all, added after the
 * record's bytes so far: what writev or sendmsg sends, or readv or recvmsg
 * received. Returns the total the iovecs can hold; the first two lengths go
 * to lens when it is not NULL (a call's text shows them, as strace does). */
static uint64_t keep_iovec(GateRecord *r, pid_t tid, uint64_t at, uint64_t cnt, uint64_t n, int64_t lens[2])
{
	enum { MAX_IOV = 64 };
	struct iovec iov[MAX_IOV];
	size_t want_iov = cnt < MAX_IOV ? (size_t)cnt : MAX_IOV;
	size_t got_iov = peek(tid, at, iov, want_iov * sizeof iov[0]) / sizeof iov[0];
	uint64_t room = 0;
	for (size_t i = 0; i < got_iov; i++) {
		room += iov[i].iov_len;
		if (lens && i < 2)
			lens[i] = (int64_t)iov[i].iov_len;
		size_t want = iov[i].iov_len < n ? iov[i].iov_len : (size_t)n;
		n -= want;
		if (want > GATE_DATA_MAX - r->len)
			want = GATE_DATA_MAX - r->len;
		r->len += (uint32_t)peek(tid, (uint64_t)(uintptr_t)iov[i].iov_base, r->data + r->len, want);
	}
	return room;
}

/* The bytes a msghdr's iovecs hold, up to n in all: what sendmsg sends, or
 * recvmsg received. Returns the total the iovecs can hold. */
static uint64_t keep_iov(GateRecord *r, pid_t tid, const struct msghdr *m, uint64_t n)
{
	r->len = 0;
	return keep_iovec(r, tid, (uint64_t)(uintptr_t)m->msg_iov, m->msg_iovlen, n, NULL);
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

/* One of select's sets, or none (at 0, or unreadable). nfds is the
 * program's: anything an int holds, INT_MAX and negative ones included. */
static int read_set(pid_t tid, uint64_t at, int nfds, fd_set *set)
{
	int n = nfds < 0 ? 0 : nfds > FD_SETSIZE ? FD_SETSIZE : nfds;
	size_t bytes = ((size_t)n + 7) / 8;
	memset(set, 0, sizeof *set);
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

/* A timeout as a wait's record holds it (gate.h): in ms; or, when ms
 * cannot say it (a negative one, which the kernel refuses, or one beyond
 * what 64 bits of ms hold), its seconds as passed, with GATE_WAIT_SECONDS
 * (and GATE_WAIT_SUBSEC when its fraction, not kept, is not 0) added to
 * *flags. The program chooses every field: nothing here may overflow. */
static int64_t timeout_of(int64_t sec, int64_t frac, int64_t frac_per_ms, int64_t *flags)
{
	int64_t ms;
	if (sec >= 0 && frac >= 0 && !__builtin_mul_overflow(sec, 1000, &ms) &&
	    !__builtin_add_overflow(ms, frac / frac_per_ms, &ms))
		return ms;
	*flags |= GATE_WAIT_SECONDS | (frac ? GATE_WAIT_SUBSEC : 0);
	return sec;
}

static int64_t timespec_ms(pid_t tid, uint64_t at, int64_t *flags)
{
	struct timespec ts;
	if (!at || peek(tid, at, &ts, sizeof ts) != sizeof ts)
		return -1;
	return timeout_of(ts.tv_sec, ts.tv_nsec, 1000000, flags);
}

static int64_t timeval_ms(pid_t tid, uint64_t at, int64_t *flags)
{
	struct timeval tv;
	if (!at || peek(tid, at, &tv, sizeof tv) != sizeof tv)
		return -1;
	return timeout_of(tv.tv_sec, tv.tv_usec, 1000, flags);
}

/* ---- the seccomp filter ------------------------------------------------- */

/* Calls that always stop; close stops only on descriptors that may be
 * sockets (3 and up), and fcntl only to read or set a descriptor's status
 * flags (F_GETFL, F_SETFL: how a socket is made non-blocking), not for the
 * F_GETFD and F_SETFD a program's start-up makes by the dozen. read,
 * write, readv and writev stop on every descriptor, 0 to 2 too: an
 * inetd-style server's socket is its standard input and output, and a read
 * of the terminal is the program asking for input. The filter cannot tell a
 * socket from the terminal; the tracer looks (op_of) and lets any other
 * file go at once. sendfile and splice stop too: they move a file's or a
 * pipe's bytes into a socket without passing them through the program. */
static const long always[] = {
	SYS_socket, SYS_socketpair, SYS_bind, SYS_listen, SYS_accept, SYS_accept4, SYS_connect,
	SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg, SYS_shutdown, SYS_setsockopt,
	SYS_getsockopt, SYS_getsockname, SYS_getpeername, SYS_ppoll, SYS_pselect6,
	SYS_epoll_pwait, SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_sendmmsg, SYS_recvmmsg,
	SYS_sendfile, SYS_splice, SYS_epoll_ctl, SYS_epoll_create1, SYS_dup, SYS_dup3,
#ifdef SYS_dup2
	SYS_dup2,
#endif
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

/* Calls refused with ENOSYS, as Docker's default profile refuses them:
 * io_uring makes socket calls (socket, bind, listen, accept, send...) from
 * a ring the kernel works through, never as system calls this filter or
 * the tracer could see. */
static const long refused[] = {
#ifdef SYS_io_uring_setup
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
};

enum { NREFUSED = sizeof refused / sizeof refused[0] };

#if defined(__x86_64__)
/* x32 calls come with the x86-64 arch and this bit in their number. */
enum { X32_BIT = 0x40000000, NX32 = 2 };
#else
enum { NX32 = 0 };
#endif

/* The filter, in order: a call of another ABI (i386's int 0x80, x32) goes
 * to the tracer, which refuses it (another_abi); io_uring is refused; the
 * calls to stop go to the tracer; the rest run. */
static int install_filter(void)
{
	enum { FIRST = 2, R = FIRST + 1 + NX32 + NREFUSED + NALWAYS, N = R + 14 };
	const uint32_t cmd_low = offsetof(struct seccomp_data, args[1]) +
				 (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0);
	const uint32_t fd_low = offsetof(struct seccomp_data, args[0]) +
				(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0);
	const int trace = R + 12, refuse = R + 13;
	struct sock_filter f[N];
	int i = 0;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
#ifdef TRACER_ARCH
	f[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRACER_ARCH, 0, (uint8_t)(trace - i - 1));
#else
	f[i] = jump(BPF_JMP | BPF_JA, 0, i, i + 1);
#endif
	i++;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));  /* FIRST */
#if defined(__x86_64__)
	/* Numbers from 2^31 up are no call (syscall(-1)): the kernel says ENOSYS. */
	f[i] = jump(BPF_JMP | BPF_JGE | BPF_K, 0x80000000u, i, i + 2); i++;
	f[i] = jump(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, i, trace); i++;
#endif
	for (int k = 0; k < NREFUSED; k++, i++)
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)refused[k], i, refuse);
	for (int k = 0; k < NALWAYS; k++, i++)
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)always[k], i, trace);
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_close, i, R + 3); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, SYS_fcntl, i, R + 6); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, fd_low);                      /* R + 3: close */
	f[i] = jump(BPF_JMP | BPF_JGE | BPF_K, 3, i, trace); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, cmd_low);                     /* R + 6: fcntl */
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, F_GETFL, i, trace); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, F_SETFL, i, trace); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD, i, trace); i++;
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, F_DUPFD_CLOEXEC, i, trace); i++;
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE);                    /* R + 12 */
	f[i++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);           /* R + 13 */
	struct sock_fprog prog = { .len = (unsigned short)i, .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* A call of another ABI than the one the tracer reads (i386's int 0x80,
 * x32), or NULL. Their numbers and arguments are not the ones op_of knows
 * (socketcall alone multiplexes every socket call): such a call could do
 * anything unseen, so it is refused, with the program. */
static const char *another_abi(const struct __ptrace_syscall_info *info)
{
#ifdef TRACER_ARCH
	if (info->arch != TRACER_ARCH)
		return info->arch == AUDIT_ARCH_I386 ? "i386 (int 0x80)" : "not the native one";
#endif
#if defined(__x86_64__)
	if (info->seccomp.nr >= X32_BIT && info->seccomp.nr < 0x80000000u)
		return "x32";
#endif
	return NULL;
}

/* ---- starting the program ---------------------------------------------- */

static int open_terminal(Tracer *t)
{
	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->master < 0 || grantpt(t->master) < 0 || unlockpt(t->master) < 0 ||
	    ptsname_r(t->master, t->slave_name, sizeof t->slave_name) != 0)
		return -1;
	t->slave = open(t->slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (t->slave < 0 || fstat(t->slave, &st) < 0)
		return -1;
	t->tty_dev = st.st_dev;
	t->tty_ino = st.st_ino;
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

/* The program runs with no capability at all: none in its bounding set
 * (so an exec, even of root's, gains none back), none inheritable or
 * ambient, none permitted or effective. Run by root, it could otherwise
 * enter any namespace (setns into pid 1's network leaves the lesson's),
 * trace sockstep or read any file; in a user namespace, it would hold
 * every capability over that namespace. The bounding set needs
 * CAP_SETPCAP to shrink: without it (an ordinary user on the host's
 * network) the program has no capability to lose, and no_new_privs (the
 * filter's) keeps an exec from gaining any. Three calls to the kernel do
 * it; libcap would be a dependency for the same three. Returns 0, or -1
 * when a capability is left. */
static int drop_capabilities(void)
{
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap) < 0 && errno != EPERM)
			return -1;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = { { 0 } };
	if (syscall(SYS_capset, &head, none) < 0)
		return -1;
	struct __user_cap_data_struct left[_LINUX_CAPABILITY_U32S_3] = { { 0 } };
	if (syscall(SYS_capget, &head, left) < 0)
		return -1;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (left[i].permitted || left[i].effective || left[i].inheritable)
			return -1;
	return 0;
}

/* In the program's process: its own session on the terminal, no
 * capability, a stop for the tracer to attach, the filter, then the
 * command. */
static _Noreturn void program(Tracer *t, const char *command, const sigset_t *mask)
{
	/* Dumpable, as any process the user starts, so the tracer (which is
	 * not) may trace it; it holds none of the tracer's descriptors once it
	 * stops, and the exec makes it the program. */
	prctl(PR_SET_DUMPABLE, 1);
	/* SIGCHLD is the tracer's to wait for, not blocked for the program
	 * (a mask survives exec: a forking server would never hear of its
	 * children). */
	sigprocmask(SIG_SETMASK, mask, NULL);
	setsid();
	int tty = open(t->slave_name, O_RDWR);
	if (tty < 0 || dup2(tty, 0) < 0 || dup2(tty, 1) < 0 || dup2(tty, 2) < 0)
		_exit(EXIT_CANNOT_RUN);
	close_range(3, ~0U, 0);
	if (drop_capabilities() < 0) {
		dprintf(2, "sockstep: cannot drop the program's capabilities: %s\n", strerror(errno));
		_exit(EXIT_CANNOT_RUN);
	}
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

/* The calls that move bytes beyond send, recv and their kin. Returns
 * whether the call is one of them, its op in *op: -1 when no socket takes
 * part (writev to the terminal, sendfile between files). */
static int moving_op(const Task *k, int *op)
{
	int fd = (int)k->args[0];
	switch ((long)k->nr) {
	case SYS_readv: *op = is_socket(k->tid, fd) ? OP_READV : -1; return 1;
	case SYS_writev: *op = is_socket(k->tid, fd) ? OP_WRITEV : -1; return 1;
	case SYS_sendmmsg: *op = OP_SENDMMSG; return 1;
	case SYS_recvmmsg: *op = OP_RECVMMSG; return 1;
	case SYS_sendfile: *op = is_socket(k->tid, fd) ? OP_SENDFILE : -1; return 1;
	case SYS_splice:
		*op = is_socket(k->tid, (int)k->args[2]) ? OP_SPLICE : is_socket(k->tid, fd) ? OP_SPLICE_RECV : -1;
		return 1;
	default:
		return 0;
	}
}

/* What the call at a seccomp stop is, as a lesson op; -1 when it is not one
 * to show (read, write or close on a file that is not a socket). */
static int op_of(Tracer *t, Task *k)
{
	long nr = (long)k->nr;
	int fd = (int)k->args[0];
	if (nr == SYS_read || nr == SYS_write || nr == SYS_close) {
		if (nr == SYS_read && fd == 0 && !t->free_run && is_our_terminal(t, k->tid, 0))
			return OP_INPUT;
		/* An epoll set's close is shown too: its descriptor was. */
		if (!is_socket(k->tid, fd) && !(nr == SYS_close && fd_is(k->tid, fd, "anon_inode:[eventpoll]")))
			return -1;
		return nr == SYS_read ? OP_READ : nr == SYS_write ? OP_WRITE : OP_CLOSE;
	}
	int moving;
	if (moving_op(k, &moving))
		return moving;
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
	case SYS_fcntl:
		if (!is_socket(k->tid, fd))
			return -1;
		return k->args[1] == F_DUPFD || k->args[1] == F_DUPFD_CLOEXEC ? OP_DUP : OP_FCNTL;
	case SYS_dup:
	case SYS_dup3:
#ifdef SYS_dup2
	case SYS_dup2:
#endif
		return is_socket(k->tid, fd) ? OP_DUP : -1;
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
	int64_t when = 0;   /* GATE_WAIT_SECONDS, GATE_WAIT_SUBSEC */
	if (r->op == OP_POLL) {
		r->arg[1] = poll_fds(r, tid, a[0], a[1]);
		r->arg[0] = p ? timespec_ms(tid, a[2], &when) : (int)a[2];
		r->arg[2] = GATE_WAIT_SET | (int64_t)(uint32_t)a[1] | (p ? GATE_WAIT_PCALL : 0) |
			    (p && a[3] ? GATE_WAIT_SIGMASK : 0) | when;
		return;
	}
	r->arg[1] = select_fds(r, tid, (int)a[0], a + 1, 0);
	r->arg[0] = p ? timespec_ms(tid, a[4], &when) : timeval_ms(tid, a[4], &when);
	r->arg[2] = GATE_WAIT_SET | (int64_t)(uint32_t)a[0] | (p ? GATE_WAIT_PCALL : 0) | when |
		    (p && a[5] ? GATE_WAIT_SIGARG : 0) | (p && pselect_has_mask(tid, a[5]) ? GATE_WAIT_SIGMASK : 0);
}

/* The event an epoll_ctl passes, if any. EPOLL_CTL_DEL may pass none, and
 * the kernel ignores what it passes: its bytes are whatever the program's
 * memory held (a run's garbage), so only that it passed one is kept. */
static void describe_epoll_ctl(GateRecord *r, pid_t tid, const uint64_t *a)
{
	struct epoll_event e;
	r->arg[0] = (int64_t)a[1];
	r->arg[1] = (int)a[2];
	r->arg[2] = a[3] != 0;
	r->len = 0;
	if (!a[3] || (int)a[1] == EPOLL_CTL_DEL || peek(tid, a[3], &e, sizeof e) != sizeof e)
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

/* ---- calls that move bytes the program's memory does not hold ------------ */

/* Up to n bytes of the tracee's file or pipe fd, read without taking them
 * from it: a file's at offset (its own position when offp is 0, via a copy,
 * which shares the position), a pipe's by tee() into a pipe of ours. What
 * sendfile or splice then sends is what this reads, copied by the kernel;
 * what a splice out of a socket put in a pipe is read so too. */
static uint32_t source_bytes(pid_t tid, int fd, uint64_t offp, uint64_t n, uint8_t *buf, size_t cap)
{
	int copy = procfd_copy(tid, fd);
	if (copy < 0)
		return 0;
	struct stat st;
	ssize_t got = 0;
	size_t want = n < cap ? (size_t)n : cap;
	if (fstat(copy, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t off;
		if (!offp)
			off = lseek(copy, 0, SEEK_CUR);
		else if (peek(tid, offp, &off, sizeof off) != sizeof off)
			off = -1;
		got = off >= 0 ? pread(copy, buf, want, off) : 0;
	} else if (fstat(copy, &st) == 0 && S_ISFIFO(st.st_mode)) {
		/* The pipe's end the program holds may be the one it writes:
		 * opened again through /proc, as a reader, it reads the same. */
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tid, fd);
		int rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		int p[2];
		if (rd >= 0 && pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0) {
			got = tee(rd, p[1], want, SPLICE_F_NONBLOCK);
			got = got > 0 ? read(p[0], buf, (size_t)got) : 0;
			close(p[0]);
			close(p[1]);
		}
		if (rd >= 0)
			close(rd);
	}
	close(copy);
	return got > 0 ? (uint32_t)got : 0;
}

/* How many bytes wait in the tracee's pipe fd, or -1 (not a pipe). */
static int64_t pipe_fill(pid_t tid, int fd)
{
	int copy = procfd_copy(tid, fd);
	if (copy < 0)
		return -1;
	struct stat st;
	int n = 0;
	int ok = fstat(copy, &st) == 0 && S_ISFIFO(st.st_mode) && ioctl(copy, FIONREAD, &n) == 0;
	close(copy);
	return ok ? n : -1;
}

/* The n bytes a splice out of a socket put into the pipe fd after the fill
 * bytes that were there before: read with tee(), which leaves them there. */
static void spliced_bytes(GateRecord *r, pid_t tid, int fd, int64_t fill, uint64_t n)
{
	enum { PIPE_MAX = 65536 };
	static uint8_t buf[PIPE_MAX];
	r->len = 0;
	if (fill < 0 || (uint64_t)fill >= PIPE_MAX)
		return;
	uint64_t want = (uint64_t)fill + (n < GATE_DATA_MAX ? n : GATE_DATA_MAX);
	uint32_t got = source_bytes(tid, fd, 0, want < PIPE_MAX ? want : PIPE_MAX, buf, PIPE_MAX);
	if (got <= (uint64_t)fill)
		return;
	r->len = got - (uint32_t)fill;
	memcpy(r->data, buf + fill, r->len);
}

/* The messages of a sendmmsg or recvmmsg: up to cnt at `at`, their bytes
 * (each message's own length when done, else what its iovecs hold) after
 * one another. Returns their total; the first message's size goes to
 * first, its address to the record. */
static uint64_t keep_mmsg(GateRecord *r, pid_t tid, uint64_t at, uint64_t cnt, int done, int64_t *first)
{
	enum { MAX_MSGS = 64 };
	uint64_t total = 0;
	r->len = 0;
	for (uint64_t i = 0; i < cnt && i < MAX_MSGS; i++) {
		struct mmsghdr mm;
		if (peek(tid, at + i * sizeof mm, &mm, sizeof mm) != sizeof mm)
			break;
		const struct msghdr *m = &mm.msg_hdr;
		uint64_t room = keep_iovec(r, tid, (uint64_t)(uintptr_t)m->msg_iov, m->msg_iovlen,
					   done ? mm.msg_len : UINT64_MAX, NULL);
		uint64_t n = done ? mm.msg_len : room;
		if (i == 0) {
			*first = (int64_t)n;
			keep_addr(r, tid, (uint64_t)(uintptr_t)m->msg_name, m->msg_namelen);
		}
		total += n;
	}
	return total;
}

/* The first descriptor an SCM_RIGHTS message carries: its number in this
 * process to arg[0], and in arg[2] its inode (a socket's, or minus a
 * file's), which is the same in sender and receiver: the same socket.
 * When it carries more, arg[0] counts the others from bit 32 on. */
static void keep_rights(GateRecord *r, pid_t tid, const struct msghdr *m)
{
	union { struct cmsghdr align; uint8_t b[512]; } ctl;
	size_t n = m->msg_controllen < sizeof ctl ? m->msg_controllen : sizeof ctl;
	r->arg[2] = 0;
	if (!m->msg_control || peek(tid, (uint64_t)(uintptr_t)m->msg_control, ctl.b, n) != n)
		return;
	struct msghdr local = { .msg_control = ctl.b, .msg_controllen = n };
	int32_t first = -1;
	int64_t count = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&local); c; c = CMSG_NXTHDR(&local, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(sizeof first))
			continue;
		if (first < 0)
			memcpy(&first, CMSG_DATA(c), sizeof first);
		count += (int64_t)((c->cmsg_len - CMSG_LEN(0)) / sizeof first);
	}
	if (first < 0)
		return;
	int copy = procfd_copy(tid, first);
	struct stat st;
	if (copy < 0 || fstat(copy, &st) < 0) {
		if (copy >= 0)
			close(copy);
		return;
	}
	close(copy);
	r->arg[0] = first | (count - 1) << 32;
	r->arg[2] = S_ISSOCK(st.st_mode) ? (int64_t)st.st_ino : -(int64_t)st.st_ino;
}

/* writev, readv, sendmmsg, recvmmsg, sendfile, splice: read before the
 * call runs. Their arguments: writev and readv the iovec count and the
 * first two lengths; sendmmsg and recvmmsg the message count, the flags
 * and the first message's size; sendfile the file, its offset (-1: its
 * own position) and the count; splice the other descriptor, the flags and
 * the count. */
static void describe_moving_call(Task *k)
{
	GateRecord *r = &k->rec;
	const uint64_t *a = k->args;
	switch (r->op) {
	case OP_WRITEV:
	case OP_READV:
		r->arg[0] = (int64_t)a[2];
		r->len = 0;
		r->total = keep_iovec(r, k->tid, a[1], a[2], r->op == OP_WRITEV ? UINT64_MAX : 0, &r->arg[1]);
		break;
	case OP_SENDMMSG:
	case OP_RECVMMSG:
		r->arg[0] = (int64_t)a[2];
		r->arg[1] = (int64_t)a[3];
		r->total = keep_mmsg(r, k->tid, a[1], a[2], 0, &r->arg[2]);
		if (r->op == OP_RECVMMSG) {
			r->len = 0;
			r->addrlen = 0;
		}
		break;
	case OP_SENDFILE: {
		off_t off = -1;
		if (a[2] && peek(k->tid, a[2], &off, sizeof off) != sizeof off)
			off = -1;
		r->arg[0] = (int64_t)a[1];
		r->arg[1] = a[2] ? (int64_t)off : -1;
		r->arg[2] = (int64_t)a[3];
		r->total = a[3];
		r->len = source_bytes(k->tid, (int)a[1], a[2], a[3], r->data, GATE_DATA_MAX);
		break;
	}
	case OP_SPLICE:
		r->fd = (int32_t)a[2];
		r->arg[0] = (int64_t)a[0];
		r->arg[1] = (int64_t)a[5];
		r->arg[2] = (int64_t)a[4];
		r->total = a[4];
		r->len = source_bytes(k->tid, (int)a[0], a[1], a[4], r->data, GATE_DATA_MAX);
		break;
	case OP_SPLICE_RECV:
		r->arg[0] = (int64_t)a[2];
		r->arg[1] = (int64_t)a[5];
		r->arg[2] = (int64_t)a[4];
		k->pipe_fill = pipe_fill(k->tid, (int)a[2]);
		break;
	default:
		break;
	}
}

/* Their results: what crossed. A sendmmsg or recvmmsg returns how many
 * messages; total is their bytes. */
static void describe_moving_result(Task *k, int64_t rval)
{
	GateRecord *r = &k->rec;
	const uint64_t *a = k->args;
	int64_t first = 0;
	switch (r->op) {
	case OP_WRITEV: case OP_SENDFILE: case OP_SPLICE:
		r->total = (uint64_t)rval;
		break;
	case OP_READV:
		keep_iovec(r, k->tid, a[1], a[2], (uint64_t)rval, NULL);
		r->total = (uint64_t)rval;
		break;
	case OP_SENDMMSG:
		r->total = keep_mmsg(r, k->tid, a[1], (uint64_t)rval, 1, &first);
		r->len = 0;
		r->addrlen = 0;
		break;
	case OP_RECVMMSG:
		r->total = keep_mmsg(r, k->tid, a[1], (uint64_t)rval, 1, &first);
		break;
	case OP_SPLICE_RECV:
		spliced_bytes(r, k->tid, (int)a[2], k->pipe_fill, (uint64_t)rval);
		r->total = (uint64_t)rval;
		break;
	default:
		break;
	}
}

/* Everything the call record says, read before the call runs. */
/* Which dup a call is, the number it asks for (fcntl: the lowest it
 * takes; dup: none, -1) and dup3's flags (OP_DUP). */
static void describe_dup(GateRecord *r, long nr, const uint64_t *a)
{
	r->arg[0] = nr == SYS_dup ? -1 : nr == SYS_fcntl ? (int)a[2] : (int)a[1];
	r->arg[1] = nr == SYS_dup3 ? (int)a[2] : 0;
	if (nr == SYS_fcntl)
		r->arg[2] = (int)a[1] == F_DUPFD_CLOEXEC ? LESSON_DUP_FCNTL_CLOEXEC : LESSON_DUP_FCNTL;
	else
		r->arg[2] = nr == SYS_dup ? LESSON_DUP : nr == SYS_dup3 ? LESSON_DUP3 : LESSON_DUP2;
}

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
	case OP_DUP:
		describe_dup(r, nr, a);
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
			keep_rights(r, k->tid, &m);
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
		if (a[1] == SOL_SOCKET && (a[2] == SO_RCVTIMEO || a[2] == SO_SNDTIMEO)) {
			r->arg[2] = sockopt_timeout_ms(k->tid, a[3], a[4]);
			break;
		}
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
		if (nr == SYS_epoll_pwait2) {
			/* Shown in ms: one ms cannot say is the longest (or, negative, none). */
			int64_t when = 0;
			r->arg[1] = timespec_ms(k->tid, a[3], &when);
			if (when)
				r->arg[1] = r->arg[1] < 0 ? -1 : INT64_MAX;
		}
#endif
		r->arg[2] = pcall(nr) ? GATE_WAIT_PCALL | (a[4] ? GATE_WAIT_SIGMASK : 0) : 0;
		break;
	default:
		describe_moving_call(k);
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
			keep_rights(r, k->tid, &m);
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
		describe_moving_result(k, rval);
		break;
	}
	r->total = keeps ? r->len : r->total;
}

/* ---- would it block? ---------------------------------------------------- */

/* Would a call on fd return now: it has something for events, or it is
 * non-blocking (the call returns EAGAIN at once)? */
static int ready(pid_t tid, int fd, short events)
{
	int copy = procfd_copy(tid, fd);
	if (copy < 0)
		return 1;  /* cannot tell: let it go and see */
	struct pollfd p = { .fd = copy, .events = events };
	int nonblocking = fcntl(copy, F_GETFL) & O_NONBLOCK;
	int rc = poll(&p, 1, 0);
	close(copy);
	return nonblocking || rc != 0;
}

/* Would a wait (select, poll, epoll_wait) on fd return now? Only if fd has
 * something for events: a wait blocks on a non-blocking descriptor as on
 * any other (an event loop's sockets, a chat client's stdin among them). */
static int ready_in_wait(pid_t tid, int fd, short events)
{
	int copy = procfd_copy(tid, fd);
	if (copy < 0)
		return 1;  /* cannot tell: let it go and see */
	struct pollfd p = { .fd = copy, .events = events };
	int rc = poll(&p, 1, 0);
	close(copy);
	return rc != 0;
}

/* Is any descriptor of a poll or select ready for what it waits for? */
static int any_ready(pid_t tid, const GateRecord *r)
{
	for (size_t at = 0; at + sizeof(GateWaitFd) <= r->len; at += sizeof(GateWaitFd)) {
		GateWaitFd w;
		memcpy(&w, r->data + at, sizeof w);
		if (w.fd >= 0 && ready_in_wait(tid, w.fd, w.events))
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
		if (r->op == OP_SELECT && (int32_t)GATE_WAIT_NFDS(r->arg[2]) < 0)
			return 0;   /* EINVAL at once */
		if ((r->arg[2] & GATE_WAIT_SECONDS) && r->arg[0] < 0)
			return 0;   /* a negative timeout: EINVAL at once */
		return r->arg[0] != 0 && !any_ready(k->tid, r);
	case OP_EPOLL_WAIT:
		return r->arg[1] != 0 && !ready_in_wait(k->tid, r->fd, POLLIN);
	case OP_READV: case OP_SPLICE_RECV:
		return !ready(k->tid, r->fd, POLLIN);
	case OP_RECVMMSG:
		return !(r->arg[1] & MSG_DONTWAIT) && !ready(k->tid, r->fd, POLLIN);
	case OP_WRITEV: case OP_SENDFILE: case OP_SPLICE:
		return !ready(k->tid, r->fd, POLLOUT);
	case OP_SENDMMSG:
		return !(r->arg[1] & MSG_DONTWAIT) && !ready(k->tid, r->fd, POLLOUT);
	default:
		return 0;
	}
}

/* ---- a wait on the terminal: the program asking for input -------------- *
 *
 * A chat client waits in select, poll or epoll_wait on its standard input
 * and its socket at once. Where that wait would block, it waits for the
 * student's line as much as for its peer: the engine asks for a line and
 * writes it to the terminal, and the wait returns for real. These read
 * the wait's own arguments from the tracee (what it asks to read), apart
 * from the descriptors a call record shows. */

/* select's read set holds the terminal. The kernel reads the sets in
 * whole longs, and so does this. */
static int terminal_in_select(Tracer *t, const Task *k)
{
	enum { LONG_BITS = 8 * sizeof(long) };
	fd_set set;
	int nfds = k->args[0] < FD_SETSIZE ? (int)k->args[0] : FD_SETSIZE;
	size_t bytes = (size_t)(nfds + LONG_BITS - 1) / LONG_BITS * sizeof(long);
	memset(&set, 0, sizeof set);
	if (nfds <= 0 || peek(k->tid, k->args[1], &set, bytes) != bytes)
		return 0;
	for (int fd = 0; fd < nfds; fd++)
		if (FD_ISSET(fd, &set) && is_our_terminal(t, k->tid, fd))
			return 1;
	return 0;
}

/* poll's descriptors hold the terminal, asked for input. */
static int terminal_in_poll(Tracer *t, const Task *k)
{
	enum { CHUNK = 64 };   /* descriptors read from the tracee at a time */
	struct pollfd p[CHUNK];
	for (uint64_t at = 0; at < k->args[1]; at += CHUNK) {
		uint64_t left = k->args[1] - at;
		size_t want = left < CHUNK ? (size_t)left : CHUNK;
		size_t got = peek(k->tid, k->args[0] + at * sizeof p[0], p, want * sizeof p[0]) / sizeof p[0];
		for (size_t i = 0; i < got; i++)
			if (p[i].fd >= 0 && (p[i].events & (POLLIN | POLLRDNORM)) && is_our_terminal(t, k->tid, p[i].fd))
				return 1;
		if (got < want)
			break;
	}
	return 0;
}

/* The epoll set holds the terminal, for input. The kernel lists a set's
 * files in its fdinfo, each by inode and device: the file itself, even if
 * the descriptor it was added by has been closed or reused since. */
static int terminal_in_epoll(Tracer *t, const Task *k)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)k->tid, (int)k->args[0]);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	int found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		int tfd;
		unsigned events, sdev;
		unsigned long long data, ino;
		long long pos;
		if (sscanf(line, "tfd: %d events: %x data: %llx pos:%lli ino:%llx sdev:%x", &tfd, &events, &data,
			   &pos, &ino, &sdev) != 6)
			continue;
		/* sdev is the kernel's own device number: major above 20 bits. */
		found = (events & EPOLLIN) && ino == t->tty_ino && sdev >> 20 == major(t->tty_dev) &&
			(sdev & 0xfffff) == minor(t->tty_dev);
	}
	fclose(f);
	return found;
}

static int waits_on_terminal(Tracer *t, const Task *k)
{
	switch (k->rec.op) {
	case OP_SELECT: return terminal_in_select(t, k);
	case OP_POLL: return terminal_in_poll(t, k);
	case OP_EPOLL_WAIT: return terminal_in_epoll(t, k);
	default: return 0;
	}
}

/* What a probe answers (gate.h): a wait that would block and includes the
 * terminal is the program asking for input. */
static int probe_answer(Tracer *t, const Task *k)
{
	if (!would_block(k))
		return GATE_PROBE_GOES;
	return waits_on_terminal(t, k) ? GATE_PROBE_INPUT : GATE_PROBE_BLOCKS;
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
 * else it stops for the student's line. A line's end of file (a lone
 * VEOF) counts as waiting too: poll says so, where FIONREAD counts no
 * bytes. So a read after a wait that the end of the input woke reads
 * that end, as it would on a terminal, rather than asking again. */
static void at_input(Tracer *t, Task *k)
{
	struct pollfd p = { .fd = t->slave, .events = POLLIN };
	if (poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
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
	const char *abi = another_abi(&info);
	if (abi) {
		/* fail() ends the tracer, and the tracees with it (EXITKILL),
		 * this one before its call runs. */
		char why[200];
		snprintf(why, sizeof why, "pid %d made a system call of another ABI, %s; sockstep traces only "
			 "the native calls, so it cannot show it: stopped", (int)k->tid, abi);
		fail(t, "%s", why);
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
	/* A step is an int wherever it is shown or recorded: past INT32_MAX
	 * calls (hours of a free run at a million a second) it stays there. */
	if (k->calls < INT32_MAX)
		k->calls++;
	r->step = k->calls;
	r->fd = (int32_t)k->args[0];
	describe_call(k);
	k->reported = 1;
	send_record(t, r);
	/* A free run lets calls go at once, but a bind or a listen waits for
	 * sockstep's go (it comes at once too): on the host's network sockstep
	 * must see where it binds before it does (engine.c, exposed). */
	if (t->free_run && op != OP_BIND && op != OP_LISTEN) {
		let_run(t, k);
		return;
	}
	flush(t);
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
		r.ret = probe_answer(t, k);
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
	/* Not dumpable (sockstep is not, and the fork kept it; said again here
	 * because it is what keeps the program it traces from copying the
	 * gate, tracing the tracer or writing its memory). */
	prctl(PR_SET_DUMPABLE, 0);
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
