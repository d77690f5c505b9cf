/* run.c - a run read and driven through its table (see run.h, runops.h).
 *
 * What both implementations share is computed here once, from the state
 * they keep: an actor's bounds, whether it is a traced program, whether the
 * run is finished or ended as the lesson says. Everything that differs
 * goes through the table. */
#include "model/runops.h"

#include <assert.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>

void run_free(Run *r)
{
	if (!r)
		return;
	r->ops->stop(r);
	r->ops->destroy(r);
}

int run_start(Run *r, char *err, size_t errlen)
{
	return r->ops->start(r, err, errlen);
}

int run_restart(Run *r, char *err, size_t errlen)
{
	return r->ops->restart(r, err, errlen);
}

void run_stop(Run *r)
{
	r->ops->stop(r);
}

void run_show(Run *r)
{
	timeline_fold_flush(r->tl);
}

int run_step(Run *r, int actor, const char *line)
{
	int stepped = r->ops->step(r, actor, line);
	assert(stepped < r->n);
	return stepped;
}

int run_next(Run *r)
{
	int next = r->ops->next(r);
	assert(next >= -1 && next < r->n);
	return next;
}

int run_goto(Run *r, int n, char *err, size_t errlen)
{
	return r->ops->go_to(r, n, err, errlen);
}

int run_wait(Run *r, int ms)
{
	return r->ops->wait(r, ms);
}

int run_free_run(Run *r, int stuck_ms)
{
	return r->ops->free_run(r, stuck_ms);
}

int run_drain(Run *r, int ms)
{
	return r->ops->drain(r, ms);
}

void run_reap(Run *r)
{
	r->ops->reap(r);
}

int run_pollfds(const Run *r, struct pollfd *pfd, int max)
{
	return r->ops->pollfds(r, pfd, max);
}

int run_handle(Run *r, const struct pollfd *pfd, int n)
{
	return r->ops->handle(r, pfd, n);
}

int run_actor_count(const Run *r)
{
	return r->n;
}

const RunActor *run_actor(const Run *r, int i)
{
	return i >= 0 && i < r->n ? &r->a[i] : NULL;
}

int run_actor_owner(const Run *r, int i)
{
	return i >= 0 && i < r->n ? r->owner[i] : -1;
}

int run_traced(const Run *r, int i)
{
	if (i < 0 || i >= r->n)
		return 0;
	/* Only the lesson's own actors own processes: a later task is a
	 * program's, and its owner is that program's first actor. */
	assert(r->owner[i] >= 0 && r->owner[i] < r->lesson->nactors);
	return r->lesson->actors[r->owner[i]].command != NULL;
}

const Lesson *run_lesson(const Run *r)
{
	return r->lesson;
}

const Timeline *run_timeline(const Run *r)
{
	return r->tl;
}

const struct kernel *run_kernel(const Run *r)
{
	return r->kernel;
}

const LessonStep *run_lesson_step(const Run *r, int i)
{
	if (i < 0 || i >= r->n || i >= r->lesson->nactors)
		return NULL;
	const LessonActor *la = &r->lesson->actors[i];
	int k = r->a[i].step;
	return k >= 0 && k < la->nsteps ? &la->steps[k] : NULL;
}

const Event *run_input_wait(const Run *r, int i)
{
	if (i < 0 || i >= r->n || r->a[i].state != ACTOR_INPUT || !r->a[i].call_seq)
		return NULL;
	const Event *call = timeline_by_seq(r->tl, r->a[i].call_seq);
	if (!call || call->kind != EV_CALL || timeline_return_of(r->tl, call->seq))
		return NULL;
	return call;
}

int run_steps_done(const Run *r)
{
	return r->steps_done;
}

int run_steps_reached(const Run *r)
{
	return r->ops->reached(r);
}

int run_last_step(const Run *r)
{
	return r->ops->last_step(r);
}

/* Is fd, when call is made, a socket its process gave a receive timeout
 * (SO_RCVTIMEO)? The process's calls are read back from call to the
 * setsockopt, or to the close or the call that made fd (the number is
 * then another socket's). The timeout is in ms, a lesson's as given and a
 * traced program's struct timeval as the tracer reads it; 0 turns it off. */
static int receive_timeout(const Run *r, const Event *call)
{
	const Timeline *t = r->tl;
	int owner = run_actor_owner(r, call->actor);
	for (uint64_t seq = call->seq; seq-- > 1;) {
		const Event *ev = timeline_by_seq(t, seq);
		if (!ev || (ev->kind != EV_CALL && ev->kind != EV_RETURN) || run_actor_owner(r, ev->actor) != owner)
			continue;
		if (ev->kind == EV_RETURN && ev->ret == call->fd &&
		    (ev->op == OP_SOCKET || ev->op == OP_ACCEPT))
			return 0;
		if (ev->kind != EV_CALL || ev->fd != call->fd)
			continue;
		if (ev->op == OP_CLOSE)
			return 0;
		if (ev->op == OP_SETSOCKOPT && ev->arg[0] == SOL_SOCKET && ev->arg[1] == SO_RCVTIMEO) {
			const Event *ret = timeline_return_of(t, ev->seq);
			if (!ret || ret->ret < 0)
				continue;
			return ev->arg[2] > 0;
		}
	}
	return 0;
}

/* Does a wait (poll, select, epoll_wait) carry a timeout? Its timeout is
 * arg[0] (arg[1] for epoll_wait), in ms, negative for none; or, with
 * GATE_WAIT_SECONDS, in seconds as passed. */
static int wait_timed(const Event *call)
{
	if (call->op == OP_EPOLL_WAIT)
		return call->arg[1] >= 0;
	return call->arg[0] >= 0;
}

RunTimed run_timed(const Run *r, int i)
{
	if (i < 0 || i >= r->n || r->a[i].state != ACTOR_BLOCKED)
		return RUN_UNTIMED;
	const Event *call = timeline_by_seq(r->tl, r->a[i].call_seq);
	if (!call || call->kind != EV_CALL)
		return RUN_UNTIMED;
	switch (call->op) {
	case OP_SLEEP:
		return RUN_SLEEP;
	case OP_POLL:
	case OP_SELECT:
	case OP_EPOLL_WAIT:
		return wait_timed(call) ? RUN_TIMER : RUN_UNTIMED;
	case OP_ACCEPT:
	case OP_RECV:
	case OP_RECVFROM:
	case OP_RECVMSG:
	case OP_RECVMMSG:
	case OP_READ:
	case OP_READV:
		return receive_timeout(r, call) ? RUN_TIMER : RUN_UNTIMED;
	default:
		return RUN_UNTIMED;
	}
}

/* Can actor i move now, or will it by itself? */
static int can_move(const Run *r, int i)
{
	ActorState s = r->a[i].state;
	return s == ACTOR_READY || s == ACTOR_INPUT || s == ACTOR_RUNNING || s == ACTOR_STARTING ||
	       run_timed(r, i) != RUN_UNTIMED;
}

int run_finished(const Run *r)
{
	for (int i = 0; i < r->n; i++)
		if (can_move(r, i))
			return 0;
	return 1;
}

int run_waiting(const Run *r)
{
	int first = -1;
	for (int i = 0; i < r->n; i++) {
		ActorState s = r->a[i].state;
		if (s == ACTOR_READY || s == ACTOR_INPUT || s == ACTOR_RUNNING || s == ACTOR_STARTING)
			return -1;
		if (first < 0 && run_timed(r, i) != RUN_UNTIMED)
			first = i;
	}
	return first;
}

/* An actor ended as the lesson says: it ran its last step, or it was
 * killed by the signal its "dies" names (SIGPIPE, writing to a closed peer). */
static int ended_as_written(const Run *r, int i)
{
	const RunActor *a = &r->a[i];
	int dies = i < r->lesson->nactors ? r->lesson->actors[i].dies : 0;
	if (dies)
		return a->state == ACTOR_DEAD && a->pid == 0 && WIFSIGNALED(a->status) && WTERMSIG(a->status) == dies;
	return a->state == ACTOR_DONE;
}

int run_succeeded(const Run *r)
{
	for (int i = 0; i < r->n; i++)
		if (!ended_as_written(r, i))
			return 0;
	return 1;
}

/* A server sockstep stopped at the end of the run (run_servers_over): a
 * program that ends by itself is done only with exit status 0. */
static int stopped_server(const Run *r, int i)
{
	return run_traced(r, i) && r->a[i].state == ACTOR_DONE && WIFSIGNALED(r->a[i].status);
}

int run_servers_over(const Run *r, char *buf, size_t cap)
{
	char names[200] = "";
	int servers = 0, clients = 0;
	size_t o = 0;
	for (int i = 0; i < r->n; i++)
		servers += stopped_server(r, i);
	for (int i = 0, k = 0; i < r->n; i++) {
		if (!stopped_server(r, i)) {
			clients += i < r->lesson->nactors;
			continue;
		}
		k++;
		const char *sep = k == 1 ? "" : k == servers ? " and " : ", ";
		int n = snprintf(names + o, sizeof names - o, "%s%s", sep, r->a[i].name);
		o += n > 0 && (size_t)n < sizeof names - o ? (size_t)n : 0;
	}
	if (!servers)
		return 0;
	const char *verb = servers > 1 ? "wait" : "waits";
	if (clients)
		snprintf(buf, cap, "the clients have ended; %s %s for a next client: the run is over", names, verb);
	else
		snprintf(buf, cap, "no client runs, and none can reach this network; %s %s for a client: the run is over",
			 names, verb);
	return 1;
}

const char *run_network(const Run *r)
{
	return r->network;
}

const char *run_kernel_note(const Run *r)
{
	return r->kernel_note;
}

int run_free_running(const Run *r)
{
	return r->free_run;
}

int run_steered(const Run *r)
{
	return r->steered;
}

int run_counts(const Run *r)
{
	return r->counts && !run_traced(r, 0);
}

const char *run_end_text(const Run *r)
{
	return r->ops->end_text(r);
}

const char *run_output_error(const Run *r)
{
	return r->output_error[0] ? r->output_error : NULL;
}
