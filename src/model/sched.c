/* sched.c - the "next step" rule (see sched.h). Pure, so it is unit tested
 * on its own and autoplay, --plain and the TUI cannot disagree about it. */
#include "model/sched.h"

int sched_pick(const SchedActor *actors, int n)
{
	int first = -1;
	for (int i = 0; i < n; i++) {
		if (!actors[i].runnable)
			continue;
		if (!actors[i].would_block)
			return i;
		if (first < 0)
			first = i;
	}
	return first;
}
