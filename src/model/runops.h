/* runops.h - what a run is made of, for its implementations only.
 *
 * Model layer. run.h is what the controller and the views see: a hidden
 * type. The live engine (engine.c) and the playback of a recording
 * (playback.c) each embed struct run as their first member, fill its
 * shared state (what the views read) and give it their table of
 * operations; run.c reads the state and calls through the table. */
#ifndef SOCKSTEP_RUNOPS_H
#define SOCKSTEP_RUNOPS_H

#include "model/run.h"

typedef struct {
	int (*start)(Run *r, char *err, size_t errlen);
	int (*restart)(Run *r, char *err, size_t errlen);
	void (*stop)(Run *r);
	int (*step)(Run *r, int actor, const char *line);
	int (*next)(Run *r);
	int (*go_to)(Run *r, int n, char *err, size_t errlen);
	int (*wait)(Run *r, int ms);
	int (*free_run)(Run *r, int stuck_ms);
	int (*drain)(Run *r, int ms);
	void (*reap)(Run *r);
	int (*pollfds)(const Run *r, struct pollfd *pfd, int max);
	int (*handle)(Run *r, const struct pollfd *pfd, int n);
	int (*reached)(const Run *r);      /* run_steps_reached */
	int (*last_step)(const Run *r);    /* run_last_step */
	const char *(*end_text)(const Run *r);
	void (*destroy)(Run *r);           /* after stop: free what the run holds */
} RunOps;

/* The state the views read; each implementation keeps it current. */
struct run {
	const RunOps *ops;
	const Lesson *lesson;
	Timeline *tl;
	RunActor a[LESSON_MAX_ACTORS];
	int owner[LESSON_MAX_ACTORS];      /* the actor whose process and gate this one
	                                      shares: itself, or the program that made
	                                      this process or thread */
	int n;                             /* actors in a[] */
	struct kernel *kernel;             /* the kernel's view, or NULL */
	int steps_done;
	int free_run;
	int steered;                       /* run_steered */
	int counts;                        /* run_counts, for a lesson's actors */
	char network[160];
	char kernel_note[256];
	char output_error[400];            /* run_output_error; "" when none */
};

#endif
