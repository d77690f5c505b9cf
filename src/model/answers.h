/* answers.h - the student's predictions in one run of a lesson, and the
 * score they make.
 *
 * Model layer, pure: it reads a lesson and a timeline, never an engine or
 * a screen, so a test can give it both by hand. A question (a '?' line
 * after a step) is asked before the first run of its step; the student
 * picks a choice; the call then runs for real, and once the timeline says
 * what it did the pick is checked against that (question.h) and counted
 * in the score, once. An answer is about one run of its step, its first or
 * the pass the question names ("? pass 2:"), so an actor and a step name
 * it.
 *
 * Going back to an earlier step runs the lesson again (run_goto), with
 * a new timeline; the answers stay given. A question answered is not asked
 * again, and its verdict, counted or still to come, is counted once. Only
 * a fresh run forgets them (answers_reset). */
#ifndef SOCKSTEP_ANSWERS_H
#define SOCKSTEP_ANSWERS_H

#include "model/lesson.h"
#include "model/question.h"

/* A lesson asks a handful of questions; a run that gave more answers than
 * this is refused the extra ones (ANSWERS_FULL). */
enum { ANSWERS_MAX = 64 };

typedef enum {
	ANSWER_PENDING,   /* its call has not come back yet: the verdict waits */
	ANSWER_COUNTED,   /* checked against the run and in the score */
	ANSWER_VOID,      /* never counted: the lesson's own answer contradicts
	                     the run, or the call could not run after all */
} AnswerState;

typedef struct {
	int actor, step;   /* the step asked about */
	int choice;        /* the pick: an index in the question's choices */
	AnswerState state;
	int right;         /* ANSWER_COUNTED: the pick agrees with the run */
} Answer;

typedef struct {
	Answer given[ANSWERS_MAX];   /* in the order they were given */
	int n;
	int score, asked;            /* answers counted right; answers counted */
} Answers;

/* What answers_give did. */
enum {
	ANSWERS_GIVEN = 0,        /* recorded; its verdict waits for the call */
	ANSWERS_AGAIN = 1,        /* that step has an answer already: it stands,
	                             and nothing is counted twice */
	ANSWERS_NO_CHOICE = -1,   /* no question there, or no such choice */
	ANSWERS_FULL = -2,        /* no room left: nothing recorded */
};

/* What a run says of a pick. */
typedef struct {
	int known;                /* the call returned, or its actor died in it */
	QuestionVerdict lesson;   /* the lesson's answer against the run */
	QuestionVerdict student;  /* the pick against the run */
	int counts;               /* it counts in the score: the lesson's answer
	                             does not contradict the run */
	int right;                /* it counts, and the pick is the lesson's answer
	                             or agrees with the run */
	char what[256];           /* what happened, question_check's words:
	                             "returned 12", "packets: FIN,ACK" */
} AnswersVerdict;

/* A fresh run: no answer, no score. */
void answers_reset(Answers *a);

/* The question on actor's step, or NULL: none, no such actor or step, or
 * the step is not a call, which no run can answer. */
const LessonQuestion *answers_question(const Lesson *l, int actor, int step);

/* Has actor's step a question whose pass has not run yet in t, the runs
 * before it have (so it is to be asked before the actor makes the call,
 * unless it was answered)? */
int answers_due(const Lesson *l, const Timeline *t, int actor, int step);

/* Must the question be asked before actor's step runs? It is due and no
 * answer was given for it in this run, before going back or since. */
int answers_owed(const Answers *a, const Lesson *l, const Timeline *t, int actor, int step);

/* A choice as the student reads it and the run checks it: the question's
 * text, or, for an answer computed from the run (answerkind_computed: "len
 * $input", "upper $input"), its value in buf, from the actor's last input or
 * receive before the pass asked about. *len: its length (bytes may hold
 * NUL). NULL when there is no such choice. */
const char *answers_choice(const Lesson *l, const Timeline *t, int actor, int step, int choice, char *buf,
			   size_t cap, size_t *len);

/* choice against the pass of actor's step the question is about, in t:
 * QUESTION_UNCHECKABLE (what: "never ran") when that pass has not run. */
QuestionVerdict answers_check(const Lesson *l, const Timeline *t, int actor, int step, int choice, char *what,
			      size_t cap);

/* The student picks choice (0-based) for actor's step. Returns one of
 * ANSWERS_GIVEN, ANSWERS_AGAIN, ANSWERS_NO_CHOICE, ANSWERS_FULL. */
int answers_give(Answers *a, const Lesson *l, int actor, int step, int choice);

/* The answer given for actor's step in this run, or NULL. */
const Answer *answers_at(const Answers *a, int actor, int step);

/* Is the answer for actor's step waiting for its call to come back? */
int answers_pending(const Answers *a, int actor, int step);

/* The call of actor's step could not run after all: its answer, if still
 * pending, stays given (not asked again) but never counts. */
void answers_void(Answers *a, int actor, int step);

/* The same for every pending answer: the run they waited on is gone (a
 * replay jumped). */
void answers_void_pending(Answers *a);

/* Count the pending answers whose calls t shows come back (or whose actor
 * died in them): a verdict waits for the run. Returns how many were
 * settled; each answer is settled once, whatever t says later. */
int answers_settle(Answers *a, const Lesson *l, const Timeline *t);

/* What t says of choice for actor's step: fills v (known 0 while the call
 * has not come back, or has not run). */
void answers_verdict(const Lesson *l, const Timeline *t, int actor, int step, int choice, AnswersVerdict *v);

#endif
