/* stuck.h - why a run cannot go on, in words that teach.
 *
 * Model layer, pure: it reads a run's lesson, actors and timeline. A run
 * is stuck when every actor left is blocked in a call no other actor can
 * wake. "server stays blocked in recv" alone does not say what to fix; so
 * each blocked actor is named with its step's place in the lesson file,
 * the earlier failure that may have led there (a bind that failed with
 * EADDRINUSE leaves a listener on a port no client knows) is told, and a
 * hint names the usual mistakes: both sides waiting to receive, nothing
 * connecting to an accept, a missing 'actor' line that put a client's steps
 * into the server. --check, --plain and the screen all say the same. */
#ifndef SOCKSTEP_STUCK_H
#define SOCKSTEP_STUCK_H

#include <stddef.h>

#include "model/run.h"

/* Where actor i's step is in the lesson file, "path:line:col", into buf;
 * 0, or -1 (buf empty) when it has no lesson step (a traced program). */
int stuck_where(const Run *e, int i, char *buf, size_t cap);

/* The first call that failed before the run got stuck, of a kind that
 * leaves a socket unusable (bind, listen, connect, accept, socket, a send),
 * in words: "earlier, server's bind at l.lesson:4:3 failed with EADDRINUSE:
 * ...". 0 and "" when none failed. */
int stuck_cause(const Run *e, char *buf, size_t cap);

/* A hint for the blocked actors: what usually leads there and what to do
 * ("both sides wait to receive: one must send first"). 0 and "" when there
 * is none to give. */
int stuck_hint(const Run *e, char *buf, size_t cap);

#endif
