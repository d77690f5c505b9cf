/* breaks.c - breakpoints on steps and on kinds of step (see breaks.h). */
#include "model/breaks.h"

#include <string.h>

static int find(const Breaks *b, int actor, int step)
{
	for (int i = 0; i < b->n; i++)
		if (b->at[i].actor == actor && b->at[i].step == step)
			return i;
	return -1;
}

int breaks_toggle_step(Breaks *b, int actor, int step)
{
	if (actor < 0 || step < 0)
		return -1;
	int i = find(b, actor, step);
	if (i >= 0) {
		b->at[i] = b->at[--b->n];
		return 0;
	}
	if (b->n == BREAKS_MAX)
		return -1;
	b->at[b->n].actor = actor;
	b->at[b->n].step = step;
	b->n++;
	return 1;
}

int breaks_toggle_op(Breaks *b, int op)
{
	if (op < 0 || op >= 64)
		return -1;
	b->ops ^= (uint64_t)1 << op;
	return (b->ops >> op) & 1;
}

void breaks_clear(Breaks *b)
{
	memset(b, 0, sizeof *b);
	b->stopped_at = -1;
}

int breaks_before(const Breaks *b, int actor, int step, int op)
{
	if (op >= 0 && op < 64 && ((b->ops >> op) & 1))
		return 1;
	return step >= 0 && find(b, actor, step) >= 0;
}

int breaks_on(const Breaks *b, const Lesson *l, int actor, int step)
{
	if (actor < 0 || actor >= l->nactors || step < 0 || step >= l->actors[actor].nsteps)
		return 0;
	return breaks_before(b, actor, step, (int)l->actors[actor].steps[step].op);
}

int breaks_next_op(const Run *e, int actor)
{
	const RunActor *a = run_actor(e, actor);
	if (!a || (a->state != ACTOR_READY && a->state != ACTOR_INPUT))
		return -1;
	return a->state == ACTOR_INPUT ? OP_INPUT : (int)a->pending.op;
}

/* The step actor makes next, for breaks_before: -1 for a traced
 * program's call, which has no step to mark. */
static int next_step(const Run *e, int actor)
{
	return run_lesson_step(e, actor) ? run_actor(e, actor)->step : -1;
}

int breaks_hit(const Breaks *b, const Run *e, int actor)
{
	int op = breaks_next_op(e, actor);
	return op >= 0 && breaks_before(b, actor, next_step(e, actor), op);
}

int breaks_stop_at(Breaks *b, int done, int actor, int step, int op)
{
	if (done == b->stopped_at || !breaks_before(b, actor, step, op))
		return 0;
	b->stopped_at = done;
	return 1;
}

int breaks_stop(Breaks *b, const Run *e, int actor)
{
	int op = breaks_next_op(e, actor);
	return op >= 0 && breaks_stop_at(b, run_steps_done(e), actor, next_step(e, actor), op);
}

void breaks_unstop(Breaks *b)
{
	b->stopped_at = -1;
}

int breaks_count(const Breaks *b)
{
	int n = b->n;
	for (int op = 0; op < 64; op++)
		n += (int)((b->ops >> op) & 1);
	return n;
}
