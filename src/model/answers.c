/* answers.c - predictions, their verdicts and the score (see answers.h).
 *
 * Model layer. A verdict is worked out from the timeline each time it is
 * asked for: the first EV_CALL of the step, its EV_RETURN, and the actor's
 * exit if it died in the call. Only settling an answer changes the score,
 * and an answer is settled once. */
#include "model/answers.h"

#include "model/answerkind.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
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
	/* Asked once, before the pass it is about: the passes before it the
	 * student watches, and after it has seen the call. */
	const LessonQuestion *q = answers_question(l, actor, step);
	return q && question_calls(t, actor, step) == (q->pass > 1 ? q->pass : 1) - 1;
}

/* The actor's last input line, or the bytes of its last receive, in t
 * before the event numbered before (0: all of t). */
static const char *last_value(const Timeline *t, int actor, int input, uint64_t before, size_t *len)
{
	const char *found = NULL;
	*len = 0;
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		if (before && ev->seq >= before)
			break;
		if (ev->actor != actor)
			continue;
		if (input && ev->kind == EV_INPUT && ev->text) {
			found = ev->text;
			*len = strlen(ev->text);
		} else if (!input && ev->kind == EV_RETURN && lesson_op_receives((LessonOp)ev->op) && ev->ret >= 0) {
			found = ev->data ? (const char *)ev->data : "";
			*len = ev->len;
		}
	}
	return found;
}

const char *answers_choice(const Lesson *l, const Timeline *t, int actor, int step, int choice, char *buf,
			   size_t cap, size_t *len)
{
	const LessonQuestion *q = answers_question(l, actor, step);
	if (!q || choice < 0 || choice >= q->nchoices || cap == 0)
		return NULL;
	const char *c = q->choices[choice];
	*len = strlen(c);
	int input, upper;
	AnswerkindComputed kind = answerkind_computed(c, &input, &upper);
	if (kind == ANSWERKIND_PLAIN)
		return c;
	const Event *call = question_call(t, actor, step, q->pass > 1 ? q->pass : 1);
	size_t n;
	const char *v = last_value(t, actor, input, call ? call->seq : 0, &n);
	if (!v)
		return c;   /* nothing typed or received yet: the words say what is meant */
	if (kind == ANSWERKIND_LEN) {
		*len = (size_t)snprintf(buf, cap, "%zu", n);
		return buf;
	}
	n = n < cap - 1 ? n : cap - 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = upper ? (char)toupper((unsigned char)v[i]) : v[i];
	buf[n] = '\0';
	*len = n;
	return buf;
}

QuestionVerdict answers_check(const Lesson *l, const Timeline *t, int actor, int step, int choice, char *what,
			      size_t cap)
{
	char buf[1024];
	size_t len;
	const LessonQuestion *q = answers_question(l, actor, step);
	const char *c = answers_choice(l, t, actor, step, choice, buf, sizeof buf, &len);
	const Event *call = q ? question_call(t, actor, step, q->pass > 1 ? q->pass : 1) : NULL;
	if (!c || !call) {
		snprintf(what, cap, "never ran");
		return QUESTION_UNCHECKABLE;
	}
	const Event *ret = timeline_return_of(t, call->seq);
	int status = question_exit_status(t, call, ret);
	/* In a question about the bytes received, a choice of no other kind
	 * is bytes too: "HELLO" against "hello". */
	if (q->content && !answerkind_checkable(c))
		return question_check_content(c, len, call, ret, status, what, cap);
	return question_check(c, t, call, ret, status, what, cap);
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
	const Event *call = question_call(t, actor, step, q->pass > 1 ? q->pass : 1);
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
	v->lesson = answers_check(l, t, actor, step, q->answer, v->what, sizeof v->what);
	v->student = answers_check(l, t, actor, step, choice, v->what, sizeof v->what);
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
