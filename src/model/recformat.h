/* recformat.h - the recording format (--record) in one place.
 *
 * Model layer, below record.h (the writer) and replay.h (the reader), which
 * both include it and neither of which includes the other or the engine.
 * It holds the format's name and version, the words the file uses for
 * sockstep's enums, and one table per kind of object in the file: each
 * member's name, its type, where it is kept in the C struct, and its range.
 * One loop writes an object from its table (recformat_put), one reads it
 * back with every type and range checked (recformat_get), and the same
 * tables print the schema the README documents (recformat_schema), so the
 * format is written down once. What needs a whole recording to check (an
 * event's seq follows the one before, an actor's step is one its lesson
 * has) is left to the reader, replay.c. */
#ifndef SOCKSTEP_RECFORMAT_H
#define SOCKSTEP_RECFORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/jsonl.h"
#include "model/lesson.h"

/* The format version this sockstep writes, and the newest it reads. */
enum { RECORD_VERSION = 1 };

/* The "format" member of the header: what says the file is ours. */
#define RECORD_FORMAT "sockstep-recording"

/* Times ("t", ns from the run's start) are kept to where their differences
 * cannot overflow: some 146 years either way. */
#define RECFORMAT_T_MAX ((int64_t)1 << 62)

/* What a member is in the file, and how its C field keeps it. */
typedef enum {
	RF_INT,      /* a signed integer of the field's size: a number, min to max */
	RF_UINT,     /* an unsigned integer of the field's size: a number, min to max */
	RF_BOOL,     /* an int: true or false */
	RF_TIME,     /* a uint64_t clock time: ns since the run began, a number from
	                -RECFORMAT_T_MAX to RECFORMAT_T_MAX; read back, the field
	                holds that number (as the reader keeps times) */
	RF_WORD,     /* an enum (or a uint8_t): a word of words' */
	RF_ARGS,     /* int64_t[3]: an array of three numbers */
	RF_ADDR,     /* a sockaddr_storage, its uint32_t length at aux: an address or null */
	RF_BYTES,    /* a uint8_t *, its size_t length at aux: hex, at most max bytes
	                (malloc'd when read) */
	RF_DATA,     /* a uint8_t array, its uint32_t length at aux: hex */
	RF_TEXT,     /* a char * (its size_t length at aux with RF_LEN): a string, or
	                NAME_hex bytes when it is not UTF-8; NULL is null with RF_NULL,
	                else "" (malloc'd when read) */
	RF_CSTR,     /* a char *: a string as it is (malloc'd when read) */
	RF_CHARS,    /* a char array of the field's size: a string of printable
	                ASCII that fits it; with when, the member is left out
	                while the string is empty, and read as empty when absent */
	RF_FILE,     /* a char * path: the file's name, without its directory */
	RF_PENDING,  /* a GateRecord: a pending object, or null when it has no kind */
	RF_ACTORS,   /* a Moment's actors: an array of actor objects */
	RF_SOCKETS,  /* a Moment's socket table: an array of socket objects */
	RF_LESSON,   /* a Lesson *: the lesson object */
	RF_PROGRAMS, /* a Lesson *: its programs (sockstep run), or null */
	RF_NAMES,    /* const char *[], their int count at aux: an array of strings */
	RF_DERIVED,  /* worked out from the struct, for other readers (derive writes
	                it; doc is its JSON type) */
	RF_TYPE_COUNT_
} RecType;

/* Flags of a member. */
enum {
	RF_NULL = 1,   /* may be null */
	RF_OUT = 2,    /* for other readers of the file: a replay does not read it */
	RF_HAND = 4,   /* replay.c reads it by hand (it needs the whole recording) */
	RF_SIDE = 8,   /* the value is the row's side int (an actor's owner, a
	                  snapshot's number), not a field of its struct */
	RF_LEN = 16,   /* RF_TEXT: the length is at aux (the text may hold any byte) */
};

/* Ranges the table cannot know, which the reader gives (RecReader). */
typedef enum {
	RL_NONE,
	RL_EVENTS,     /* the events so far (a snapshot's), or the moment's (an actor's) */
	RL_SEQ,        /* the event's own seq */
	RL_ACTOR,      /* the moment's last actor */
	RL_COUNT_
} RecLimit;

/* A word for each value of an enum, and back (-1: unknown). */
typedef struct {
	const char *(*name)(int value);
	int (*find)(const char *word);
} RecWords;

typedef struct rec_field RecField;
struct rec_field {
	const char *name;
	RecType type;
	unsigned flags;
	size_t off, size;      /* where in the row's struct, and how big */
	size_t aux;            /* where the length is (RF_ADDR, RF_BYTES, RF_DATA,
	                          RF_TEXT with RF_LEN, RF_NAMES) */
	int64_t min, max;      /* RF_INT, RF_UINT: the range; RF_BYTES: bytes at most */
	RecLimit limit;        /* max is the reader's bound instead */
	const RecWords *words; /* RF_WORD */
	const char *when;      /* when the member is there; NULL: always */
	void (*derive)(JsonlOut *o, const RecField *f, const void *row);  /* RF_DERIVED */
	const char *doc;       /* RF_DERIVED: its JSON type, for the schema */
};

/* A kind of object of the file: "### `event`" in the README. */
typedef struct {
	const char *name;
	const RecField *fields;
	size_t n;
	int line;              /* a line of its own, whose "type" is name */
	int doc_only;          /* written by code of its own (address, packet):
	                          the table only documents it */
} RecObject;

extern const RecObject recformat_header, recformat_lesson, recformat_program, recformat_event,
	recformat_packet, recformat_address, recformat_snapshot, recformat_actor, recformat_pending,
	recformat_socket;

/* Every object, in the README's order. */
extern const RecObject *const recformat_objects[];
extern const size_t recformat_nobjects;

/* What a header says of the run. The writer fills it from the run; the
 * reader checks format, version and lesson by hand and reads the rest. */
typedef struct {
	const char *format;    /* RECORD_FORMAT */
	int version;           /* RECORD_VERSION */
	const char *sockstep;  /* the version of sockstep that wrote it */
	int64_t created;       /* when the run began, seconds since 1970 */
	const Lesson *lesson;
	const char *actors[LESSON_MAX_ACTORS];  /* the actors' names at the start */
	int nactors;
	const char *network;   /* where the sockets lived */
	int kernel;            /* the run had a kernel view */
	const char *kernel_note;  /* what of it was missing, and why */
	int free_run;
} RecHeader;

/* Write the members of row (the open JSON object's) in the table's order:
 * side is the row's side int (RF_SIDE), base the run's time 0 (RF_TIME). */
void recformat_put(JsonlOut *o, const RecObject *t, const void *row, int side, uint64_t base);

/* The same as a whole object of a line: {"type": t->name, members...}. */
void recformat_put_line(JsonlOut *o, const RecObject *t, const void *row, int side, uint64_t base);

/* A reader's context: messages start with what ("event", "snapshot"),
 * limit holds the bounds RecLimit names, and a refusal is written to err. */
typedef struct {
	const char *what;
	int64_t limit[RL_COUNT_];
	char *err;
	size_t errlen;
} RecReader;

/* Read the members of the JSON object o into row (and side), in the
 * table's order, each checked for its type and range; RF_OUT and RF_HAND
 * members are skipped. Returns 0, or -1 with "what: message" in err. What
 * it allocates stays in row for the caller to free, on an error too
 * (recformat_release). */
int recformat_get(const RecReader *rd, const RecObject *t, const JsonlValue *o, void *row, int *side);

/* Free what recformat_get allocated in row, and set those fields NULL. */
void recformat_release(const RecObject *t, void *row);

/* For what the reader reads by hand: o's member key, which must be of
 * type; and a text member (as RF_TEXT: key, or key_hex; null is NULL where
 * null_ok), malloc'd, NUL-ended, with no NUL byte in it. Both return NULL
 * or -1 with "what: message" in err. */
const JsonlValue *recformat_member(const RecReader *rd, const JsonlValue *o, const char *key, JsonlType type);
int recformat_get_text(const RecReader *rd, const JsonlValue *o, const char *key, int null_ok, char **out,
		       size_t *outlen);

/* The words for event kinds (EventKind: "call", "return" ...), actor states
 * (ActorState: "ready", "blocked" ...) and gate record kinds (GateKind:
 * "call", "result" ...); "?" for an unknown value. */
const char *recformat_kind_name(int kind);
const char *recformat_state_name(int state);
const char *recformat_gate_name(int kind);

/* The schema: a line per member of each object, tab-separated: object,
 * member, JSON type ("number", "address or null" ...), when it is there
 * ("always", "AF_INET6" ...), and its range ("-1 to 7"; "" for none). The
 * README's tables hold the first four (tests/record-schema.py checks). */
void recformat_schema(FILE *f);

#endif
