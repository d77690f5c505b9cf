/* run.h - a run of a lesson, as the controller drives it and the views read it.
 *
 * Model layer. A run has two implementations behind one small table of
 * operations (runops.h): the live engine (engine.h), which forks the actors
 * and steps them for real, and the playback of a recording (playback.h),
 * which runs nothing and puts the recorded moments back. The TUI, --plain
 * and --check drive a run through the operations below; the views read it
 * through the const accessors and can change nothing. Neither side asks
 * which implementation it holds: what differs between them is said by the
 * run itself (run_steered, run_counts, run_last_step, run_end_text). The
 * model is tmux's struct window_mode: one table, several modes. */
#ifndef SOCKSTEP_RUN_H
#define SOCKSTEP_RUN_H

#include <poll.h>
#include <stddef.h>

#include "model/lesson.h"
#include "model/moment.h"
#include "model/timeline.h"

typedef struct run Run;
struct kernel;

/* ---- driving it ---------------------------------------------------------- */

/* Stop and free the run (every process it started is killed and reaped). */
void run_free(Run *r);

/* Begin: fork the actors (or show the first recorded moment). Returns 0, or
 * -1 with a message in err. */
int run_start(Run *r, char *err, size_t errlen);

/* Begin again from the start, with an empty timeline; going back forgets
 * the steps taken. */
int run_restart(Run *r, char *err, size_t errlen);

/* Kill and reap every actor. Safe to call twice. */
void run_stop(Run *r);

/* A moment is about to be shown to a person, whole: the events a long
 * transfer's fold holds back (timeline.h) become events now, so the screen
 * shows the call just made and not the one of a thousand events ago. A run
 * nobody watches step by step (--plain, --free-run) never calls it, and
 * keeps its memory flat. */
void run_show(Run *r);

/* Let one call run. actor -1 asks the scheduler (or, played back, shows the
 * next recorded moment). For an actor at an input step, line is the
 * student's line (NULL: the lesson's next example). Returns the actor
 * stepped, or -1 when none can run. */
int run_step(Run *r, int actor, const char *line);

/* Which actor "next step" would run, without running it; -1 if none. */
int run_next(Run *r);

/* Go to the moment after step n (0: before the first), as the run was
 * then. Live, back means a fresh start (new processes, a new namespace, as
 * run_restart makes) that runs the same steps again, each actor given the
 * same line, as fast as the actors answer; forward runs the steps this run
 * had taken before it went back. Any step up to run_last_step can be
 * reached; a step other than the one taken before forgets the steps after
 * it. Played back, step n is the last moment with n steps done. Returns 0,
 * or -1 with a message in err (the run then stands where it stopped). */
int run_goto(Run *r, int n, char *err, size_t errlen);

/* When nothing can be stepped but an actor is blocked, wait up to ms for
 * one to return by itself. Returns 1 when one did. */
int run_wait(Run *r, int ms);

/* Free run (EngineOptions.free_run): collect what the actors do until all
 * ended, or nothing has happened for stuck_ms. Returns 1 when all ended.
 * The kernel's view is off in a free run: it would cost a socket-table
 * read per call. */
int run_free_run(Run *r, int stuck_ms);

/* Wait up to ms for every actor that finished its steps to exit. Returns 1
 * when every actor process is gone. */
int run_drain(Run *r, int ms);

/* Reap children that exited (call on SIGCHLD). */
void run_reap(Run *r);

/* Descriptors the caller's event loop should watch (POLLIN); returns how
 * many. An array of RUN_POLLFDS_MAX always has room for all of them. */
enum { RUN_POLLFDS_MAX = LESSON_MAX_ACTORS + 1 };
int run_pollfds(const Run *r, struct pollfd *pfd, int max);

/* Read whatever is ready on them (after poll). Returns how many events
 * were added to the timeline. */
int run_handle(Run *r, const struct pollfd *pfd, int n);

/* ---- reading it ------------------------------------------------------------ */

/* Actors: the lesson's, and a traced program's later processes and
 * threads (the count grows, up to LESSON_MAX_ACTORS). */
int run_actor_count(const Run *r);
const RunActor *run_actor(const Run *r, int i);   /* NULL when out of range */

/* The actor whose process actor i runs in: i itself, or for a traced
 * program's later process or thread, the program's first actor. */
int run_actor_owner(const Run *r, int i);

/* Is actor i a traced program (sockstep run), rather than lesson steps? */
int run_traced(const Run *r, int i);

const Lesson *run_lesson(const Run *r);
const Timeline *run_timeline(const Run *r);

/* The kernel's view (packets, sockets), or NULL when there is none. */
const struct kernel *run_kernel(const Run *r);

/* The lesson step actor i is stopped at, or NULL. */
const LessonStep *run_lesson_step(const Run *r, int i);

/* The call actor i waits for input in: a program's wait (select, poll,
 * epoll_wait) on its terminal and its sockets, in the kernel until a line
 * is given or a socket in it is ready. NULL when the actor waits for no
 * input, or at a plain read of its terminal. */
const Event *run_input_wait(const Run *r, int i);

/* Steps run so far, the furthest this run has shown (the bar), and the
 * furthest run_goto can reach. */
int run_steps_done(const Run *r);
int run_steps_reached(const Run *r);
int run_last_step(const Run *r);

/* True when no actor can run or will return: everyone done, dead, or
 * stuck. An actor asleep, or in a call with a timeout, will return by
 * itself: the run is not finished while one is (run_timed). */
int run_finished(const Run *r);

/* How an actor blocked in a call comes back. */
typedef enum {
	RUN_UNTIMED,   /* only when another actor (or a peer) makes it ready */
	RUN_SLEEP,     /* a sleep: when its time is up */
	RUN_TIMER,     /* a wait with a timeout (poll, select, epoll_wait, a
	                  socket with SO_RCVTIMEO): when a socket is ready, or
	                  its time is up */
} RunTimed;

/* Actor i is blocked in a call that returns by itself (RUN_SLEEP or
 * RUN_TIMER), or RUN_UNTIMED: it is not blocked, or only another actor can
 * wake it. */
RunTimed run_timed(const Run *r, int i);

/* No actor can be stepped now, and one waits for its time to be up: the
 * first such actor (its RunTimed says how), or -1. */
int run_waiting(const Run *r);

/* True when every actor ended its steps as the lesson says. */
int run_succeeded(const Run *r);

/* Did the run end as a server's run ends: its clients had ended, the
 * servers left waited for a next client that could not come, and sockstep
 * stopped them? Such a server shows as done, with the signal that stopped
 * it; the run succeeded. Writes what to say into buf ("the clients have
 * ended; server waits for a next client: the run is over") and returns 1;
 * returns 0 when the run did not end so. */
int run_servers_over(const Run *r, char *buf, size_t cap);

/* Where the sockets live ("private network namespace", or why not), and
 * what of the kernel's view is missing and why ("" when nothing is). */
const char *run_network(const Run *r);
const char *run_kernel_note(const Run *r);

/* The actors run without stopping (--free-run). */
int run_free_running(const Run *r);

/* Does the student steer this run: pick the actor that goes, type an input
 * step's line, be told why an actor cannot move? A recording's steps are
 * its own: "next" shows the next recorded moment, whatever it holds. */
int run_steered(const Run *r);

/* Does finishing this run count as the student's progress in the course?
 * A lesson run here does; a recording and a student's own programs do not. */
int run_counts(const Run *r);

/* Why a file the run writes (--record, --pcap) is not whole, or NULL
 * when every write succeeded: known once the run is stopped (run_stop),
 * and kept from then on. The front ends say it and end with a
 * status that is not 0. */
const char *run_output_error(const Run *r);

/* What to say when the run can go no further by itself: NULL when the
 * ordinary end of a lesson applies, else the run's own words. */
const char *run_end_text(const Run *r);

#endif
