/* check.c - run a lesson and check its answers (see check.h). */
#include "check.h"

#include <string.h>
#include <sys/wait.h>

#include "model/answers.h"
#include "model/question.h"
#include "model/stuck.h"
#include "model/utf8.h"

enum { STUCK_MS = 10000 };

static int check_question(Run *e, int actor, int step, const char *when, FILE *out)
{
	const Lesson *l = run_lesson(e);
	const LessonStep *s = &l->actors[actor].steps[step];
	const LessonQuestion *q = s->question;
	const Timeline *t = run_timeline(e);
	const char *answer = q->choices[q->answer];
	char what[256];
	if (!lesson_op_is_call(s->op)) {
		utf8_print(out, "%s:%d:%d: the question \"%s\" is on a step that is not a call, so no run can check it\n",
			l->path, q->line, q->col, q->text);
		return 1;
	}
	if (!question_call(t, actor, step, q->pass > 1 ? q->pass : 1)) {
		if (q->pass > 1)
			utf8_print(out, "%s:%d:%d: the question \"%s\" is about pass %d of its step, which ran only %d "
				   "time%s%s\n", l->path, q->line, q->col, q->text, q->pass, question_calls(t, actor, step),
				   question_calls(t, actor, step) == 1 ? "" : "s", when);
		else
			utf8_print(out, "%s:%d:%d: the question \"%s\" is on a step that never ran%s\n", l->path, q->line,
				   q->col, q->text, when);
		return 1;
	}
	QuestionVerdict v = answers_check(l, t, actor, step, q->answer, what, sizeof what);
	if (v == QUESTION_AGREES)
		return 0;
	/* The answer's own place: the '?' line, not its step's. */
	if (v == QUESTION_UNCHECKABLE)
		utf8_print(out, "%s:%d:%d: the answer \"%s\" cannot be checked against a run: give a number, an errno "
			"name, \"blocks\" or \"does not block\", packet flags (SYN, SYN/ACK, ACK) or \"none\", or a "
			"signal name\n", l->path, q->line, q->answer_col, answer);
	else
		utf8_print(out, "%s:%d:%d: the answer \"%s\" is wrong: %s %s%s\n", l->path, q->line, q->answer_col, answer,
			lesson_op_name(s->op), what, when);
	return 1;
}

/* An actor whose call an 'after' still holds back when the run stops: the
 * step it waits for has not returned, so the place to look is the after's line. */
static void check_held(const Lesson *l, int i, const RunActor *a, FILE *out)
{
	const LessonStep *s = lesson_after_of(l, i, a->step);
	const LessonActor *other = &l->actors[s->after_actor];
	utf8_print(out, "%s:%d:%d: the run does not reach its end: %s waits, by this after, for %s's step %d "
		"(%s), which has not returned\n", l->path, s->line, s->col, a->name, other->name, s->after_step + 1,
		other->steps[s->after_step].source);
}

/* Is an actor in a call that returns by itself (a sleep, a timeout)? */
static int timer_running(const Run *e)
{
	for (int i = 0; i < run_actor_count(e); i++)
		if (run_actor(e, i)->state == ACTOR_BLOCKED && run_timed(e, i) != RUN_UNTIMED)
			return 1;
	return 0;
}

/* One run of the lesson to its end, and its problems printed, each ending
 * in when. paused: before each step every timer running ends first, as
 * when a student pauses longer than any timer in the lesson between two
 * keys; else the steps follow each other at full speed. */
static int check_once(Run *e, int paused, const char *when, FILE *out)
{
	const Lesson *l = run_lesson(e);
	/* A sleep or a call with a timeout returns by itself, however long it
	 * takes: only a call no actor can wake is the run stuck. */
	for (;;) {
		if (paused)
			while (timer_running(e) && run_wait(e, STUCK_MS))
				;
		if (run_step(e, -1, NULL) < 0 && !run_wait(e, STUCK_MS) && run_waiting(e) < 0)
			break;
	}
	run_drain(e, 2000);
	int problems = 0;
	if (!run_succeeded(e)) {
		char where[600], why[800];
		for (int i = 0; i < run_actor_count(e); i++) {
			const RunActor *a = run_actor(e, i);
			/* The blocked step's own place, as a compiler points at a line. */
			if (a->state == ACTOR_BLOCKED && stuck_where(e, i, where, sizeof where) == 0)
				utf8_print(out, "%s: the run does not reach its end: %s stays blocked in step %d (%s)%s\n",
					where, a->name, a->step + 1, l->actors[i].steps[a->step].source, when);
			else if (a->state == ACTOR_DEAD)
				utf8_print(out, "%s: the run does not reach its end: %s died (wait status %d)%s\n",
					l->path, a->name, a->status, when);
			else if (a->state == ACTOR_READY && lesson_after_of(l, i, a->step))
				check_held(l, i, a, out);
		}
		if (stuck_cause(e, why, sizeof why))
			utf8_print(out, "%s: %s\n", l->path, why);
		if (stuck_hint(e, why, sizeof why))
			utf8_print(out, "%s: hint: %s\n", l->path, why);
		problems++;
	}
	for (int i = 0; i < l->nactors; i++)
		for (int k = 0; k < l->actors[i].nsteps; k++)
			if (l->actors[i].steps[k].question)
				problems += check_question(e, i, k, when, out);
	return problems;
}

int check_run(Run *e, FILE *out)
{
	char err[256];
	const Lesson *l = run_lesson(e);
	if (run_start(e, err, sizeof err) < 0) {
		utf8_print(out, "%s: cannot start: %s\n", l->path, err);
		return 2;
	}
	int problems = check_once(e, 0, "", out);
	int steps = run_steps_done(e);
	/* A lesson means the same at any speed: a student who pauses between
	 * keys longer than its sleeps and timeouts must see the same verdicts.
	 * Only a lesson right at full speed is tried so. */
	if (!problems) {
		if (run_restart(e, err, sizeof err) < 0) {
			utf8_print(out, "%s: cannot start again: %s\n", l->path, err);
			run_stop(e);
			return 2;
		}
		problems = check_once(e, 1, ", with a pause longer than the lesson's timers before each step "
				      "(at full speed it agrees)", out);
	}
	run_stop(e);
	if (problems)
		utf8_print(out, "%s: %d problem%s\n", l->path, problems, problems == 1 ? "" : "s");
	else
		utf8_print(out, "%s: ok, %d steps ran, every answer agrees with the run, at full speed and with "
			   "pauses\n", l->path, steps);
	return problems ? 1 : 0;
}
