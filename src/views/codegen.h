/* codegen.h - an actor's steps as a real program, in Python or in C.
 *
 * View layer: a lesson in, lines of source code out; no curses, and the
 * lesson is never changed. The program is meant to be run, not only read:
 * the Python runs with python3 and the C builds with `cc -std=c11 -Wall
 * -Wextra -Werror`, and each makes the same calls as the actor does under
 * sockstep. For every step the code knows the line that performs it, so a
 * code pane can highlight the step about to run. */
#ifndef SOCKSTEP_CODEGEN_H
#define SOCKSTEP_CODEGEN_H

#include <stdio.h>

#include "model/lesson.h"

typedef enum { CODE_PYTHON, CODE_C } CodeLang;

typedef struct {
	char **lines;        /* the program, one line each, without '\n' */
	int nlines;
	int *step_line;      /* for each step of the actor: the index in lines of
	                        the line that performs it, or -1 (a step such as
	                        a Python loop's 'end' has no line of its own) */
	int nsteps;
} Code;

/* The program of actor (an index in l->actors) in lang, or NULL when out
 * of memory or actor is out of range. Free with codegen_free. */
Code *codegen_make(const Lesson *l, int actor, CodeLang lang);

void codegen_free(Code *c);

/* "python" (or "py") and "c"; returns 0, or -1 for an unknown name. */
int codegen_lang(const char *name, CodeLang *lang);

/* Write the program of actor to out; actor -1 writes every actor's program,
 * each after a comment line naming the actor. Returns 0, or -1 when out of
 * memory or actor is out of range. */
int codegen_write(const Lesson *l, int actor, CodeLang lang, FILE *out);

#endif
