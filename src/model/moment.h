/* moment.h - a run at one moment, as plain data: what each actor is doing.
 *
 * Model layer, a leaf: it holds no behaviour and includes only other plain
 * data (a gate record, the lesson's limits). The live engine keeps its
 * actors in this shape, a replay puts a recorded moment back in it, and the
 * views read it, so none of them needs to include another to share it. */
#ifndef SOCKSTEP_MOMENT_H
#define SOCKSTEP_MOMENT_H

#include <stdint.h>
#include <sys/types.h>

#include "model/gate.h"

typedef enum {
	ACTOR_STARTING,   /* forked, has not reached its first stop yet */
	ACTOR_READY,      /* stopped before a call (pending holds it) */
	ACTOR_INPUT,      /* stopped at an input step, waiting for a line */
	ACTOR_RUNNING,    /* let go; the call is expected to return at once */
	ACTOR_BLOCKED,    /* let go; the call is blocking in the kernel */
	ACTOR_DONE,       /* ran its last step and exited; or a server left waiting
	                     for a next client once its clients had ended, which
	                     sockstep stopped (status: that signal; run_servers_over) */
	ACTOR_DEAD        /* exited or was killed before its end */
} ActorState;

typedef struct {
	const char *name;
	pid_t pid;             /* the process sockstep forked and reaps, or 0 */
	pid_t program;         /* the process (or thread) making the calls: pid for
	                          a lesson actor, the traced task for a program */
	ActorState state;
	int step;              /* the step it is stopped at, or running; -1 when none */
	GateRecord pending;    /* READY: the call it will make */
	uint64_t call_seq;     /* RUNNING/BLOCKED: seq of the EV_CALL */
	uint64_t return_seq;   /* seq of the EV_RETURN of its last call; 0: none yet */
	int idle;              /* polling: that call returned with nothing new
	                          (sched_idle), so it waits its turn (sched.h) */
	int status;            /* DONE/DEAD: wait status */
	int next_example;      /* input examples used so far */
} RunActor;

#endif
