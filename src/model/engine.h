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

#include "model/gate.h"
#include "model/lesson.h"
#include "model/timeline.h"

typedef enum {
	ACTOR_STARTING,   /* forked, has not reached its first stop yet */
	ACTOR_READY,      /* stopped before a call (pending holds it) */
	ACTOR_INPUT,      /* stopped at an input step, waiting for a line */
	ACTOR_RUNNING,    /* let go; the call is expected to return at once */
	ACTOR_BLOCKED,    /* let go; the call is blocking in the kernel */
	ACTOR_DONE,       /* ran its last step and exited */
	ACTOR_DEAD        /* exited or was killed before its end */
} ActorState;

typedef struct {
	const char *name;
	pid_t pid;
	ActorState state;
	int step;              /* the step it is stopped at, or running; -1 when none */
	GateRecord pending;    /* READY: the call it will make */
	uint64_t call_seq;     /* RUNNING/BLOCKED: seq of the EV_CALL */
	int status;            /* DONE/DEAD: wait status */
	int next_example;      /* input examples used so far */
} EngineActor;

typedef struct {
	int no_netns;          /* run on the host's loopback even where a namespace works */
	int settle_ms;         /* after a step, how long to wait for blocked actors it woke */
	int no_kernel;         /* no packet capture and no socket table */
	const char *pcap_path; /* write the capture here (--pcap) */
	int allow_external;    /* outside a private namespace, allow binding beyond loopback */
	int free_run;          /* actors run without stopping; engine_run_free collects */
} EngineOptions;

typedef struct engine Engine;

/* The lesson must outlive the engine. */
Engine *engine_new(const Lesson *lesson, const EngineOptions *opt);
void engine_free(Engine *e);

/* Fork the actors and wait until each has reached its first stop.
 * Returns 0, or -1 with a message in err. */
int engine_start(Engine *e, char *err, size_t errlen);

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
 * many. An array of ENGINE_POLLFDS_MAX always has room for all of them. */
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
const EngineActor *engine_actor(const Engine *e, int i);
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

/* Steps run so far (calls and inputs), for the "step 7/18" counter. */
int engine_steps_done(const Engine *e);

#endif
