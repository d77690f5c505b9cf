/* engine.h - runs a lesson: one real process per actor, stopped at every call.
 *
 * Model layer. The engine forks the actors (in a private network namespace
 * where it can), talks to each through its gate, decides who runs on "next
 * step" (sched.h) and records everything in the timeline. It never draws:
 * the caller polls the run's descriptors in its own event loop and calls
 * run_handle when one is readable. It is one of two implementations of a
 * run (run.h); the other plays a recording back (playback.h). */
#ifndef SOCKSTEP_ENGINE_H
#define SOCKSTEP_ENGINE_H

#include "model/lesson.h"
#include "model/run.h"

typedef struct {
	int no_netns;          /* run on the host's loopback even where a namespace works */
	int settle_ms;         /* after a step, how long to wait for blocked actors it woke */
	int no_kernel;         /* no packet capture and no socket table */
	const char *pcap_path; /* write the capture here (--pcap) */
	int allow_external;    /* outside a private namespace, allow binding beyond loopback */
	int free_run;          /* actors run without stopping; engine_run_free collects */
	const char *record_path; /* write the run down here (--record; model/record.h) */
} EngineOptions;

/* The live implementation of a run (run.h): drive and read it with run_*.
 * The lesson must outlive the run. NULL when out of memory. */
Run *engine_new(const Lesson *lesson, const EngineOptions *opt);

#endif
