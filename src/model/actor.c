/* actor.c - one actor's steps, run for real in a child process (see actor.h).
 *
 * Every socket call goes through one path: describe it in a GATE_CALL
 * record, wait for the parent's go (answering probes meanwhile), make the
 * call, time it, and send a GATE_RESULT. The parent learns everything from
 * these records; nothing here is simulated. */
#include "model/actor.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "model/addr.h"
#include "model/gate.h"

/* The parser refuses lessons past these (lesson.h). */
enum { MAX_SOCKS = LESSON_MAX_SOCKETS, MAX_DEPTH = LESSON_MAX_DEPTH };

typedef struct {
	const LessonActor *la;
	int gate;
	int free_run;                 /* report calls, but wait for no go */
	GateBatch *batch;             /* free run: records waiting to be sent */
	int next_example;             /* free run: input examples used */
	struct { const char *name; int fd; int family; int ready; } socks[MAX_SOCKS];
	int nsocks;
	int current;                  /* index in socks, -1 before the first */
	uint8_t *received;            /* the last recv's bytes */
	size_t received_len;
	long last_recv;               /* the last recv's return value */
	char input[GATE_DATA_MAX];
	struct sockaddr_storage peer; /* the last accepted / recvfrom peer */
	socklen_t peerlen;
	struct { int step; long left; } loops[MAX_DEPTH];
	int depth;
} Actor;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static _Noreturn void die(void)
{
	_exit(111);
}

static int sock_index(Actor *a, const char *name)
{
	if (!name)
		return a->current;
	for (int i = a->nsocks - 1; i >= 0; i--)
		if (strcmp(a->socks[i].name, name) == 0)
			return i;
	return -1;
}

static void sock_add(Actor *a, const char *name, int fd, int family)
{
	int i = sock_index(a, name);
	if (i < 0) {
		if (a->nsocks == MAX_SOCKS)
			return;
		i = a->nsocks++;
	}
	a->socks[i].name = name;
	a->socks[i].fd = fd;
	a->socks[i].family = family;
	a->socks[i].ready = 0;   /* a new socket: no poll has said anything of it yet */
	a->current = i;
}

/* The pattern of DATA "bytes N": digits and letters read well in hex and
 * in ASCII, and a lost or repeated piece shows as a break in the pattern. */
static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static void fill_pattern(uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)pattern[i % (sizeof pattern - 1)];
}

/* The bytes a send step sends: a literal, or what was received or typed. */
static uint8_t *data_bytes(Actor *a, const LessonData *d, size_t *len)
{
	const uint8_t *src = (const uint8_t *)"";
	size_t n = 0;
	if (d->src == DATA_TEXT) {
		src = (const uint8_t *)d->text;
		n = d->len;
	} else if (d->src == DATA_RECEIVED) {
		src = a->received ? a->received : src;
		n = a->received_len;
	} else if (d->src == DATA_INPUT) {
		src = (const uint8_t *)a->input;
		n = strlen(a->input);
	} else if (d->src == DATA_BYTES) {
		n = d->len;
	}
	uint8_t *out = malloc(n + 1);
	if (!out)
		die();
	if (d->src == DATA_BYTES)
		fill_pattern(out, n);
	else
		memcpy(out, src, n);
	for (size_t i = 0; d->upper && i < n; i++)
		out[i] = (uint8_t)toupper(out[i]);
	*len = n;
	return out;
}

static int is_stream(int fd)
{
	int type = 0;
	socklen_t len = sizeof type;
	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
}

/* What a probe ("would your call block now?") looks at: the sockets the
 * call waits on, with the events that would release it. */
typedef struct {
	struct pollfd fds[MAX_SOCKS];
	int nfds;
	int sleeps;          /* time has to pass: a sleep */
	int nonblock_ok;     /* an O_NONBLOCK socket returns at once (not poll/select) */
	long waitall;        /* recv MSG_WAITALL: the bytes it waits for */
} Probe;

static void probe_one(Probe *pr, int fd, short events)
{
	pr->fds[0].fd = fd;
	pr->fds[0].events = events;
	pr->nfds = fd >= 0 && events ? 1 : 0;
	pr->nonblock_ok = 1;
}

/* MSG_WAITALL waits for all its bytes, unless the stream ends or fails. */
static int waitall_blocks(const Probe *pr)
{
	if (pr->fds[0].revents & (POLLHUP | POLLRDHUP | POLLERR))
		return 0;
	int queued = 0;
	return ioctl(pr->fds[0].fd, FIONREAD, &queued) == 0 && queued < pr->waitall;
}

static int probe_blocks(Probe *pr)
{
	if (pr->nfds == 0)
		return 0;
	int fl = pr->nonblock_ok ? fcntl(pr->fds[0].fd, F_GETFL) : 0;
	if (fl < 0 || (fl & O_NONBLOCK))
		return 0;
	/* A datagram socket returns one datagram, whatever MSG_WAITALL says. */
	if (pr->waitall && !is_stream(pr->fds[0].fd))
		pr->waitall = 0;
	if (pr->waitall)
		pr->fds[0].events |= POLLRDHUP;
	int ready = poll(pr->fds, (nfds_t)pr->nfds, 0);
	if (ready == 0)
		return 1;
	return pr->waitall && ready > 0 && waitall_blocks(pr);
}

/* Wait for go; answer probes meanwhile. A sleep always "would block": time
 * has to pass, as for a real sleeper, so the scheduler runs every other
 * actor that can move first. */
static void wait_go(Actor *a, Probe *pr)
{
	for (;;) {
		int cmd = gate_wait(a->gate, NULL, 0);
		if (cmd < 0)
			die();
		if (cmd == GATE_CMD_GO)
			return;
		if (cmd != GATE_CMD_PROBE)
			continue;
		GateRecord r = { .kind = GATE_PROBE, .fd = pr->nfds ? pr->fds[0].fd : -1 };
		r.ret = pr->sleeps || probe_blocks(pr);
		if (gate_send(a->gate, &r) < 0)
			die();
	}
}

/* Send a record now, or in a free run add it to the batch. */
static void send_record(Actor *a, const GateRecord *r)
{
	int rc = a->free_run ? gate_batch_add(a->gate, a->batch, r) : gate_send(a->gate, r);
	if (rc < 0)
		die();
}

static void call_begin(Actor *a, GateRecord *r, Probe *pr)
{
	r->kind = GATE_CALL;
	send_record(a, r);
	if (!a->free_run) {
		wait_go(a, pr);
		return;
	}
	/* Before a call that may wait, let sockstep have what came before it:
	 * the order of the actors' events stays the order they happened in. */
	int waits = pr->sleeps || r->op == OP_CONNECT || (pr->nfds && (pr->fds[0].events & POLLIN));
	if (waits && gate_batch_flush(a->gate, a->batch) < 0)
		die();
}

static void call_end(Actor *a, GateRecord *r, long ret, int err, uint64_t ns)
{
	r->ns = ns;
	r->kind = GATE_RESULT;
	r->ret = ret;
	r->err = ret < 0 ? err : 0;
	send_record(a, r);
}

static void keep_data(GateRecord *r, const uint8_t *p, size_t n)
{
	r->len = (uint32_t)(n < GATE_DATA_MAX ? n : GATE_DATA_MAX);
	memcpy(r->data, p, r->len);
}

static void keep_received(Actor *a, const uint8_t *p, long ret, size_t n)
{
	a->last_recv = ret;
	free(a->received);
	a->received = NULL;
	a->received_len = 0;
	if (ret <= 0 || n == 0)
		return;
	a->received = malloc(n);
	if (!a->received)
		die();
	memcpy(a->received, p, n);
	a->received_len = n;
}

static int step_address(Actor *a, const LessonStep *s, int family, GateRecord *r)
{
	socklen_t len = 0;
	if (s->to_peer) {
		r->addr = a->peer;
		r->addrlen = a->peerlen;
		return 0;
	}
	if (addr_make(family, s->host, s->port, &r->addr, &len) < 0)
		return -1;
	r->addrlen = len;
	return 0;
}

static void do_sendall(int fd, const uint8_t *buf, size_t n, int flags, long *ret, int *err)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = send(fd, buf + done, n - done, flags);
		if (w < 0) {
			*ret = -1;
			*err = errno;
			return;
		}
		done += (size_t)w;
	}
	*ret = (long)done;
}

/* One call in the making: the step, its socket, the record that describes
 * it to the parent, and what the call gave back. */
typedef struct {
	const LessonStep *s;
	int si, fd, family;
	GateRecord r;
	Probe probe;
	uint8_t *out, *in;
	size_t outlen;
	int fds[MAX_SOCKS];           /* poll, select: the sockets, in the step's order */
	int nfds;
	struct sockaddr_storage ss;   /* an address the call returns */
	socklen_t sslen;
	long ret;
	int err;
} Call;

/* getaddrinfo: the call record carries the host (data) and the hints. */
static void prepare_getaddrinfo(Call *c)
{
	c->r.arg[0] = c->s->family;
	c->r.arg[1] = c->s->type;
	c->r.arg[2] = c->s->port;
	keep_data(&c->r, (const uint8_t *)c->s->host, strlen(c->s->host));
}

/* The result carries each address found once, as the raw sockaddr the
 * kernel would be given: family in host order, port and address in network
 * order. getaddrinfo lists an address once per socket type; once is enough. */
static void do_getaddrinfo(Call *c)
{
	char port[8];
	struct addrinfo hints = { .ai_family = c->s->family, .ai_socktype = c->s->type }, *res = NULL;
	snprintf(port, sizeof port, "%d", c->s->port);
	int rc = getaddrinfo(c->s->host, port, &hints, &res);
	c->err = errno;
	c->r.len = 0;
	if (rc != 0) {
		/* A failure reads as -1 to every view; err holds getaddrinfo's own
		 * EAI_ code (what it returned), arg[2] the errno of an EAI_SYSTEM. */
		c->ret = -1;
		c->r.arg[2] = rc == EAI_SYSTEM ? c->err : 0;
		c->err = rc;
		return;
	}
	c->ret = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		size_t n = ai->ai_addrlen;
		int seen = 0;
		for (size_t at = 0; at + n <= c->r.len && !seen; at += n)
			seen = memcmp(c->r.data + at, ai->ai_addr, n) == 0;
		if (seen || c->r.len + n > GATE_DATA_MAX)
			continue;
		memcpy(c->r.data + c->r.len, ai->ai_addr, n);
		c->r.len += (uint32_t)n;
	}
	freeaddrinfo(res);
}

static void do_gethostname(Call *c)
{
	char name[256];
	c->ret = gethostname(name, sizeof name);
	c->err = errno;
	name[sizeof name - 1] = '\0';
	if (c->ret == 0)
		keep_data(&c->r, (const uint8_t *)name, strlen(name));
}

/* The flags the call will set are read first, so the call record shows the
 * real fcntl(fd, F_SETFL, flags); reading them changes nothing. */
static int blocking_flags(int fd, long blocking)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	return blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
}

static void do_setblocking(Call *c)
{
	int fl = blocking_flags(c->fd, c->s->n);
	c->ret = fl < 0 ? -1 : fcntl(c->fd, F_SETFL, fl);
	c->err = errno;
	c->r.arg[1] = fl;
}

/* getsockopt: the value goes in arg[2]; SO_RCVTIMEO_MS as milliseconds. */
static void do_getsockopt(Call *c)
{
	const LessonStep *s = c->s;
	if (s->level == SOL_SOCKET && s->optname == SO_RCVTIMEO) {
		struct timeval tv = { 0 };
		socklen_t len = sizeof tv;
		c->ret = getsockopt(c->fd, s->level, s->optname, &tv, &len);
		c->r.arg[2] = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	} else {
		int v = 0;
		socklen_t len = sizeof v;
		c->ret = getsockopt(c->fd, s->level, s->optname, &v, &len);
		c->r.arg[2] = v;
	}
	c->err = errno;
}

/* poll and select: the sockets by name; the call record's data is their
 * descriptors (int32), the result's data the ones that were ready. */
static void prepare_wait(Actor *a, Call *c)
{
	const LessonStep *s = c->s;
	short events = s->write ? POLLOUT : POLLIN;
	int32_t fds[MAX_SOCKS];
	c->nfds = s->nsocks < MAX_SOCKS ? s->nsocks : MAX_SOCKS;
	for (int i = 0; i < c->nfds; i++) {
		int si = sock_index(a, s->socks[i]);
		c->fds[i] = si >= 0 ? a->socks[si].fd : -1;
		fds[i] = c->fds[i];
		c->probe.fds[i].fd = c->fds[i];
		c->probe.fds[i].events = events;
	}
	/* A zero timeout never waits; otherwise the call waits until one of
	 * them is ready (or its timeout has passed). */
	c->probe.nfds = s->timeout_ms == 0 ? 0 : c->nfds;
	c->r.fd = -1;
	c->r.arg[0] = s->timeout_ms;
	c->r.arg[1] = s->write;
	c->r.arg[2] = c->nfds;
	keep_data(&c->r, (const uint8_t *)fds, (size_t)c->nfds * sizeof fds[0]);
}

static void ready_fd(Call *c, int fd)
{
	int32_t v = fd;
	memcpy(c->r.data + c->r.len, &v, sizeof v);
	c->r.len += sizeof v;
}

static void do_poll(Call *c)
{
	struct pollfd p[MAX_SOCKS];
	for (int i = 0; i < c->nfds; i++)
		p[i] = (struct pollfd){ .fd = c->fds[i], .events = c->s->write ? POLLOUT : POLLIN };
	c->ret = poll(p, (nfds_t)c->nfds, (int)c->s->timeout_ms);
	c->err = errno;
	c->r.len = 0;
	for (int i = 0; c->ret > 0 && i < c->nfds; i++)
		if (p[i].revents)
			ready_fd(c, p[i].fd);
}

/* select() cannot take a closed socket (-1): it is left out of the set. */
static void do_select(Call *c)
{
	fd_set set;
	int maxfd = -1;
	FD_ZERO(&set);
	for (int i = 0; i < c->nfds; i++) {
		if (c->fds[i] < 0 || c->fds[i] >= FD_SETSIZE)
			continue;
		FD_SET(c->fds[i], &set);
		maxfd = c->fds[i] > maxfd ? c->fds[i] : maxfd;
	}
	long ms = c->s->timeout_ms;
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
	fd_set *rd = c->s->write ? NULL : &set, *wr = c->s->write ? &set : NULL;
	c->ret = select(maxfd + 1, rd, wr, NULL, ms < 0 ? NULL : &tv);
	c->err = errno;
	c->r.len = 0;
	for (int i = 0; c->ret > 0 && i < c->nfds; i++)
		if (c->fds[i] >= 0 && c->fds[i] < FD_SETSIZE && FD_ISSET(c->fds[i], &set))
			ready_fd(c, c->fds[i]);
}

/* Everything the call record says before the call; and what a probe asks. */
static void prepare(Actor *a, Call *c)
{
	const LessonStep *s = c->s;
	GateRecord *r = &c->r;
	switch (s->op) {
	case OP_SOCKET:
		r->arg[0] = s->family;
		r->arg[1] = s->type;
		break;
	case OP_BIND:
	case OP_CONNECT:
		if (step_address(a, s, c->family, r) < 0)
			r->addrlen = 0;
		/* A blocking connect is found out when it does not return at once;
		 * a non-blocking one says so at once (EINPROGRESS). */
		break;
	case OP_LISTEN:
	case OP_SHUTDOWN:
		r->arg[0] = s->n;
		break;
	case OP_ACCEPT:
		probe_one(&c->probe, c->fd, POLLIN);
		break;
	case OP_SEND:
	case OP_SENDALL:
	case OP_SENDTO:
		c->out = data_bytes(a, &s->data, &c->outlen);
		keep_data(r, c->out, c->outlen);
		r->total = c->outlen;
		r->arg[1] = s->flags;
		probe_one(&c->probe, c->fd, s->flags & MSG_DONTWAIT ? 0 : POLLOUT);
		if (s->op == OP_SENDTO && step_address(a, s, c->family, r) < 0)
			r->addrlen = 0;
		break;
	case OP_RECV:
	case OP_RECVFROM:
		r->arg[0] = s->n;
		r->arg[1] = s->flags;
		probe_one(&c->probe, c->fd, s->flags & MSG_DONTWAIT ? 0 : POLLIN);
		/* MSG_WAITALL waits for all N bytes of a stream (probe_blocks
		 * asks the socket's type only when a probe comes: a free run
		 * makes no extra call). */
		c->probe.waitall = s->flags & MSG_WAITALL ? s->n : 0;
		c->in = malloc((size_t)s->n);
		if (!c->in)
			die();
		break;
	case OP_SETSOCKOPT:
		r->arg[0] = s->level;
		r->arg[1] = s->optname;
		r->arg[2] = s->n;
		break;
	case OP_GETSOCKOPT:
		r->arg[0] = s->level;
		r->arg[1] = s->optname;
		break;
	case OP_SETBLOCKING:
		r->arg[0] = s->n;
		r->arg[1] = blocking_flags(c->fd, s->n);
		break;
	case OP_GETADDRINFO:
		prepare_getaddrinfo(c);
		break;
	case OP_POLL:
	case OP_SELECT:
		prepare_wait(a, c);
		break;
	case OP_SLEEP:
		r->arg[0] = s->n;
		c->probe.sleeps = 1;
		break;
	default:
		break;
	}
}
/* The call itself, at the parent's go. */
static void make_call(Call *c)
{
	const LessonStep *s = c->s;
	GateRecord *r = &c->r;
	struct sockaddr *sa = (struct sockaddr *)&c->ss;
	int fd = c->fd;
	errno = 0;
	switch (s->op) {
	case OP_SOCKET: c->ret = socket(s->family, s->type, 0); break;
	case OP_BIND: c->ret = bind(fd, (struct sockaddr *)&r->addr, r->addrlen); break;
	case OP_LISTEN: c->ret = listen(fd, (int)s->n); break;
	case OP_ACCEPT: c->ret = accept(fd, sa, &c->sslen); break;
	case OP_CONNECT: c->ret = connect(fd, (struct sockaddr *)&r->addr, r->addrlen); break;
	case OP_SEND: c->ret = send(fd, c->out, c->outlen, s->flags); break;
	case OP_SENDALL: do_sendall(fd, c->out, c->outlen, s->flags, &c->ret, &c->err); return;
	case OP_SENDTO:
		c->ret = sendto(fd, c->out, c->outlen, s->flags, (struct sockaddr *)&r->addr, r->addrlen);
		break;
	case OP_RECV: c->ret = recv(fd, c->in, (size_t)s->n, s->flags); break;
	case OP_RECVFROM: c->ret = recvfrom(fd, c->in, (size_t)s->n, s->flags, sa, &c->sslen); break;
	case OP_SHUTDOWN: c->ret = shutdown(fd, (int)s->n); break;
	case OP_CLOSE: c->ret = close(fd); break;
	case OP_SETSOCKOPT:
		if (s->optname == SO_RCVTIMEO && s->level == SOL_SOCKET) {
			struct timeval tv = { .tv_sec = s->n / 1000, .tv_usec = (s->n % 1000) * 1000 };
			c->ret = setsockopt(fd, s->level, s->optname, &tv, sizeof tv);
		} else {
			int v = (int)s->n;
			c->ret = setsockopt(fd, s->level, s->optname, &v, sizeof v);
		}
		break;
	case OP_SLEEP: {
		struct timespec ts = { .tv_sec = s->n / 1000, .tv_nsec = (s->n % 1000) * 1000000L };
		c->ret = nanosleep(&ts, NULL);
		break;
	}
	case OP_GETADDRINFO: do_getaddrinfo(c); return;
	case OP_GETHOSTNAME: do_gethostname(c); return;
	case OP_GETSOCKNAME: c->ret = getsockname(fd, sa, &c->sslen); break;
	case OP_GETPEERNAME: c->ret = getpeername(fd, sa, &c->sslen); break;
	case OP_SETBLOCKING: do_setblocking(c); return;
	case OP_GETSOCKOPT: do_getsockopt(c); return;
	case OP_POLL: do_poll(c); return;
	case OP_SELECT: do_select(c); return;
	default: break;
	}
	c->err = errno;
}

/* A recv's bytes. With MSG_TRUNC a datagram's real length comes back even
 * when the buffer held less, and a stream throws the bytes away unread:
 * only what is really in the buffer is kept and shown. */
static void report_received(Actor *a, Call *c)
{
	size_t n = c->ret > 0 ? (size_t)c->ret : 0;
	if (n > (size_t)c->s->n)
		n = (size_t)c->s->n;
	if ((c->s->flags & MSG_TRUNC) && is_stream(c->fd))
		n = 0;
	keep_received(a, c->in, c->ret, n);
	keep_data(&c->r, c->in, n);
	c->r.total = n;
}

/* What the result shows besides the number: the peer of an accept or a
 * recvfrom, the local address a connect was given, the address a
 * getsockname or getpeername asked for, the bytes received. */
static void report(Actor *a, Call *c)
{
	const LessonStep *s = c->s;
	GateRecord *r = &c->r;
	int ok = c->ret >= 0;
	int keeps_data = s->op == OP_GETADDRINFO || s->op == OP_GETHOSTNAME || s->op == OP_POLL ||
			 s->op == OP_SELECT;
	r->addrlen = 0;
	if (!keeps_data)
		r->len = 0;
	r->total = keeps_data ? r->len : 0;
	if ((s->op == OP_SEND || s->op == OP_SENDALL || s->op == OP_SENDTO) && c->ret > 0)
		r->total = (uint64_t)c->ret;
	if (s->op == OP_RECV || s->op == OP_RECVFROM)
		report_received(a, c);
	if ((s->op == OP_ACCEPT || s->op == OP_RECVFROM) && ok) {
		a->peer = c->ss;
		a->peerlen = c->sslen;
	}
	if (s->op == OP_CONNECT && c->ret == 0) {
		c->sslen = sizeof c->ss;
		ok = getsockname(c->fd, (struct sockaddr *)&c->ss, &c->sslen) == 0;
	}
	int shows_addr = s->op == OP_ACCEPT || s->op == OP_RECVFROM || s->op == OP_CONNECT ||
			 s->op == OP_GETSOCKNAME || s->op == OP_GETPEERNAME;
	if (shows_addr && ok) {
		r->addr = c->ss;
		r->addrlen = c->sslen;
	}
	if (s->op == OP_SOCKET && ok)
		sock_add(a, s->as ? s->as : "s", (int)c->ret, s->family);
	if (s->op == OP_ACCEPT && ok)
		sock_add(a, s->as ? s->as : "conn", (int)c->ret, c->family);
	if (s->op == OP_CLOSE && c->si >= 0 && c->ret == 0)
		a->socks[c->si].fd = -1;
}

/* After a poll or select: which of the actor's sockets it said are ready,
 * for the if-ready steps after it. The result's data holds their fds. */
static void keep_ready(Actor *a, const Call *c)
{
	if (c->s->op != OP_POLL && c->s->op != OP_SELECT)
		return;
	for (int i = 0; i < a->nsocks; i++) {
		a->socks[i].ready = 0;
		for (uint32_t at = 0; c->ret > 0 && at + sizeof(int32_t) <= c->r.len; at += sizeof(int32_t)) {
			int32_t fd;
			memcpy(&fd, c->r.data + at, sizeof fd);
			a->socks[i].ready |= a->socks[i].fd >= 0 && fd == a->socks[i].fd;
		}
	}
}

/* Does this step use one socket: the current one, or its "on NAME"? */
static int uses_sock(LessonOp op)
{
	return op != OP_SOCKET && op != OP_SLEEP && op != OP_GETADDRINFO && op != OP_GETHOSTNAME &&
	       op != OP_POLL && op != OP_SELECT;
}

/* One real socket call, between its two gate records. */
static void run_call(Actor *a, int idx, const LessonStep *s)
{
	Call c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.si = uses_sock(s->op) ? sock_index(a, s->on) : -1;
	c.fd = c.si >= 0 ? a->socks[c.si].fd : -1;
	c.family = c.si >= 0 ? a->socks[c.si].family : s->family;
	c.sslen = sizeof c.ss;
	c.r.op = (uint8_t)s->op;
	c.r.step = (uint16_t)idx;
	c.r.fd = c.fd;
	prepare(a, &c);
	call_begin(a, &c.r, &c.probe);
	uint64_t t0 = now_ns();
	make_call(&c);
	uint64_t t1 = now_ns();
	report(a, &c);
	keep_ready(a, &c);
	call_end(a, &c.r, c.ret, c.err, t1 - t0);
	free(c.out);
	free(c.in);
}

/* print: the text with $received, $input and $peer filled in. */
static void run_print(Actor *a, int idx, const LessonStep *s)
{
	GateRecord r;
	memset(&r, 0, offsetof(GateRecord, data));
	r.kind = GATE_PRINT;
	r.step = (uint16_t)idx;
	char peer[128];
	addr_format(&a->peer, a->peerlen, peer, sizeof peer);
	const char *t = s->data.text ? s->data.text : "";
	size_t n = s->data.len;
	for (size_t i = 0; i < n && r.len < GATE_DATA_MAX; i++) {
		const char *var = NULL;
		size_t varlen = 0, skip = 0;
		if (t[i] == '$' && n - i >= 9 && memcmp(t + i, "$received", 9) == 0) {
			var = (const char *)a->received;
			varlen = a->received_len;
			skip = 9;
		} else if (t[i] == '$' && n - i >= 6 && memcmp(t + i, "$input", 6) == 0) {
			var = a->input;
			varlen = strlen(a->input);
			skip = 6;
		} else if (t[i] == '$' && n - i >= 5 && memcmp(t + i, "$peer", 5) == 0) {
			var = peer;
			varlen = strlen(peer);
			skip = 5;
		}
		if (!skip) {
			r.data[r.len++] = (uint8_t)t[i];
			continue;
		}
		for (size_t k = 0; k < varlen && r.len < GATE_DATA_MAX; k++)
			r.data[r.len++] = (uint8_t)var[k];
		i += skip - 1;
	}
	send_record(a, &r);
}

/* Free run: the lesson's examples in turn, the last one again when they
 * run out, as autoplay gives them; the record carries the line. */
static void take_example(Actor *a, GateRecord *r)
{
	const LessonStep *s = &a->la->steps[r->step];
	int k = a->next_example < s->nexamples ? a->next_example : s->nexamples - 1;
	a->next_example++;
	snprintf(a->input, sizeof a->input, "%s", k >= 0 ? s->examples[k] : "");
	r->len = (uint32_t)strlen(a->input);
	memcpy(r->data, a->input, r->len);
	send_record(a, r);
}

static void run_input(Actor *a, int idx)
{
	GateRecord r;
	memset(&r, 0, offsetof(GateRecord, data));
	r.kind = GATE_INPUT;
	r.step = (uint16_t)idx;
	if (a->free_run) {
		take_example(a, &r);
		return;
	}
	if (gate_send(a->gate, &r) < 0)
		die();
	for (;;) {
		int cmd = gate_wait(a->gate, a->input, sizeof a->input);
		if (cmd < 0)
			die();
		if (cmd == GATE_CMD_LINE)
			return;
		if (cmd == GATE_CMD_PROBE) {
			GateRecord p = { .kind = GATE_PROBE, .ret = 0, .fd = -1 };
			if (gate_send(a->gate, &p) < 0)
				die();
		}
	}
}

/* Control flow: returns the index of the next step to run. */
static int run_flow(Actor *a, int i, const LessonStep *s)
{
	switch (s->op) {
	case OP_LOOP:
	case OP_REPEAT:
		if (s->op == OP_REPEAT && s->n <= 0)
			return s->match + 1;
		if (a->depth == MAX_DEPTH)
			die();
		a->loops[a->depth].step = i;
		a->loops[a->depth].left = s->op == OP_REPEAT ? s->n : -1;
		a->depth++;
		return i + 1;
	case OP_IF_READY: {
		int si = sock_index(a, s->on);
		return si >= 0 && a->socks[si].ready ? i + 1 : s->match + 1;
	}
	case OP_IF_EMPTY:
		return a->last_recv == 0 ? i + 1 : s->match + 1;
	case OP_END: {
		if (a->depth == 0 || a->la->steps[s->match].op == OP_IF_READY ||
		    a->la->steps[s->match].op == OP_IF_EMPTY)
			return i + 1;
		long *left = &a->loops[a->depth - 1].left;
		if (*left > 0 && --*left == 0) {
			a->depth--;
			return i + 1;
		}
		return s->match + 1;
	}
	case OP_BREAK_IF_EMPTY:
	case OP_BREAK_IF_INPUT:
	case OP_BREAK_IF_CONTAINS: {
		int stop = s->op == OP_BREAK_IF_EMPTY ? a->last_recv == 0
			: s->op == OP_BREAK_IF_CONTAINS ? a->received && memmem(a->received, a->received_len,
										 s->data.text, s->data.len) != NULL
			: strlen(a->input) == s->data.len && memcmp(a->input, s->data.text, s->data.len) == 0;
		if (!stop || a->depth == 0)
			return i + 1;
		int loop = a->loops[--a->depth].step;
		return a->la->steps[loop].match + 1;
	}
	default:
		return i + 1;
	}
}

_Noreturn void actor_run(const Lesson *lesson, int actor, int gate, int free_run)
{
	/* Dumpable again (sockstep is not, and the fork kept it), so sockstep
	 * may read which sockets are this actor's in /proc/PID/fd when it is
	 * not root. A lesson's actors run only sockstep's own code, and never
	 * in a run with a program of the user's (sockstep run has programs
	 * only), so nothing of the user's is there to reach this one. */
	prctl(PR_SET_DUMPABLE, 1);
	Actor a;
	memset(&a, 0, sizeof a);
	a.la = &lesson->actors[actor];
	a.gate = gate;
	a.free_run = free_run;
	static GateBatch batch;
	a.batch = &batch;
	a.current = -1;
	a.last_recv = -1;
	int i = 0;
	while (i >= 0 && i < a.la->nsteps) {
		const LessonStep *s = &a.la->steps[i];
		if (lesson_op_is_call(s->op)) {
			run_call(&a, i, s);
			i++;
		} else if (s->op == OP_PRINT) {
			run_print(&a, i, s);
			i++;
		} else if (s->op == OP_INPUT) {
			run_input(&a, i);
			i++;
		} else {
			i = run_flow(&a, i, s);
		}
	}
	GateRecord done;
	memset(&done, 0, offsetof(GateRecord, data));
	done.kind = GATE_DONE;
	done.step = (uint16_t)a.la->nsteps;
	if (free_run) {
		gate_batch_add(gate, a.batch, &done);
		gate_batch_flush(gate, a.batch);
	} else {
		gate_send(gate, &done);
	}
	free(a.received);
	_exit(0);
}
