/* breaks.h - breakpoints: the steps where autoplay and "continue" stop.
 *
 * Model layer, pure: a Breaks is the run's state, not a way of drawing it.
 * The controller keeps one in the screen state and changes it; the flow
 * and the code pane only read it to mark what it holds; the controller
 * asks it before it lets an actor's step run. A breakpoint is a step of
 * one actor (it stops there each time round a loop), or every step of a
 * kind (every recv, of every actor: a traced program's calls too). A stop
 * is before the step: the call is still to come, as a debugger stops
 * before a line runs. */
#ifndef SOCKSTEP_BREAKS_H
#define SOCKSTEP_BREAKS_H

#include <stdint.h>

#include "model/run.h"

enum { BREAKS_MAX = 64 };

typedef struct {
	struct {
		int actor, step;
	} at[BREAKS_MAX];
	int n;
	uint64_t ops;      /* bit op (LessonOp): every step of that kind */
	int stopped_at;    /* the steps done when autoplay last stopped for a
	                      breakpoint, -1: it has not; going on from there
	                      runs that breakpoint's call */
} Breaks;

/* Set the breakpoint on actor's step, or clear it if it is set. Returns 1
 * when it is now set, 0 when cleared, -1 when there is no room for it or
 * no such step (a negative actor or step). */
int breaks_toggle_step(Breaks *b, int actor, int step);

/* The same for every step of kind op. */
int breaks_toggle_op(Breaks *b, int op);

/* No breakpoint, and no stop. */
void breaks_clear(Breaks *b);

/* Is there a breakpoint on actor's step, either way? */
int breaks_on(const Breaks *b, const Lesson *l, int actor, int step);

/* The kind (LessonOp) of the step actor makes next, or -1 when it makes
 * none now (blocked, running, ended). */
int breaks_next_op(const Run *e, int actor);

/* Would stepping actor now run a step with a breakpoint on it? (A traced
 * program's calls can only have breakpoints of a kind: it has no steps.) */
int breaks_hit(const Breaks *b, const Run *e, int actor);

/* How many breakpoints there are (steps and kinds). */
int breaks_count(const Breaks *b);

/* Is there a breakpoint on the step about to run: actor's step (-1 for a
 * traced program's call, which is no step) of kind op (LessonOp)? */
int breaks_before(const Breaks *b, int actor, int step, int op);

/* Autoplay (or continue) is about to run that step, done steps into the
 * run: must it stop first? It stops once at each place: asked again there,
 * the student having said to go on, it lets the step run. */
int breaks_stop_at(Breaks *b, int done, int actor, int step, int op);

/* The same for the step actor makes next in e. */
int breaks_stop(Breaks *b, const Run *e, int actor);

/* Forget where autoplay stopped (a fresh run, a jump to another step): the
 * breakpoints stay. */
void breaks_unstop(Breaks *b);

#endif
