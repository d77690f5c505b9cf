/* answerkind.h - what kind of outcome a question's answer names.
 *
 * Model layer, a leaf (packet flag bits aside): the lesson parser asks it
 * whether an answer can be checked against a run at all, as the lesson
 * loads, and question.c reads the same words to check it against the run.
 * One reading of the words for both, so an answer the loader accepts is
 * one the run can check. The kinds (the README lists them): a signal name
 * (SIGPIPE: the actor dies of it), packet flags in order ("SYN, SYN/ACK,
 * ACK") or "none", an errno name (ECONNREFUSED), "blocks" or "does not
 * block", and a number (the return value, or what a getsockopt reads). */
#ifndef SOCKSTEP_ANSWERKIND_H
#define SOCKSTEP_ANSWERKIND_H

#include <stddef.h>
#include <stdint.h>

/* The first word of answer of the form PREFIX[A-Z0-9]+ ("E", "SIG"),
 * copied to out (cap bytes). Returns 1 when found. */
int answerkind_name(const char *answer, const char *prefix, char *out, size_t cap);

/* The signal named (SIGPIPE), into out: 1 when the answer names one. */
int answerkind_signal(const char *answer, char *out, size_t cap);

/* The errno named (ECONNREFUSED; not EOF), into out: 1 when it names one. */
int answerkind_errno(const char *answer, char *out, size_t cap);

/* "SYN, SYN/ACK, ACK" -> {SYN}, {SYN|ACK}, {ACK} (PKT_ bits): the count,
 * or -1 when the answer is not made of flag names. */
int answerkind_flags(const char *answer, uint8_t *want, int max);

/* "none" or "no packets". */
int answerkind_none(const char *answer);

/* Does it say whether the call blocks? *not_block: it says it does not. */
int answerkind_blocks(const char *answer, int *not_block);

/* A number (leading blanks or '=' allowed), into *n: 1 when it is one. */
int answerkind_number(const char *answer, long long *n);

/* An answer computed from the run as the question is asked, so that the
 * student's own input never makes it wrong: "len $input" and "len
 * $received" (a number: the length of the actor's last input line, or of
 * the bytes its last receive returned), "$input", "upper $input",
 * "$received", "upper $received" (content: those bytes, for a receiving
 * step). */
typedef enum { ANSWERKIND_PLAIN, ANSWERKIND_LEN, ANSWERKIND_CONTENT } AnswerkindComputed;

/* Which of the above answer is; *input: it is of $input (else of
 * $received), *upper: in capitals. ANSWERKIND_PLAIN when none. */
AnswerkindComputed answerkind_computed(const char *answer, int *input, int *upper);

/* Can a run check it: is it of one of the kinds above? (A quoted text on a
 * receiving step, the bytes it returns, is checked too: the parser knows
 * that, from the quotes and the step.) */
int answerkind_checkable(const char *answer);

#endif
