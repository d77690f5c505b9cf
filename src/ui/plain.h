/* plain.h - the plain backend: one line per event, no screen.
 *
 * For --plain, for tests and pipes, and for screen readers. The format is
 * stable and documented in the README: the actor's name, two spaces, then
 * the call with its arguments, " = ", the result; hex lines under every send
 * and recv; "|" before an actor's console output. */
#ifndef SOCKSTEP_PLAIN_H
#define SOCKSTEP_PLAIN_H

#include <stdio.h>

#include "model/engine.h"

/* Print events from index `from` of the engine's timeline; returns the index
 * after the last one printed. */
size_t plain_print(Engine *e, size_t from, FILE *out);

/* Start the engine, run the lesson to its end with the scheduler and print
 * everything. Returns the exit status: 0 when every actor ran its steps to
 * the end, 1 when the lesson got stuck or an actor died, 2 when it could not
 * start. */
int plain_run(Engine *e, FILE *out);

#endif
