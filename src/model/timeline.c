/* timeline.c - the ordered record of a run (see timeline.h).
 *
 * A growing array of events; each event owns a copy of its bytes and text so
 * that the engine's buffers can be reused at once. Consoles are bounded
 * here: past its first lines, an actor's console lines wait in a small ring
 * until its next event, and only the last of them become events. */
#include "model/timeline.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/lesson.h"

/* One actor's console: the lines held back, oldest at first, and the
 * ones that fell out of the ring since the last flush. */
typedef struct {
	uint64_t printed;             /* lines it has printed in this timeline */
	struct { char *text; int step; } held[TIMELINE_CONSOLE_TAIL];
	size_t first, n;
	uint64_t dropped, dropped_bytes;
	int dropped_step;             /* the step of the first line dropped */
} Console;

struct timeline {
	Event *ev;
	size_t n, cap;
	uint64_t next_seq;
	Console con[LESSON_MAX_ACTORS];
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

Timeline *timeline_new(void)
{
	Timeline *t = calloc(1, sizeof *t);
	if (t)
		t->next_seq = 1;
	return t;
}

static void console_reset(Console *c)
{
	for (size_t k = 0; k < c->n; k++)
		free(c->held[(c->first + k) % TIMELINE_CONSOLE_TAIL].text);
	memset(c, 0, sizeof *c);
}

void timeline_truncate(Timeline *t, size_t n)
{
	for (size_t i = n; i < t->n; i++) {
		free(t->ev[i].data);
		free(t->ev[i].text);
	}
	if (n < t->n) {
		t->n = n;
		t->next_seq = n + 1;
	}
	/* What was held back came after what is left: it goes too. The
	 * lines left count towards each console's first ones. */
	for (int a = 0; a < LESSON_MAX_ACTORS; a++)
		console_reset(&t->con[a]);
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].kind == EV_PRINT && t->ev[i].actor >= 0)
			t->con[t->ev[i].actor].printed += 1 + (uint64_t)(t->ev[i].ret > 0 ? t->ev[i].ret : 0);
}

void timeline_clear(Timeline *t)
{
	timeline_truncate(t, 0);
}

void timeline_set_when(Timeline *t, size_t i, uint64_t when_ns)
{
	if (i < t->n)
		t->ev[i].when_ns = when_ns;
}

void timeline_free(Timeline *t)
{
	if (!t)
		return;
	timeline_clear(t);
	free(t->ev);
	free(t);
}

static const Event *add(Timeline *t, const Event *ev);

/* The lines held back for actor a become events: a marker for those that
 * were dropped, then the last ones, in the order they were printed. */
static void flush(Timeline *t, int a)
{
	Console *c = &t->con[a];
	if (c->dropped) {
		Event mark = { .kind = EV_PRINT, .actor = a, .step = c->dropped_step, .fd = -1, .text = "",
			       .ret = (int64_t)c->dropped, .total = c->dropped_bytes };
		add(t, &mark);
	}
	for (size_t k = 0; k < c->n; k++) {
		size_t i = (c->first + k) % TIMELINE_CONSOLE_TAIL;
		Event line = { .kind = EV_PRINT, .actor = a, .step = c->held[i].step, .fd = -1, .text = c->held[i].text };
		add(t, &line);
		free(c->held[i].text);
	}
	uint64_t printed = c->printed;
	memset(c, 0, sizeof *c);
	c->printed = printed;
}

void timeline_console_flush(Timeline *t, int actor)
{
	for (int a = 0; a < LESSON_MAX_ACTORS; a++)
		if ((actor < 0 || a == actor) && (t->con[a].n || t->con[a].dropped))
			flush(t, a);
}

size_t timeline_console_held(const Timeline *t, int actor)
{
	return actor >= 0 && actor < LESSON_MAX_ACTORS ? t->con[actor].n : 0;
}

uint64_t timeline_console_dropped(const Timeline *t, int actor)
{
	return actor >= 0 && actor < LESSON_MAX_ACTORS ? t->con[actor].dropped : 0;
}

int timeline_add_print(Timeline *t, const Event *ev)
{
	assert(ev->kind == EV_PRINT && ev->actor >= 0 && ev->actor < LESSON_MAX_ACTORS);
	Console *c = &t->con[ev->actor];
	if (c->printed < TIMELINE_CONSOLE_HEAD && c->n == 0) {
		c->printed++;
		return add(t, ev) ? 0 : -1;
	}
	const char *text = ev->text ? ev->text : "";
	char *copy = strdup(text);
	if (!copy)
		return -1;
	c->printed++;
	if (c->n == TIMELINE_CONSOLE_TAIL) {
		/* The oldest line held gives way; only its count is kept. */
		char *old = c->held[c->first].text;
		if (!c->dropped)
			c->dropped_step = c->held[c->first].step;
		c->dropped++;
		c->dropped_bytes += strlen(old) + 1;   /* with its line end */
		free(old);
		c->first = (c->first + 1) % TIMELINE_CONSOLE_TAIL;
		c->n--;
	}
	size_t i = (c->first + c->n) % TIMELINE_CONSOLE_TAIL;
	c->held[i].text = copy;
	c->held[i].step = ev->step;
	c->n++;
	return 0;
}

const Event *timeline_add(Timeline *t, const Event *ev)
{
	/* An actor's lines held back came before this, its next event. */
	if (ev->actor >= 0 && ev->actor < LESSON_MAX_ACTORS && (t->con[ev->actor].n || t->con[ev->actor].dropped))
		flush(t, ev->actor);
	return add(t, ev);
}

static const Event *add(Timeline *t, const Event *ev)
{
	/* Every view indexes the run's actors with an event's actor: one out
	 * of range is a bug where the event was made, not later where it is
	 * drawn. (A traced program's step counts its calls: only -1 is below.) */
	assert(ev->actor >= -1 && ev->actor < LESSON_MAX_ACTORS);
	assert(ev->step >= -1);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		Event *grown = realloc(t->ev, cap * sizeof *grown);
		if (!grown)
			return NULL;
		t->ev = grown;
		t->cap = cap;
	}
	Event copy = *ev;
	copy.data = NULL;
	copy.text = NULL;
	if (ev->len) {
		copy.data = malloc(ev->len);
		if (!copy.data)
			return NULL;
		memcpy(copy.data, ev->data, ev->len);
	}
	if (ev->text) {
		copy.text = strdup(ev->text);
		if (!copy.text) {
			free(copy.data);
			return NULL;
		}
	}
	copy.seq = t->next_seq++;
	copy.when_ns = now_ns();
	t->ev[t->n] = copy;
	return &t->ev[t->n++];
}

size_t timeline_count(const Timeline *t)
{
	return t->n;
}

const Event *timeline_get(const Timeline *t, size_t i)
{
	return i < t->n ? &t->ev[i] : NULL;
}

typedef struct {
	uint64_t when;
	size_t at;          /* its index before: the order among equal times */
} Place;

static int place_cmp(const void *a, const void *b)
{
	const Place *x = a, *y = b;
	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

int timeline_order(Timeline *t, size_t from, uint64_t *moved)
{
	if (from >= t->n)
		return 0;
	size_t n = t->n - from;
	Place *p = malloc(n * sizeof *p);
	Event *ev = malloc(n * sizeof *ev);
	uint64_t *seq = moved ? moved : malloc(n * sizeof *seq);
	if (!p || !ev || !seq) {
		free(p);
		free(ev);
		if (seq != moved)
			free(seq);
		return -1;
	}
	uint64_t floor = from ? t->ev[from - 1].when_ns : 0;
	for (size_t k = 0; k < n; k++) {
		const Event *e = &t->ev[from + k];
		uint64_t when = e->when_ns > floor ? e->when_ns : floor;
		/* Its call came before it here, so its call's time is known. */
		if (e->kind == EV_RETURN && e->call_seq > from && e->call_seq - from - 1 < k &&
		    p[e->call_seq - from - 1].when > when)
			when = p[e->call_seq - from - 1].when;
		p[k] = (Place){ when, k };
	}
	qsort(p, n, sizeof *p, place_cmp);
	for (size_t j = 0; j < n; j++)
		seq[p[j].at] = from + j + 1;
	for (size_t j = 0; j < n; j++) {
		ev[j] = t->ev[from + p[j].at];
		ev[j].seq = from + j + 1;
		ev[j].when_ns = p[j].when;
		if (ev[j].kind == EV_RETURN && ev[j].call_seq > from && ev[j].call_seq - from - 1 < n)
			ev[j].call_seq = seq[ev[j].call_seq - from - 1];
	}
	memcpy(t->ev + from, ev, n * sizeof *ev);
	free(p);
	free(ev);
	if (seq != moved)
		free(seq);
	return 0;
}

const Event *timeline_return_of(const Timeline *t, uint64_t call_seq)
{
	for (size_t i = t->n; i-- > 0;) {
		if (t->ev[i].seq <= call_seq)
			break;
		if (t->ev[i].kind == EV_RETURN && t->ev[i].call_seq == call_seq)
			return &t->ev[i];
	}
	return NULL;
}

void timeline_set_blocked(Timeline *t, uint64_t call_seq)
{
	if (call_seq >= 1 && call_seq <= t->n)
		t->ev[call_seq - 1].blocked = 1;
}

const Event *timeline_by_seq(const Timeline *t, uint64_t seq)
{
	/* Events are appended with seq 1, 2, 3 ... from the last clear. */
	return seq >= 1 && seq <= t->n ? &t->ev[seq - 1] : NULL;
}
