/* explain.h - what a socket call does, in general, in a sentence or two.
 *
 * View layer. A lesson's steps carry their own narration; a traced
 * program's calls (sockstep run) are not known in advance, so the narration
 * pane explains each one from what it is and how it returned. */
#ifndef SOCKSTEP_EXPLAIN_H
#define SOCKSTEP_EXPLAIN_H

#include <stddef.h>

#include "model/timeline.h"

/* Explain the call (an EV_CALL) and, when it has returned, its result (an
 * EV_RETURN, or NULL while it runs). */
void explain_call(const Event *call, const Event *ret, char *buf, size_t cap);

#endif
