/* replay.h - a recording (record.h) read back, to be shown again.
 *
 * Model layer. The reader is strict: a file that is not a recording, or is
 * broken anywhere, is refused with "file:line: message", and one made by a
 * newer sockstep says so. What it accepts the views can show without any
 * further check: every index (actor, step, seq) is in range, every text a
 * view prints is there. Its moments are moment.h's Moment, the type the
 * engine writes them from. It never runs anything, and knows nothing of
 * the engine; the engine's replay mode (engine_replay_open) puts its
 * moments on screen. */
#ifndef SOCKSTEP_REPLAY_H
#define SOCKSTEP_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "model/kernel.h"
#include "model/lesson.h"
#include "model/moment.h"
#include "model/timeline.h"

typedef struct replay Replay;

/* Read the recording at path. Returns NULL with "path:line: message" (or
 * "path: message") in err. */
Replay *replay_load(const char *path, char *err, size_t errlen);

/* The same from memory; name stands for the file in messages. Never
 * crashes, whatever the bytes (it is fuzzed). */
Replay *replay_parse(const char *name, const char *text, size_t len, char *err, size_t errlen);

void replay_free(Replay *r);

/* The recorded lesson, parsed from the source the recording carries. */
const Lesson *replay_lesson(const Replay *r);

/* What the recorded run's header said. */
const char *replay_network(const Replay *r);
const char *replay_kernel_note(const Replay *r);
int replay_had_kernel(const Replay *r);   /* the run had a kernel view */
int replay_free_run(const Replay *r);

/* Moments: the snapshots, 0 (the start) to replay_moments() - 1. */
int replay_moments(const Replay *r);

/* Of moment n: steps done, the actor "next step" would run (-1 none), and
 * the actor its step ran (-1: the moment was no step). */
int replay_steps(const Replay *r, int n);
int replay_next(const Replay *r, int n);
int replay_actor(const Replay *r, int n);

/* The moment that shows step s: the last one with s steps done (or, where
 * a free run recorded none, the last before); -1 when s is past the end. */
int replay_find_step(const Replay *r, int s);

/* Put moment n back: t becomes its first events (their times moved so that
 * the moment is now_ns, for what fades on screen), m the moment, its
 * actors and whose process each runs in copied to m->a and m->owner (the
 * caller's, with room for LESSON_MAX_ACTORS; its sockets stay the
 * replay's), and k's table (k may be NULL) its sockets. Returns 0, or -1
 * when out of memory. */
int replay_apply(const Replay *r, int n, Timeline *t, Moment *m, Kernel *k, uint64_t now_ns);

#endif
