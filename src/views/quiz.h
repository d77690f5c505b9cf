/* quiz.h - predict the result: a lesson's question before its call runs,
 * and the verdict beside what really happened after.
 *
 * View layer (see screen.h). A question ("? What will recv() return?
 * [12] 0 blocks") is asked the first time its step is about to run; the
 * student picks a choice, the call runs for real, and the verdict compares
 * the pick with the lesson's answer and both with the run (question.h): a
 * lesson whose answer contradicts the run is shown as the lesson's bug, not
 * hidden. Nothing here changes the model: the controller keeps the
 * ScreenQuiz, and the answers and the score in the model (answers.h),
 * which decides what counts. */
#ifndef SOCKSTEP_QUIZ_H
#define SOCKSTEP_QUIZ_H

#include <stddef.h>

#include "model/run.h"
#include "model/question.h"
#include "views/frame.h"
#include "views/screenstate.h"

typedef struct {
	int known;               /* what happened is known: the call returned, or
	                            its actor died in it */
	QuestionVerdict lesson;  /* the lesson's answer against the run */
	QuestionVerdict student; /* the student's pick against the run */
	int counts;              /* it counts in the score: the lesson's answer
	                            does not contradict the run */
	int right;               /* the pick is the answer, or agrees with the run */
	char what[320];          /* "recv() returned 12", "packets during close(): FIN,ACK" */
} QuizOutcome;

/* The question on actor's step, or NULL (none, or the step is not a call:
 * no run can answer it): answers_question, for the views. */
const LessonQuestion *quiz_question(const Lesson *l, int actor, int step);

/* Would stepping actor now run a step with a question for the first time
 * (so the question is to be asked before)? */
int quiz_due(const Run *e, int actor);

/* The verdict on q (answered: q->choice >= 0), from the timeline: the
 * model's (answers_verdict), with the call named in o->what. */
void quiz_outcome(const Run *e, const ScreenQuiz *q, QuizOutcome *o);

/* The verdict on q (answered) in words: "Right. You said: 4. The run:
 * accept() returned 4.", or what is wrong, or that it waits for the call;
 * marked with unicode's glyphs or plain ASCII. Returns the role it is
 * drawn in (ROLE_OK right, ROLE_ERROR wrong or not counted, ROLE_NOTICE
 * still to come). The screen's verdict, and --step's. */
Role quiz_verdict_text(const Run *e, const ScreenQuiz *q, int unicode, char *buf, size_t cap);

/* Rows the open prompt needs at width w, the band's rule not included. */
int quiz_prompt_rows(const Run *e, const ScreenQuiz *q, int w);

/* The open prompt: what runs next, the question, its choices numbered. */
void quiz_draw_prompt(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

/* The verdict of the answered question in at most h rows from y; returns
 * the rows used (0 when no answered question is showing). With f NULL it
 * only counts them. */
int quiz_draw_verdict(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

#endif
