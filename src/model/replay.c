/* replay.c - a recording read back (see replay.h).
 *
 * One line at a time: parsed into a JSON tree (jsonl.h), checked member by
 * member, turned into an Event or a moment, and the tree freed. The first
 * line must be the header; the lesson is parsed from the source it carries
 * before anything else, since every later line is checked against it (an
 * actor's index, a step's). Members the reader does not know are let be:
 * they are for other readers of the file; what a version changes, the
 * version number says. */
#include "model/replay.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "model/gate.h"
#include "model/jsonl.h"
#include "model/record.h"

#ifndef SOCKSTEP_VERSION
#define SOCKSTEP_VERSION "0"
#endif

/* A line is at most this long: the header carries a lesson (1 MiB at most,
 * a few escapes longer), an event 4 KiB of bytes as hex. */
enum { LINE_MAX_BYTES = 8 << 20, DATA_MAX = GATE_DATA_MAX };

/* Times ("t", ns from the run's start) are kept to where their differences
 * cannot overflow: some 146 years either way. */
#define T_MAX ((int64_t)1 << 62)

typedef struct {
	int64_t t;
	size_t events;
	int steps, next, actor;
	int na;                /* actors: the lesson's, and a traced program's
	                          later processes and threads */
	RunActor *a;
	int owner[LESSON_MAX_ACTORS];   /* run_actor_owner of each */
	SockInfo *socks;
	int *sock_owner;
	size_t nsocks;
} Moment;

struct replay {
	Lesson *lesson;
	char *network, *kernel_note;
	int kernel, free_run;
	Event *ev;             /* when_ns holds the recorded "t" */
	int *top;              /* top[i]: the highest actor events 0..i name */
	size_t nev, evcap;
	char *names[LESSON_MAX_ACTORS];  /* the actors' names, as they appear */
	Moment *m;
	int nm, mcap;
	/* While reading. */
	const char *path;
	int line;
	char *err;
	size_t errlen;
	const char *what;      /* "event", "snapshot", ... for messages */
};

static int fail(Replay *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(Replay *r, const char *fmt, ...)
{
	int n = r->line > 0 ? snprintf(r->err, r->errlen, "%s:%d: ", r->path, r->line)
			    : snprintf(r->err, r->errlen, "%s: ", r->path);
	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- members ----------------------------------------------------------- */

static const JsonlValue *member(Replay *r, const JsonlValue *o, const char *key, JsonlType type)
{
	const JsonlValue *v = jsonl_get(o, key);
	if (!v) {
		fail(r, "%s: missing \"%s\"", r->what, key);
		return NULL;
	}
	if (v->type != type) {
		fail(r, "%s: \"%s\" must be %s, not %s", r->what, key, jsonl_type_name(type), jsonl_type_name(v->type));
		return NULL;
	}
	return v;
}

static int get_int(Replay *r, const JsonlValue *o, const char *key, int64_t min, int64_t max, int64_t *out)
{
	const JsonlValue *v = member(r, o, key, JSONL_INT);
	if (!v)
		return -1;
	if (v->i < min || v->i > max)
		return fail(r, "%s: \"%s\" is %lld, out of range (%lld to %lld)", r->what, key, (long long)v->i,
			    (long long)min, (long long)max);
	*out = v->i;
	return 0;
}

/* An int member into an int, from min to max. */
static int get_small(Replay *r, const JsonlValue *o, const char *key, int min, int max, int *out)
{
	int64_t v;
	if (get_int(r, o, key, min, max, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* An unsigned 32-bit member (queues, a window, an inode). */
static int get_u32(Replay *r, const JsonlValue *o, const char *key, uint32_t *out)
{
	int64_t v;
	if (get_int(r, o, key, 0, UINT32_MAX, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int get_bool(Replay *r, const JsonlValue *o, const char *key, int *out)
{
	const JsonlValue *v = member(r, o, key, JSONL_BOOL);
	if (!v)
		return -1;
	*out = (int)v->i;
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex text into at most cap bytes. */
static int unhex(Replay *r, const char *key, const JsonlValue *v, uint8_t *buf, size_t cap, size_t *len)
{
	if (v->len % 2)
		return fail(r, "%s: \"%s\" must be hex digits, two a byte", r->what, key);
	if (v->len / 2 > cap)
		return fail(r, "%s: \"%s\" holds %zu bytes, more than %zu", r->what, key, v->len / 2, cap);
	for (size_t i = 0; i < v->len; i += 2) {
		int hi = hex_digit(v->s[i]), lo = hex_digit(v->s[i + 1]);
		if (hi < 0 || lo < 0)
			return fail(r, "%s: \"%s\" must be lowercase hex digits", r->what, key);
		buf[i / 2] = (uint8_t)(hi * 16 + lo);
	}
	*len = v->len / 2;
	return 0;
}

static int get_hex(Replay *r, const JsonlValue *o, const char *key, uint8_t *buf, size_t cap, size_t *len)
{
	const JsonlValue *v = member(r, o, key, JSONL_STRING);
	return v ? unhex(r, key, v, buf, cap, len) : -1;
}

/* A text member: "key" as a string, or "key_hex" for bytes that are not
 * UTF-8; null is NULL where allowed. The result is malloc'd, NUL-ended, and
 * holds no NUL byte (it is a C string to the views). */
static int get_text(Replay *r, const JsonlValue *o, const char *key, int null_ok, char **out, size_t *outlen)
{
	char hexkey[64];
	const JsonlValue *v = jsonl_get(o, key);
	*out = NULL;
	if (outlen)
		*outlen = 0;
	if (v && v->type == JSONL_NULL && null_ok)
		return 0;
	if (v && v->type == JSONL_STRING) {
		if (!(*out = strdup(v->s)))
			return fail(r, "out of memory");
		if (outlen)
			*outlen = v->len;
		return 0;
	}
	if (v)
		return fail(r, "%s: \"%s\" must be a string%s", r->what, key, null_ok ? " or null" : "");
	snprintf(hexkey, sizeof hexkey, "%s_hex", key);
	if (!(v = member(r, o, hexkey, JSONL_STRING)))
		return -1;
	uint8_t *buf = malloc(v->len / 2 + 1);
	size_t n;
	if (!buf)
		return fail(r, "out of memory");
	if (unhex(r, hexkey, v, buf, v->len / 2, &n) < 0 || memchr(buf, 0, n)) {
		free(buf);
		return fail(r, "%s: \"%s\" must be hex digits of bytes other than 0", r->what, hexkey);
	}
	buf[n] = '\0';
	*out = (char *)buf;
	if (outlen)
		*outlen = n;
	return 0;
}

static int get_args(Replay *r, const JsonlValue *o, int64_t arg[3])
{
	const JsonlValue *v = member(r, o, "arg", JSONL_ARRAY);
	if (!v)
		return -1;
	if (v->len != 3)
		return fail(r, "%s: \"arg\" must hold 3 numbers", r->what);
	for (int i = 0; i < 3; i++) {
		if (v->v[i].type != JSONL_INT)
			return fail(r, "%s: \"arg\" must hold 3 numbers", r->what);
		arg[i] = v->v[i].i;
	}
	return 0;
}

static int get_word(Replay *r, const JsonlValue *o, const char *key, int (*find)(const char *), int *out)
{
	const JsonlValue *v = member(r, o, key, JSONL_STRING);
	if (!v)
		return -1;
	int i = find(v->s);
	if (i < 0)
		return fail(r, "%s: unknown %s \"%.40s\"", r->what, key, v->s);
	*out = i;
	return 0;
}

static int op_find(const char *name)
{
	for (int i = 0; i < OP_COUNT_; i++)
		if (strcmp(lesson_op_name((LessonOp)i), name) == 0)
			return i;
	return -1;
}

static int family_find(const char *name)
{
	static const struct { const char *name; int family; } f[] = {
		{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNIX", AF_UNIX }, { "AF_UNSPEC", AF_UNSPEC },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].family;
	return -1;
}

/* An address object (record.c: put_addr) back into a sockaddr, or null. */
static int get_addr(Replay *r, const JsonlValue *o, const char *key, struct sockaddr_storage *ss, uint32_t *len)
{
	const JsonlValue *a = jsonl_get(o, key);
	int64_t n, port = 0, scope = 0, flow = 0;
	uint8_t bytes[sizeof *ss];
	size_t nb;
	memset(ss, 0, sizeof *ss);
	*len = 0;
	if (a && a->type == JSONL_NULL)
		return 0;
	if (!(a = member(r, o, key, JSONL_OBJECT)))
		return -1;
	if (get_int(r, a, "len", 1, sizeof *ss, &n) < 0 || get_hex(r, a, "bytes", bytes, sizeof bytes, &nb) < 0)
		return -1;
	const JsonlValue *fam = jsonl_get(a, "family");
	int family = fam && fam->type == JSONL_STRING ? family_find(fam->s) : -1;
	if (fam && fam->type == JSONL_INT) {
		/* Raw: the whole sockaddr as it was. */
		if (fam->i < 0 || fam->i > 65535 || nb != (size_t)n || nb < sizeof(sa_family_t))
			return fail(r, "%s: \"%s\": a raw address is its len bytes, family first", r->what, key);
		memcpy(ss, bytes, nb);
		ss->ss_family = (sa_family_t)fam->i;
		*len = (uint32_t)n;
		return 0;
	}
	if (family == AF_INET || family == AF_INET6) {
		if (get_int(r, a, "port", 0, 65535, &port) < 0)
			return -1;
	}
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)ss;
		if (nb != sizeof in->sin_addr || n != sizeof *in)
			return fail(r, "%s: \"%s\": an AF_INET address is 4 bytes, len 16", r->what, key);
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		memcpy(&in->sin_addr, bytes, nb);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (void *)ss;
		if (get_int(r, a, "flowinfo", 0, UINT32_MAX, &flow) < 0 ||
		    get_int(r, a, "scope_id", 0, UINT32_MAX, &scope) < 0)
			return -1;
		if (nb != sizeof in6->sin6_addr || n != sizeof *in6)
			return fail(r, "%s: \"%s\": an AF_INET6 address is 16 bytes, len 28", r->what, key);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		in6->sin6_flowinfo = htonl((uint32_t)flow);
		in6->sin6_scope_id = (uint32_t)scope;
		memcpy(&in6->sin6_addr, bytes, nb);
	} else if (family == AF_UNIX) {
		struct sockaddr_un *un = (void *)ss;
		size_t at = offsetof(struct sockaddr_un, sun_path);
		if (n < (int64_t)at || n > (int64_t)sizeof *un || nb != (size_t)n - at)
			return fail(r, "%s: \"%s\": an AF_UNIX address is its path's bytes, len 2 more", r->what, key);
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, bytes, nb);
	} else {
		return fail(r, "%s: \"%s\": unknown family", r->what, key);
	}
	*len = (uint32_t)n;
	return 0;
}

/* ---- the header ---------------------------------------------------------- */

static int check_version(Replay *r, const JsonlValue *h)
{
	const JsonlValue *format = jsonl_get(h, "format");
	const JsonlValue *version = jsonl_get(h, "version");
	const JsonlValue *by = jsonl_get(h, "sockstep");
	if (!format || format->type != JSONL_STRING || strcmp(format->s, RECORD_FORMAT) != 0)
		return fail(r, "not a sockstep recording (no \"format\": \"%s\")", RECORD_FORMAT);
	if (!version || version->type != JSONL_INT || version->i < 1)
		return fail(r, "header: \"version\" must be a number from 1");
	if (version->i > RECORD_VERSION)
		return fail(r, "a recording of format version %lld%s%s, newer than this sockstep (%s) reads (%d): "
			    "replay it with a newer sockstep", (long long)version->i,
			    by && by->type == JSONL_STRING ? ", made by sockstep " : "",
			    by && by->type == JSONL_STRING ? by->s : "", SOCKSTEP_VERSION, RECORD_VERSION);
	return 0;
}

/* sockstep run: the lesson is the programs, by name and command. */
static int read_programs(Replay *r, const JsonlValue *l, const JsonlValue *p)
{
	char *title = NULL, *names[LESSON_MAX_ACTORS] = { 0 }, *commands[LESSON_MAX_ACTORS] = { 0 };
	size_t n = p->len;
	int rc = -1;
	if (n == 0 || n > LESSON_MAX_ACTORS) {
		fail(r, "header: 1 to %d programs, not %zu", LESSON_MAX_ACTORS, n);
		return -1;
	}
	if (get_text(r, l, "title", 0, &title, NULL) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (p->v[i].type != JSONL_OBJECT) {
			fail(r, "header: each program must be an object");
			goto out;
		}
		if (get_text(r, &p->v[i], "name", 0, &names[i], NULL) < 0 ||
		    get_text(r, &p->v[i], "command", 0, &commands[i], NULL) < 0)
			goto out;
	}
	r->lesson = lesson_programs(title, names, commands, (int)n);
	rc = r->lesson ? 0 : fail(r, "out of memory");
out:
	free(title);
	for (size_t i = 0; i < n && i < LESSON_MAX_ACTORS; i++) {
		free(names[i]);
		free(commands[i]);
	}
	return rc;
}

static int read_lesson(Replay *r, const JsonlValue *h)
{
	char *file = NULL, *source = NULL, perr[512];
	size_t len;
	const JsonlValue *l = member(r, h, "lesson", JSONL_OBJECT);
	const JsonlValue *programs = jsonl_get(h, "programs");
	if (l && programs && programs->type == JSONL_ARRAY)
		return read_programs(r, l, programs);
	if (!l || get_text(r, l, "file", 0, &file, NULL) < 0 || get_text(r, l, "source", 0, &source, &len) < 0) {
		free(file);
		return -1;
	}
	/* The name comes from the file's name, as when the lesson is opened. */
	r->lesson = lesson_parse(*file ? file : "recorded.lesson", source, len, perr, sizeof perr);
	free(file);
	free(source);
	if (!r->lesson)
		return fail(r, "the recorded lesson does not parse: %s", perr);
	return 0;
}

static int read_actors(Replay *r, const JsonlValue *h)
{
	const JsonlValue *v = member(r, h, "actors", JSONL_ARRAY);
	if (!v)
		return -1;
	if (v->len != (size_t)r->lesson->nactors)
		return fail(r, "header: %zu actors, but the lesson has %d", v->len, r->lesson->nactors);
	for (size_t i = 0; i < v->len; i++) {
		if (v->v[i].type != JSONL_STRING || strcmp(v->v[i].s, r->lesson->actors[i].name) != 0)
			return fail(r, "header: actor %zu is not the lesson's \"%s\"", i, r->lesson->actors[i].name);
		if (!(r->names[i] = strdup(v->v[i].s)))
			return fail(r, "out of memory");
	}
	return 0;
}

static int read_header(Replay *r, const JsonlValue *h)
{
	const JsonlValue *type = jsonl_get(h, "type");
	r->what = "header";
	if (!type || type->type != JSONL_STRING || strcmp(type->s, "header") != 0)
		return fail(r, "not a sockstep recording (its first line is no header)");
	if (check_version(r, h) < 0 || read_lesson(r, h) < 0 || read_actors(r, h) < 0)
		return -1;
	if (get_text(r, h, "network", 0, &r->network, NULL) < 0 ||
	    get_text(r, h, "kernel_note", 0, &r->kernel_note, NULL) < 0 ||
	    get_bool(r, h, "kernel", &r->kernel) < 0 || get_bool(r, h, "free_run", &r->free_run) < 0)
		return -1;
	return 0;
}

/* ---- events ---------------------------------------------------------------- */

/* Does the actor walk a lesson's steps? A traced program's actors (and
 * the processes and threads it makes, past the lesson's actors) count
 * their calls instead, and no view looks a step up for them. */
static int has_steps(const Replay *r, int actor)
{
	return actor >= 0 && actor < r->lesson->nactors && !r->lesson->actors[actor].command;
}

/* A step index: -1, or one of the actor's steps (or one past its last,
 * where an actor that has ended stands); any count for a traced one. */
static int step_ok(const Replay *r, int actor, int step, int past_end)
{
	if (step == -1)
		return 1;
	if (actor < 0)
		return 0;
	if (!has_steps(r, actor))
		return step >= 0;
	return step >= 0 && step < r->lesson->actors[actor].nsteps + past_end;
}

static int push_event(Replay *r, const Event *ev)
{
	if (r->nev == r->evcap) {
		size_t cap = r->evcap ? r->evcap * 2 : 256;
		Event *grown = realloc(r->ev, cap * sizeof *grown);
		if (!grown)
			return fail(r, "out of memory");
		r->ev = grown;
		int *top = realloc(r->top, cap * sizeof *top);
		if (!top)
			return fail(r, "out of memory");
		r->top = top;
		r->evcap = cap;
	}
	/* A moment must have every actor its events name: the views look
	 * each one up. */
	int top = ev->actor > ev->peer_actor ? ev->actor : ev->peer_actor;
	if (r->nev && r->top[r->nev - 1] > top)
		top = r->top[r->nev - 1];
	r->top[r->nev] = top;
	r->ev[r->nev++] = *ev;
	return 0;
}

static int event_numbers(Replay *r, const JsonlValue *o, Event *ev)
{
	int64_t v;
	if (get_int(r, o, "fd", INT32_MIN, INT32_MAX, &v) < 0)
		return -1;
	ev->fd = (int)v;
	if (get_args(r, o, ev->arg) < 0 || get_int(r, o, "ret", INT64_MIN, INT64_MAX, &ev->ret) < 0 ||
	    get_small(r, o, "errno", INT32_MIN, INT32_MAX, &ev->err) < 0 ||
	    get_int(r, o, "ns", 0, INT64_MAX, &v) < 0)
		return -1;
	ev->ns = (uint64_t)v;
	if (get_int(r, o, "total", 0, INT64_MAX, &v) < 0)
		return -1;
	ev->total = (uint64_t)v;
	if (get_bool(r, o, "blocked", &ev->blocked) < 0 ||
	    get_small(r, o, "status", INT32_MIN, INT32_MAX, &ev->status) < 0 ||
	    get_int(r, o, "call_seq", 0, (int64_t)ev->seq, &v) < 0)
		return -1;
	ev->call_seq = (uint64_t)v;
	if (get_small(r, o, "state", -1, INT32_MAX, &ev->state) < 0 ||
	    get_small(r, o, "old_state", -1, INT32_MAX, &ev->old_state) < 0 ||
	    get_small(r, o, "proto", 0, 255, &ev->proto) < 0 || get_small(r, o, "socktype", 0, 255, &ev->type) < 0 ||
	    get_u32(r, o, "rq", &ev->rq) < 0 || get_u32(r, o, "wq", &ev->wq) < 0 ||
	    get_u32(r, o, "window", &ev->window) < 0)
		return -1;
	return 0;
}

/* Kinds whose text a view prints: they must have one. */
static int needs_text(int kind)
{
	return kind == EV_PRINT || kind == EV_INPUT || kind == EV_NOTE;
}

static int read_event(Replay *r, const JsonlValue *o)
{
	Event ev;
	int64_t v;
	uint8_t data[DATA_MAX];
	int kind = 0;
	memset(&ev, 0, sizeof ev);
	r->what = "event";
	if (get_int(r, o, "seq", 1, INT64_MAX, &v) < 0)
		return -1;
	if ((uint64_t)v != r->nev + 1)
		return fail(r, "event: seq %lld where %zu comes next", (long long)v, r->nev + 1);
	ev.seq = (uint64_t)v;
	if (get_int(r, o, "t", -T_MAX, T_MAX, &v) < 0 || get_word(r, o, "kind", record_kind_find, &kind) < 0 ||
	    get_small(r, o, "actor", -1, LESSON_MAX_ACTORS - 1, &ev.actor) < 0 ||
	    get_small(r, o, "step", -1, LESSON_MAX_STEPS, &ev.step) < 0 || get_word(r, o, "op", op_find, &ev.op) < 0 ||
	    get_small(r, o, "peer_actor", -1, LESSON_MAX_ACTORS - 1, &ev.peer_actor) < 0)
		return -1;
	ev.when_ns = (uint64_t)v;
	ev.kind = (EventKind)kind;
	/* An actor that ran its steps exits past its last one. */
	if (!step_ok(r, ev.actor, ev.step, ev.kind == EV_EXIT))
		return fail(r, "event: step %d is not one of the actor's", ev.step);
	if (event_numbers(r, o, &ev) < 0 || get_addr(r, o, "addr", &ev.addr, &ev.addrlen) < 0 ||
	    get_addr(r, o, "peer", &ev.peer, &ev.peerlen) < 0 || get_hex(r, o, "data", data, sizeof data, &ev.len) < 0)
		return -1;
	if (get_text(r, o, "text", 1, &ev.text, NULL) < 0)
		return -1;
	if (needs_text(ev.kind) && !ev.text)
		return fail(r, "event: a %s event needs its \"text\"", record_kind_name(ev.kind));
	if (ev.len && !(ev.data = malloc(ev.len))) {
		free(ev.text);
		return fail(r, "out of memory");
	}
	if (ev.len)
		memcpy(ev.data, data, ev.len);
	if (push_event(r, &ev) < 0) {
		free(ev.data);
		free(ev.text);
		return -1;
	}
	return 0;
}

/* ---- snapshots --------------------------------------------------------------- */

static int read_pending(Replay *r, const JsonlValue *o, int actor, GateRecord *g)
{
	const JsonlValue *p = jsonl_get(o, "pending");
	int kind = 0, op = 0, step = 0;
	int64_t v;
	size_t len;
	memset(g, 0, offsetof(GateRecord, data));
	g->len = 0;
	if (p && p->type == JSONL_NULL)
		return 0;
	if (!(p = member(r, o, "pending", JSONL_OBJECT)))
		return -1;
	if (get_word(r, p, "kind", record_gate_find, &kind) < 0 || get_word(r, p, "op", op_find, &op) < 0 ||
	    get_small(r, p, "step", 0, LESSON_MAX_STEPS, &step) < 0 ||
	    get_small(r, p, "fd", INT32_MIN, INT32_MAX, &g->fd) < 0 ||
	    get_args(r, p, g->arg) < 0 || get_int(r, p, "ret", INT64_MIN, INT64_MAX, &g->ret) < 0 ||
	    get_small(r, p, "errno", INT32_MIN, INT32_MAX, &g->err) < 0 || get_int(r, p, "ns", 0, INT64_MAX, &v) < 0)
		return -1;
	g->ns = (uint64_t)v;
	if (get_int(r, p, "total", 0, INT64_MAX, &v) < 0 || get_addr(r, p, "addr", &g->addr, &g->addrlen) < 0 ||
	    get_hex(r, p, "data", g->data, sizeof g->data, &len) < 0)
		return -1;
	if (!step_ok(r, actor, step, 1))
		return fail(r, "snapshot: pending step %d is not one of the actor's", step);
	g->total = (uint64_t)v;
	g->kind = (uint8_t)kind;
	g->op = (uint8_t)op;
	g->step = (uint16_t)step;
	g->len = (uint32_t)len;
	return 0;
}

/* States in which an actor stands at one of its steps (the views show it). */
static int at_a_step(ActorState s)
{
	return s == ACTOR_READY || s == ACTOR_INPUT || s == ACTOR_RUNNING || s == ACTOR_BLOCKED;
}

/* Actor i's name: the lesson's for its own actors; a traced program's
 * later processes and threads are named when they first appear, and keep
 * that name. */
static int actor_name(Replay *r, const JsonlValue *o, int i)
{
	const JsonlValue *name = member(r, o, "name", JSONL_STRING);
	if (!name)
		return -1;
	if (r->names[i])
		return strcmp(r->names[i], name->s) == 0 ? 0
		       : fail(r, "snapshot: actor %d is \"%s\", not \"%.40s\"", i, r->names[i], name->s);
	if (name->len == 0 || name->len >= 48)
		return fail(r, "snapshot: an actor's name is 1 to 47 bytes");
	return (r->names[i] = strdup(name->s)) ? 0 : fail(r, "out of memory");
}

/* Whose process actor i runs in: itself for the lesson's actors; for the
 * others, a traced program of the lesson (only programs make more). */
static int actor_owner(Replay *r, const JsonlValue *o, int i, int *owner)
{
	if (get_small(r, o, "owner", 0, LESSON_MAX_ACTORS - 1, owner) < 0)
		return -1;
	int ok = i < r->lesson->nactors ? *owner == i
				       : *owner < r->lesson->nactors && r->lesson->actors[*owner].command;
	return ok ? 0 : fail(r, "snapshot: actor %d cannot be actor %d's", i, *owner);
}

static int read_actor(Replay *r, const JsonlValue *o, int i, Moment *m)
{
	int state;
	int64_t v;
	RunActor *a = &m->a[i];
	r->what = "snapshot";
	if (o->type != JSONL_OBJECT)
		return fail(r, "snapshot: each actor must be an object");
	if (actor_name(r, o, i) < 0 || actor_owner(r, o, i, &m->owner[i]) < 0)
		return -1;
	if (get_word(r, o, "state", record_state_find, &state) < 0 ||
	    get_small(r, o, "step", -1, INT32_MAX, &a->step) < 0 ||
	    get_small(r, o, "pid", 0, INT32_MAX, &a->pid) < 0 ||
	    get_small(r, o, "program", 0, INT32_MAX, &a->program) < 0 ||
	    get_int(r, o, "call_seq", 0, (int64_t)m->events, &v) < 0 ||
	    get_small(r, o, "status", INT32_MIN, INT32_MAX, &a->status) < 0 ||
	    get_small(r, o, "next_example", 0, INT32_MAX, &a->next_example) < 0 ||
	    read_pending(r, o, i, &a->pending) < 0)
		return -1;
	a->state = (ActorState)state;
	a->call_seq = (uint64_t)v;
	a->name = r->names[i];
	int at_step = !has_steps(r, i) || (a->step >= 0 && a->step < r->lesson->actors[i].nsteps);
	if (!step_ok(r, i, a->step, 1) || (at_a_step(a->state) && !at_step))
		return fail(r, "snapshot: actor %s %s at step %d, which it does not have", a->name,
			    record_state_name(a->state), a->step);
	return 0;
}

static int read_socket(Replay *r, const JsonlValue *o, int na, SockInfo *s, int *owner)
{
	memset(s, 0, sizeof *s);
	if (o->type != JSONL_OBJECT)
		return fail(r, "snapshot: each socket must be an object");
	const JsonlValue *fam = member(r, o, "family", JSONL_STRING);
	if (!fam)
		return -1;
	if ((s->family = family_find(fam->s)) < 0)
		return fail(r, "snapshot: unknown socket family \"%.20s\"", fam->s);
	uint32_t ll, pl;
	if (get_small(r, o, "owner", -1, na - 1, owner) < 0 ||
	    get_small(r, o, "proto", 0, 255, &s->proto) < 0 || get_small(r, o, "socktype", 0, 255, &s->type) < 0 ||
	    get_small(r, o, "state", 0, 255, &s->state) < 0 || get_addr(r, o, "local", &s->local, &ll) < 0 ||
	    get_addr(r, o, "peer", &s->peer, &pl) < 0 || get_u32(r, o, "rq", &s->rqueue) < 0 ||
	    get_u32(r, o, "wq", &s->wqueue) < 0 || get_u32(r, o, "inode", &s->inode) < 0)
		return -1;
	s->locallen = ll;
	s->peerlen = pl;
	return 0;
}

static int read_sockets(Replay *r, const JsonlValue *o, Moment *m)
{
	const JsonlValue *v = jsonl_get(o, "sockets");
	if (v && v->type == JSONL_NULL)
		return 0;
	if (!(v = member(r, o, "sockets", JSONL_ARRAY)))
		return -1;
	if (!v->len)
		return 0;
	m->socks = calloc(v->len, sizeof *m->socks);
	m->sock_owner = calloc(v->len, sizeof *m->sock_owner);
	if (!m->socks || !m->sock_owner)
		return fail(r, "out of memory");
	for (size_t i = 0; i < v->len; i++) {
		if (read_socket(r, &v->v[i], m->na, &m->socks[i], &m->sock_owner[i]) < 0)
			return -1;
		m->nsocks++;
	}
	return 0;
}

static void moment_free(Moment *m)
{
	free(m->a);
	free(m->socks);
	free(m->sock_owner);
}

/* How many actors a moment has: the lesson's at least, and no fewer than
 * the moment before (a run's actors only grow), nor than its events name. */
static int moment_actors(Replay *r, const JsonlValue *actors, Moment *m)
{
	int least = r->nm ? r->m[r->nm - 1].na : r->lesson->nactors;
	int top = m->events ? r->top[m->events - 1] : -1;
	if (top >= (int)actors->len)
		return fail(r, "snapshot: %zu actors, but its events name actor %d", actors->len, top);
	if (actors->len < (size_t)least || actors->len > LESSON_MAX_ACTORS)
		return fail(r, "snapshot: %zu actors, where there are %d to %d", actors->len, least, LESSON_MAX_ACTORS);
	m->na = (int)actors->len;
	return 0;
}

static int read_moment(Replay *r, const JsonlValue *o, Moment *m)
{
	int64_t v, n;
	size_t before = r->nm ? r->m[r->nm - 1].events : 0;
	r->what = "snapshot";
	if (get_int(r, o, "n", 0, INT32_MAX, &n) < 0)
		return -1;
	if (n != r->nm)
		return fail(r, "snapshot: n is %lld where %d comes next", (long long)n, r->nm);
	if (get_int(r, o, "t", -T_MAX, T_MAX, &m->t) < 0 || get_int(r, o, "events", 0, (int64_t)r->nev, &v) < 0)
		return -1;
	m->events = (size_t)v;
	if (m->events < before)
		return fail(r, "snapshot: %zu events, fewer than the one before", m->events);
	const JsonlValue *actors = member(r, o, "actors", JSONL_ARRAY);
	if (!actors || moment_actors(r, actors, m) < 0)
		return -1;
	int na = m->na;
	if (get_small(r, o, "steps", 0, INT32_MAX, &m->steps) < 0 ||
	    get_small(r, o, "next", -1, na - 1, &m->next) < 0 || get_small(r, o, "actor", -1, na - 1, &m->actor) < 0)
		return -1;
	/* Steps only grow in a run: replay_find_step counts on it. */
	if (r->nm && m->steps < r->m[r->nm - 1].steps)
		return fail(r, "snapshot: %d steps, fewer than the one before", m->steps);
	if (!(m->a = calloc((size_t)na, sizeof *m->a)))
		return fail(r, "out of memory");
	for (int i = 0; i < na; i++)
		if (read_actor(r, &actors->v[i], i, m) < 0)
			return -1;
	return read_sockets(r, o, m);
}

static int push_moment(Replay *r, const JsonlValue *o)
{
	Moment m;
	memset(&m, 0, sizeof m);
	if (read_moment(r, o, &m) < 0) {
		moment_free(&m);
		return -1;
	}
	if (r->nm == r->mcap) {
		int cap = r->mcap ? r->mcap * 2 : 64;
		Moment *grown = realloc(r->m, (size_t)cap * sizeof *grown);
		if (!grown) {
			moment_free(&m);
			return fail(r, "out of memory");
		}
		r->m = grown;
		r->mcap = cap;
	}
	r->m[r->nm++] = m;
	return 0;
}

/* ---- lines -------------------------------------------------------------------- */

static int read_line(Replay *r, const char *text, size_t len)
{
	char jerr[200];
	if (len > LINE_MAX_BYTES)
		return fail(r, "a line of %zu bytes, longer than a recording has", len);
	if (len == 0)
		return fail(r, "an empty line");
	JsonlValue *o = jsonl_parse(text, len, jerr, sizeof jerr);
	if (!o)
		return fail(r, "%snot JSON (%s)", r->line == 1 ? "not a sockstep recording: " : "", jerr);
	int rc;
	const JsonlValue *type = jsonl_get(o, "type");
	if (r->line == 1)
		rc = o->type == JSONL_OBJECT ? read_header(r, o)
					    : fail(r, "not a sockstep recording (its first line is no header)");
	else if (o->type != JSONL_OBJECT || !type || type->type != JSONL_STRING)
		rc = fail(r, "a line must be an object with a \"type\"");
	else if (strcmp(type->s, "event") == 0)
		rc = read_event(r, o);
	else if (strcmp(type->s, "snapshot") == 0)
		rc = push_moment(r, o);
	else if (strcmp(type->s, "header") == 0)
		rc = fail(r, "a second header: two recordings in one file?");
	else
		rc = fail(r, "unknown line type \"%.40s\"", type->s);
	jsonl_free(o);
	return rc;
}

static Replay *begin(const char *name, char *err, size_t errlen)
{
	Replay *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	r->path = name;
	r->err = err;
	r->errlen = errlen;
	return r;
}

/* The whole file is read: a recording with no moment shows nothing. */
static Replay *end(Replay *r)
{
	if (r->line == 0) {
		r->line = 1;
		fail(r, "empty: not a sockstep recording");
		replay_free(r);
		return NULL;
	}
	if (r->nm == 0) {
		r->line = 0;
		fail(r, "no snapshot: the recording holds no moment to show");
		replay_free(r);
		return NULL;
	}
	r->path = NULL;
	r->err = NULL;
	return r;
}

Replay *replay_parse(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	Replay *r = begin(name, err, errlen);
	size_t pos = 0;
	if (!r)
		return NULL;
	while (pos < len) {
		const char *ln = text + pos;
		const char *nl = memchr(ln, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - ln) : len - pos;
		pos += n + (nl != NULL);
		r->line++;
		if (read_line(r, ln, n) < 0) {
			replay_free(r);
			return NULL;
		}
	}
	return end(r);
}

Replay *replay_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	Replay *r = begin(path, err, errlen);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (r && (n = getline(&line, &cap, f)) >= 0) {
		r->line++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (read_line(r, line, (size_t)n) < 0) {
			replay_free(r);
			r = NULL;
		}
	}
	if (r && ferror(f)) {
		fail(r, "cannot read: %s", strerror(errno));
		replay_free(r);
		r = NULL;
	}
	free(line);
	fclose(f);
	return r ? end(r) : NULL;
}

void replay_free(Replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nev; i++) {
		free(r->ev[i].data);
		free(r->ev[i].text);
	}
	free(r->ev);
	free(r->top);
	for (int i = 0; i < LESSON_MAX_ACTORS; i++)
		free(r->names[i]);
	for (int i = 0; i < r->nm; i++)
		moment_free(&r->m[i]);
	free(r->m);
	lesson_free(r->lesson);
	free(r->network);
	free(r->kernel_note);
	free(r);
}

/* ---- moments -------------------------------------------------------------------- */

const Lesson *replay_lesson(const Replay *r)
{
	return r->lesson;
}

const char *replay_network(const Replay *r)
{
	return r->network;
}

const char *replay_kernel_note(const Replay *r)
{
	return r->kernel_note;
}

int replay_had_kernel(const Replay *r)
{
	return r->kernel;
}

int replay_free_run(const Replay *r)
{
	return r->free_run;
}

int replay_moments(const Replay *r)
{
	return r->nm;
}

static const Moment *moment(const Replay *r, int n)
{
	return n >= 0 && n < r->nm ? &r->m[n] : NULL;
}

int replay_steps(const Replay *r, int n)
{
	const Moment *m = moment(r, n);
	return m ? m->steps : 0;
}

int replay_next(const Replay *r, int n)
{
	const Moment *m = moment(r, n);
	return m ? m->next : -1;
}

int replay_actor(const Replay *r, int n)
{
	const Moment *m = moment(r, n);
	return m ? m->actor : -1;
}

int replay_find_step(const Replay *r, int s)
{
	int found = -1;
	if (s < 0 || r->nm == 0 || s > r->m[r->nm - 1].steps)
		return -1;
	for (int i = 0; i < r->nm && r->m[i].steps <= s; i++)
		found = i;
	return found < 0 ? 0 : found;
}

int replay_apply(const Replay *r, int n, Timeline *t, RunActor *a, int *owner, int *na, Kernel *k,
		 uint64_t now_ns)
{
	const Moment *m = moment(r, n);
	if (!m)
		return -1;
	timeline_truncate(t, m->events);
	for (size_t i = timeline_count(t); i < m->events; i++)
		if (!timeline_add(t, &r->ev[i]))
			return -1;
	/* Each event as long before now as it was before the moment. */
	for (size_t i = 0; i < m->events; i++) {
		int64_t ago = m->t - (int64_t)r->ev[i].when_ns;
		uint64_t when = ago <= 0 ? now_ns : (uint64_t)ago >= now_ns ? 1 : now_ns - (uint64_t)ago;
		timeline_set_when(t, i, when);
	}
	for (int i = 0; i < m->na; i++) {
		a[i] = m->a[i];
		owner[i] = m->owner[i];
	}
	*na = m->na;
	if (k && kernel_restore(k, m->socks, m->sock_owner, m->nsocks) < 0)
		return -1;
	return 0;
}
