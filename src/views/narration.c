/* narration.c - the lesson's explanation of each step (see narration.h). */
#include "views/narration.h"

#include <stdio.h>
#include <string.h>

#include "model/answers.h"
#include "model/stuck.h"
#include "views/calltext.h"
#include "views/explain.h"
#include "views/flow.h"
#include "views/glyphs.h"

void narration_next(const Run *e, int a, char *buf, size_t cap)
{
	const RunActor *ea = run_actor(e, a);
	char call[512];
	if (!ea) {
		snprintf(buf, cap, "nothing");
		return;
	}
	const Event *wait = run_input_wait(e, a);
	if (wait) {
		calltext_call(wait, 16, call, sizeof call);
		snprintf(buf, cap, "%s waits in %s, for its terminal too (you type a line)", ea->name, call);
		return;
	}
	if (ea->state == ACTOR_INPUT) {
		snprintf(buf, cap, "%s input (you type a line)", ea->name);
		return;
	}
	Event ev;
	flow_pending_event(ea, a, &ev);
	calltext_call(&ev, 16, call, sizeof call);
	snprintf(buf, cap, "%s %s", ea->name, call);
}

void narration_stuck(const Run *e, char *buf, size_t cap)
{
	const Timeline *t = run_timeline(e);
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < run_actor_count(e) && o < cap; i++) {
		const RunActor *a = run_actor(e, i);
		if (a->state != ACTOR_BLOCKED)
			continue;
		char call[512] = "a call";
		for (size_t k = timeline_count(t); k-- > 0;) {
			const Event *ev = timeline_get(t, k);
			if (ev->seq == a->call_seq) {
				calltext_call(ev, 16, call, sizeof call);
				break;
			}
		}
		int n = snprintf(buf + o, cap - o, "%s%s is blocked in %s", o ? "; " : "", a->name, call);
		o += n > 0 ? (size_t)n : 0;
	}
}

int narration_waiting(const Run *e, char *buf, size_t cap)
{
	int i = run_waiting(e);
	const RunActor *a = run_actor(e, i);
	const Event *call = a ? timeline_by_seq(run_timeline(e), a->call_seq) : NULL;
	char text[512] = "a call";
	buf[0] = '\0';
	if (!a)
		return 0;
	if (call)
		calltext_call(call, 16, text, sizeof text);
	if (run_timed(e, i) == RUN_SLEEP)
		snprintf(buf, cap, "%s sleeps in %s: it wakes by itself when its time is up", a->name, text);
	else
		snprintf(buf, cap, "%s waits in %s: it returns when a socket is ready or its time is up", a->name,
			 text);
	return 1;
}

const char *narration_run_word(const Run *e)
{
	int i = run_waiting(e);
	if (i >= 0)
		return run_timed(e, i) == RUN_SLEEP ? "sleeping" : "waiting for a timer";
	if (!run_finished(e))
		return "";
	return run_succeeded(e) ? "finished" : "stuck";
}

/* The newest call or input: the step that "just ran". */
static const Event *last_step(const Run *e)
{
	const Timeline *t = run_timeline(e);
	for (size_t k = timeline_count(t); k-- > 0;) {
		const Event *ev = timeline_get(t, k);
		if ((ev->kind == EV_CALL || ev->kind == EV_INPUT) && ev->actor >= 0)
			return ev;
	}
	return NULL;
}

static const LessonStep *step_of(const Run *e, int actor, int step)
{
	const Lesson *l = run_lesson(e);
	if (actor < 0 || actor >= l->nactors || step < 0 || step >= l->actors[actor].nsteps)
		return NULL;
	return &l->actors[actor].steps[step];
}

void narration_step(const Run *e, const Event *ev, char *buf, size_t cap)
{
	const LessonStep *st = step_of(e, ev->actor, ev->step);
	const RunActor *a = run_actor(e, ev->actor);
	const char *name = a ? a->name : "?";
	if (st && st->narration) {
		snprintf(buf, cap, "%s: %s", name, st->narration);
	} else if (!st && ev->kind == EV_INPUT) {
		snprintf(buf, cap, "%s read a line from its terminal: the one typed. Input is not a socket call; "
			 "the program's next socket call comes when it gets there.", name);
	} else if (!st && ev->kind == EV_CALL) {
		/* A traced program's call: what it does, in general. */
		char text[1024];
		explain_call(ev, timeline_return_of(run_timeline(e), ev->seq), text, sizeof text);
		snprintf(buf, cap, "%s: %s", name, text);
	} else {
		snprintf(buf, cap, "%s ran: %s", name, st && st->source ? st->source : "a step");
	}
}

/* The words of the print steps an actor ran after its call ev, before
 * its next call: a print is no socket call, so it runs with the call
 * before it, and its words come after the call's ("$peer is the client's
 * address"). Each step's words once, however many lines it printed. */
static void prints_after(const Run *e, const Event *ev, char *buf, size_t cap)
{
	const Timeline *t = run_timeline(e);
	int said = -1;
	size_t k = timeline_count(t);
	while (k > 0 && timeline_get(t, k - 1) != ev)
		k--;
	for (; k < timeline_count(t); k++) {
		const Event *p = timeline_get(t, k);
		const LessonStep *st = p->kind == EV_PRINT && p->actor == ev->actor ? step_of(e, p->actor, p->step) : NULL;
		if (!st || !st->narration || p->step == said || p->step <= ev->step)
			continue;
		size_t n = strlen(buf);
		snprintf(buf + n, cap - n, " %s", st->narration);
		said = p->step;
	}
}

/* What happened: the lesson's narration for the step that ran last. */
static void what_happened(const Run *e, const Event *ev, char *buf, size_t cap)
{
	const Lesson *l = run_lesson(e);
	if (!ev) {
		snprintf(buf, cap, "%s  Press space to run the first call, or ? for help.",
			 l->about ? l->about : "");
		return;
	}
	narration_step(e, ev, buf, cap);
	/* A lesson step's words say what it does, not whether it worked this
	 * time (a traced call's explanation says how it returned). */
	const Event *ret = ev->kind == EV_CALL ? timeline_return_of(run_timeline(e), ev->seq) : NULL;
	if (ret && ret->ret < 0 && step_of(e, ev->actor, ev->step)) {
		char r[256];
		size_t n = strlen(buf);
		calltext_result(ret, 0, r, sizeof r);
		snprintf(buf + n, cap - n, " It failed: %s.", r + 3);
	}
	if (ev->kind == EV_CALL || ev->kind == EV_INPUT)
		prints_after(e, ev, buf, cap);
}

/* The pane's three parts: what happened (text), the question to come
 * (q, empty when none) and what runs next (next, in *next_role). */
static void band_texts(const Run *e, const ScreenState *s, char *text, size_t tcap, char *q, size_t qcap,
		       char *next, size_t ncap, Role *next_role)
{
	char call_wait[900];
	*next_role = ROLE_KEY;
	q[0] = '\0';
	what_happened(e, last_step(e), text, tcap);
	char over[400];
	if (run_finished(e) && run_succeeded(e) && run_servers_over(e, over, sizeof over)) {
		/* "The clients have ended; server waits ...: the run is over." */
		snprintf(next, ncap, "%c%s.", over[0] >= 'a' && over[0] <= 'z' ? over[0] - 'a' + 'A' : over[0],
			 over + 1);
		*next_role = ROLE_OK;
	} else if (run_finished(e) && run_succeeded(e)) {
		snprintf(next, ncap, "%s", run_traced(e, 0) ? "Your programs ran to their end."
			 : "The lesson is over: every actor ran to its end.");
		*next_role = ROLE_OK;
	} else if (run_finished(e)) {
		char why[800];
		char hint[600], cause[800];
		narration_stuck(e, why, sizeof why);
		/* What led there and what to try, as --check says it. */
		if (stuck_cause(e, cause, sizeof cause))
			cause[0] = 'E';   /* "earlier, ..." begins a sentence here */
		stuck_hint(e, hint, sizeof hint);
		snprintf(next, ncap, "Stuck: %s, and no actor can wake it.", why[0] ? why : "no actor can run");
		/* The line of what runs next is one row: the why and the hint
		 * go where a question to come would, wrapped. */
		int n = snprintf(q, qcap, "%s%s%s%s", cause, cause[0] ? ". " : "", hint[0] ? "Hint: " : "", hint);
		if (n < 0)
			q[0] = '\0';
		*next_role = ROLE_ERROR;
	} else if (s->next >= 0) {
		char call[900];
		narration_next(e, s->next, call, sizeof call);
		snprintf(next, ncap, "Next: %s", call);
		/* A question to come is announced; its choices show when it is
		 * asked, before the call runs (quiz.h). */
		const RunActor *a = run_actor(e, s->next);
		const LessonStep *st = step_of(e, s->next, a->step);
		if (st && st->question && a->state == ACTOR_READY &&
		    answers_due(run_lesson(e), run_timeline(e), s->next, a->step) && !s->next_answered)
			snprintf(q, qcap, "? Next comes a question: %s", st->question->text ? st->question->text : "");
	} else if (narration_waiting(e, call_wait, sizeof call_wait)) {
		snprintf(next, ncap, "Next: %s.", call_wait);
	} else {
		snprintf(next, ncap, "Next: waiting for the actors...");
	}
}

int narration_rows(const Run *e, const ScreenState *s, int w, int *text_rows)
{
	char text[4096], next[1024], q[1024];
	Role role;
	band_texts(e, s, text, sizeof text, q, sizeof q, next, sizeof next, &role);
	int t = frame_wrap(NULL, 0, 0, w - 2, 999, text, ROLE_NARRATION);
	if (text_rows)
		*text_rows = t;
	return t + (q[0] ? frame_wrap(NULL, 0, 0, w - 2, 999, q, ROLE_NOTICE) : 0) +
	       frame_wrap(NULL, 0, 0, w - 2, 999, next, role);
}

uint64_t narration_moment(const Run *e)
{
	const Event *ev = last_step(e);
	return ev ? ev->seq : 0;
}

/* The pages of need rows of words in per rows, and the one shown: the
 * page w turned to, while the step it was turned at is still the last. */
static int page_shown(const Run *e, const ScreenState *s, int need, int per, int *pages)
{
	*pages = per > 0 && need > per ? (need + per - 1) / per : 1;
	if (*pages < 2 || s->narr_seq != narration_moment(e) || s->narr_page < 0)
		return 0;
	return s->narr_page % *pages;
}

int narration_page(const Run *e, const ScreenState *s, int w, int h, int *pages)
{
	char text[4096], next[1024], q[1024];
	Role role;
	band_texts(e, s, text, sizeof text, q, sizeof q, next, sizeof next, &role);
	return page_shown(e, s, frame_wrap(NULL, 0, 0, w - 2, 999, text, ROLE_NARRATION), h - 1, pages);
}

/* The lesson's words come first: the question to come gets the rows they
 * leave, and the line of what runs next is always the last. Words that
 * need more rows than there are come in pages (w turns them, the band's
 * rule says which is shown), so that each sentence can be read whole. */
void narration_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	char text[4096], next[1024], q[1024];
	Role next_role;
	band_texts(e, s, text, sizeof text, q, sizeof q, next, sizeof next, &next_role);
	if (h <= 0)
		return;
	int need = frame_wrap(NULL, 0, 0, w - 2, 999, text, ROLE_NARRATION), pages;
	int page = page_shown(e, s, need, h - 1, &pages);
	if (pages > 1) {
		int from = page * (h - 1);
		frame_wrap_from(f, x + 1, y, w - 2, from, h - 1, text, ROLE_NARRATION);
		need -= from;
	}
	int trows = need < h - 1 ? need : h - 1;
	int qrows = q[0] ? frame_wrap(NULL, 0, 0, w - 2, 999, q, ROLE_NOTICE) : 0;
	/* What runs next, or why nothing can, takes the rows it needs when
	 * the words and the question leave them; else its one row, cut. */
	int nrows = frame_wrap(NULL, 0, 0, w - 2, 999, next, next_role);
	int nr = pages < 2 && nrows > 1 && h - need - qrows >= nrows ? nrows : 1;
	if (qrows > h - nr - trows)
		qrows = h - nr - trows;
	if (pages < 2)
		frame_wrap(f, x + 1, y, w - 2, trows, text, ROLE_NARRATION);
	if (need > trows && trows > 0 && pages < 2) {
		/* More than fits (a terminal too small for the whole): an
		 * ellipsis right after the last word shown. */
		int end = x + w - 2;
		while (end > x + 1 && frame_blank(f, end - 1, y + trows - 1))
			end--;
		frame_put(f, end < x + w - 2 ? end + 1 : end, y + trows - 1, glyphs_get(s->unicode)->ell,
			  ROLE_NARRATION, 1);
	}
	if (qrows > 0)
		frame_wrap(f, x + 1, y + trows, w - 2, qrows, q, ROLE_NOTICE);
	if (nr > 1)
		frame_wrap(f, x + 1, y + h - nr, w - 2, nr, next, next_role);
	else
		frame_put_fit(f, x + 1, y + h - 1, next, next_role, w - 2, glyphs_get(s->unicode)->ell);
}
