/* timeline.c - the ordered record of a run (see timeline.h).
 *
 * A growing array of events; each event owns a copy of its bytes and text so
 * that the engine's buffers can be reused at once. Consoles are bounded
 * here: past its first lines, an actor's console lines wait in a small ring
 * until its next event, and only the last of them become events. A long
 * transfer is bounded the same way (the fold): its calls, packets and
 * queue changes wait in a short list and only the last become events. */
#include "model/timeline.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
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

/* An event held back by the fold; a call is never folded while it runs. */
typedef struct {
	Event ev;             /* its seq is TIMELINE_HELD_SEQ + n */
	int returned;         /* an EV_CALL: its return has come */
} Held;

/* What a run of foldable events left out, for its marker. */
typedef struct {
	uint64_t events, calls, packets, states;
	uint64_t sent, received;     /* bytes the calls folded moved */
} Folded;

/* A held seq that became an event: by_seq and return_of follow it. */
typedef struct {
	uint64_t held, seq;
} Placed;

/* Every change of any timeline takes the next tick: a timeline's changes
 * (timeline_changes) name its events as they are, unlike any other's, even
 * one made later at the same address. */
static uint64_t change_clock;

struct timeline {
	Event *ev;
	size_t n, cap;
	uint64_t next_seq;
	Console con[LESSON_MAX_ACTORS];
	int no_fold;          /* a replay's timeline: already folded */
	uint64_t foldable;    /* foldable events that became events at once */
	Held *held;           /* the held, oldest first: a window of held_mem */
	Held *held_mem;
	size_t held_at;       /* where the window starts in held_mem */
	size_t nheld, heldcap;
	uint64_t next_held;
	Folded folded;
	Placed *placed;       /* ascending in held (and so in seq, but after timeline_order) */
	size_t nplaced, placedcap;
	uint64_t added, packets;
	uint64_t changes;     /* timeline_changes: a new tick at every change of ev */
	uint64_t moved;       /* timeline_moved: a new tick when events go or move */
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
	if (t) {
		t->next_seq = 1;
		t->changes = t->moved = ++change_clock;
	}
	return t;
}

static void console_reset(Console *c)
{
	for (size_t k = 0; k < c->n; k++)
		free(c->held[(c->first + k) % TIMELINE_CONSOLE_TAIL].text);
	memset(c, 0, sizeof *c);
}

static int fold_kind(const Event *ev);

/* Nothing is held: the window starts at the beginning again. */
static void held_empty(Timeline *t)
{
	t->nheld = 0;
	t->held_at = 0;
	t->held = t->held_mem;
}

/* The fold starts again from what is left of the timeline: what was held
 * came after it, and so did what was placed beyond it. */
static void fold_reset(Timeline *t)
{
	for (size_t k = 0; k < t->nheld; k++) {
		free(t->held[k].ev.data);
		free(t->held[k].ev.text);
	}
	held_empty(t);
	t->folded = (Folded){ 0 };
	size_t kept = 0;
	for (size_t k = 0; k < t->nplaced; k++)
		if (t->placed[k].seq <= t->n)
			t->placed[kept++] = t->placed[k];
	t->nplaced = kept;
	t->foldable = t->added = t->packets = 0;
	for (size_t i = 0; i < t->n; i++) {
		const Event *e = &t->ev[i];
		int marker = e->kind == EV_NOTE && e->actor < 0 && e->ret > 0;
		t->foldable += fold_kind(e) ? 1 : 0;
		t->packets += e->kind == EV_PACKET ? 1 : marker ? (uint64_t)e->arg[1] : 0;
		t->added += 1 + (marker ? (uint64_t)e->ret : 0);
	}
	if (t->n == 0)
		t->next_held = 0;
}

void timeline_truncate(Timeline *t, size_t n)
{
	t->changes = t->moved = ++change_clock;
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
	fold_reset(t);
}

void timeline_clear(Timeline *t)
{
	timeline_truncate(t, 0);
}

void timeline_set_when(Timeline *t, size_t i, uint64_t when_ns)
{
	if (i < t->n)
		t->ev[i].when_ns = when_ns;
	t->changes = ++change_clock;
}

void timeline_free(Timeline *t)
{
	if (!t)
		return;
	timeline_clear(t);
	free(t->ev);
	free(t->held_mem);
	free(t->placed);
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
	t->added++;
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

/* ---- the fold of a long transfer ------------------------------------------ */

/* Calls that move a socket's bytes, or wait for them to come. */
static int op_folds(int op)
{
	switch (op) {
	case OP_SEND: case OP_SENDALL: case OP_RECV: case OP_SENDTO: case OP_RECVFROM:
	case OP_SENDMSG: case OP_RECVMSG: case OP_READ: case OP_WRITE: case OP_WRITEV:
	case OP_READV: case OP_SENDMMSG: case OP_RECVMMSG: case OP_SENDFILE: case OP_SPLICE:
	case OP_SPLICE_RECV: case OP_POLL: case OP_SELECT: case OP_EPOLL_WAIT:
		return 1;
	default:
		return 0;
	}
}

/* Is ev of a kind a transfer repeats without end? (A return folds only
 * with its call: see foldable.) */
static int fold_kind(const Event *ev)
{
	switch (ev->kind) {
	case EV_CALL:
	case EV_RETURN:
		return ev->actor >= 0 && op_folds(ev->op);
	case EV_PACKET:
		return 1;
	case EV_STATE:
		return ev->state >= 0 && ev->state == ev->old_state;
	default:
		return 0;
	}
}

static Held *held_find(Timeline *t, uint64_t seq)
{
	for (size_t k = 0; k < t->nheld; k++)
		if (t->held[k].ev.seq == seq)
			return &t->held[k];
	return NULL;
}

/* The seq a held seq became, or 0: it is held, or was folded. */
static uint64_t placed_seq(const Timeline *t, uint64_t held)
{
	size_t lo = 0, hi = t->nplaced;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->placed[mid].held < held)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nplaced && t->placed[lo].held == held ? t->placed[lo].seq : 0;
}

/* Is ev to be held back now? Past the head, a foldable event is. A return
 * is when its call is held too, or when its call became an event (put in
 * by a flush while it ran) but other events are held: they came before
 * it. Had it gone in, it would have put them in first, and so would the
 * next return of a call they ran beside: in a ping-pong one side always
 * waits in a call, and nothing would fold again. */
static int foldable(Timeline *t, const Event *ev)
{
	if (t->no_fold || !fold_kind(ev))
		return 0;
	if (ev->kind == EV_RETURN && ev->call_seq >= TIMELINE_HELD_SEQ)
		return 1;   /* its call is held (timeline_add put in the place of one that is not) */
	if (ev->kind == EV_RETURN)
		return t->nheld > 0;
	return t->foldable >= TIMELINE_FOLD_HEAD || t->nheld > 0;
}

/* A held return whose call is an event already: it is kept, as a call
 * still running is, and goes in at the flush (its call must not look as
 * if it never returned). */
static int orphan_return(const Timeline *t, const Held *h)
{
	(void)t;
	return h->ev.kind == EV_RETURN && h->ev.call_seq < TIMELINE_HELD_SEQ;
}

static void held_free(Held *h)
{
	free(h->ev.data);
	free(h->ev.text);
}

/* Take the k-th held out. The fold takes the oldest, or one of the first
 * few (behind calls still running): the ones before it move up a place,
 * and the window starts one later, rather than every later one moving
 * down (a hundred events of 200 bytes, at every event of a transfer). */
static void held_remove(Timeline *t, size_t k)
{
	held_free(&t->held[k]);
	if (k < t->nheld - k - 1) {
		memmove(&t->held[1], &t->held[0], k * sizeof *t->held);
		t->held_at++;
		t->held = t->held_mem + t->held_at;
	} else {
		memmove(&t->held[k], &t->held[k + 1], (t->nheld - k - 1) * sizeof *t->held);
	}
	if (--t->nheld == 0)
		held_empty(t);
}

/* Fold the oldest held event that may go: a packet, a state, or a call
 * that has returned, with its return. A call still running stays.
 * Returns whether one went. */
static int fold_oldest(Timeline *t)
{
	for (size_t k = 0; k < t->nheld; k++) {
		Held *h = &t->held[k];
		if ((h->ev.kind == EV_CALL && !h->returned) || orphan_return(t, h))
			continue;
		t->folded.events++;
		if (h->ev.kind == EV_PACKET) {
			t->folded.packets++;
		} else if (h->ev.kind == EV_STATE) {
			t->folded.states++;
		} else if (h->ev.kind == EV_CALL) {
			uint64_t call = h->ev.seq;
			t->folded.calls++;
			for (size_t j = k + 1; j < t->nheld; j++)
				if (t->held[j].ev.kind == EV_RETURN && t->held[j].ev.call_seq == call) {
					t->folded.events++;
					const Event *r = &t->held[j].ev;
					if (r->ret > 0 && lesson_op_sends((LessonOp)r->op))
						t->folded.sent += r->total;
					else if (r->ret > 0 && lesson_op_receives((LessonOp)r->op))
						t->folded.received += r->total;
					held_remove(t, j);
					break;
				}
		}
		held_remove(t, k);
		return 1;
	}
	return 0;
}

/* Hold ev back; the oldest held gives way when there are too many. */
static const Event *hold(Timeline *t, const Event *ev)
{
	if (t->held_at + t->nheld == t->heldcap && t->held_at > 0) {
		memmove(t->held_mem, t->held, t->nheld * sizeof *t->held);
		t->held_at = 0;
		t->held = t->held_mem;
	} else if (t->nheld == t->heldcap) {
		size_t cap = t->heldcap ? t->heldcap * 2 : 2 * TIMELINE_FOLD_TAIL + 8;
		Held *grown = realloc(t->held_mem, cap * sizeof *grown);
		if (!grown)
			return NULL;
		t->held = t->held_mem = grown;
		t->heldcap = cap;
	}
	Held h = { .ev = *ev };
	h.ev.data = NULL;
	h.ev.text = NULL;
	if (ev->len && !(h.ev.data = malloc(ev->len)))
		return NULL;
	if (ev->len)
		memcpy(h.ev.data, ev->data, ev->len);
	if (ev->text && !(h.ev.text = strdup(ev->text))) {
		free(h.ev.data);
		return NULL;
	}
	h.ev.seq = TIMELINE_HELD_SEQ + t->next_held++;
	h.ev.when_ns = now_ns();
	if (ev->kind == EV_RETURN) {
		Held *call = held_find(t, ev->call_seq);
		if (call)
			call->returned = 1;
	}
	t->held[t->nheld++] = h;
	/* The last ones stay, and so do the calls still running. */
	while (t->nheld > TIMELINE_FOLD_TAIL && fold_oldest(t))
		;
	Held *kept = held_find(t, h.ev.seq);
	return kept ? &kept->ev : NULL;
}

static const Event *store(Timeline *t, const Event *ev, uint64_t when_ns);

static void placed_add(Timeline *t, uint64_t held, uint64_t seq)
{
	if (t->nplaced == t->placedcap) {
		size_t cap = t->placedcap ? t->placedcap * 2 : 64;
		Placed *grown = realloc(t->placed, cap * sizeof *grown);
		if (!grown)
			return;   /* a call of it looks folded: nothing worse */
		t->placed = grown;
		t->placedcap = cap;
	}
	t->placed[t->nplaced++] = (Placed){ held, seq };
}

uint64_t timeline_placed(const Timeline *t, uint64_t seq)
{
	return seq < TIMELINE_HELD_SEQ ? seq : placed_seq(t, seq);
}

void timeline_fold_flush(Timeline *t)
{
	if (!t->nheld && !t->folded.events)
		return;
	if (t->folded.events) {
		const Folded *f = &t->folded;
		char text[400];
		snprintf(text, sizeof text,
			 "folded here, a long transfer keeping its first and last events: %" PRIu64
			 " calls (%" PRIu64 " bytes sent, %" PRIu64 " received), %" PRIu64
			 " packets, %" PRIu64 " socket queue changes",
			 f->calls, f->sent, f->received, f->packets, f->states);
		Event mark = { .kind = EV_NOTE, .actor = -1, .step = -1, .fd = -1, .peer_actor = -1, .text = text,
			       .ret = (int64_t)f->events, .arg = { (int64_t)f->calls, (int64_t)f->packets, (int64_t)f->states },
			       .total = f->sent + f->received };
		store(t, &mark, t->nheld ? t->held[0].ev.when_ns : now_ns());
		t->folded = (Folded){ 0 };
	}
	for (size_t k = 0; k < t->nheld; k++) {
		Event *e = &t->held[k].ev;
		if (e->kind == EV_RETURN && e->call_seq >= TIMELINE_HELD_SEQ)
			e->call_seq = placed_seq(t, e->call_seq);
		const Event *put = store(t, e, e->when_ns);
		if (put)
			placed_add(t, e->seq, put->seq);
		held_free(&t->held[k]);
	}
	held_empty(t);
}

void timeline_set_folding(Timeline *t, int on)
{
	if (!on)
		timeline_fold_flush(t);
	t->no_fold = !on;
}

uint64_t timeline_changes(const Timeline *t)
{
	return t->changes;
}

uint64_t timeline_moved(const Timeline *t)
{
	return t->moved;
}

uint64_t timeline_added(const Timeline *t)
{
	return t->added;
}

uint64_t timeline_packets(const Timeline *t)
{
	return t->packets;
}

const Event *timeline_add(Timeline *t, const Event *ev)
{
	t->added++;
	t->packets += ev->kind == EV_PACKET;
	/* A return of a call held back, then put in: it points at its place. */
	Event copy;
	if (ev->kind == EV_RETURN && ev->call_seq >= TIMELINE_HELD_SEQ && !held_find(t, ev->call_seq)) {
		copy = *ev;
		copy.call_seq = placed_seq(t, ev->call_seq);
		ev = &copy;
	}
	if (foldable(t, ev))
		return hold(t, ev);
	timeline_fold_flush(t);
	t->foldable += fold_kind(ev) ? 1 : 0;
	/* An actor's lines held back came before this, its next event. */
	if (ev->actor >= 0 && ev->actor < LESSON_MAX_ACTORS && (t->con[ev->actor].n || t->con[ev->actor].dropped))
		flush(t, ev->actor);
	return add(t, ev);
}

static const Event *add(Timeline *t, const Event *ev)
{
	return store(t, ev, now_ns());
}

static const Event *store(Timeline *t, const Event *ev, uint64_t when_ns)
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
	copy.when_ns = when_ns;
	t->ev[t->n] = copy;
	t->changes = ++change_clock;
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
	t->changes = t->moved = ++change_clock;
	/* A held seq that became one of these events follows it. */
	for (size_t k = 0; k < t->nplaced; k++)
		if (t->placed[k].seq > from && t->placed[k].seq - from - 1 < n)
			t->placed[k].seq = seq[t->placed[k].seq - from - 1];
	free(p);
	free(ev);
	if (seq != moved)
		free(seq);
	return 0;
}

/* A call folded had returned; what it returned was folded with it. */
static const Event folded_return = { .kind = EV_RETURN, .actor = -1, .step = -1, .fd = -1, .peer_actor = -1 };

const Event *timeline_return_of(const Timeline *t, uint64_t call_seq)
{
	if (call_seq >= TIMELINE_HELD_SEQ) {
		for (size_t k = 0; k < t->nheld; k++)
			if (t->held[k].ev.kind == EV_RETURN && t->held[k].ev.call_seq == call_seq)
				return &t->held[k].ev;
		for (size_t k = 0; k < t->nheld; k++)
			if (t->held[k].ev.seq == call_seq)
				return NULL;   /* held and still running */
		uint64_t seq = placed_seq(t, call_seq);
		if (seq)
			return timeline_return_of(t, seq);
		return call_seq - TIMELINE_HELD_SEQ < t->next_held ? &folded_return : NULL;
	}
	for (size_t k = 0; k < t->nheld; k++)
		if (t->held[k].ev.kind == EV_RETURN && t->held[k].ev.call_seq == call_seq)
			return &t->held[k].ev;   /* held behind others, its call put in */
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
	if (call_seq >= TIMELINE_HELD_SEQ) {
		Held *h = held_find(t, call_seq);
		if (h) {
			h->ev.blocked = 1;
			return;
		}
		call_seq = placed_seq(t, call_seq);
	}
	if (call_seq >= 1 && call_seq <= t->n) {
		t->ev[call_seq - 1].blocked = 1;
		t->changes = ++change_clock;
	}
}

const Event *timeline_by_seq(const Timeline *t, uint64_t seq)
{
	if (seq >= TIMELINE_HELD_SEQ) {
		for (size_t k = 0; k < t->nheld; k++)
			if (t->held[k].ev.seq == seq)
				return &t->held[k].ev;
		seq = placed_seq(t, seq);
	}
	/* Events are appended with seq 1, 2, 3 ... from the last clear. */
	return seq >= 1 && seq <= t->n ? &t->ev[seq - 1] : NULL;
}
