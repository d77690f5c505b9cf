/* sched.h - which actor runs on "next step", and which actors are polling.
 *
 * Model layer, pure: the engine fills one entry per actor and asks. The rule
 * (design.md):
 *
 *   1. The first declared actor whose pending call would not block, among
 *      those that are not polling. So a lesson's canonical flow is
 *      reproducible: the server's accept() waits while the client connects.
 *   2. When none is left and no actor that can run is polling, the first
 *      declared actor that can run at all: its call shows as blocked.
 *   3. Otherwise the actors that can run take turns: the first one after the
 *      one whose turn it was last (the last actor stepped while a polling
 *      actor could run), in declared order, wrapping around; before any
 *      such step, the first declared.
 *
 * An actor is polling when the last call it returned from returned with
 * nothing new (sched_idle): an event loop that spins in epoll_wait() with a
 * timeout, or on a write set that is always ready, or on EAGAIN, "would not
 * block" for ever, and under rule 1 alone it would starve every actor
 * declared after it. Polling counts as waiting: it goes only when nobody
 * can make progress, and then in turn, so every actor gets its turn and
 * autoplay never deadlocks while anything can move. */
#ifndef SOCKSTEP_SCHED_H
#define SOCKSTEP_SCHED_H

#include "model/timeline.h"

typedef struct {
	int runnable;     /* paused before a call, or waiting for input */
	int would_block;  /* the pending call would block now (a zero-timeout poll said so) */
	int idle;         /* polling: its last call returned with nothing new (sched_idle) */
} SchedActor;

/* Index of the actor to step, or -1 when none can run. turn: the last
 * actor stepped while a polling actor could run (-1: none yet), after
 * which rule 3 begins. Until then rule 3 gives what rule 2 would, so the
 * order lessons have always had is kept; after, a poller that returns
 * again and again (a timeout) passes the turn on each time it has run,
 * and so does an actor that ran while a poller waited. */
int sched_pick(const SchedActor *actors, int n, int turn);

/* Is an actor that can run polling: does a step taken now move the turn? */
int sched_polling(const SchedActor *actors, int n);

/* Did the call that returned (ret, an EV_RETURN) bring nothing new? before:
 * the same actor's return before it, or NULL. Nothing new is:
 *   - a failure with EAGAIN or EWOULDBLOCK (a non-blocking socket with
 *     nothing for the call), or EALREADY (a non-blocking connect asked
 *     again while the first is still on its way);
 *   - poll, select or epoll_wait returning 0: nothing became ready before
 *     the timeout;
 *   - poll, select or epoll_wait returning what the actor's call just
 *     before, the same wait on the same descriptor, returned: as many
 *     ready, the same descriptors where the record names them. Nothing
 *     else ran in that actor in between, so this is the set that was
 *     ready already: in practice sockets that are always ready to write.
 * Anything else moved something (bytes, a connection, an error the program
 * learns from) and is progress. */
int sched_idle(const Event *ret, const Event *before);

#endif
