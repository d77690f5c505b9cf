/* record.h - a run written down as it happens (--record FILE).
 *
 * Model layer. One JSON object a line (record.c says which fields): a
 * header with the format's version, the lesson and its whole source; every
 * timeline event, with all the fields a view reads; and after every step a
 * snapshot of each actor's engine state, the kernel's socket table and the
 * timeline's length, so that a replay (replay.h) can put the exact screen
 * back. The engine calls it, so every front end (the TUI, --plain, --check)
 * records the same. The README's "Recordings" section is the schema. */
#ifndef SOCKSTEP_RECORD_H
#define SOCKSTEP_RECORD_H

#include <stddef.h>

#include "model/run.h"

/* The format version this sockstep writes, and the newest it reads. */
enum { RECORD_VERSION = 1 };

/* The "format" member of the header: what says the file is ours. */
#define RECORD_FORMAT "sockstep-recording"

typedef struct record Record;

/* Open path for writing (created, or emptied). Returns NULL with the
 * reason in err. */
Record *record_open(const char *path, char *err, size_t errlen);
void record_close(Record *r);

/* A run of e has started: the file starts again with the header, then the
 * events so far and the first snapshot. Returns 0, or -1 with the reason
 * in err (the file cannot be written). */
int record_begin(Record *r, Run *e, char *err, size_t errlen);

/* Write the events added since the last call, then a snapshot, when the
 * engine moved: always after a step (actor: the one stepped), and after
 * anything else (cause: "wait", "handle", "reap", "drain", "free-run",
 * "stop") that changed what is on screen once no actor is half way
 * between a result and its next stop. A write error is kept for
 * record_error and ends the recording. */
void record_sync(Record *r, Run *e, const char *cause, int actor);

/* Why the recording stopped being written, or NULL while it is fine. */
const char *record_error(const Record *r);

/* The words the file uses for event kinds (EventKind: "call", "return" ...),
 * actor states (ActorState: "ready", "blocked" ...) and gate record kinds
 * (GateKind: "call", "result" ...), and back; "?" and -1 for unknown ones. */
const char *record_kind_name(int kind);
int record_kind_find(const char *name);
const char *record_state_name(int state);
int record_state_find(const char *name);
const char *record_gate_name(int kind);
int record_gate_find(const char *name);

#endif
