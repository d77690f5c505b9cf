/* playback.c - a recording played back as a run (see playback.h).
 *
 * The reader (replay.h) has checked every moment; this only puts one back
 * into the run's state when asked, so the views show it as they showed the
 * live run. */
#include "model/playback.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/kernel.h"
#include "model/replay.h"
#include "model/runops.h"
#include "model/sched.h"

typedef struct {
	Run run;               /* first: what the views read (runops.h) */
	Replay *replay;
	int moment;            /* the moment on screen */
	int reached;           /* the furthest step shown, as a run's furthest */
} Playback;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Which actors are polling (sched.h): a recording keeps what they did,
 * not the scheduler's word for it, which the returns in the timeline give
 * again, as they gave it to the engine. */
static void polling_again(Run *r)
{
	for (int i = 0; i < r->n; i++) {
		r->a[i].idle = 0;
		r->a[i].return_seq = 0;
	}
	for (size_t k = 0; k < timeline_count(r->tl); k++) {
		const Event *ev = timeline_get(r->tl, k);
		if (ev->kind != EV_RETURN || ev->actor < 0 || ev->actor >= r->n)
			continue;
		RunActor *a = &r->a[ev->actor];
		a->idle = sched_idle(ev, a->return_seq ? timeline_by_seq(r->tl, a->return_seq) : NULL);
		a->return_seq = ev->seq;
	}
}

/* Show moment n: its timeline, actors, sockets and count. */
static int move(Playback *p, int n, char *err, size_t errlen)
{
	Run *r = &p->run;
	Moment m = { .a = r->a, .owner = r->owner };
	if (replay_apply(p->replay, n, r->tl, &m, r->kernel, now_ns()) < 0) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->n = m.na;
	polling_again(r);
	p->moment = n;
	r->steps_done = replay_steps(p->replay, n);
	if (r->steps_done > p->reached)
		p->reached = r->steps_done;
	return 0;
}

static int playback_start(Run *r, char *err, size_t errlen)
{
	return move((Playback *)r, 0, err, errlen);
}

/* A playback's "next step" is its next moment, whichever actor it shows. */
static int playback_step(Run *r, int actor, const char *line)
{
	Playback *p = (Playback *)r;
	(void)actor;
	(void)line;
	if (p->moment + 1 >= replay_moments(p->replay) || move(p, p->moment + 1, NULL, 0) < 0)
		return -1;
	int stepped = replay_actor(p->replay, p->moment);
	return stepped >= 0 ? stepped : 0;
}

static int playback_next(Run *r)
{
	const Playback *p = (const Playback *)r;
	return replay_next(p->replay, p->moment);
}

static int playback_goto(Run *r, int n, char *err, size_t errlen)
{
	Playback *p = (Playback *)r;
	int m = replay_find_step(p->replay, n);
	if (m < 0) {
		snprintf(err, errlen, "no step %d: the recording has steps 0 to %d", n, run_last_step(r));
		return -1;
	}
	return move(p, m, err, errlen);
}

/* A free run recorded shows its end at once, as the run did. */
static int playback_free_run(Run *r, int stuck_ms)
{
	Playback *p = (Playback *)r;
	(void)stuck_ms;
	return move(p, replay_moments(p->replay) - 1, NULL, 0) == 0 && run_succeeded(r);
}

/* What returned by itself is a moment of its own: nothing to wait for. */
static int playback_wait(Run *r, int ms)
{
	(void)r;
	(void)ms;
	return 0;
}

static int playback_drain(Run *r, int ms)
{
	(void)r;
	(void)ms;
	return 1;
}

/* Its pids are the recorded run's: no process of ours to stop or reap. */
static void playback_stop(Run *r)
{
	(void)r;
}

static int playback_pollfds(const Run *r, struct pollfd *pfd, int max)
{
	(void)r;
	(void)pfd;
	(void)max;
	return 0;
}

static int playback_handle(Run *r, const struct pollfd *pfd, int n)
{
	(void)r;
	(void)pfd;
	(void)n;
	return 0;
}

/* The bar shows how far the recording has been shown, as a run's shows how
 * far it has run: the same screens, step by step. */
static int playback_reached(const Run *r)
{
	return ((const Playback *)r)->reached;
}

static int playback_last_step(const Run *r)
{
	const Playback *p = (const Playback *)r;
	return replay_steps(p->replay, replay_moments(p->replay) - 1);
}

static const char *playback_end_text(const Run *r)
{
	const Playback *p = (const Playback *)r;
	if (p->moment + 1 < replay_moments(p->replay))
		return NULL;
	return "the end of the recording: b steps back, r goes to the start, q quits";
}

static void playback_free(Run *r)
{
	Playback *p = (Playback *)r;
	replay_free(p->replay);   /* the lesson is the recording's */
	kernel_close(r->kernel);
	timeline_free(r->tl);
	free(p);
}

static const RunOps playback_ops = {
	.start = playback_start,
	.restart = playback_start,
	.stop = playback_stop,
	.step = playback_step,
	.next = playback_next,
	.go_to = playback_goto,
	.wait = playback_wait,
	.free_run = playback_free_run,
	.drain = playback_drain,
	.reap = playback_stop,
	.pollfds = playback_pollfds,
	.handle = playback_handle,
	.reached = playback_reached,
	.last_step = playback_last_step,
	.end_text = playback_end_text,
	.destroy = playback_free,
};

Run *playback_open(const char *path, char *err, size_t errlen)
{
	Replay *rp = replay_load(path, err, errlen);
	if (!rp)
		return NULL;
	Playback *p = calloc(1, sizeof *p);
	if (!p || !(p->run.tl = timeline_new())) {
		snprintf(err, errlen, "out of memory");
		free(p);
		replay_free(rp);
		return NULL;
	}
	/* The recording holds what the run kept: folded already. */
	timeline_set_folding(p->run.tl, 0);
	Run *r = &p->run;
	p->replay = rp;
	r->ops = &playback_ops;
	r->lesson = replay_lesson(rp);
	r->free_run = replay_free_run(rp);
	for (int i = 0; i < LESSON_MAX_ACTORS; i++) {
		r->owner[i] = i;
		r->a[i].step = -1;
		r->a[i].state = ACTOR_DEAD;
	}
	snprintf(r->network, sizeof r->network, "%s", replay_network(rp));
	snprintf(r->kernel_note, sizeof r->kernel_note, "%s", replay_kernel_note(rp));
	if (replay_had_kernel(rp) && !(r->kernel = kernel_restored())) {
		snprintf(err, errlen, "out of memory");
		run_free(r);
		return NULL;
	}
	if (move(p, 0, err, errlen) < 0) {
		run_free(r);
		return NULL;
	}
	return r;
}
