/* record.h - a run written down as it happens (--record FILE).
 *
 * Model layer. One JSON object a line, as recformat.h's tables say: a
 * header with the format's version, the lesson and its whole source; every
 * timeline event, with all the fields a view reads; and after every step a
 * snapshot of the run's moment (moment.h: each actor's state, the kernel's
 * socket table and the timeline's length), so that a replay (replay.h) can
 * put the exact screen back. It is given plain data, never the engine: the
 * engine fills a Moment and calls it, so every front end (the TUI, --plain,
 * --check) records the same, and a test can write a recording by hand. The
 * README's "Recordings" section documents the format, and a test holds it
 * to recformat's tables. */
#ifndef SOCKSTEP_RECORD_H
#define SOCKSTEP_RECORD_H

#include <stddef.h>

#include "model/moment.h"
#include "model/recformat.h"
#include "model/timeline.h"

typedef struct record Record;

/* Open path for writing (created, or emptied). Returns NULL with the
 * reason in err. */
Record *record_open(const char *path, char *err, size_t errlen);
void record_close(Record *r);

/* A run has started: the file starts again with the header h (its format,
 * version, sockstep and created are filled here). t's first event, if it
 * has one, is the run's time 0; its events and the first snapshot follow
 * with record_sync. Returns 0, or -1 with the reason in err (the file
 * cannot be written). */
int record_begin(Record *r, const RecHeader *h, const Timeline *t, char *err, size_t errlen);

/* Is moment m (m->cause says what ended it: "start", "step", "wait",
 * "handle", "reap", "drain", "free-run", "stop") one to write down? A
 * step's always is; anything else when it changed what is on screen once
 * no actor is half way between a result and its next stop ("stop" is the
 * last look before the actors are killed, and kept whatever it is). */
int record_due(const Record *r, const Timeline *t, const Moment *m);

/* Write the events added to t since the last call, then m as a snapshot
 * (m->events counts t's events). A write error is kept for record_error
 * and ends the recording. */
void record_sync(Record *r, const Timeline *t, const Moment *m);

/* Why the recording stopped being written, or NULL while it is fine. */
const char *record_error(const Record *r);

#endif
