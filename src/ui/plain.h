/* plain.h - the plain backend: one line per event, no screen.
 *
 * For --plain, for tests and pipes, and for screen readers. The format is
 * stable and documented in the README: the actor's name, two spaces, then
 * the call with its arguments, " = ", the result; hex lines under every send
 * and recv; "|" before an actor's console output. With --narrate, the
 * lesson's words under each step ("> "), its questions before it ("? ");
 * with --step, a run stepped one line of input at a time. */
#ifndef SOCKSTEP_PLAIN_H
#define SOCKSTEP_PLAIN_H

#include <stdio.h>

#include "model/run.h"

typedef struct {
	int narrate;    /* print the narration the screen shows, under each step */
	int step;       /* wait for a line on `in` before each step */
	int in;         /* step: where the lines come from (a descriptor) */
	FILE *prompt;   /* step: where "next: ..." goes (not the transcript) */
} PlainOptions;

/* Print events from index `from` of the engine's timeline; returns the index
 * after the last one printed. */
size_t plain_print(const Run *e, size_t from, FILE *out);

/* Start the engine, run the lesson to its end with the scheduler and print
 * everything. Returns the exit status: 0 when every actor ran its steps to
 * the end, 1 when the lesson got stuck or an actor died, 2 when it could not
 * start. */
int plain_run(Run *e, FILE *out);

/* plain_run with options. With opt->step, each step waits for a line: an
 * empty one (or any but "q") runs the call the prompt names; at an input
 * step the line is what the actor gets. "q" at a call, or the end of the
 * input, stops every actor and returns 0. */
int plain_run_with(Run *e, const PlainOptions *opt, FILE *out);

/* Why no screen can be drawn on standard output, so that a lesson is best
 * run plain: "standard output is not a terminal", "TERM=dumb, ..."; NULL
 * when one can. */
const char *plain_auto(void);

#endif
