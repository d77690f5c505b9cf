/* replay.c - a recording read back (see replay.h).
 *
 * Model layer. One line at a time: parsed into a JSON tree (jsonl.h),
 * read member by member as recformat.h's tables say, turned into an Event
 * or a Moment, and the tree freed. The tables check each member's type and
 * range; what only a whole recording can say (seqs follow each other, an
 * actor's step is one its lesson has, a moment has every actor its events
 * name) is checked here. The first line must be the header; the lesson is
 * parsed from the source it carries before anything else, since every
 * later line is checked against it. Members the reader does not know are
 * let be: they are for other readers of the file; what a version changes,
 * the version number says. */
#include "model/replay.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsonl.h"
#include "model/recformat.h"

#ifndef SOCKSTEP_VERSION
#define SOCKSTEP_VERSION "0"
#endif

/* A line is at most this long: the header carries a lesson (1 MiB at most,
 * a few escapes longer), an event 4 KiB of bytes as hex. */
enum { LINE_MAX_BYTES = 8 << 20 };

/* A RunActor kept without the unused part of its pending call's bytes:
 * its bytes up to the data, the len bytes of data, then the rest. */
typedef struct {
	size_t size;
	unsigned char bytes[];
} Packed;

struct replay {
	Lesson *lesson;
	RecHeader h;           /* network, kernel, kernel_note, free_run */
	Event *ev;             /* when_ns holds the recorded "t" */
	int *top;              /* top[i]: the highest actor events 0..i name */
	size_t nev, evcap;
	char *names[LESSON_MAX_ACTORS];  /* the actors' names, as they appear */
	Moment *m;             /* when_ns holds the recorded "t"; the arrays are
	                          the replay's (moment_free), but for a: */
	const Packed ***pa;    /* pa[n][i]: moment n's actor i (m[n].a is NULL) */
	Packed **kept;         /* every actor pa points at, each once */
	size_t nkept, keptcap;
	int nm, mcap;
	/* While reading. */
	const char *path;
	int line;
	char *err;
	size_t errlen;
	const char *what;      /* "event", "snapshot", ... for messages */
	char msg[512];         /* recformat's refusal, before its place is put */
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

/* recformat's context for reading what r->what names; limit[RL_EVENTS]
 * is the events read so far unless the caller says otherwise. */
static RecReader reader(Replay *r)
{
	RecReader rd = { .what = r->what, .err = r->msg, .errlen = sizeof r->msg };
	rd.limit[RL_EVENTS] = (int64_t)r->nev;
	rd.limit[RL_SEQ] = (int64_t)r->nev + 1;
	rd.limit[RL_ACTOR] = LESSON_MAX_ACTORS - 1;
	return rd;
}

/* recformat refused: its message, at this line. */
static int refused(Replay *r)
{
	return fail(r, "%s", r->msg);
}

static const JsonlValue *member(Replay *r, const JsonlValue *o, const char *key, JsonlType type)
{
	RecReader rd = reader(r);
	const JsonlValue *v = recformat_member(&rd, o, key, type);
	if (!v)
		refused(r);
	return v;
}

static int get_text(Replay *r, const JsonlValue *o, const char *key, int null_ok, char **out, size_t *outlen)
{
	RecReader rd = reader(r);
	return recformat_get_text(&rd, o, key, null_ok, out, outlen) < 0 ? refused(r) : 0;
}

static int get(Replay *r, const RecReader *rd, const RecObject *t, const JsonlValue *o, void *row, int *side)
{
	return recformat_get(rd, t, o, row, side) < 0 ? refused(r) : 0;
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
	RecReader rd = reader(r);
	return get(r, &rd, &recformat_header, h, &r->h, NULL);
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

/* Kinds whose text a view prints: they must have one. */
static int needs_text(int kind)
{
	return kind == EV_PRINT || kind == EV_INPUT || kind == EV_NOTE;
}

/* Kinds that only an actor's process makes: the views look their actor
 * up. Packets and socket states may be the kernel's (-1), and a note
 * sockstep's own. */
static int needs_actor(int kind)
{
	return kind == EV_CALL || kind == EV_RETURN || kind == EV_PRINT || kind == EV_INPUT || kind == EV_EXIT;
}

/* What only the recording can check of an event: it follows the one
 * before, made by an actor when only an actor makes it, at a step its
 * actor has, with the text a view prints. */
static int check_event(Replay *r, const Event *ev)
{
	if (ev->seq != r->nev + 1)
		return fail(r, "event: seq %llu where %zu comes next", (unsigned long long)ev->seq, r->nev + 1);
	if (needs_actor(ev->kind) && ev->actor < 0)
		return fail(r, "event: %s by actor %d: only an actor makes one", recformat_kind_name(ev->kind),
			    ev->actor);
	/* An actor that ran its steps exits past its last one. */
	if (!step_ok(r, ev->actor, ev->step, ev->kind == EV_EXIT))
		return fail(r, "event: step %d is not one of the actor's", ev->step);
	if (needs_text(ev->kind) && !ev->text)
		return fail(r, "event: a %s event needs its \"text\"", recformat_kind_name(ev->kind));
	return 0;
}

static int read_event(Replay *r, const JsonlValue *o)
{
	Event ev;
	memset(&ev, 0, sizeof ev);
	r->what = "event";
	RecReader rd = reader(r);
	if (get(r, &rd, &recformat_event, o, &ev, NULL) < 0 || check_event(r, &ev) < 0 || push_event(r, &ev) < 0) {
		recformat_release(&recformat_event, &ev);
		return -1;
	}
	return 0;
}

/* ---- snapshots --------------------------------------------------------------- */

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
static int owner_ok(Replay *r, int i, int owner)
{
	int ok = i < r->lesson->nactors ? owner == i
				       : owner < r->lesson->nactors && r->lesson->actors[owner].command;
	return ok ? 0 : fail(r, "snapshot: actor %d cannot be actor %d's", i, owner);
}

static int read_actor(Replay *r, const JsonlValue *o, int i, Moment *m)
{
	RunActor *a = &m->a[i];
	if (o->type != JSONL_OBJECT)
		return fail(r, "snapshot: each actor must be an object");
	if (actor_name(r, o, i) < 0)
		return -1;
	RecReader rd = reader(r);
	rd.limit[RL_EVENTS] = (int64_t)m->events;
	if (get(r, &rd, &recformat_actor, o, a, &m->owner[i]) < 0 || owner_ok(r, i, m->owner[i]) < 0)
		return -1;
	a->name = r->names[i];
	if (!step_ok(r, i, a->pending.step, 1))
		return fail(r, "snapshot: pending step %d is not one of the actor's", a->pending.step);
	int at_step = !has_steps(r, i) || (a->step >= 0 && a->step < r->lesson->actors[i].nsteps);
	if (!step_ok(r, i, a->step, 1) || (at_a_step(a->state) && !at_step))
		return fail(r, "snapshot: actor %s %s at step %d, which it does not have", a->name,
			    recformat_state_name(a->state), a->step);
	return 0;
}

static int read_sockets(Replay *r, const JsonlValue *o, Moment *m)
{
	const JsonlValue *v = jsonl_get(o, "sockets");
	if (v && v->type == JSONL_NULL)
		return 0;
	if (!(v = member(r, o, "sockets", JSONL_ARRAY)))
		return -1;
	m->kernel = 1;
	if (!v->len)
		return 0;
	SockInfo *socks = calloc(v->len, sizeof *socks);
	int *owner = calloc(v->len, sizeof *owner);
	m->socks = socks;
	m->sock_owner = owner;
	if (!socks || !owner)
		return fail(r, "out of memory");
	RecReader rd = reader(r);
	rd.limit[RL_ACTOR] = m->na - 1;
	for (size_t i = 0; i < v->len; i++) {
		if (v->v[i].type != JSONL_OBJECT)
			return fail(r, "snapshot: each socket must be an object");
		if (get(r, &rd, &recformat_socket, &v->v[i], &socks[i], &owner[i]) < 0)
			return -1;
		m->nsocks++;
	}
	return 0;
}

static void moment_free(Moment *m)
{
	free(m->a);
	free(m->owner);
	free((void *)m->socks);
	free((void *)m->sock_owner);
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
	int n;
	size_t before = r->nm ? r->m[r->nm - 1].events : 0;
	r->what = "snapshot";
	const JsonlValue *actors = member(r, o, "actors", JSONL_ARRAY);
	if (!actors)
		return -1;
	/* "next" and "actor" name one of the actors (moment_actors checks
	 * how many there may be). */
	RecReader rd = reader(r);
	rd.limit[RL_ACTOR] = (int64_t)actors->len - 1;
	if (get(r, &rd, &recformat_snapshot, o, m, &n) < 0)
		return -1;
	if (n != r->nm)
		return fail(r, "snapshot: n is %d where %d comes next", n, r->nm);
	if (m->events < before)
		return fail(r, "snapshot: %zu events, fewer than the one before", m->events);
	if (moment_actors(r, actors, m) < 0)
		return -1;
	/* Steps only grow in a run: replay_find_step counts on it. */
	if (r->nm && m->steps < r->m[r->nm - 1].steps)
		return fail(r, "snapshot: %d steps, fewer than the one before", m->steps);
	if (!(m->a = calloc((size_t)m->na, sizeof *m->a)) || !(m->owner = calloc((size_t)m->na, sizeof *m->owner)))
		return fail(r, "out of memory");
	for (int i = 0; i < m->na; i++)
		if (read_actor(r, &actors->v[i], i, m) < 0)
			return -1;
	return read_sockets(r, o, m);
}

/* Where a RunActor's pending bytes are, and what follows them. */
enum {
	DATA_AT = offsetof(RunActor, pending) + offsetof(GateRecord, data),
	REST_AT = offsetof(RunActor, pending) + sizeof(GateRecord),
};

static Packed *pack(const RunActor *a)
{
	size_t len = a->pending.len <= GATE_DATA_MAX ? a->pending.len : GATE_DATA_MAX;
	size_t rest = sizeof *a - REST_AT;
	Packed *p = malloc(sizeof *p + DATA_AT + len + rest);
	if (!p)
		return NULL;
	p->size = DATA_AT + len + rest;
	memcpy(p->bytes, a, DATA_AT);
	memcpy(p->bytes + DATA_AT, a->pending.data, len);
	memcpy(p->bytes + DATA_AT + len, (const char *)a + REST_AT, rest);
	return p;
}

static void unpack(const Packed *p, RunActor *a)
{
	size_t rest = sizeof *a - REST_AT, len = p->size - DATA_AT - rest;
	memset(a, 0, sizeof *a);
	memcpy(a, p->bytes, DATA_AT);
	memcpy(a->pending.data, p->bytes + DATA_AT, len);
	memcpy((char *)a + REST_AT, p->bytes + DATA_AT + len, rest);
}

/* An actor read is kept packed (a RunActor is 4 KiB and more, most of it
 * room for its pending call's bytes), and once: a moment whose actor i is
 * the moment before's, as most of a step's actors are, points at that
 * one. So a recording costs about its size in memory, not a dozen times
 * it. */
static const Packed *keep_actor(Replay *r, const RunActor *a, int i)
{
	const Packed *before = r->nm && i < r->m[r->nm - 1].na ? r->pa[r->nm - 1][i] : NULL;
	Packed *p = pack(a);
	if (!p)
		return NULL;
	if (before && before->size == p->size && memcmp(before->bytes, p->bytes, p->size) == 0) {
		free(p);
		return before;
	}
	if (r->nkept == r->keptcap) {
		size_t cap = r->keptcap ? r->keptcap * 2 : 64;
		Packed **grown = realloc(r->kept, cap * sizeof *grown);
		if (!grown) {
			free(p);
			return NULL;
		}
		r->kept = grown;
		r->keptcap = cap;
	}
	return r->kept[r->nkept++] = p;
}

/* Moment m's actors, as pa[r->nm]; m's own array is freed. */
static int keep_actors(Replay *r, Moment *m)
{
	const Packed **pa = calloc((size_t)m->na, sizeof *pa);
	if (!pa)
		return fail(r, "out of memory");
	for (int i = 0; i < m->na; i++) {
		if (!(pa[i] = keep_actor(r, &m->a[i], i))) {
			free(pa);
			return fail(r, "out of memory");
		}
	}
	r->pa[r->nm] = pa;
	free(m->a);
	m->a = NULL;
	return 0;
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
		if (grown)
			r->m = grown;
		const Packed ***pa = grown ? realloc(r->pa, (size_t)cap * sizeof *pa) : NULL;
		if (pa)
			r->pa = pa;
		if (!grown || !pa) {
			moment_free(&m);
			return fail(r, "out of memory");
		}
		r->mcap = cap;
	}
	if (keep_actors(r, &m) < 0) {
		moment_free(&m);
		return -1;
	}
	r->m[r->nm++] = m;
	return 0;
}

/* ---- lines -------------------------------------------------------------------- */

static int read_line(Replay *r, const char *text, size_t len)
{
	char jerr[200];
	if (len > LINE_MAX_BYTES)
		return fail(r, "a line longer than %d bytes, more than a recording has", LINE_MAX_BYTES);
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

/* One line of f into *line (without its newline), cut one byte past
 * LINE_MAX_BYTES: a file with no newline (/dev/zero) is refused as soon
 * as its line is too long, not read to its end first. Returns the length,
 * -1 at the end of the file, -2 on a read error or without memory; *cut
 * says the line ended with the file, not with a newline. */
static ssize_t read_bounded(FILE *f, char **line, size_t *cap, int *cut)
{
	size_t len = 0;
	int c;
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (len == *cap) {
			size_t grown = *cap ? *cap * 2 : 4096;
			if (grown > (size_t)LINE_MAX_BYTES + 1)
				grown = (size_t)LINE_MAX_BYTES + 1;
			char *p = realloc(*line, grown);
			if (!p)
				return -2;
			*line = p;
			*cap = grown;
		}
		(*line)[len++] = (char)c;
		if (len > LINE_MAX_BYTES)
			return (ssize_t)len;  /* too long: the caller says so */
	}
	if (ferror(f))
		return -2;
	*cut = c == EOF;
	return c == EOF && len == 0 ? -1 : (ssize_t)len;
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
	int cut = 0;
	while (r && (n = read_bounded(f, &line, &cap, &cut)) >= 0) {
		r->line++;
		if (read_line(r, line, (size_t)n) < 0) {
			/* sockstep ends every line it writes: a last line without
			 * its end, refused, is a recording whose writing stopped
			 * there (a full disk, a killed run). */
			size_t said = strlen(err);
			if (cut && said < errlen)
				snprintf(err + said, errlen - said, "; the file ends in this line: it was cut short");
			replay_free(r);
			r = NULL;
		}
	}
	if (r && n == -2) {
		fail(r, "cannot read: %s", ferror(f) ? strerror(errno) : "out of memory");
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
	for (int i = 0; i < r->nm; i++) {
		moment_free(&r->m[i]);
		free(r->pa[i]);
	}
	free(r->m);
	free(r->pa);
	for (size_t i = 0; i < r->nkept; i++)
		free(r->kept[i]);
	free(r->kept);
	lesson_free(r->lesson);
	recformat_release(&recformat_header, &r->h);
	free(r);
}

/* ---- moments -------------------------------------------------------------------- */

const Lesson *replay_lesson(const Replay *r)
{
	return r->lesson;
}

const char *replay_network(const Replay *r)
{
	return r->h.network;
}

const char *replay_kernel_note(const Replay *r)
{
	return r->h.kernel_note;
}

int replay_had_kernel(const Replay *r)
{
	return r->h.kernel;
}

int replay_free_run(const Replay *r)
{
	return r->h.free_run;
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

int replay_apply(const Replay *r, int n, Timeline *t, Moment *out, Kernel *k, uint64_t now_ns)
{
	const Moment *m = moment(r, n);
	if (!m)
		return -1;
	timeline_truncate(t, m->events);
	for (size_t i = timeline_count(t); i < m->events; i++)
		if (!timeline_add(t, &r->ev[i]))
			return -1;
	/* Each event as long before now as it was before the moment. Both
	 * times are within RECFORMAT_T_MAX of 0, so the difference can be
	 * 2^63: one more than an int64_t holds, none too many for a uint64_t. */
	for (size_t i = 0; i < m->events; i++) {
		int64_t at = (int64_t)m->when_ns, then = (int64_t)r->ev[i].when_ns;
		uint64_t ago = at > then ? (uint64_t)at - (uint64_t)then : 0;
		uint64_t when = ago == 0 ? now_ns : ago >= now_ns ? 1 : now_ns - ago;
		timeline_set_when(t, i, when);
	}
	RunActor *a = out->a;
	int *owner = out->owner;
	for (int i = 0; i < m->na; i++) {
		unpack(r->pa[n][i], &a[i]);
		owner[i] = m->owner[i];
	}
	*out = *m;
	out->a = a;
	out->owner = owner;
	if (k && kernel_restore(k, m->socks, m->sock_owner, m->nsocks) < 0)
		return -1;
	return 0;
}
