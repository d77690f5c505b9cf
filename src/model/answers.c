/* answers.c - predictions, their verdicts and the score (see answers.h).
 *
 * Model layer. A verdict is worked out from the timeline each time it is
 * asked for: the first EV_CALL of the step, its EV_RETURN, and the actor's
 * exit if it died in the call. Only settling an answer changes the score,
 * and an answer is settled once. */
#include "model/answers.h"

#include <assert.h>
#include <string.h>

void answers_reset(Answers *a)
{
	memset(a, 0, sizeof *a);
}

const LessonQuestion *answers_question(const Lesson *l, int actor, int step)
{
	if (!l || actor < 0 || actor >= l->nactors || step < 0 || step >= l->actors[actor].nsteps)
		return NULL;
	const LessonStep *st = &l->actors[actor].steps[step];
	/* --check reports a question on a step that is not a call; nothing
	 * can check it against a run, so it is not asked. */
	return lesson_op_is_call(st->op) ? st->question : NULL;
}

int answers_due(const Lesson *l, const Timeline *t, int actor, int step)
{
	/* Asked once: the second time round a loop the student has seen it. */
	return answers_question(l, actor, step) && !question_first_call(t, actor, step);
}

int answers_owed(const Answers *a, const Lesson *l, const Timeline *t, int actor, int step)
{
	return answers_due(l, t, actor, step) && !answers_at(a, actor, step);
}

static int find(const Answers *a, int actor, int step)
{
	for (int i = 0; i < a->n; i++)
		if (a->given[i].actor == actor && a->given[i].step == step)
			return i;
	return -1;
}

const Answer *answers_at(const Answers *a, int actor, int step)
{
	int i = find(a, actor, step);
	return i < 0 ? NULL : &a->given[i];
}

int answers_give(Answers *a, const Lesson *l, int actor, int step, int choice)
{
	const LessonQuestion *q = answers_question(l, actor, step);
	if (!q || choice < 0 || choice >= q->nchoices)
		return ANSWERS_NO_CHOICE;
	if (find(a, actor, step) >= 0)
		return ANSWERS_AGAIN;
	if (a->n == ANSWERS_MAX)
		return ANSWERS_FULL;
	a->given[a->n++] = (Answer){ .actor = actor, .step = step, .choice = choice, .state = ANSWER_PENDING };
	return ANSWERS_GIVEN;
}

int answers_pending(const Answers *a, int actor, int step)
{
	const Answer *an = answers_at(a, actor, step);
	return an && an->state == ANSWER_PENDING;
}

void answers_void(Answers *a, int actor, int step)
{
	int i = find(a, actor, step);
	if (i >= 0 && a->given[i].state == ANSWER_PENDING)
		a->given[i].state = ANSWER_VOID;
}

void answers_void_pending(Answers *a)
{
	for (int i = 0; i < a->n; i++)
		if (a->given[i].state == ANSWER_PENDING)
			a->given[i].state = ANSWER_VOID;
}

void answers_verdict(const Lesson *l, const Timeline *t, int actor, int step, int choice, AnswersVerdict *v)
{
	memset(v, 0, sizeof *v);
	v->lesson = v->student = QUESTION_UNCHECKABLE;
	const LessonQuestion *q = answers_question(l, actor, step);
	if (!q || choice < 0 || choice >= q->nchoices)
		return;
	const Event *call = question_first_call(t, actor, step);
	if (!call)
		return;
	const Event *ret = timeline_return_of(t, call->seq);
	int status = question_exit_status(t, call, ret);
	/* Only the run settles it. Not "the engine is finished": that is also
	 * true for a moment while every actor blocks in a call that the kernel
	 * is still completing (two big transfers), and a lesson that really
	 * ends stuck is broken anyway. */
	v->known = ret || status >= 0;
	if (!v->known)
		return;
	v->lesson = question_check(q->choices[q->answer], t, call, ret, status, v->what, sizeof v->what);
	v->student = question_check(q->choices[choice], t, call, ret, status, v->what, sizeof v->what);
	v->counts = v->lesson != QUESTION_DISAGREES;
	/* Two choices can both be true ("does not block" and "5"): the run,
	 * not the lesson's bracket, has the last word. */
	v->right = v->counts && (choice == q->answer || v->student == QUESTION_AGREES);
}

int answers_settle(Answers *a, const Lesson *l, const Timeline *t)
{
	int settled = 0;
	for (int i = 0; i < a->n; i++) {
		Answer *an = &a->given[i];
		AnswersVerdict v;
		if (an->state != ANSWER_PENDING)
			continue;
		answers_verdict(l, t, an->actor, an->step, an->choice, &v);
		if (!v.known)
			continue;
		/* A lesson whose answer the run contradicts has a bug: its
		 * question does not count, either way. */
		an->state = v.counts ? ANSWER_COUNTED : ANSWER_VOID;
		an->right = v.right;
		a->asked += v.counts;
		a->score += v.right;
		settled++;
	}
	assert(a->score >= 0 && a->score <= a->asked && a->asked <= a->n);
	return settled;
}
