/* actor.h - the code an actor process runs: its lesson steps, for real.
 *
 * Model layer, child side. After fork() the engine calls actor_run, which
 * walks the actor's steps, stops at the gate before every socket call, makes
 * the call, reports the result, and exits at the end. It never returns. */
#ifndef SOCKSTEP_ACTOR_H
#define SOCKSTEP_ACTOR_H

#include "model/lesson.h"

/* The descriptor the gate has inside an actor: high, so that the actor's
 * first socket gets descriptor 3, as the same program run alone would. */
enum { ACTOR_GATE_FD = 200 };

/* free_run: report every call and result, but never wait for a go (a
 * lesson run to its end unattended at full speed: --free-run). */
_Noreturn void actor_run(const Lesson *lesson, int actor, int gate, int free_run);

#endif
