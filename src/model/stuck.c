/* stuck.c - why a run cannot go on (see stuck.h). */
#include "model/stuck.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/lesson.h"

static const LessonStep *step_of(const Run *e, int actor, int step)
{
	const Lesson *l = run_lesson(e);
	if (actor < 0 || actor >= l->nactors || step < 0 || step >= l->actors[actor].nsteps)
		return NULL;
	return &l->actors[actor].steps[step];
}

int stuck_where(const Run *e, int i, char *buf, size_t cap)
{
	const RunActor *a = run_actor(e, i);
	const LessonStep *st = a ? step_of(e, i, a->step) : NULL;
	buf[0] = '\0';
	if (!st)
		return -1;
	snprintf(buf, cap, "%s:%d:%d", run_lesson(e)->path, st->line, st->col);
	return 0;
}

/* Calls whose failure leaves a socket that later calls wait on for ever. */
static int leads_to_waiting(int op)
{
	return op == OP_SOCKET || op == OP_BIND || op == OP_LISTEN || op == OP_CONNECT || op == OP_ACCEPT ||
	       op == OP_SEND || op == OP_SENDALL || op == OP_SENDTO;
}

/* What a failure of op with err usually means, for the words after it. */
static const char *meaning(int op, int err)
{
	if (op == OP_BIND && err == EADDRINUSE)
		return ": another socket holds that address (with --no-netns, another program or run may), so the "
		       "listen() after it gave this socket a port of the kernel's choosing, which no client knows";
	if (op == OP_CONNECT && err == ECONNREFUSED)
		return ": nothing listened there yet, so this actor never talks to the others";
	return "";
}

int stuck_cause(const Run *e, char *buf, size_t cap)
{
	const Timeline *t = run_timeline(e);
	buf[0] = '\0';
	for (size_t k = 0; k < timeline_count(t); k++) {
		const Event *ev = timeline_get(t, k);
		if (ev->kind != EV_RETURN || ev->ret >= 0 || !leads_to_waiting(ev->op))
			continue;
		const RunActor *a = run_actor(e, ev->actor);
		const LessonStep *st = step_of(e, ev->actor, ev->step);
		const char *err = strerrorname_np(ev->err) ? strerrorname_np(ev->err) : "an error";
		if (!a)
			continue;
		if (st)
			snprintf(buf, cap, "earlier, %s's %s at %s:%d:%d failed with %s%s", a->name,
				 lesson_op_name((LessonOp)ev->op), run_lesson(e)->path, st->line, st->col, err,
				 meaning(ev->op, ev->err));
		else
			snprintf(buf, cap, "earlier, %s's %s() failed with %s%s", a->name,
				 lesson_op_name((LessonOp)ev->op), err, meaning(ev->op, ev->err));
		return 1;
	}
	return 0;
}

static int receives(int op)
{
	return lesson_op_receives((LessonOp)op) || op == OP_POLL || op == OP_SELECT || op == OP_EPOLL_WAIT;
}

/* The first step of actor from step on that is op, or -1. */
static int find_step(const Lesson *l, int actor, int from, LessonOp op)
{
	for (int k = from < 0 ? 0 : from; k < l->actors[actor].nsteps; k++)
		if (l->actors[actor].steps[k].op == op)
			return k;
	return -1;
}

/* An actor in accept whose own later steps connect: the steps of a client
 * with no 'actor' line of its own, run as the server's. */
static int hint_accept(const Run *e, int i, char *buf, size_t cap)
{
	const Lesson *l = run_lesson(e);
	const RunActor *a = run_actor(e, i);
	int k = find_step(l, i, a->step + 1, OP_CONNECT);
	if (k >= 0) {
		snprintf(buf, cap, "%s waits in accept(), but the connect that would wake it is %s's own step at "
			 "line %d, after it: is an 'actor' line missing before the client's steps?", a->name, a->name,
			 l->actors[i].steps[k].line);
		return 1;
	}
	for (int j = 0; j < l->nactors; j++)
		if (j != i && find_step(l, j, 0, OP_CONNECT) >= 0)
			return 0;
	snprintf(buf, cap, "%s waits in accept(), but no other actor has a 'connect' step", a->name);
	return 1;
}

int stuck_hint(const Run *e, char *buf, size_t cap)
{
	int blocked = 0, receiving = 0, accepting = -1;
	buf[0] = '\0';
	for (int i = 0; i < run_actor_count(e); i++) {
		const RunActor *a = run_actor(e, i);
		const Event *call = a->state == ACTOR_BLOCKED ? timeline_by_seq(run_timeline(e), a->call_seq) : NULL;
		if (a->state != ACTOR_BLOCKED)
			continue;
		blocked++;
		int op = call ? call->op : -1;
		receiving += receives(op);
		if (op == OP_ACCEPT && accepting < 0)
			accepting = i;
	}
	if (accepting >= 0 && run_lesson(e)->nactors > 0 && hint_accept(e, accepting, buf, cap))
		return 1;
	if (blocked >= 2 && receiving == blocked) {
		snprintf(buf, cap, "%s wait to receive: one must send first (or close, so the other's recv "
			 "returns 0)", blocked == 2 ? "both sides" : "every actor");
		return 1;
	}
	if (blocked == 1 && receiving == 1 && run_actor_count(e) == 1 && run_lesson(e)->nactors == 1) {
		snprintf(buf, cap, "%s is the lesson's only actor, so no one can send to it: is an 'actor' line "
			 "missing?", run_actor(e, 0)->name);
		return 1;
	}
	return 0;
}
