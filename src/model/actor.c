/* actor.c - one actor's steps, run for real in a child process (see actor.h).
 *
 * Every socket call goes through one path: describe it in a GATE_CALL
 * record, wait for the parent's go (answering probes meanwhile), make the
 * call, time it, and send a GATE_RESULT. The parent learns everything from
 * these records; nothing here is simulated. */
#include "model/actor.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "model/addr.h"
#include "model/gate.h"

enum { MAX_SOCKS = 16, MAX_DEPTH = 32 };

typedef struct {
	const LessonActor *la;
	int gate;
	struct { const char *name; int fd; int family; } socks[MAX_SOCKS];
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
	a->current = i;
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
	}
	uint8_t *out = malloc(n + 1);
	if (!out)
		die();
	memcpy(out, src, n);
	for (size_t i = 0; d->upper && i < n; i++)
		out[i] = (uint8_t)toupper(out[i]);
	*len = n;
	return out;
}

/* Wait for go; answer probes ("would your call block now?") meanwhile.
 * A sleep always "would block": time has to pass, as for a real sleeper,
 * so the scheduler runs every other actor that can move first. */
enum { EVENTS_SLEEP = -1 };

static void wait_go(Actor *a, int fd, short events)
{
	for (;;) {
		int cmd = gate_wait(a->gate, NULL, 0);
		if (cmd < 0)
			die();
		if (cmd == GATE_CMD_GO)
			return;
		if (cmd != GATE_CMD_PROBE)
			continue;
		GateRecord r = { .kind = GATE_PROBE, .fd = fd };
		struct pollfd p = { .fd = fd, .events = events };
		r.ret = events == EVENTS_SLEEP || (events > 0 && fd >= 0 && poll(&p, 1, 0) == 0);
		if (gate_send(a->gate, &r) < 0)
			die();
	}
}

static void call_begin(Actor *a, GateRecord *r, short events)
{
	r->kind = GATE_CALL;
	if (gate_send(a->gate, r) < 0)
		die();
	wait_go(a, r->fd, events);
}

static void call_end(Actor *a, GateRecord *r, long ret, int err, uint64_t ns)
{
	r->ns = ns;
	r->kind = GATE_RESULT;
	r->ret = ret;
	r->err = ret < 0 ? err : 0;
	if (gate_send(a->gate, r) < 0)
		die();
}

static void keep_data(GateRecord *r, const uint8_t *p, size_t n)
{
	r->len = (uint32_t)(n < GATE_DATA_MAX ? n : GATE_DATA_MAX);
	memcpy(r->data, p, r->len);
}

static void keep_received(Actor *a, const uint8_t *p, long n)
{
	a->last_recv = n;
	free(a->received);
	a->received = NULL;
	a->received_len = 0;
	if (n <= 0)
		return;
	a->received = malloc((size_t)n);
	if (!a->received)
		die();
	memcpy(a->received, p, (size_t)n);
	a->received_len = (size_t)n;
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

static void do_sendall(int fd, const uint8_t *buf, size_t n, long *ret, int *err)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = send(fd, buf + done, n - done, 0);
		if (w < 0) {
			*ret = -1;
			*err = errno;
			return;
		}
		done += (size_t)w;
	}
	*ret = (long)done;
}

/* One real socket call, between its two gate records. */
static void run_call(Actor *a, int idx, const LessonStep *s)
{
	GateRecord r;
	memset(&r, 0, offsetof(GateRecord, data));
	r.op = (uint8_t)s->op;
	r.step = (uint16_t)idx;
	int si = s->op == OP_SOCKET || s->op == OP_SLEEP ? -1 : sock_index(a, s->on);
	int fd = si >= 0 ? a->socks[si].fd : -1;
	int family = si >= 0 ? a->socks[si].family : s->family;
	r.fd = fd;
	short events = 0;
	uint8_t *out = NULL, *in = NULL;
	size_t outlen = 0;
	long ret = 0;
	int err = 0;

	switch (s->op) {
	case OP_SOCKET:
		r.arg[0] = s->family;
		r.arg[1] = s->type;
		break;
	case OP_BIND:
	case OP_CONNECT:
		if (step_address(a, s, family, &r) < 0)
			r.addrlen = 0;
		break;
	case OP_LISTEN:
		r.arg[0] = s->n;
		break;
	case OP_ACCEPT:
		events = POLLIN;
		break;
	case OP_SEND:
	case OP_SENDALL:
	case OP_SENDTO:
		out = data_bytes(a, &s->data, &outlen);
		keep_data(&r, out, outlen);
		r.total = outlen;
		events = POLLOUT;
		if (s->op == OP_SENDTO && step_address(a, s, family, &r) < 0)
			r.addrlen = 0;
		break;
	case OP_RECV:
	case OP_RECVFROM:
		r.arg[0] = s->n;
		events = POLLIN;
		in = malloc((size_t)s->n);
		if (!in)
			die();
		break;
	case OP_SHUTDOWN:
		r.arg[0] = s->n;
		break;
	case OP_SETSOCKOPT:
		r.arg[0] = s->level;
		r.arg[1] = s->optname;
		r.arg[2] = s->n;
		break;
	case OP_SLEEP:
		r.arg[0] = s->n;
		events = EVENTS_SLEEP;
		break;
	default:
		break;
	}

	call_begin(a, &r, events);
	uint64_t t0 = now_ns();
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof ss;
	switch (s->op) {
	case OP_SOCKET:
		ret = socket(s->family, s->type, 0);
		break;
	case OP_BIND:
		ret = bind(fd, (struct sockaddr *)&r.addr, r.addrlen);
		break;
	case OP_LISTEN:
		ret = listen(fd, (int)s->n);
		break;
	case OP_ACCEPT:
		ret = accept(fd, (struct sockaddr *)&ss, &sslen);
		break;
	case OP_CONNECT:
		ret = connect(fd, (struct sockaddr *)&r.addr, r.addrlen);
		break;
	case OP_SEND:
		ret = send(fd, out, outlen, 0);
		break;
	case OP_SENDALL:
		do_sendall(fd, out, outlen, &ret, &err);
		break;
	case OP_SENDTO:
		ret = sendto(fd, out, outlen, 0, (struct sockaddr *)&r.addr, r.addrlen);
		break;
	case OP_RECV:
		ret = recv(fd, in, (size_t)s->n, 0);
		break;
	case OP_RECVFROM:
		ret = recvfrom(fd, in, (size_t)s->n, 0, (struct sockaddr *)&ss, &sslen);
		break;
	case OP_SHUTDOWN:
		ret = shutdown(fd, (int)s->n);
		break;
	case OP_CLOSE:
		ret = close(fd);
		break;
	case OP_SETSOCKOPT:
		if (s->optname == SO_RCVTIMEO && s->level == SOL_SOCKET) {
			struct timeval tv = { .tv_sec = s->n / 1000, .tv_usec = (s->n % 1000) * 1000 };
			ret = setsockopt(fd, s->level, s->optname, &tv, sizeof tv);
		} else {
			int v = (int)s->n;
			ret = setsockopt(fd, s->level, s->optname, &v, sizeof v);
		}
		break;
	case OP_SLEEP: {
		struct timespec ts = { .tv_sec = s->n / 1000, .tv_nsec = (s->n % 1000) * 1000000L };
		ret = nanosleep(&ts, NULL);
		break;
	}
	default:
		break;
	}
	if (s->op != OP_SENDALL)
		err = errno;
	uint64_t t1 = now_ns();

	/* What the result shows besides the number: the peer of an accept or a
	 * recvfrom, the local address a connect was given, the bytes received. */
	r.addrlen = 0;
	r.len = 0;
	r.total = ret > 0 && s->op != OP_SOCKET && s->op != OP_ACCEPT ? (uint64_t)ret : 0;
	if ((s->op == OP_ACCEPT || s->op == OP_RECVFROM) && ret >= 0) {
		a->peer = ss;
		a->peerlen = sslen;
		r.addr = ss;
		r.addrlen = sslen;
	}
	if (s->op == OP_CONNECT && ret == 0) {
		sslen = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0) {
			r.addr = ss;
			r.addrlen = sslen;
		}
	}
	if (s->op == OP_RECV || s->op == OP_RECVFROM) {
		keep_received(a, in, ret);
		if (ret > 0)
			keep_data(&r, in, (size_t)ret);
	}
	if (s->op == OP_SOCKET && ret >= 0)
		sock_add(a, s->as ? s->as : "s", (int)ret, s->family);
	if (s->op == OP_ACCEPT && ret >= 0)
		sock_add(a, s->as ? s->as : "conn", (int)ret, family);
	if (s->op == OP_CLOSE && si >= 0 && ret == 0)
		a->socks[si].fd = -1;
	call_end(a, &r, ret, err, t1 - t0);
	free(out);
	free(in);
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
	if (gate_send(a->gate, &r) < 0)
		die();
}

static void run_input(Actor *a, int idx)
{
	GateRecord r;
	memset(&r, 0, offsetof(GateRecord, data));
	r.kind = GATE_INPUT;
	r.step = (uint16_t)idx;
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
	case OP_END: {
		if (a->depth == 0)
			return i + 1;
		long *left = &a->loops[a->depth - 1].left;
		if (*left > 0 && --*left == 0) {
			a->depth--;
			return i + 1;
		}
		return s->match + 1;
	}
	case OP_BREAK_IF_EMPTY:
	case OP_BREAK_IF_INPUT: {
		int stop = s->op == OP_BREAK_IF_EMPTY ? a->last_recv == 0
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

_Noreturn void actor_run(const Lesson *lesson, int actor, int gate)
{
	Actor a;
	memset(&a, 0, sizeof a);
	a.la = &lesson->actors[actor];
	a.gate = gate;
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
	gate_send(gate, &done);
	free(a.received);
	_exit(0);
}
