/* quiz.c - a question's prompt and its verdict (see quiz.h).
 *
 * View layer. Everything is worked out again from the timeline on every
 * frame, as the other views do; which step asks and what the run says of a
 * pick are the model's rules (answers.h), put in words here. */
#include "views/quiz.h"

#include <stdio.h>
#include <string.h>

#include "model/answers.h"
#include "views/glyphs.h"
#include "views/narration.h"

/* A choice's text starts here, its number three columns before. */
enum { CHOICE_X = 6 };

const LessonQuestion *quiz_question(const Lesson *l, int actor, int step)
{
	return answers_question(l, actor, step);
}

int quiz_due(const Run *e, int actor)
{
	const RunActor *a = run_actor(e, actor);
	return a && a->state == ACTOR_READY && answers_due(run_lesson(e), run_timeline(e), actor, a->step);
}

/* question_check's words, with the call named: "recv() returned 12". */
static void word_outcome(const char *actor, const char *op, const char *what, char *buf, size_t cap)
{
	if (strncmp(what, "packets:", 8) == 0)
		snprintf(buf, cap, "packets during %s():%s", op, what + 8);
	else if (strcmp(what, "no packets") == 0)
		snprintf(buf, cap, "no packets during %s()", op);
	else if (strncmp(what, "was killed", 10) == 0)
		snprintf(buf, cap, "%s %s in %s()", actor, what, op);
	else
		snprintf(buf, cap, "%s() %s", op, what);
}

void quiz_outcome(const Run *e, const ScreenQuiz *q, QuizOutcome *o)
{
	AnswersVerdict v;
	const Lesson *l = run_lesson(e);
	answers_verdict(l, run_timeline(e), q->actor, q->step, q->choice, &v);
	memset(o, 0, sizeof *o);
	o->known = v.known;
	o->lesson = v.lesson;
	o->student = v.student;
	o->counts = v.counts;
	o->right = v.right;
	if (!o->known)
		return;
	word_outcome(run_actor(e, q->actor)->name, lesson_op_name(l->actors[q->actor].steps[q->step].op),
		     v.what, o->what, sizeof o->what);
}

/* A choice as the student reads it: a computed one ("len $input") by its
 * value in this run. */
static const char *choice_text(const Run *e, int actor, int step, int choice, char *buf, size_t cap)
{
	size_t len;
	const char *c = answers_choice(run_lesson(e), run_timeline(e), actor, step, choice, buf, cap, &len);
	return c ? c : "";
}

/* "? Which socket does accept() return?" */
static void question_line(const LessonQuestion *lq, char *buf, size_t cap)
{
	snprintf(buf, cap, "? %s", lq->text ? lq->text : "");
}

/* "Next: server recv(4, 1024). What will happen? Press 1-3." */
static void prompt_head(const Run *e, const ScreenQuiz *q, char *buf, size_t cap)
{
	char next[600];
	const LessonQuestion *lq = quiz_question(run_lesson(e), q->actor, q->step);
	int n = lq ? (lq->nchoices < 9 ? lq->nchoices : 9) : 1;
	narration_next(e, q->actor, next, sizeof next);
	snprintf(buf, cap, "Next: %s. It has not run yet: predict, press %s%d.", next, n > 1 ? "1-" : "", n);
}

int quiz_prompt_rows(const Run *e, const ScreenQuiz *q, int w)
{
	char line[1200];
	const LessonQuestion *lq = quiz_question(run_lesson(e), q->actor, q->step);
	if (!q->open || !lq)
		return 0;
	prompt_head(e, q, line, sizeof line);
	int rows = frame_wrap(NULL, 0, 0, w - 2, 99, line, ROLE_NOTICE);
	question_line(lq, line, sizeof line);
	rows += frame_wrap(NULL, 0, 0, w - 2, 99, line, ROLE_NOTICE);
	for (int i = 0; i < lq->nchoices && i < 9; i++)
		rows += frame_wrap(NULL, 0, 0, w - CHOICE_X - 1, 99, choice_text(e, q->actor, q->step, i, line, sizeof line),
				   ROLE_NORMAL);
	return rows;
}

void quiz_draw_prompt(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	char line[1200];
	const ScreenQuiz *q = &s->quiz;
	const LessonQuestion *lq = quiz_question(run_lesson(e), q->actor, q->step);
	if (!q->open || !lq)
		return;
	int row = 0;
	prompt_head(e, q, line, sizeof line);
	row += frame_wrap(f, x + 1, y + row, w - 2, h - row, line, ROLE_DIM);
	question_line(lq, line, sizeof line);
	row += frame_wrap(f, x + 1, y + row, w - 2, h - row, line, ROLE_NOTICE);
	for (int i = 0; i < lq->nchoices && i < 9 && row < h; i++) {
		/* The key in the key colour; a long choice wraps under its own text. */
		char key[4] = { (char)('1' + i), '\0' };
		frame_put(f, x + CHOICE_X - 3, y + row, key, ROLE_KEY, 1);
		row += frame_wrap(f, x + CHOICE_X, y + row, w - CHOICE_X - 1, h - row,
				  choice_text(e, q->actor, q->step, i, line, sizeof line), ROLE_NORMAL);
	}
}

Role quiz_verdict_text(const Run *e, const ScreenQuiz *q, int unicode, char *buf, size_t cap)
{
	const Glyphs *g = glyphs_get(unicode);
	const Lesson *l = run_lesson(e);
	const LessonQuestion *lq = quiz_question(l, q->actor, q->step);
	char said_buf[256], answer_buf[256];
	const char *said = choice_text(e, q->actor, q->step, q->choice, said_buf, sizeof said_buf);
	const char *answer = choice_text(e, q->actor, q->step, lq->answer, answer_buf, sizeof answer_buf);
	const char *op = lesson_op_name(l->actors[q->actor].steps[q->step].op);
	QuizOutcome o;
	quiz_outcome(e, q, &o);
	if (!o.known) {
		snprintf(buf, cap, "You said: %s. %s() is blocked: the verdict comes when it returns (step "
			 "another actor to wake it).", said, op);
		return ROLE_NOTICE;
	}
	if (!o.counts) {
		snprintf(buf, cap, "%sYou said: %s. The lesson's answer, %s, disagrees with this run: %s. The run "
			 "is what really happened: the lesson has a bug here, and this question does not count.",
			 g->mark_fail, said, answer, o.what);
		return ROLE_ERROR;
	}
	const char *agrees = o.lesson == QUESTION_AGREES ? ", as the answer says" : "";
	if (o.right && q->choice == lq->answer)
		snprintf(buf, cap, "%sRight. You said: %s. The run: %s%s.", g->mark_ok, said, o.what, agrees);
	else if (o.right)
		snprintf(buf, cap, "%sRight too. You said: %s; the lesson's answer: %s. The run: %s.", g->mark_ok,
			 said, answer, o.what);
	else
		snprintf(buf, cap, "%sYou said: %s. Answer: %s. The run: %s%s.", g->mark_fail, said, answer, o.what,
			 agrees);
	return o.right ? ROLE_OK : ROLE_ERROR;
}

int quiz_draw_verdict(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	const ScreenQuiz *q = &s->quiz;
	if (q->open || q->choice < 0 || !quiz_question(run_lesson(e), q->actor, q->step) || h <= 0)
		return 0;
	char text[1600];
	Role role = quiz_verdict_text(e, q, s->unicode, text, sizeof text);
	int rows = frame_wrap(f, x + 1, y, w - 2, h, text, role);
	return rows < h ? rows : h;
}
