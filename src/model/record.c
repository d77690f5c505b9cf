/* record.c - a run as JSON lines (see record.h).
 *
 * Model layer. Events are written when the engine says a moment is over
 * (record_sync), not as they are added: a call's "blocked" mark is set
 * after its event, and by the end of the step it is final. Every line is
 * built whole in memory (recformat.h's tables say what it holds) and
 * written with its newline, and the file is flushed after each moment, so
 * a recording cut short by a crash ends with whole lines. */
#include "model/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/jsonl.h"

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


static void write_header(Record *r, const RecHeader *h)
{
	RecHeader full = *h;
	full.format = RECORD_FORMAT;
	full.version = RECORD_VERSION;
	full.sockstep = SOCKSTEP_VERSION;
	full.created = (int64_t)time(NULL);
	jsonl_out_reset(&r->o);
	recformat_put_line(&r->o, &recformat_header, &full, 0, 0);
	write_line(r);
}

static void write_events(Record *r, const Timeline *t)
{
	for (; r->written < timeline_count(t); r->written++) {
		jsonl_out_reset(&r->o);
		recformat_put_line(&r->o, &recformat_event, timeline_get(t, r->written), 0, r->base_ns);
		write_line(r);
	}
}

static void write_snapshot(Record *r, const Moment *m)
{
	jsonl_out_reset(&r->o);
	recformat_put_line(&r->o, &recformat_snapshot, m, r->snapshots++, r->base_ns);
	write_line(r);
}

/* ---- moments ----------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

/* FNV-1a over what the socket pane shows of each socket, field by field:
 * the padding of a SockInfo, and an address past its length, hold nothing. */
static uint64_t hash_sockets(const Moment *m)
{
	uint64_t h = 1469598103934665603u;
	if (!m->kernel)
		return 0;
	for (size_t i = 0; i < m->nsocks; i++) {
		const SockInfo *s = &m->socks[i];
		int head[] = { m->sock_owner[i], s->family, s->proto, s->type, s->state };
		uint32_t tail[] = { s->rqueue, s->wqueue, s->inode };
		h = fnv(h, head, sizeof head);
		h = fnv(h, &s->local, s->locallen <= sizeof s->local ? s->locallen : 0);
		h = fnv(h, &s->peer, s->peerlen <= sizeof s->peer ? s->peerlen : 0);
		h = fnv(h, tail, sizeof tail);
	}
	return h ^ m->nsocks;
}

static Seen seen_of(const Moment *m)
{
	Seen s;
	memset(&s, 0, sizeof s);
	s.events = m->events;
	s.steps = m->steps;
	s.socks = hash_sockets(m);
	for (int i = 0; i < m->na && i < LESSON_MAX_ACTORS; i++) {
		const RunActor *a = &m->a[i];
		s.a[i].state = a->state;
		s.a[i].step = a->step;
		s.a[i].status = a->status;
		s.a[i].pid = a->pid;
		s.a[i].call_seq = a->call_seq;
	}
	return s;
}

/* Is an actor half way (let go, its result or next stop not in yet)? Such
 * a moment lasts a millisecond; the screen it makes is not one to keep. */
static int moving(const Moment *m)
{
	for (int i = 0; i < m->na; i++)
		if (m->a[i].state == ACTOR_RUNNING || m->a[i].state == ACTOR_STARTING)
			return 1;
	return 0;
}

static void finish(Record *r)
{
	if (!r->error[0] && fflush(r->f) == EOF)
		snprintf(r->error, sizeof r->error, "%s: %s", r->path, strerror(errno));
}

int record_due(const Record *r, const Timeline *t, const Moment *m)
{
	if (!r || r->error[0])
		return 0;
	/* A timeline emptied for a run that has not begun (a restart that
	 * failed) is not this file's run any more. */
	if (timeline_count(t) < r->written)
		return 0;
	int step = strcmp(m->cause, "step") == 0 || strcmp(m->cause, "start") == 0;
	if (step)
		return 1;
	/* The last look before the actors are killed is kept, whatever it is. */
	if (strcmp(m->cause, "stop") != 0 && moving(m))
		return 0;
	Seen now = seen_of(m);
	return memcmp(&now, &r->seen, sizeof now) != 0;
}

void record_sync(Record *r, const Timeline *t, const Moment *m)
{
	if (!r || r->error[0])
		return;
	write_events(r, t);
	write_snapshot(r, m);
	r->seen = seen_of(m);
	finish(r);
}

int record_begin(Record *r, const RecHeader *h, const Timeline *t, char *err, size_t errlen)
{
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
	write_header(r, h);
	finish(r);
	if (r->error[0]) {
		snprintf(err, errlen, "cannot write the recording %s", r->error);
		return -1;
	}
	return 0;
}
