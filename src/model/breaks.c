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
}

int breaks_on(const Breaks *b, const Lesson *l, int actor, int step)
{
	if (actor < 0 || actor >= l->nactors || step < 0 || step >= l->actors[actor].nsteps)
		return 0;
	int op = (int)l->actors[actor].steps[step].op;
	return find(b, actor, step) >= 0 || (op < 64 && ((b->ops >> op) & 1));
}

int breaks_next_op(Engine *e, int actor)
{
	const EngineActor *a = engine_actor(e, actor);
	if (!a || (a->state != ACTOR_READY && a->state != ACTOR_INPUT))
		return -1;
	return a->state == ACTOR_INPUT ? OP_INPUT : (int)a->pending.op;
}

int breaks_hit(const Breaks *b, Engine *e, int actor)
{
	int op = breaks_next_op(e, actor);
	if (op < 0)
		return 0;
	if (op < 64 && ((b->ops >> op) & 1))
		return 1;
	/* A traced program has calls but no steps to mark. */
	return engine_lesson_step(e, actor) && find(b, actor, engine_actor(e, actor)->step) >= 0;
}

int breaks_count(const Breaks *b)
{
	int n = b->n;
	for (int op = 0; op < 64; op++)
		n += (int)((b->ops >> op) & 1);
	return n;
}
