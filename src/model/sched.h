/* sched.h - which actor runs on "next step".
 *
 * Model layer, pure: the engine fills one entry per actor and asks. The rule
 * (design.md): the first declared actor whose pending call would not block;
 * if every pending call would block, the first declared actor that can run
 * at all, which then shows as blocked. So a lesson's canonical flow is
 * reproducible, and autoplay never deadlocks while anything can move. */
#ifndef SOCKSTEP_SCHED_H
#define SOCKSTEP_SCHED_H

typedef struct {
	int runnable;     /* paused before a call, or waiting for input */
	int would_block;  /* the pending call would block now (a zero-timeout poll said so) */
} SchedActor;

/* Index of the actor to step, or -1 when none can run. */
int sched_pick(const SchedActor *actors, int n);

#endif
