/* flow.h - the flow diagram: one column per actor, its calls going down,
 * arrows between the columns; and the console strip under it.
 *
 * View layer (see screen.h). Rows are moments: an event goes on the first
 * row that is free in its actor's column and not above the event before
 * it, so the columns stay in time order while calls made side by side share
 * a row, like the classic client/server diagram. */
#ifndef SOCKSTEP_FLOW_H
#define SOCKSTEP_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

/* Headings in the first row of the box (x, y, w, h), the calls below. */
void flow_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

/* Each actor's last console lines (EV_PRINT), under its column. */
void flow_console(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

/* The rows the whole diagram needs at width w: its headings and every
 * row of calls and arrows. */
int flow_rows(const Run *e, const ScreenState *s, int w);

/* How many actors share the flow's last column at width w (0: each has
 * a column of its own), the last ones. The fold shows one of them at a
 * time: the picked actor, else the one whose step just ran, else the one
 * that runs next. */
int flow_folded(const Run *e, int w);

/* The actor the fold shows at width w, or -1 when there is no fold. */
int flow_fold_shown(const Run *e, const ScreenState *s, int w);

/* The seq of the first event at timeline index >= from that draws an
 * arrow (a packet; or a connect, send or close whose packets were not
 * seen), or 0; count gets how many of those arrows travel (a bare ACK
 * does not: it appears when the arrows before it have arrived), and the
 * seq is 0 when none does. The controller animates them, one after
 * another, from that seq on. */
uint64_t flow_arrow_since(const Run *e, size_t from, int *count);

/* The pending call of a READY actor, as an EV_CALL event for calltext_call
 * (its data points into the actor's record). */
void flow_pending_event(const RunActor *a, int actor, Event *ev);

/* "blocked in accept", "ready", "polling" (its last call returned nothing
 * new: sched_idle), "killed by SIGKILL" ... for actor i. */
void flow_actor_state(const Run *e, int i, char *buf, size_t cap);

#endif
