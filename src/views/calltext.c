/* calltext.c - calls and results as text (see calltext.h). */
#include "views/calltext.h"

#include <ctype.h>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "model/addr.h"
#include "model/console.h"
#include "model/gate.h"
#include "model/lesson.h"

/* The codes a call ends with inside the kernel when a signal interrupts
 * it (include/linux/errno.h): the program never sees them. The kernel
 * either restarts the call or turns the code into EINTR. */
static const struct {
	int code;
	const char *name, *why;
} restarts[] = {
	{ 512, "ERESTARTSYS", "interrupted by a signal; restarted if its handler has SA_RESTART, else EINTR" },
	{ 513, "ERESTARTNOINTR", "interrupted by a signal; the kernel restarts it" },
	{ 514, "ERESTARTNOHAND", "interrupted by a signal; restarted if no handler ran, else EINTR" },
	{ 516, "ERESTART_RESTARTBLOCK", "interrupted by a signal; restarted if no handler ran, else EINTR" },
};

static int restart_index(int err)
{
	for (size_t i = 0; i < sizeof restarts / sizeof restarts[0]; i++)
		if (restarts[i].code == err)
			return (int)i;
	return -1;
}

int calltext_interrupted(int err)
{
	return restart_index(err) >= 0;
}

const char *calltext_errno_name(int err)
{
	int i = restart_index(err);
	if (i >= 0)
		return restarts[i].name;
	const char *name = strerrorname_np(err);
	return name ? name : "E?";
}

size_t calltext_quote(const unsigned char *p, size_t n, char *buf, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char tmp[5];
		unsigned char c = p[i];
		switch (c) {
		case '\n': strcpy(tmp, "\\n"); break;
		case '\r': strcpy(tmp, "\\r"); break;
		case '\t': strcpy(tmp, "\\t"); break;
		case '"': strcpy(tmp, "\\\""); break;
		case '\\': strcpy(tmp, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				tmp[0] = (char)c;
				tmp[1] = '\0';
			} else {
				snprintf(tmp, sizeof tmp, "\\x%02x", c);
			}
		}
		size_t t = strlen(tmp);
		if (o + t >= cap)
			break;
		memcpy(buf + o, tmp, t);
		o += t;
	}
	buf[o] = '\0';
	return o;
}

static const char *how_name(long how)
{
	return how == SHUT_RD ? "SHUT_RD" : how == SHUT_WR ? "SHUT_WR" : how == SHUT_RDWR ? "SHUT_RDWR" : "?";
}

/* The levels and options a socket option call names, as strace writes
 * them; one not here is written as its number. */
static const struct {
	long level, opt;
	const char *name;
} options[] = {
	{ SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR" }, { SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT" },
	{ SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" }, { SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF" },
	{ SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF" }, { SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST" },
	/* A lesson gives milliseconds, which its actor converts (lesson.c). */
	{ SOL_SOCKET, SO_RCVTIMEO, "SO_RCVTIMEO_MS" }, { SOL_SOCKET, SO_SNDTIMEO, "SO_SNDTIMEO" },
	{ SOL_SOCKET, SO_ERROR, "SO_ERROR" }, { SOL_SOCKET, SO_TYPE, "SO_TYPE" },
	{ SOL_SOCKET, SO_LINGER, "SO_LINGER" }, { SOL_SOCKET, SO_RCVLOWAT, "SO_RCVLOWAT" },
	{ SOL_SOCKET, SO_SNDLOWAT, "SO_SNDLOWAT" }, { SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE" },
	{ SOL_SOCKET, SO_PRIORITY, "SO_PRIORITY" }, { SOL_SOCKET, SO_ACCEPTCONN, "SO_ACCEPTCONN" },
	{ SOL_SOCKET, SO_DOMAIN, "SO_DOMAIN" }, { SOL_SOCKET, SO_PROTOCOL, "SO_PROTOCOL" },
	{ SOL_SOCKET, SO_PASSCRED, "SO_PASSCRED" }, { SOL_SOCKET, SO_PEERCRED, "SO_PEERCRED" },
	{ SOL_SOCKET, SO_BINDTODEVICE, "SO_BINDTODEVICE" }, { SOL_SOCKET, SO_TIMESTAMP, "SO_TIMESTAMP" },
	{ SOL_SOCKET, SO_MARK, "SO_MARK" }, { SOL_SOCKET, SO_ZEROCOPY, "SO_ZEROCOPY" },
	{ IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY" }, { IPPROTO_TCP, TCP_MAXSEG, "TCP_MAXSEG" },
	{ IPPROTO_TCP, TCP_CORK, "TCP_CORK" }, { IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE" },
	{ IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL" }, { IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT" },
	{ IPPROTO_TCP, TCP_SYNCNT, "TCP_SYNCNT" }, { IPPROTO_TCP, TCP_LINGER2, "TCP_LINGER2" },
	{ IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT" }, { IPPROTO_TCP, TCP_INFO, "TCP_INFO" },
	{ IPPROTO_TCP, TCP_QUICKACK, "TCP_QUICKACK" }, { IPPROTO_TCP, TCP_CONGESTION, "TCP_CONGESTION" },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT" }, { IPPROTO_TCP, TCP_FASTOPEN, "TCP_FASTOPEN" },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT" },
	{ IPPROTO_IP, IP_TOS, "IP_TOS" }, { IPPROTO_IP, IP_TTL, "IP_TTL" },
	{ IPPROTO_IP, IP_RECVERR, "IP_RECVERR" }, { IPPROTO_IP, IP_PKTINFO, "IP_PKTINFO" },
	{ IPPROTO_IP, IP_MTU_DISCOVER, "IP_MTU_DISCOVER" }, { IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, "IP_BIND_ADDRESS_NO_PORT" },
	{ IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL" }, { IPPROTO_IP, IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP" },
	{ IPPROTO_IP, IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP" },
	{ IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY" }, { IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS" },
	{ IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS" }, { IPPROTO_IPV6, IPV6_RECVERR, "IPV6_RECVERR" },
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO, "IPV6_RECVPKTINFO" }, { IPPROTO_IPV6, IPV6_MTU_DISCOVER, "IPV6_MTU_DISCOVER" },
};

/* A level's name (strace's), or its number: buf holds it. */
static const char *level_name(long level, char *buf, size_t cap)
{
	if (level == SOL_SOCKET)
		return "SOL_SOCKET";
	if (level == IPPROTO_TCP)
		return "IPPROTO_TCP";
	if (level == IPPROTO_IP)
		return "IPPROTO_IP";
	if (level == IPPROTO_IPV6)
		return "IPPROTO_IPV6";
	if (level == IPPROTO_UDP)
		return "IPPROTO_UDP";
	snprintf(buf, cap, "%ld", level);
	return buf;
}

/* An option's name at its level, or its number: buf holds it. */
static const char *option_name(long level, long opt, char *buf, size_t cap)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		if (options[i].level == level && options[i].opt == opt)
			return options[i].name;
	snprintf(buf, cap, "%ld", opt);
	return buf;
}

/* ---- pieces of calls ------------------------------------------------ */

/* "MSG_PEEK|MSG_DONTWAIT" for the flags a lesson can give. */
static void msg_flags(long flags, char *buf, size_t cap)
{
	static const struct { int flag; const char *name; } names[] = {
		{ MSG_NOSIGNAL, "MSG_NOSIGNAL" }, { MSG_WAITALL, "MSG_WAITALL" },
		{ MSG_PEEK, "MSG_PEEK" }, { MSG_TRUNC, "MSG_TRUNC" }, { MSG_DONTWAIT, "MSG_DONTWAIT" },
	};
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].flag))
			continue;
		flags &= ~(long)names[i].flag;
		o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s", o ? "|" : "", names[i].name);
		if (o >= cap)
			return;
	}
	if (flags)
		snprintf(buf + o, o < cap ? cap - o : 0, "%s%#lx", o ? "|" : "", flags);
}

/* ", MSG_PEEK" when there are flags, else nothing: calls without flags read
 * as they always did. */
static void flags_arg(long flags, char *buf, size_t cap)
{
	char f[96];
	buf[0] = '\0';
	if (!flags)
		return;
	msg_flags(flags, f, sizeof f);
	snprintf(buf, cap, ", %s", f);
}

/* A flag's name, for bit sets written as strace writes them. */
typedef struct {
	long flag;
	const char *name;
} FlagName;

#define NFLAGS(a) (sizeof(a) / sizeof((a)[0]))

/* "POLLIN|POLLOUT": the names of the bits in v, in the table's order; bits
 * without a name as a number. Returns the length written. */
static size_t bit_names(long v, const FlagName *names, size_t n, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < cap; i++) {
		if (!(v & names[i].flag))
			continue;
		v &= ~names[i].flag;
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? "|" : "", names[i].name);
	}
	if (v && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, "%s%#lx", o ? "|" : "", (unsigned long)v);
	return o < cap ? o : cap - 1;
}

/* "O_RDWR|O_NONBLOCK", as strace writes a file's status flags. */
static void file_flags(long fl, char *buf, size_t cap)
{
	static const char *const modes[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	static const FlagName names[] = {
		{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" }, { O_DSYNC, "O_DSYNC" },
		{ O_ASYNC, "FASYNC" }, { O_DIRECT, "O_DIRECT" }, { O_LARGEFILE, "O_LARGEFILE" },
		{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
		{ O_CLOEXEC, "O_CLOEXEC" },
	};
	int o = snprintf(buf, cap, "%s", modes[fl & O_ACCMODE]);
	fl &= ~(long)O_ACCMODE;
	if (fl && o >= 0 && (size_t)o + 1 < cap) {
		buf[o] = '|';
		bit_names(fl, names, NFLAGS(names), buf + o + 1, cap - (size_t)o - 1);
	}
}

/* "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK": a socket's type as the call
 * gave it, the flags that make it non-blocking or close-on-exec included. */
static void sock_type(long type, char *buf, size_t cap)
{
	static const FlagName names[] = { { SOCK_CLOEXEC, "SOCK_CLOEXEC" }, { SOCK_NONBLOCK, "SOCK_NONBLOCK" } };
	long flags = type & (SOCK_CLOEXEC | SOCK_NONBLOCK);
	int o = snprintf(buf, cap, "%s", addr_type_name((int)(type & ~(long)(SOCK_CLOEXEC | SOCK_NONBLOCK))));
	if (flags && o >= 0 && (size_t)o + 1 < cap) {
		buf[o] = '|';
		bit_names(flags, names, NFLAGS(names), buf + o + 1, cap - (size_t)o - 1);
	}
}

static const FlagName poll_names[] = {
	{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
	{ POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" }, { POLLRDNORM, "POLLRDNORM" },
	{ POLLRDBAND, "POLLRDBAND" }, { POLLWRNORM, "POLLWRNORM" }, { POLLWRBAND, "POLLWRBAND" },
	{ POLLMSG, "POLLMSG" }, { POLLRDHUP, "POLLRDHUP" },
};

static const FlagName epoll_names[] = {
	{ EPOLLIN, "EPOLLIN" }, { EPOLLPRI, "EPOLLPRI" }, { EPOLLOUT, "EPOLLOUT" }, { EPOLLERR, "EPOLLERR" },
	{ EPOLLHUP, "EPOLLHUP" }, { EPOLLRDNORM, "EPOLLRDNORM" }, { EPOLLRDBAND, "EPOLLRDBAND" },
	{ EPOLLWRNORM, "EPOLLWRNORM" }, { EPOLLWRBAND, "EPOLLWRBAND" }, { EPOLLMSG, "EPOLLMSG" },
	{ EPOLLRDHUP, "EPOLLRDHUP" }, { EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE" }, { EPOLLWAKEUP, "EPOLLWAKEUP" },
	{ EPOLLONESHOT, "EPOLLONESHOT" }, { (long)(uint32_t)EPOLLET, "EPOLLET" },
};

static const char *option_value(long level, long opt, long v, char *buf, size_t cap)
{
	if (level == SOL_SOCKET && opt == SO_ERROR && v > 0)
		return calltext_errno_name((int)v);
	if (level == SOL_SOCKET && opt == SO_TYPE)
		return addr_type_name((int)v);
	snprintf(buf, cap, "%ld", v);
	return buf;
}

/* The descriptors a poll or select call carries (int32 each, in data). */
static int fd_list(const Event *ev, int *fds, int max)
{
	int n = 0;
	for (size_t at = 0; at + sizeof(int32_t) <= ev->len && n < max; at += sizeof(int32_t)) {
		int32_t v;
		memcpy(&v, ev->data + at, sizeof v);
		fds[n++] = v;
	}
	return n;
}

/* "[3, 5]" (poll) or "[3 5]" (select, as strace writes an fd_set). */
static void fd_text(const Event *ev, const char *sep, char *buf, size_t cap)
{
	int fds[64];
	int n = fd_list(ev, fds, 64);
	size_t o = (size_t)snprintf(buf, cap, "[");
	for (int i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%d", i ? sep : "", fds[i]);
	if (o < cap)
		snprintf(buf + o, cap - o, "]");
}

static void poll_call(const Event *ev, char *buf, size_t cap)
{
	char fds[256];
	fd_text(ev, ", ", fds, sizeof fds);
	snprintf(buf, cap, "poll(%s, %s, %lld)", fds, ev->arg[1] ? "POLLOUT" : "POLLIN", (long long)ev->arg[0]);
}

/* select(6, [3 5], NULL, NULL, NULL): its first argument is the highest
 * descriptor plus one, which is what makes select awkward. */
static void select_call(const Event *ev, char *buf, size_t cap)
{
	char fds[256], tv[64] = "NULL";
	int v[64], maxfd = -1;
	int n = fd_list(ev, v, 64);
	for (int i = 0; i < n; i++)
		maxfd = v[i] > maxfd ? v[i] : maxfd;
	fd_text(ev, " ", fds, sizeof fds);
	if (ev->arg[0] >= 0)
		snprintf(tv, sizeof tv, "{tv_sec=%lld, tv_usec=%lld}", (long long)ev->arg[0] / 1000,
			 (long long)(ev->arg[0] % 1000) * 1000);
	snprintf(buf, cap, "select(%d, %s, %s, NULL, %s)", maxfd + 1, ev->arg[1] ? "NULL" : fds,
		 ev->arg[1] ? fds : "NULL", tv);
}

/* ---- a traced program's waits: every descriptor with its own events ---- */

static int has_wait_set(const Event *ev)
{
	return (ev->op == OP_POLL || ev->op == OP_SELECT) && (ev->arg[2] & GATE_WAIT_SET);
}

/* The entries of a wait set (gate.h); returns how many. */
static size_t wait_entries(const Event *ev, GateWaitFd *w, size_t max)
{
	size_t n = ev->len / sizeof *w;
	n = n < max ? n : max;
	if (n)   /* a wait on no descriptor has no data at all (NULL) */
		memcpy(w, ev->data, n * sizeof *w);
	return n;
}

/* Appends printf-style text at *o, never past cap. */
static void put(char *buf, size_t cap, size_t *o, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t cap, size_t *o, const char *fmt, ...)
{
	if (*o >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *o, cap - *o, fmt, ap);
	va_end(ap);
	*o = n < 0 ? cap : *o + (size_t)n < cap ? *o + (size_t)n : cap;
}

/* "NULL", "{tv_sec=1, tv_usec=500000}" ("tv_nsec" for the p-calls); a
 * timeout ms cannot hold (flags has GATE_WAIT_SECONDS) shows its seconds
 * as passed, and its fraction when it was 0, else "...". */
static void timeout_text(int64_t ms, int64_t flags, int nsec, char *buf, size_t cap)
{
	if (flags & GATE_WAIT_SECONDS)
		snprintf(buf, cap, "{tv_sec=%lld, tv_%s=%s}", (long long)ms, nsec ? "nsec" : "usec",
			 flags & GATE_WAIT_SUBSEC ? "..." : "0");
	else if (ms < 0)
		snprintf(buf, cap, "NULL");
	else if (nsec)
		snprintf(buf, cap, "{tv_sec=%lld, tv_nsec=%lld}", (long long)ms / 1000, (long long)(ms % 1000) * 1000000);
	else
		snprintf(buf, cap, "{tv_sec=%lld, tv_usec=%lld}", (long long)ms / 1000, (long long)(ms % 1000) * 1000);
}

/* "[{fd=3, events=POLLIN}, {fd=4, revents=POLLOUT}]": all entries (the call)
 * or those with revents (the result). */
static void pollfd_list(const Event *ev, int result, char *buf, size_t cap)
{
	GateWaitFd w[GATE_WAIT_MAX];
	size_t n = wait_entries(ev, w, GATE_WAIT_MAX), o = 0, shown = 0;
	char bits[160];
	put(buf, cap, &o, "[");
	for (size_t i = 0; i < n; i++) {
		short v = result ? w[i].revents : w[i].events;
		if (result && !v)
			continue;
		put(buf, cap, &o, "%s{fd=%d", shown++ ? ", " : "", w[i].fd);
		if (w[i].fd >= 0 || result) {
			bit_names((unsigned short)v, poll_names, NFLAGS(poll_names), bits, sizeof bits);
			put(buf, cap, &o, ", %s=%s", result ? "revents" : "events", bits);
		}
		put(buf, cap, &o, "}");
	}
	if (!result && (size_t)GATE_WAIT_NFDS(ev->arg[2]) > n)
		put(buf, cap, &o, "%s...", n ? ", " : "");
	put(buf, cap, &o, "]");
}

/* poll([{fd=3, events=POLLIN}], 1, -1), or ppoll([...], 1, NULL, NULL, 8). */
static void waitset_poll_call(const Event *ev, char *buf, size_t cap)
{
	char fds[1024], tv[64];
	pollfd_list(ev, 0, fds, sizeof fds);
	long long nfds = (long long)GATE_WAIT_NFDS(ev->arg[2]);
	if (!(ev->arg[2] & GATE_WAIT_PCALL)) {
		snprintf(buf, cap, "poll(%s, %lld, %lld)", fds, nfds, (long long)ev->arg[0]);
		return;
	}
	timeout_text(ev->arg[0], ev->arg[2], 1, tv, sizeof tv);
	snprintf(buf, cap, "ppoll(%s, %lld, %s, %s, 8)", fds, nfds, tv,
		 ev->arg[2] & GATE_WAIT_SIGMASK ? "[...]" : "NULL");
}

/* One of select's sets: "[0 3]", or NULL when no descriptor is in it; bit
 * is POLLIN (read), POLLOUT (write) or POLLPRI (except). */
static void fdset_text(const Event *ev, int result, short bit, char *buf, size_t cap)
{
	GateWaitFd w[GATE_WAIT_MAX];
	size_t n = wait_entries(ev, w, GATE_WAIT_MAX), o = 0, shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (!((result ? w[i].revents : w[i].events) & bit))
			continue;
		put(buf, cap, &o, "%s%d", shown++ ? " " : "[", w[i].fd);
	}
	if (!shown)
		snprintf(buf, cap, "%s", result ? "" : "NULL");
	else
		put(buf, cap, &o, "]");
}

/* select(5, [0 3], [4], NULL, NULL), or pselect6(..., {tv_sec=1, tv_nsec=0}, NULL). */
static void waitset_select_call(const Event *ev, char *buf, size_t cap)
{
	char rd[400], wr[400], ex[400], tv[64];
	int p = (ev->arg[2] & GATE_WAIT_PCALL) != 0;
	fdset_text(ev, 0, POLLIN, rd, sizeof rd);
	fdset_text(ev, 0, POLLOUT, wr, sizeof wr);
	fdset_text(ev, 0, POLLPRI, ex, sizeof ex);
	timeout_text(ev->arg[0], ev->arg[2], p, tv, sizeof tv);
	long long nfds = (int32_t)GATE_WAIT_NFDS(ev->arg[2]);   /* an int: negative ones too */
	if (!p) {
		snprintf(buf, cap, "select(%lld, %s, %s, %s, %s)", nfds, rd, wr, ex, tv);
		return;
	}
	const char *mask = !(ev->arg[2] & GATE_WAIT_SIGARG) ? "NULL"
			   : ev->arg[2] & GATE_WAIT_SIGMASK ? "{sigmask=[...], sigsetsize=8}"
			   : "{sigmask=NULL, sigsetsize=8}";
	snprintf(buf, cap, "pselect6(%lld, %s, %s, %s, %s, %s)", nfds, rd, wr, ex, tv, mask);
}

/* "1 ([{fd=4, revents=POLLOUT}])", "2 (in [3], out [4])", "0 (Timeout)". */
static void waitset_result(const Event *ev, char *buf, size_t cap)
{
	static const struct { short bit; const char *name; } sets[] = {
		{ POLLIN, "in" }, { POLLOUT, "out" }, { POLLPRI, "except" },
	};
	char list[1024];
	size_t o = 0;
	if (ev->ret == 0) {
		snprintf(buf, cap, "0 (Timeout)");
		return;
	}
	if (ev->op == OP_POLL) {
		pollfd_list(ev, 1, list, sizeof list);
		snprintf(buf, cap, "%lld (%s)", (long long)ev->ret, list);
		return;
	}
	put(buf, cap, &o, "%lld (", (long long)ev->ret);
	for (size_t k = 0, shown = 0; k < 3; k++) {
		fdset_text(ev, 1, sets[k].bit, list, sizeof list);
		if (*list)
			put(buf, cap, &o, "%s%s %s", shown++ ? ", " : "", sets[k].name, list);
	}
	put(buf, cap, &o, ")");
}

/* "{events=EPOLLIN, data={u32=3, u64=3}}" */
static void epoll_event_text(const GateEpollEvent *e, char *buf, size_t cap)
{
	char bits[256];
	bit_names((long)e->events, epoll_names, NFLAGS(epoll_names), bits, sizeof bits);
	snprintf(buf, cap, "{events=%s, data={u32=%u, u64=%llu}}", bits, (unsigned)(uint32_t)e->data,
		 (unsigned long long)e->data);
}

static const char *epoll_op_name(long op)
{
	return op == EPOLL_CTL_ADD ? "EPOLL_CTL_ADD" : op == EPOLL_CTL_DEL ? "EPOLL_CTL_DEL"
	       : op == EPOLL_CTL_MOD ? "EPOLL_CTL_MOD" : "?";
}

/* epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}}) */
static void epoll_ctl_call(const Event *ev, char *buf, size_t cap)
{
	char e[320] = "NULL";
	GateEpollEvent g;
	if (ev->arg[0] == EPOLL_CTL_DEL && ev->arg[2])
		snprintf(e, sizeof e, "{...}");   /* passed, and ignored by the kernel */
	else if (ev->len >= sizeof g) {
		memcpy(&g, ev->data, sizeof g);
		epoll_event_text(&g, e, sizeof e);
	}
	snprintf(buf, cap, "epoll_ctl(%d, %s, %lld, %s)", ev->fd, epoll_op_name(ev->arg[0]), (long long)ev->arg[1], e);
}

/* epoll_wait(5, 64, -1): the events it finds are in its result. */
static void epoll_wait_call(const Event *ev, char *buf, size_t cap)
{
	if (ev->arg[2] & GATE_WAIT_PCALL)
		snprintf(buf, cap, "epoll_pwait(%d, %lld, %lld, %s, 8)", ev->fd, (long long)ev->arg[0],
			 (long long)ev->arg[1], ev->arg[2] & GATE_WAIT_SIGMASK ? "[...]" : "NULL");
	else
		snprintf(buf, cap, "epoll_wait(%d, %lld, %lld)", ev->fd, (long long)ev->arg[0], (long long)ev->arg[1]);
}

/* "1 ([{events=EPOLLIN, data={u32=3, u64=3}}])" */
static void epoll_wait_result(const Event *ev, char *buf, size_t cap)
{
	char e[320];
	size_t o = 0;
	put(buf, cap, &o, "%lld", (long long)ev->ret);
	if (ev->ret == 0)
		return;
	put(buf, cap, &o, " ([");
	for (size_t at = 0, i = 0; at + sizeof(GateEpollEvent) <= ev->len; at += sizeof(GateEpollEvent), i++) {
		GateEpollEvent g;
		memcpy(&g, ev->data + at, sizeof g);
		epoll_event_text(&g, e, sizeof e);
		put(buf, cap, &o, "%s%s", i ? ", " : "", e);
	}
	put(buf, cap, &o, "%s])", (uint64_t)ev->ret > ev->len / sizeof(GateEpollEvent) ? ", ..." : "");
}

/* epoll_create1(EPOLL_CLOEXEC), epoll_create1(0), epoll_create(1) */
static void epoll_create_call(const Event *ev, char *buf, size_t cap)
{
	if (!ev->arg[1])
		snprintf(buf, cap, "epoll_create(%lld)", (long long)ev->arg[0]);
	else if (ev->arg[0] == EPOLL_CLOEXEC)
		snprintf(buf, cap, "epoll_create1(EPOLL_CLOEXEC)");
	else
		snprintf(buf, cap, "epoll_create1(%#llx)", (long long)ev->arg[0]);
}

/* fcntl(3, F_GETFL), fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) */
static void fcntl_call(const Event *ev, char *buf, size_t cap)
{
	char fl[200];
	if (ev->arg[0] == F_SETFL) {
		file_flags((long)ev->arg[1], fl, sizeof fl);
		snprintf(buf, cap, "fcntl(%d, F_SETFL, %s)", ev->fd, fl);
	} else if (ev->arg[0] == F_GETFL) {
		snprintf(buf, cap, "fcntl(%d, F_GETFL)", ev->fd);
	} else {
		snprintf(buf, cap, "fcntl(%d, %lld)", ev->fd, (long long)ev->arg[0]);
	}
}

/* dup(5), dup2(5, 0), dup3(5, 0, O_CLOEXEC), fcntl(5, F_DUPFD, 10). */
static void dup_call(const Event *ev, char *buf, size_t cap)
{
	switch (ev->arg[2]) {
	case LESSON_DUP:
		snprintf(buf, cap, "dup(%d)", ev->fd);
		break;
	case LESSON_DUP3:
		snprintf(buf, cap, "dup3(%d, %lld, %s)", ev->fd, (long long)ev->arg[0],
			 ev->arg[1] & O_CLOEXEC ? "O_CLOEXEC" : "0");
		break;
	case LESSON_DUP_FCNTL:
	case LESSON_DUP_FCNTL_CLOEXEC:
		snprintf(buf, cap, "fcntl(%d, %s, %lld)", ev->fd,
			 ev->arg[2] == LESSON_DUP_FCNTL ? "F_DUPFD" : "F_DUPFD_CLOEXEC", (long long)ev->arg[0]);
		break;
	default:
		snprintf(buf, cap, "dup2(%d, %lld)", ev->fd, (long long)ev->arg[0]);
		break;
	}
}

/* The results of a traced program's waits and fcntl, in full; returns 0
 * for any other call. */
static int detailed_result(const Event *ev, char *buf, size_t cap)
{
	if (has_wait_set(ev)) {
		waitset_result(ev, buf, cap);
		return 1;
	}
	if (ev->op == OP_EPOLL_WAIT) {
		epoll_wait_result(ev, buf, cap);
		return 1;
	}
	if (ev->op == OP_FCNTL && ev->arg[0] == F_GETFL) {
		char fl[200];
		file_flags((long)ev->ret, fl, sizeof fl);
		snprintf(buf, cap, "%#llx (flags %s)", (long long)ev->ret, fl);
		return 1;
	}
	return 0;
}

/* getaddrinfo("localhost", "65432"), with the hints a lesson gave. */
static void getaddrinfo_call(const Event *ev, char *buf, size_t cap)
{
	char host[600];
	calltext_quote(ev->data, ev->len, host, sizeof host);
	int o = snprintf(buf, cap, "getaddrinfo(\"%s\", \"%lld\"", host, (long long)ev->arg[2]);
	if (o < 0 || (size_t)o >= cap)
		return;
	if (ev->arg[0] != AF_UNSPEC)
		o += snprintf(buf + o, cap - (size_t)o, ", %s", addr_family_name((int)ev->arg[0]));
	if (ev->arg[1] && (size_t)o < cap)
		o += snprintf(buf + o, cap - (size_t)o, ", %s", addr_type_name((int)ev->arg[1]));
	if ((size_t)o < cap)
		snprintf(buf + o, cap - (size_t)o, ")");
}

/* fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK): what a setblocking step really does.
 * If the flags could not be read (a closed socket), the F_GETFL that fails
 * is the call. */
static void setblocking_call(const Event *ev, char *buf, size_t cap)
{
	char fl[96];
	if (ev->arg[1] < 0) {
		snprintf(buf, cap, "fcntl(%d, F_GETFL)", ev->fd);
		return;
	}
	file_flags((long)ev->arg[1], fl, sizeof fl);
	snprintf(buf, cap, "fcntl(%d, F_SETFL, %s)", ev->fd, fl);
}

/* "Hello, world" (or "Hello, w"... when longer than maxstr). */
static void quoted(const Event *ev, size_t maxstr, char *buf, size_t cap)
{
	char q[512];
	size_t n = ev->len < maxstr ? ev->len : maxstr;
	if (n > 120)
		n = 120;
	calltext_quote(ev->data, n, q, sizeof q);
	snprintf(buf, cap, "\"%s\"%s", q, ev->total > n ? "..." : "");
}

/* accept4(3, SOCK_CLOEXEC): what Python's accept() really calls. */
static void accept4_call(const Event *ev, char *buf, size_t cap)
{
	long fl = (long)ev->arg[1];
	char f[64] = "";
	if (fl & SOCK_CLOEXEC)
		strcat(f, "SOCK_CLOEXEC");
	if (fl & SOCK_NONBLOCK)
		strcat(f, *f ? "|SOCK_NONBLOCK" : "SOCK_NONBLOCK");
	snprintf(buf, cap, "accept4(%d, %s)", ev->fd, *f ? f : "0");
}

/* ---- calls that move bytes beyond send and recv ----------------------- */

/* "[{"HTTP/1.0 200 OK\r\n", 17}, {"<html>", 103}]": the pieces of a writev
 * or sendmmsg, cut from the bytes kept at the lengths kept (the first two;
 * more are "..."). Without bytes (readv), only the sizes. */
static void pieces_text(const Event *ev, int64_t shown, int64_t count, const int64_t *lens, size_t maxstr,
			int with_bytes, char *buf, size_t cap)
{
	size_t o = (size_t)snprintf(buf, cap, "[");
	size_t at = 0;
	for (int64_t i = 0; i < shown && i < count && i < 2 && o < cap; i++) {
		uint64_t n = lens[i] > 0 ? (uint64_t)lens[i] : 0;
		if (!with_bytes) {
			o += (size_t)snprintf(buf + o, cap - o, "%s{iov_len=%llu}", i ? ", " : "", (unsigned long long)n);
			continue;
		}
		char q[512];
		size_t have = at < ev->len ? ev->len - at : 0;
		size_t show = n < have ? (size_t)n : have;
		show = show < maxstr ? show : maxstr;
		show = show < 120 ? show : 120;
		calltext_quote(ev->data + at, show, q, sizeof q);
		o += (size_t)snprintf(buf + o, cap - o, "%s{\"%s\"%s, %llu}", i ? ", " : "", q,
				      n > show ? "..." : "", (unsigned long long)n);
		at += (size_t)n;
	}
	if (o < cap)
		snprintf(buf + o, cap - o, "%s]", count > shown || count > 2 ? ", ..." : "");
}

/* "[SCM_RIGHTS fd 4 socket:[81234]]": the descriptor a sendmsg or recvmsg
 * passed, its number in that process, and what it is (the same inode on
 * both sides: the same socket); "" when it passed none. */
static void rights_text(const Event *ev, char *buf, size_t cap)
{
	char more[48] = "";
	int fd = (int)(ev->arg[0] & 0xffffffff);
	long long others = (long long)((uint64_t)ev->arg[0] >> 32);
	buf[0] = '\0';
	if (others > 0)
		snprintf(more, sizeof more, ", and %lld more", others);
	if (ev->arg[2] > 0)
		snprintf(buf, cap, "[SCM_RIGHTS fd %d socket:[%lld]%s]", fd, (long long)ev->arg[2], more);
	else if (ev->arg[2] < 0)
		snprintf(buf, cap, "[SCM_RIGHTS fd %d inode %lld%s]", fd, -(long long)ev->arg[2], more);
}

/* writev(4, [{"HTTP/1.0 200 OK\r\n", 17}, ...], 2), sendfile(4, 5, [0],
 * 1024), splice(5, NULL, 4, NULL, 1024, 0) ...; 0 when ev is none of those. */
static int moving_call(const Event *ev, size_t maxstr, char *buf, size_t cap)
{
	char pieces[1024], off[32] = "NULL", flags[128];
	int64_t lens[2] = { ev->arg[1], ev->arg[2] };
	switch (ev->op) {
	case OP_WRITEV:
	case OP_READV:
		pieces_text(ev, ev->arg[0], ev->arg[0], lens, maxstr, ev->op == OP_WRITEV, pieces, sizeof pieces);
		snprintf(buf, cap, "%s(%d, %s, %lld)", lesson_op_name((LessonOp)ev->op), ev->fd, pieces,
			 (long long)ev->arg[0]);
		return 1;
	case OP_SENDMMSG:
	case OP_RECVMMSG:
		lens[0] = ev->arg[2];
		msg_flags((long)ev->arg[1], flags, sizeof flags);
		pieces_text(ev, 1, ev->arg[0], lens, maxstr, ev->op == OP_SENDMMSG, pieces, sizeof pieces);
		snprintf(buf, cap, "%s(%d, %s, %lld, %s)", lesson_op_name((LessonOp)ev->op), ev->fd, pieces,
			 (long long)ev->arg[0], flags[0] ? flags : "0");
		return 1;
	case OP_SENDFILE:
		if (ev->arg[1] >= 0)
			snprintf(off, sizeof off, "[%lld]", (long long)ev->arg[1]);
		snprintf(buf, cap, "sendfile(%d, %lld, %s, %lld)", ev->fd, (long long)ev->arg[0], off,
			 (long long)ev->arg[2]);
		return 1;
	case OP_SPLICE:
		snprintf(buf, cap, "splice(%lld, NULL, %d, NULL, %lld, %lld)", (long long)ev->arg[0], ev->fd,
			 (long long)ev->arg[2], (long long)ev->arg[1]);
		return 1;
	case OP_SPLICE_RECV:
		snprintf(buf, cap, "splice(%d, NULL, %lld, NULL, %lld, %lld)", ev->fd, (long long)ev->arg[0],
			 (long long)ev->arg[2], (long long)ev->arg[1]);
		return 1;
	default:
		return 0;
	}
}

void calltext_call_terse(const Event *ev, char *buf, size_t cap)
{
	char on[24];
	/* The option's name says its level (SO_ is SOL_SOCKET's, TCP_ is
	 * IPPROTO_TCP's), so the level is what a narrow column can spare; an
	 * option known only by its number needs its level. */
	int named = (ev->op == OP_SETSOCKOPT || ev->op == OP_GETSOCKOPT) &&
		    !isdigit((unsigned char)option_name(ev->arg[0], ev->arg[1], on, sizeof on)[0]);
	if (!named)
		calltext_call(ev, 5, buf, cap);
	else if (ev->op == OP_SETSOCKOPT)
		snprintf(buf, cap, "setsockopt(%d, %s, %lld)", ev->fd, option_name(ev->arg[0], ev->arg[1], on, sizeof on),
			 (long long)ev->arg[2]);
	else if (ev->op == OP_GETSOCKOPT)
		snprintf(buf, cap, "getsockopt(%d, %s)", ev->fd, option_name(ev->arg[0], ev->arg[1], on, sizeof on));
}

void calltext_call(const Event *ev, size_t maxstr, char *buf, size_t cap)
{
	char addr[160], data[640], flags[128], lv[24], on[24];
	const char *name = lesson_op_name((LessonOp)ev->op);
	if (moving_call(ev, maxstr, buf, cap))
		return;
	addr_format(&ev->addr, ev->addrlen, addr, sizeof addr);
	flags_arg((long)ev->arg[1], flags, sizeof flags);
	switch (ev->op) {
	case OP_SOCKET:
		sock_type((long)ev->arg[1], data, sizeof data);
		snprintf(buf, cap, "socket(%s, %s)", addr_family_name((int)ev->arg[0]), data);
		break;
	case OP_BIND:
	case OP_CONNECT:
		snprintf(buf, cap, "%s(%d, %s)", name, ev->fd, addr);
		break;
	case OP_LISTEN:
		snprintf(buf, cap, "listen(%d, %lld)", ev->fd, (long long)ev->arg[0]);
		break;
	case OP_RECV:
	case OP_RECVFROM:
	case OP_RECVMSG:
	case OP_READ:
		snprintf(buf, cap, "%s(%d, %lld%s)", name, ev->fd, (long long)ev->arg[0], flags);
		break;
	case OP_SEND:
	case OP_SENDALL:
	case OP_WRITE:
		quoted(ev, maxstr, data, sizeof data);
		snprintf(buf, cap, "%s(%d, %s, %llu%s)", name, ev->fd, data, (unsigned long long)ev->total, flags);
		break;
	case OP_SENDMSG: {
		char rights[96];
		quoted(ev, maxstr, data, sizeof data);
		rights_text(ev, rights, sizeof rights);
		snprintf(buf, cap, "sendmsg(%d, %s, %llu%s%s%s%s%s)", ev->fd, data, (unsigned long long)ev->total,
			 flags, ev->addrlen ? ", " : "", ev->addrlen ? addr : "", rights[0] ? ", " : "", rights);
		break;
	}
	case OP_ACCEPT:
		if (ev->arg[2] == 4)
			accept4_call(ev, buf, cap);
		else
			snprintf(buf, cap, "accept(%d)", ev->fd);
		break;
	case OP_SOCKETPAIR:
		sock_type((long)ev->arg[1], data, sizeof data);
		snprintf(buf, cap, "socketpair(%s, %s)", addr_family_name((int)ev->arg[0]), data);
		break;
	case OP_EPOLL_WAIT:
		epoll_wait_call(ev, buf, cap);
		break;
	case OP_EPOLL_CTL:
		epoll_ctl_call(ev, buf, cap);
		break;
	case OP_EPOLL_CREATE:
		epoll_create_call(ev, buf, cap);
		break;
	case OP_FCNTL:
		fcntl_call(ev, buf, cap);
		break;
	case OP_DUP:
		dup_call(ev, buf, cap);
		break;
	case OP_SENDTO:
		quoted(ev, maxstr, data, sizeof data);
		snprintf(buf, cap, "sendto(%d, %s, %llu%s, %s)", ev->fd, data,
			 (unsigned long long)ev->total, flags, addr);
		break;
	case OP_SHUTDOWN:
		snprintf(buf, cap, "shutdown(%d, %s)", ev->fd, how_name(ev->arg[0]));
		break;
	case OP_SLEEP:
		snprintf(buf, cap, "sleep(%lld ms)", (long long)ev->arg[0]);
		break;
	case OP_SETSOCKOPT:
		snprintf(buf, cap, "setsockopt(%d, %s, %s, %lld)", ev->fd, level_name(ev->arg[0], lv, sizeof lv),
			 option_name(ev->arg[0], ev->arg[1], on, sizeof on), (long long)ev->arg[2]);
		break;
	case OP_GETSOCKOPT:
		snprintf(buf, cap, "getsockopt(%d, %s, %s)", ev->fd, level_name(ev->arg[0], lv, sizeof lv),
			 option_name(ev->arg[0], ev->arg[1], on, sizeof on));
		break;
	case OP_GETADDRINFO:
		getaddrinfo_call(ev, buf, cap);
		break;
	case OP_GETHOSTNAME:
		snprintf(buf, cap, "gethostname()");
		break;
	case OP_SETBLOCKING:
		setblocking_call(ev, buf, cap);
		break;
	case OP_POLL:
		if (has_wait_set(ev))
			waitset_poll_call(ev, buf, cap);
		else
			poll_call(ev, buf, cap);
		break;
	case OP_SELECT:
		if (has_wait_set(ev))
			waitset_select_call(ev, buf, cap);
		else
			select_call(ev, buf, cap);
		break;
	default:
		snprintf(buf, cap, "%s(%d)", name, ev->fd);
	}
}

/* ---- results --------------------------------------------------------- */

const char *calltext_eai_name(int code)
{
	static const struct { int code; const char *name; } names[] = {
		{ EAI_BADFLAGS, "EAI_BADFLAGS" }, { EAI_NONAME, "EAI_NONAME" }, { EAI_AGAIN, "EAI_AGAIN" },
		{ EAI_FAIL, "EAI_FAIL" }, { EAI_NODATA, "EAI_NODATA" }, { EAI_FAMILY, "EAI_FAMILY" },
		{ EAI_SOCKTYPE, "EAI_SOCKTYPE" }, { EAI_SERVICE, "EAI_SERVICE" },
		{ EAI_ADDRFAMILY, "EAI_ADDRFAMILY" }, { EAI_MEMORY, "EAI_MEMORY" },
		{ EAI_SYSTEM, "EAI_SYSTEM" }, { EAI_OVERFLOW, "EAI_OVERFLOW" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == code)
			return names[i].name;
	return "EAI_?";
}

/* getaddrinfo reports its own codes, not errno: "-2 EAI_NONAME (Name or
 * service not known)"; the number is what getaddrinfo returned. EAI_SYSTEM
 * means "look at errno", which the actor kept in arg[2]. */
static void eai_result(const Event *ev, char *buf, size_t cap)
{
	if (ev->err == EAI_SYSTEM && ev->arg[2] > 0)
		snprintf(buf, cap, "%d EAI_SYSTEM (%s)", ev->err, strerror((int)ev->arg[2]));
	else
		snprintf(buf, cap, "%d %s (%s)", ev->err, calltext_eai_name(ev->err), gai_strerror(ev->err));
}

/* The raw sockaddr at data[at], as getaddrinfo gave it; its size, or 0
 * when what is left is not a whole IPv4 or IPv6 address. */
static size_t sockaddr_at(const Event *ev, size_t at, struct sockaddr_storage *ss)
{
	sa_family_t fam;
	if (ev->len - at < sizeof fam)
		return 0;
	memcpy(&fam, ev->data + at, sizeof fam);
	size_t n = fam == AF_INET ? sizeof(struct sockaddr_in) : fam == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
	if (n == 0 || ev->len - at < n)
		return 0;
	memset(ss, 0, sizeof *ss);
	memcpy(ss, ev->data + at, n);
	return n;
}

/* "0: 127.0.0.1:65432, [::1]:65432": every address found, or as many as
 * fit, then "...". */
static void address_list(const Event *ev, char *buf, size_t cap)
{
	int o = snprintf(buf, cap, "%lld:", (long long)ev->ret);
	size_t at = 0, n;
	struct sockaddr_storage ss;
	for (int i = 0; o >= 0 && (n = sockaddr_at(ev, at, &ss)) > 0; i++) {
		char a[160];
		at += n;
		addr_format(&ss, (socklen_t)n, a, sizeof a);
		/* Leave room for ", ..." after this one unless it is the last. */
		size_t need = (size_t)o + 2 + strlen(a) + (at < ev->len ? 5 : 0);
		if (need >= cap) {
			if ((size_t)o + 4 < cap)
				snprintf(buf + o, cap - (size_t)o, " ...");
			return;
		}
		o += snprintf(buf + o, cap - (size_t)o, "%s %s", i ? "," : "", a);
	}
}

static const char *quote_all(const Event *ev, char *buf, size_t cap)
{
	calltext_quote(ev->data, ev->len, buf, cap);
	return buf;
}

/* "1 [5]": how many were ready, and which. */
static void ready_list(const Event *ev, char *buf, size_t cap)
{
	char fds[256];
	if (ev->ret == 0) {
		snprintf(buf, cap, "0 (Timeout)");
		return;
	}
	fd_text(ev, ev->op == OP_POLL ? ", " : " ", fds, sizeof fds);
	snprintf(buf, cap, "%lld %s", (long long)ev->ret, fds);
}

/* "0 [3, 4]": the two connected sockets socketpair made. */
static void pair_result(const Event *ev, char *buf, size_t cap)
{
	int32_t fd[2];
	memcpy(fd, ev->data, sizeof fd);
	snprintf(buf, cap, "%lld [%d, %d]", (long long)ev->ret, fd[0], fd[1]);
}

/* What a call that moves bytes found out: "1 [SCM_RIGHTS fd 5
 * socket:[81234]]" (a descriptor received), "2 (45 bytes)" (sendmmsg and
 * recvmmsg count messages). 0 when there is nothing to add. */
static int moving_result(const Event *ev, char *buf, size_t cap)
{
	char rights[96];
	if (ev->op == OP_RECVMSG && ev->arg[2]) {
		rights_text(ev, rights, sizeof rights);
		snprintf(buf, cap, "%lld %s", (long long)ev->ret, rights);
		return 1;
	}
	if (ev->op == OP_SENDMMSG || ev->op == OP_RECVMMSG) {
		snprintf(buf, cap, "%lld (%llu bytes)", (long long)ev->ret, (unsigned long long)ev->total);
		return 1;
	}
	return 0;
}

size_t calltext_moved(const Event *ret)
{
	if (ret->ret <= 0)
		return 0;
	return ret->op == OP_SENDMMSG || ret->op == OP_RECVMMSG ? (size_t)ret->total : (size_t)ret->ret;
}

void calltext_result(const Event *ev, int detail, char *buf, size_t cap)
{
	if (ev->ret < 0 && ev->op == OP_GETADDRINFO) {
		eai_result(ev, buf, cap);
		return;
	}
	if (ev->ret < 0 && calltext_interrupted(ev->err)) {
		/* strace: "? ERESTARTSYS (To be restarted if SA_RESTART is set)";
		 * "?" because the program gets no value from this call. */
		int i = restart_index(ev->err);
		snprintf(buf, cap, "? %s (%s)", restarts[i].name, restarts[i].why);
		return;
	}
	if (ev->ret < 0) {
		snprintf(buf, cap, "-1 %s (%s)", calltext_errno_name(ev->err), strerror(ev->err));
		return;
	}
	if (detail && detailed_result(ev, buf, cap))
		return;
	char addr[160], q[600], v[32];
	addr_format(&ev->addr, ev->addrlen, addr, sizeof addr);
	long long ret = (long long)ev->ret;
	if (detail && moving_result(ev, buf, cap))
		return;
	if (!detail)
		snprintf(buf, cap, "%lld", ret);
	else if (ev->addrlen && (ev->op == OP_ACCEPT || ev->op == OP_RECVFROM || ev->op == OP_RECVMSG))
		snprintf(buf, cap, "%lld from %s", ret, addr);
	else if (ev->addrlen && ev->op == OP_CONNECT)
		snprintf(buf, cap, "%lld as %s", ret, addr);
	else if (ev->addrlen && (ev->op == OP_GETSOCKNAME || ev->op == OP_GETPEERNAME))
		snprintf(buf, cap, "%lld %s", ret, addr);
	else if (ev->op == OP_GETADDRINFO)
		address_list(ev, buf, cap);
	else if (ev->op == OP_GETHOSTNAME)
		snprintf(buf, cap, "%lld \"%s\"", ret, quote_all(ev, q, sizeof q));
	else if (ev->op == OP_GETSOCKOPT)
		snprintf(buf, cap, "%lld [%s]", ret, option_value(ev->arg[0], ev->arg[1], ev->arg[2], v, sizeof v));
	else if (ev->op == OP_POLL || ev->op == OP_SELECT)
		ready_list(ev, buf, cap);
	else if (ev->op == OP_SOCKETPAIR && ev->len >= 2 * sizeof(int32_t))
		pair_result(ev, buf, cap);
	else
		snprintf(buf, cap, "%lld", ret);
}

/* 1234567 as "1,234,567": a count a reader takes in at a glance. */
static void grouped(uint64_t n, char *buf, size_t cap)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < cap; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void calltext_console(const char *text, const char *newline, char *buf, size_t cap)
{
	size_t o = 0, sep = newline ? strlen(newline) : 1;
	if (!cap)
		return;
	for (const char *line = text;;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		/* console_render needs room for n bytes: the line is cut to fit. */
		if (n > cap - 1 - o)
			n = cap - 1 - o;
		o += console_render(line, n, buf + o);
		if (!end || !end[1] || o + sep >= cap)
			break;
		memcpy(buf + o, newline ? newline : "\n", sep);
		o += sep;
		line = end + 1;
	}
	buf[o] = '\0';
}

void calltext_dropped(const Event *print, char *buf, size_t cap)
{
	char lines[40], size[32];
	double b = (double)print->total;
	grouped((uint64_t)print->ret, lines, sizeof lines);
	if (b >= 1e9)
		snprintf(size, sizeof size, "%.1f GB", b / 1e9);
	else if (b >= 1e6)
		snprintf(size, sizeof size, "%.1f MB", b / 1e6);
	else if (b >= 1e3)
		snprintf(size, sizeof size, "%.1f kB", b / 1e3);
	else
		snprintf(size, sizeof size, "%llu bytes", (unsigned long long)print->total);
	snprintf(buf, cap, "... %s line%s (%s) not kept ...", lines, print->ret == 1 ? "" : "s", size);
}
