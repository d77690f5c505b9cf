/* narration.c - the lesson's explanation of each step (see narration.h). */
#include "views/narration.h"

#include <stdio.h>
#include <string.h>

#include "model/answers.h"
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
}

void narration_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	char text[4096], next[1024], q[1024] = "", call_wait[900];
	Role next_role = ROLE_KEY;
	what_happened(e, last_step(e), text, sizeof text);
	char over[400];
	if (run_finished(e) && run_succeeded(e) && run_servers_over(e, over, sizeof over)) {
		/* "The clients have ended; server waits ...: the run is over." */
		snprintf(next, sizeof next, "%c%s.", over[0] >= 'a' && over[0] <= 'z' ? over[0] - 'a' + 'A' : over[0],
			 over + 1);
		next_role = ROLE_OK;
	} else if (run_finished(e) && run_succeeded(e)) {
		snprintf(next, sizeof next, "%s", run_traced(e, 0) ? "Your programs ran to their end."
			 : "The lesson is over: every actor ran to its end.");
		next_role = ROLE_OK;
	} else if (run_finished(e)) {
		char why[800];
		narration_stuck(e, why, sizeof why);
		snprintf(next, sizeof next, "Stuck: %s, and no actor can wake it.", why[0] ? why : "no actor can run");
		next_role = ROLE_ERROR;
	} else if (s->next >= 0) {
		char call[900];
		narration_next(e, s->next, call, sizeof call);
		snprintf(next, sizeof next, "Next: %s", call);
		/* A question to come is announced; its choices show when it is
		 * asked, before the call runs (quiz.h). */
		const RunActor *a = run_actor(e, s->next);
		const LessonStep *st = step_of(e, s->next, a->step);
		if (st && st->question && a->state == ACTOR_READY &&
		    answers_due(run_lesson(e), run_timeline(e), s->next, a->step) && !s->next_answered)
			snprintf(q, sizeof q, "? Next comes a question: %s", st->question->text ? st->question->text : "");
	} else if (narration_waiting(e, call_wait, sizeof call_wait)) {
		snprintf(next, sizeof next, "Next: %s.", call_wait);
	} else {
		snprintf(next, sizeof next, "Next: waiting for the actors...");
	}
	int qrows = q[0] ? frame_wrap(NULL, 0, 0, w - 2, h, q, ROLE_NOTICE) : 0;
	if (qrows > h - 2)
		qrows = h - 2 > 0 ? h - 2 : 0;
	int trows = h - 1 - qrows;
	int need = frame_wrap(f, x + 1, y, w - 2, trows, text, ROLE_NARRATION);
	if (need > trows && trows > 0) {
		/* More than fits: an ellipsis right after the last word shown. */
		int end = x + w - 2;
		while (end > x + 1 && frame_blank(f, end - 1, y + trows - 1))
			end--;
		frame_put(f, end < x + w - 2 ? end + 1 : end, y + trows - 1, glyphs_get(s->unicode)->ell,
			  ROLE_NARRATION, 1);
	}
	if (qrows)
		frame_wrap(f, x + 1, y + trows, w - 2, qrows, q, ROLE_NOTICE);
	frame_put_fit(f, x + 1, y + h - 1, next, next_role, w - 2, glyphs_get(s->unicode)->ell);
}
