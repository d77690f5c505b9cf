/* question.h - does a question's answer agree with what really happened?
 *
 * Model layer, pure. A lesson asks the student to predict a call's result;
 * after the call runs for real, the answer the lesson gives is compared with
 * the call's actual outcome, so a lesson whose answer is wrong is caught
 * (sockstep --check) instead of teaching something false. An answer is
 * checked by what it says:
 *   a number ("12", "0 bytes")        the call returned that number
 *   an errno name ("ECONNREFUSED")    the call failed with that error
 *   "blocks" / "does not block"       the call blocked, or returned at once
 *   packet flags ("SYN, SYN/ACK, ACK") those packets, in that order, were
 *                                     seen while the call ran ("none": none)
 *   a signal name ("SIGPIPE")         the actor was killed by that signal
 *   bytes ("HELLO", a receiving step)  the call returned exactly those
 *                                     (question_check_content)
 * Anything else cannot be checked, which --check reports too. */
#ifndef SOCKSTEP_QUESTION_H
#define SOCKSTEP_QUESTION_H

#include <stddef.h>

#include "model/timeline.h"

typedef enum { QUESTION_AGREES, QUESTION_DISAGREES, QUESTION_UNCHECKABLE } QuestionVerdict;

/* Compare answer with the call (EV_CALL), its return (EV_RETURN, or NULL if
 * it never returned) and the events between them in t. exit_status is the
 * actor's wait status when it died in the call, else -1. what receives what
 * really happened, in words ("returned 12", "failed with ECONNRESET",
 * "blocked", "packets: SYN SYN,ACK ACK"). */
QuestionVerdict question_check(const char *answer, const Timeline *t, const Event *call,
			       const Event *ret, int exit_status, char *what, size_t cap);

/* The first time actor ran step: its EV_CALL, or NULL if it has not run. */
const Event *question_first_call(const Timeline *t, int actor, int step);

/* The pass-th time (1: the first) actor ran step (a question is about
 * that run): its EV_CALL, or NULL if it has not run that often. */
const Event *question_call(const Timeline *t, int actor, int step, int pass);

/* How many times actor has run step so far (its EV_CALLs). */
int question_calls(const Timeline *t, int actor, int step);

/* A content answer: did the call return exactly the len bytes of want?
 * what as question_check's, with the bytes: "returned 5 bytes: HELLO". */
QuestionVerdict question_check_content(const char *want, size_t len, const Event *call, const Event *ret,
				       int exit_status, char *what, size_t cap);

/* The actor's wait status if it died in the call (ret is NULL and an EV_EXIT
 * of the actor follows the call), else -1: for question_check. */
int question_exit_status(const Timeline *t, const Event *call, const Event *ret);

#endif
