/* timeline.c - the ordered record of a run (see timeline.h).
 *
 * A growing array of events; each event owns a copy of its bytes and text so
 * that the engine's buffers can be reused at once. */
#include "model/timeline.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/lesson.h"

struct timeline {
	Event *ev;
	size_t n, cap;
	uint64_t next_seq;
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

const Event *timeline_add(Timeline *t, const Event *ev)
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
