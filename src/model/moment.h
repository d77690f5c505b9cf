/* moment.h - a run at one moment, as plain data: what each actor is doing,
 * and what a recording keeps of the moment.
 *
 * Model layer, a leaf: it holds no behaviour and includes only other plain
 * data (a gate record, a socket's row). The live engine keeps its actors in
 * this shape and fills a Moment from its state, a recording writes the
 * Moment (record.h), a replay reads it back into the same type (replay.h),
 * and the views read the actors; so none of them needs to include another
 * to share it. */
#ifndef SOCKSTEP_MOMENT_H
#define SOCKSTEP_MOMENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/gate.h"
#include "model/sockdiag.h"

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
	char comm[16];         /* a program's process or thread: its name as the
	                          kernel has it (/proc/PID/comm), printable ASCII
	                          only; "" for a lesson actor, or when not known */
} RunActor;

/* A run at one moment: after a step, or after anything else that changed
 * what the screen shows. The arrays are not the Moment's own: the engine
 * points them at its actors and its socket table, a replay at what it
 * read from the file. */
typedef struct {
	uint64_t when_ns;      /* when it was (the timeline's clock); a replay's
	                          holds the recorded time since the run began */
	const char *cause;     /* what ended it: "start", "step", "wait" ...
	                          (record.h); a replay does not keep it */
	int actor;             /* the actor its step ran, or -1: it was no step */
	size_t events;         /* the timeline's first events are the moment's */
	int steps;             /* steps done (the "step 7/18" counter) */
	int next;              /* the actor "next step" would run, or -1 */
	int finished;          /* no actor can run or will return */
	int succeeded;         /* every actor ended as the lesson says */
	int na;                /* actors: the lesson's, and a traced program's
	                          later processes and threads */
	RunActor *a;           /* na of them */
	int *owner;            /* whose process each runs in: itself, or the
	                          traced program that made it */
	int kernel;            /* there is a socket table (the run had a kernel view) */
	const SockInfo *socks; /* nsocks sockets, as the kernel last reported them */
	const int *sock_owner; /* the actor holding each, or -1: no process */
	size_t nsocks;
} Moment;

#endif
