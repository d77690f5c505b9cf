/* engine.h - runs a lesson: one real process per actor, stopped at every call.
 *
 * Model layer. The engine forks the actors (in a private network namespace
 * where it can), talks to each through its gate, decides who runs on "next
 * step" (sched.h) and records everything in the timeline. It never draws:
 * the caller polls the engine's descriptors in its own event loop and calls
 * engine_handle when one is readable. */
#ifndef SOCKSTEP_ENGINE_H
#define SOCKSTEP_ENGINE_H

#include <poll.h>
#include <sys/types.h>

#include "model/lesson.h"
#include "model/moment.h"
#include "model/timeline.h"

typedef struct {
	int no_netns;          /* run on the host's loopback even where a namespace works */
	int settle_ms;         /* after a step, how long to wait for blocked actors it woke */
	int no_kernel;         /* no packet capture and no socket table */
	const char *pcap_path; /* write the capture here (--pcap) */
	int allow_external;    /* outside a private namespace, allow binding beyond loopback */
	int free_run;          /* actors run without stopping; engine_run_free collects */
	const char *record_path; /* write the run down here (--record; model/record.h) */
} EngineOptions;

typedef struct engine Engine;

/* The lesson must outlive the engine. */
Engine *engine_new(const Lesson *lesson, const EngineOptions *opt);
void engine_free(Engine *e);

/* Fork the actors and wait until each has reached its first stop.
 * Returns 0, or -1 with a message in err. */
int engine_start(Engine *e, char *err, size_t errlen);

/* sockstep run: is actor i a traced program (or one of its processes or
 * threads), rather than a lesson's steps? */
int engine_traced(const Engine *e, int i);

/* Kill and reap every actor, then start again with an empty timeline. */
int engine_restart(Engine *e, char *err, size_t errlen);

/* Kill and reap every actor. Safe to call twice. */
void engine_stop(Engine *e);

/* Let one call run. actor -1 asks the scheduler. For an actor at an input
 * step, line is the student's line (NULL: the lesson's next example).
 * Returns the actor stepped, or -1 when none can run. */
int engine_step(Engine *e, int actor, const char *line);

/* When nothing can be stepped but an actor is blocked in a call, wait up
 * to ms for one to return by itself (a SYN retransmitted, a timeout). Returns
 * 1 when one did (it is then at its next stop), 0 when none did. */
int engine_wait(Engine *e, int ms);

/* Free run (EngineOptions.free_run): collect what the actors do until every
 * one has ended, or nothing has happened for stuck_ms. Returns 1 when all
 * ended. The kernel's view is off in a free run: it would cost a socket-table
 * read per call. */
int engine_run_free(Engine *e, int stuck_ms);
int engine_free_running(const Engine *e);

/* Which actor "next step" would run, without running it; -1 if none. */
int engine_next(Engine *e);

/* Descriptors the caller's event loop should watch (POLLIN); returns how
 * many. An array of ENGINE_POLLFDS_MAX always has room for all of them.
 * A traced program's processes and threads after its first get actors of
 * their own (engine_actor_count grows), up to LESSON_MAX_ACTORS in all. */
enum { ENGINE_POLLFDS_MAX = LESSON_MAX_ACTORS + 1 };
int engine_pollfds(const Engine *e, struct pollfd *pfd, int max);

/* Read whatever is ready on the engine's descriptors (from engine_pollfds,
 * after poll). Returns how many events were added to the timeline. */
int engine_handle(Engine *e, const struct pollfd *pfd, int n);

/* Wait up to ms for every actor that finished its steps to exit, reading
 * the gates meanwhile. Returns 1 when every actor process is gone. */
int engine_drain(Engine *e, int ms);

/* Reap children that exited (call on SIGCHLD). */
void engine_reap(Engine *e);

int engine_actor_count(const Engine *e);
const RunActor *engine_actor(const Engine *e, int i);
const Lesson *engine_lesson(const Engine *e);
Timeline *engine_timeline(Engine *e);

/* True when no actor can run or will return: everyone done, dead, or stuck. */
int engine_finished(const Engine *e);

/* True when every actor ended its steps (exit status 0). */
int engine_succeeded(const Engine *e);

/* Where the lesson's sockets live: "private network namespace", or why not. */
const char *engine_network(const Engine *e);

/* What of the kernel's view is missing and why ("" when nothing is). */
const char *engine_kernel_note(const Engine *e);

/* The kernel's view (packets, sockets), or NULL when there is none. */
const struct kernel *engine_kernel(const Engine *e);

/* The lesson step actor i is stopped at, or NULL (a traced program has no
 * steps, only calls). */
const LessonStep *engine_lesson_step(const Engine *e, int i);

/* Steps run so far (calls and inputs), for the "step 7/18" counter. */
int engine_steps_done(const Engine *e);

/* Go to the moment after step n (0: before the first), as the run was
 * then: back means a fresh start (new processes, a new namespace, as
 * engine_restart makes) that runs the same steps again, each actor given
 * the same line, as fast as the actors answer;
 * forward runs the steps this run had taken before it went back. Any step
 * up to engine_steps_reached can be reached; a step other than the one
 * taken before forgets the steps after it. Returns 0, or -1 with a message
 * in err (the run then stands where it stopped). In a replay, step n is
 * the last moment with n steps done, nothing runs, and any recorded step
 * can be reached. */
int engine_goto(Engine *e, int n, char *err, size_t errlen);

/* The furthest step this run has reached (engine_restart forgets it). */
int engine_steps_reached(const Engine *e);

/* A replay: the run recorded in path (--record) shown again, running
 * nothing: no process, no namespace, no capture. Its lesson is the one the
 * recording carries (engine_lesson). The engine reads as the recorded run
 * did at each moment (a snapshot of the file): engine_start and
 * engine_restart go to the first moment, engine_step to the next one
 * (returning the actor its step ran, 0 for a moment that was no step: a
 * call that returned by itself), engine_next says what the run's scheduler
 * said; waiting, reaping and stopping do nothing. Returns NULL with
 * "path:line: message" in err for a file that is not a recording, is
 * broken, or was made by a newer sockstep. */
Engine *engine_replay_open(const char *path, char *err, size_t errlen);
int engine_replaying(const Engine *e);

/* The actor whose process actor i runs in: i itself, or for a traced
 * program's later process or thread, the program's first actor. A
 * recording keeps it, so a replay knows which actors are traced. */
int engine_actor_owner(const Engine *e, int i);

/* A replay's moment on screen, and (count) how many it has; -1 for a run. */
int engine_replay_moment(const Engine *e, int *count);

#endif
