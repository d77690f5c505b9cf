/* sched.c - the "next step" rule and what counts as polling (see sched.h).
 * Pure, so it is unit tested on its own and autoplay, --plain and the TUI
 * cannot disagree about it. */
#include "model/sched.h"

#include <errno.h>
#include <string.h>

#include "model/lesson.h"

int sched_pick(const SchedActor *actors, int n, int turn)
{
	int first = -1, polling = 0;
	for (int i = 0; i < n; i++) {
		if (!actors[i].runnable)
			continue;
		if (!actors[i].would_block && !actors[i].idle)
			return i;
		if (first < 0)
			first = i;
		polling |= actors[i].idle;
	}
	if (!polling)
		return first;
	/* Take turns, from the actor after the one whose turn it was. */
	int from = turn >= 0 && turn < n ? turn + 1 : 0;
	for (int k = 0; k < n; k++) {
		int i = (from + k) % n;
		if (actors[i].runnable)
			return i;
	}
	return -1;
}

int sched_polling(const SchedActor *actors, int n)
{
	for (int i = 0; i < n; i++)
		if (actors[i].runnable && actors[i].idle)
			return 1;
	return 0;
}

static int is_wait(int op)
{
	return op == OP_POLL || op == OP_SELECT || op == OP_EPOLL_WAIT;
}

int sched_idle(const Event *ret, const Event *before)
{
	if (ret->ret < 0)
		return ret->err == EAGAIN || ret->err == EWOULDBLOCK || ret->err == EALREADY;
	if (!is_wait(ret->op))
		return 0;
	if (ret->ret == 0)
		return 1;
	return before && before->op == ret->op && before->fd == ret->fd && before->ret == ret->ret &&
	       before->len == ret->len && (ret->len == 0 || memcmp(before->data, ret->data, ret->len) == 0);
}
