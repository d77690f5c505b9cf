/* record.c - a run as JSON lines (see record.h).
 *
 * Events are written when the engine says a moment is over (record_sync),
 * not as they are added: a call's "blocked" mark is set after its event, and
 * by the end of the step it is final. Every line is built whole in memory
 * and written with its newline, and the file is flushed after each moment,
 * so a recording cut short by a crash ends with whole lines. Names (kinds,
 * ops, states, families) are written as words, not numbers: the file stays
 * readable, and does not depend on the order of sockstep's enums. */
#include "model/record.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "model/addr.h"
#include "model/jsonl.h"
#include "model/kernel.h"
#include "model/packet.h"

#ifndef SOCKSTEP_VERSION
#define SOCKSTEP_VERSION "0"
#endif

/* What the last snapshot showed, to tell whether the engine has moved. */
typedef struct {
	size_t events;
	int steps;
	uint64_t socks;        /* a hash of the socket table */
	struct { int state, step, status; pid_t pid; uint64_t call_seq; } a[LESSON_MAX_ACTORS];
} Seen;

struct record {
	FILE *f;
	char *path;
	JsonlOut o;
	size_t written;        /* timeline events written so far */
	int snapshots;
	uint64_t base_ns;      /* the run's time 0 (the timeline's clock) */
	Seen seen;
	char error[300];
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

Record *record_open(const char *path, char *err, size_t errlen)
{
	Record *r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	r->f = fopen(path, "we");
	if (!r->f) {
		snprintf(err, errlen, "cannot write the recording %s: %s", path, strerror(errno));
		free(r->path);
		free(r);
		return NULL;
	}
	return r;
}

void record_close(Record *r)
{
	if (!r)
		return;
	fclose(r->f);
	jsonl_out_free(&r->o);
	free(r->path);
	free(r);
}

const char *record_error(const Record *r)
{
	return r && r->error[0] ? r->error : NULL;
}

/* ---- names ------------------------------------------------------------- */

static const char *const kinds[] = { "call", "return", "print", "input", "exit", "note", "packet", "state" };
static const char *const states[] = { "starting", "ready", "input", "running", "blocked", "done", "dead" };
static const char *const gates[] = { "none", "call", "result", "print", "input", "probe", "done", "fail" };

static const char *name_of(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "?";
}

static int find(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

#define COUNT(a) ((int)(sizeof a / sizeof a[0]))

/* The files say these words for the enums' values: a new value needs its word. */
_Static_assert(COUNT(kinds) == EV_STATE + 1, "a word for every EventKind");
_Static_assert(COUNT(states) == ACTOR_DEAD + 1, "a word for every ActorState");
_Static_assert(COUNT(gates) == GATE_KIND_MAX_, "a word for every GateKind");

const char *record_kind_name(int kind)
{
	return name_of(kinds, COUNT(kinds), kind);
}

int record_kind_find(const char *name)
{
	return find(kinds, COUNT(kinds), name);
}

const char *record_state_name(int state)
{
	return name_of(states, COUNT(states), state);
}

int record_state_find(const char *name)
{
	return find(states, COUNT(states), name);
}

const char *record_gate_name(int kind)
{
	return name_of(gates, COUNT(gates), kind);
}

int record_gate_find(const char *name)
{
	return find(gates, COUNT(gates), name);
}

/* ---- values ------------------------------------------------------------ */

/* A text member: a string when it is UTF-8, else its bytes as key_hex (an
 * actor's console can print any bytes it received). */
static void text_member(JsonlOut *o, const char *key, const char *s, size_t len)
{
	char hexkey[64];
	if (jsonl_utf8(s, len)) {
		jsonl_key(o, key);
		jsonl_string(o, s, len);
		return;
	}
	snprintf(hexkey, sizeof hexkey, "%s_hex", key);
	jsonl_key(o, hexkey);
	jsonl_hex(o, s, len);
}

/* An address: the text the screen shows, and the family, port and bytes
 * that rebuild the sockaddr exactly (replay.c: address_of). */
static void put_addr(JsonlOut *o, const struct sockaddr_storage *ss, uint32_t len)
{
	char text[200];
	if (len == 0 || len > sizeof *ss) {
		jsonl_null(o);
		return;
	}
	addr_format(ss, len, text, sizeof text);
	jsonl_begin_object(o);
	text_member(o, "text", text, strlen(text));
	jsonl_key(o, "len");
	jsonl_uint(o, len);
	const struct sockaddr_in *in = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;
	const struct sockaddr_un *un = (const void *)ss;
	size_t path_at = offsetof(struct sockaddr_un, sun_path);
	jsonl_key(o, "family");
	if (ss->ss_family == AF_INET && len == sizeof *in) {
		jsonl_cstring(o, "AF_INET");
		jsonl_key(o, "port");
		jsonl_uint(o, ntohs(in->sin_port));
		jsonl_key(o, "bytes");
		jsonl_hex(o, &in->sin_addr, sizeof in->sin_addr);
	} else if (ss->ss_family == AF_INET6 && len == sizeof *in6) {
		jsonl_cstring(o, "AF_INET6");
		jsonl_key(o, "port");
		jsonl_uint(o, ntohs(in6->sin6_port));
		jsonl_key(o, "bytes");
		jsonl_hex(o, &in6->sin6_addr, sizeof in6->sin6_addr);
		jsonl_key(o, "flowinfo");
		jsonl_uint(o, ntohl(in6->sin6_flowinfo));
		jsonl_key(o, "scope_id");
		jsonl_uint(o, in6->sin6_scope_id);
	} else if (ss->ss_family == AF_UNIX && len >= path_at && len <= sizeof *un) {
		jsonl_cstring(o, "AF_UNIX");
		jsonl_key(o, "bytes");
		jsonl_hex(o, un->sun_path, len - path_at);
	} else {
		/* Nothing a lesson makes: the whole sockaddr, as it was. */
		jsonl_uint(o, ss->ss_family);
		jsonl_key(o, "bytes");
		jsonl_hex(o, ss, len);
	}
	jsonl_end_object(o);
}

static void put_errno(JsonlOut *o, int err)
{
	const char *name = err > 0 ? strerrorname_np(err) : NULL;
	jsonl_key(o, "errno");
	jsonl_int(o, err);
	jsonl_key(o, "errno_name");
	jsonl_cstring(o, name ? name : "");
}

static void put_args(JsonlOut *o, const int64_t arg[3])
{
	jsonl_key(o, "arg");
	jsonl_begin_array(o);
	for (int i = 0; i < 3; i++)
		jsonl_int(o, arg[i]);
	jsonl_end_array(o);
}

/* A packet's headers, decoded, for a reader of the file: a replay reads
 * the frame itself ("data"), as the views do. */
static void put_packet(JsonlOut *o, const Event *ev)
{
	Packet p;
	char src[160], dst[160], flags[48];
	if (ev->kind != EV_PACKET || packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) < 0) {
		jsonl_null(o);
		return;
	}
	addr_format(&p.src, p.addrlen, src, sizeof src);
	addr_format(&p.dst, p.addrlen, dst, sizeof dst);
	jsonl_begin_object(o);
	jsonl_key(o, "proto");
	jsonl_cstring(o, p.proto == IPPROTO_TCP ? "TCP" : p.proto == IPPROTO_UDP ? "UDP" : "other");
	text_member(o, "src", src, strlen(src));
	text_member(o, "dst", dst, strlen(dst));
	if (p.proto == IPPROTO_TCP) {
		packet_flags(p.flags, flags, sizeof flags);
		jsonl_key(o, "flags");
		jsonl_cstring(o, flags);
	}
	jsonl_key(o, "payload");
	jsonl_uint(o, p.wire_payload);
	jsonl_end_object(o);
}

/* "LISTEN", for a reader; null where there is no state (new, gone, or
 * not a socket's event). */
static void put_state_name(JsonlOut *o, const char *key, const Event *ev, int state)
{
	SockInfo s = { .state = state, .type = ev->type };
	jsonl_key(o, key);
	if (ev->kind == EV_STATE && state >= 0)
		jsonl_cstring(o, sockdiag_state_name(&s));
	else
		jsonl_null(o);
}

static void put_event(JsonlOut *o, const Event *ev, uint64_t base)
{
	jsonl_begin_object(o);
	jsonl_key(o, "type");
	jsonl_cstring(o, "event");
	jsonl_key(o, "seq");
	jsonl_uint(o, ev->seq);
	jsonl_key(o, "t");
	jsonl_int(o, (int64_t)(ev->when_ns - base));
	jsonl_key(o, "kind");
	jsonl_cstring(o, record_kind_name(ev->kind));
	jsonl_key(o, "actor");
	jsonl_int(o, ev->actor);
	jsonl_key(o, "step");
	jsonl_int(o, ev->step);
	jsonl_key(o, "op");
	jsonl_cstring(o, lesson_op_name((LessonOp)ev->op));
	jsonl_key(o, "fd");
	jsonl_int(o, ev->fd);
	put_args(o, ev->arg);
	jsonl_key(o, "ret");
	jsonl_int(o, ev->ret);
	put_errno(o, ev->err);
	jsonl_key(o, "ns");
	jsonl_uint(o, ev->ns);
	jsonl_key(o, "total");
	jsonl_uint(o, ev->total);
	jsonl_key(o, "addr");
	put_addr(o, &ev->addr, ev->addrlen);
	jsonl_key(o, "data");
	jsonl_hex(o, ev->data, ev->len);
	if (ev->text) {
		text_member(o, "text", ev->text, strlen(ev->text));
	} else {
		jsonl_key(o, "text");
		jsonl_null(o);
	}
	jsonl_key(o, "blocked");
	jsonl_bool(o, ev->blocked);
	jsonl_key(o, "status");
	jsonl_int(o, ev->status);
	jsonl_key(o, "call_seq");
	jsonl_uint(o, ev->call_seq);
	jsonl_key(o, "peer_actor");
	jsonl_int(o, ev->peer_actor);
	jsonl_key(o, "peer");
	put_addr(o, &ev->peer, ev->peerlen);
	jsonl_key(o, "state");
	jsonl_int(o, ev->state);
	jsonl_key(o, "old_state");
	jsonl_int(o, ev->old_state);
	put_state_name(o, "state_name", ev, ev->state);
	put_state_name(o, "old_state_name", ev, ev->old_state);
	jsonl_key(o, "proto");
	jsonl_int(o, ev->proto);
	jsonl_key(o, "socktype");
	jsonl_int(o, ev->type);
	jsonl_key(o, "rq");
	jsonl_uint(o, ev->rq);
	jsonl_key(o, "wq");
	jsonl_uint(o, ev->wq);
	jsonl_key(o, "window");
	jsonl_uint(o, ev->window);
	jsonl_key(o, "packet");
	put_packet(o, ev);
	jsonl_end_object(o);
}

/* The call an actor is stopped before: what its ">" line shows. */
static void put_pending(JsonlOut *o, const GateRecord *g)
{
	if (g->kind == 0) {
		jsonl_null(o);
		return;
	}
	jsonl_begin_object(o);
	jsonl_key(o, "kind");
	jsonl_cstring(o, record_gate_name(g->kind));
	jsonl_key(o, "op");
	jsonl_cstring(o, lesson_op_name((LessonOp)g->op));
	jsonl_key(o, "step");
	jsonl_int(o, g->step);
	jsonl_key(o, "fd");
	jsonl_int(o, g->fd);
	put_args(o, g->arg);
	jsonl_key(o, "ret");
	jsonl_int(o, g->ret);
	put_errno(o, g->err);
	jsonl_key(o, "ns");
	jsonl_uint(o, g->ns);
	jsonl_key(o, "total");
	jsonl_uint(o, g->total);
	jsonl_key(o, "addr");
	put_addr(o, &g->addr, g->addrlen);
	jsonl_key(o, "data");
	jsonl_hex(o, g->data, g->len <= sizeof g->data ? g->len : 0);
	jsonl_end_object(o);
}

static void put_actor(JsonlOut *o, Run *e, int i)
{
	const RunActor *a = run_actor(e, i);
	jsonl_begin_object(o);
	jsonl_key(o, "name");
	jsonl_cstring(o, a->name);
	jsonl_key(o, "owner");
	jsonl_int(o, run_actor_owner(e, i));
	jsonl_key(o, "state");
	jsonl_cstring(o, record_state_name(a->state));
	jsonl_key(o, "step");
	jsonl_int(o, a->step);
	jsonl_key(o, "pid");
	jsonl_int(o, a->pid);
	jsonl_key(o, "program");
	jsonl_int(o, a->program);
	jsonl_key(o, "call_seq");
	jsonl_uint(o, a->call_seq);
	jsonl_key(o, "status");
	jsonl_int(o, a->status);
	jsonl_key(o, "next_example");
	jsonl_int(o, a->next_example);
	jsonl_key(o, "pending");
	put_pending(o, &a->pending);
	jsonl_end_object(o);
}

static void put_socket(JsonlOut *o, const SockInfo *s, int owner)
{
	jsonl_begin_object(o);
	jsonl_key(o, "owner");
	jsonl_int(o, owner);
	jsonl_key(o, "family");
	jsonl_cstring(o, addr_family_name(s->family));
	jsonl_key(o, "proto");
	jsonl_int(o, s->proto);
	jsonl_key(o, "socktype");
	jsonl_int(o, s->type);
	jsonl_key(o, "state");
	jsonl_int(o, s->state);
	jsonl_key(o, "state_name");
	jsonl_cstring(o, sockdiag_state_name(s));
	jsonl_key(o, "local");
	put_addr(o, &s->local, s->locallen);
	jsonl_key(o, "peer");
	put_addr(o, &s->peer, s->peerlen);
	jsonl_key(o, "rq");
	jsonl_uint(o, s->rqueue);
	jsonl_key(o, "wq");
	jsonl_uint(o, s->wqueue);
	jsonl_key(o, "inode");
	jsonl_uint(o, s->inode);
	jsonl_end_object(o);
}

/* ---- lines ------------------------------------------------------------- */

static void write_line(Record *r)
{
	if (r->error[0])
		return;
	if (r->o.failed) {
		snprintf(r->error, sizeof r->error, "%s: out of memory", r->path);
		return;
	}
	if (fwrite(r->o.buf, 1, r->o.len, r->f) != r->o.len || fputc('\n', r->f) == EOF)
		snprintf(r->error, sizeof r->error, "%s: %s", r->path, strerror(errno));
}

/* sockstep run: its "lesson" is programs, which have no source text; a
 * replay makes the lesson again from their names and commands. (The lines
 * typed to them are in the events: nothing reads the lesson's.) */
static void put_programs(JsonlOut *o, const Lesson *l)
{
	if (l->nactors == 0 || !l->actors[0].command) {
		jsonl_null(o);
		return;
	}
	jsonl_begin_array(o);
	for (int i = 0; i < l->nactors; i++) {
		const LessonActor *a = &l->actors[i];
		jsonl_begin_object(o);
		jsonl_key(o, "name");
		jsonl_cstring(o, a->name);
		text_member(o, "command", a->command ? a->command : "", a->command ? strlen(a->command) : 0);
		jsonl_end_object(o);
	}
	jsonl_end_array(o);
}

static void write_header(Record *r, Run *e)
{
	const Lesson *l = run_lesson(e);
	JsonlOut *o = &r->o;
	/* The file's name only: where it lay on the recording machine is
	 * nobody's business, and the name is what names the lesson. */
	const char *base = l->path ? strrchr(l->path, '/') : NULL;
	base = base ? base + 1 : l->path ? l->path : "";
	jsonl_out_reset(o);
	jsonl_begin_object(o);
	jsonl_key(o, "type");
	jsonl_cstring(o, "header");
	jsonl_key(o, "format");
	jsonl_cstring(o, RECORD_FORMAT);
	jsonl_key(o, "version");
	jsonl_int(o, RECORD_VERSION);
	jsonl_key(o, "sockstep");
	jsonl_cstring(o, SOCKSTEP_VERSION);
	jsonl_key(o, "created");
	jsonl_int(o, (int64_t)time(NULL));
	jsonl_key(o, "lesson");
	jsonl_begin_object(o);
	text_member(o, "name", l->name ? l->name : "", l->name ? strlen(l->name) : 0);
	text_member(o, "title", l->title ? l->title : "", l->title ? strlen(l->title) : 0);
	text_member(o, "about", l->about ? l->about : "", l->about ? strlen(l->about) : 0);
	text_member(o, "file", base, strlen(base));
	text_member(o, "source", l->source ? l->source : "", l->source ? l->source_len : 0);
	jsonl_end_object(o);
	jsonl_key(o, "actors");
	jsonl_begin_array(o);
	for (int i = 0; i < run_actor_count(e); i++)
		jsonl_cstring(o, run_actor(e, i)->name);
	jsonl_end_array(o);
	jsonl_key(o, "programs");
	put_programs(o, l);
	jsonl_key(o, "network");
	jsonl_cstring(o, run_network(e));
	jsonl_key(o, "kernel");
	jsonl_bool(o, run_kernel(e) != NULL);
	jsonl_key(o, "kernel_note");
	jsonl_cstring(o, run_kernel_note(e));
	jsonl_key(o, "free_run");
	jsonl_bool(o, run_free_running(e));
	jsonl_end_object(o);
	write_line(r);
}

static void write_events(Record *r, Run *e)
{
	const Timeline *t = run_timeline(e);
	for (; r->written < timeline_count(t); r->written++) {
		jsonl_out_reset(&r->o);
		put_event(&r->o, timeline_get(t, r->written), r->base_ns);
		write_line(r);
	}
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

/* FNV-1a over what the socket pane shows of each socket, field by field:
 * the padding of a SockInfo, and an address past its length, hold nothing. */
static uint64_t hash_sockets(const Kernel *k)
{
	uint64_t h = 1469598103934665603u;
	if (!k)
		return 0;
	const SockList *l = kernel_sockets(k);
	for (size_t i = 0; i < l->n; i++) {
		const SockInfo *s = &l->v[i];
		int head[] = { kernel_owner(k, i), s->family, s->proto, s->type, s->state };
		uint32_t tail[] = { s->rqueue, s->wqueue, s->inode };
		h = fnv(h, head, sizeof head);
		h = fnv(h, &s->local, s->locallen <= sizeof s->local ? s->locallen : 0);
		h = fnv(h, &s->peer, s->peerlen <= sizeof s->peer ? s->peerlen : 0);
		h = fnv(h, tail, sizeof tail);
	}
	return h ^ l->n;
}

static Seen seen_now(Run *e)
{
	Seen s;
	memset(&s, 0, sizeof s);
	s.events = timeline_count(run_timeline(e));
	s.steps = run_steps_done(e);
	s.socks = hash_sockets(run_kernel(e));
	for (int i = 0; i < run_actor_count(e) && i < LESSON_MAX_ACTORS; i++) {
		const RunActor *a = run_actor(e, i);
		s.a[i].state = a->state;
		s.a[i].step = a->step;
		s.a[i].status = a->status;
		s.a[i].pid = a->pid;
		s.a[i].call_seq = a->call_seq;
	}
	return s;
}

static void write_snapshot(Record *r, Run *e, const char *cause, int actor, int next)
{
	JsonlOut *o = &r->o;
	const Kernel *k = run_kernel(e);
	jsonl_out_reset(o);
	jsonl_begin_object(o);
	jsonl_key(o, "type");
	jsonl_cstring(o, "snapshot");
	jsonl_key(o, "n");
	jsonl_int(o, r->snapshots++);
	jsonl_key(o, "t");
	jsonl_int(o, (int64_t)(now_ns() - r->base_ns));
	jsonl_key(o, "cause");
	jsonl_cstring(o, cause);
	jsonl_key(o, "actor");
	jsonl_int(o, actor);
	jsonl_key(o, "events");
	jsonl_uint(o, timeline_count(run_timeline(e)));
	jsonl_key(o, "steps");
	jsonl_int(o, run_steps_done(e));
	jsonl_key(o, "next");
	jsonl_int(o, next);
	jsonl_key(o, "finished");
	jsonl_bool(o, run_finished(e));
	jsonl_key(o, "succeeded");
	jsonl_bool(o, run_succeeded(e));
	jsonl_key(o, "actors");
	jsonl_begin_array(o);
	for (int i = 0; i < run_actor_count(e); i++)
		put_actor(o, e, i);
	jsonl_end_array(o);
	jsonl_key(o, "sockets");
	if (!k) {
		jsonl_null(o);
	} else {
		const SockList *l = kernel_sockets(k);
		jsonl_begin_array(o);
		for (size_t i = 0; i < l->n; i++)
			put_socket(o, &l->v[i], kernel_owner(k, i));
		jsonl_end_array(o);
	}
	jsonl_end_object(o);
	write_line(r);
}

/* Is an actor half way (let go, its result or next stop not in yet)? Such
 * a moment lasts a millisecond; the screen it makes is not one to keep. */
static int moving(Run *e)
{
	for (int i = 0; i < run_actor_count(e); i++) {
		ActorState s = run_actor(e, i)->state;
		if (s == ACTOR_RUNNING || s == ACTOR_STARTING)
			return 1;
	}
	return 0;
}

static void finish(Record *r)
{
	if (!r->error[0] && fflush(r->f) == EOF)
		snprintf(r->error, sizeof r->error, "%s: %s", r->path, strerror(errno));
}

void record_sync(Record *r, Run *e, const char *cause, int actor)
{
	if (!r || r->error[0])
		return;
	/* A timeline emptied for a run that has not begun (a restart that
	 * failed) is not this file's run any more. */
	if (timeline_count(run_timeline(e)) < r->written)
		return;
	int step = strcmp(cause, "step") == 0 || strcmp(cause, "start") == 0;
	/* The last look before the actors are killed is kept, whatever it is. */
	if (!step && strcmp(cause, "stop") != 0 && moving(e))
		return;
	Seen now = seen_now(e);
	if (!step && memcmp(&now, &r->seen, sizeof now) == 0)
		return;
	/* Who runs next, asked first: asking reads the actors' gates, which
	 * may add to the timeline what this snapshot then counts. */
	int next = run_finished(e) ? -1 : run_next(e);
	now = seen_now(e);
	write_events(r, e);
	write_snapshot(r, e, cause, actor, next);
	r->seen = now;
	finish(r);
}

int record_begin(Record *r, Run *e, char *err, size_t errlen)
{
	const Timeline *t = run_timeline(e);
	/* A restart writes the file again from its start: it holds one run.
	 * A pipe cannot be rewound; it just goes on. */
	fflush(r->f);
	if (lseek(fileno(r->f), 0, SEEK_CUR) >= 0) {
		if (ftruncate(fileno(r->f), 0) < 0) {
			snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
			return -1;
		}
		rewind(r->f);
	}
	r->error[0] = '\0';
	r->written = 0;
	r->snapshots = 0;
	memset(&r->seen, 0, sizeof r->seen);
	r->base_ns = timeline_count(t) ? timeline_get(t, 0)->when_ns : now_ns();
	write_header(r, e);
	record_sync(r, e, "start", -1);
	if (r->error[0]) {
		snprintf(err, errlen, "cannot write the recording %s", r->error);
		return -1;
	}
	return 0;
}
