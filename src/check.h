/* check.h - sockstep --check: is a lesson right? For teachers and for CI.
 *
 * Application layer. Runs a lesson unattended, exactly as --plain does, and
 * reports every problem: a run that does not reach its end, a question whose
 * answer disagrees with what really happened, a question that cannot be
 * checked or asks about a step that never ran. */
#ifndef SOCKSTEP_CHECK_H
#define SOCKSTEP_CHECK_H

#include <stdio.h>

#include "model/run.h"

/* Returns 0 when the lesson has no problem, 1 when it has some (each one
 * printed to out as "file:line:col: message"), 2 when it could not start. */
int check_run(Run *e, FILE *out);

#endif
