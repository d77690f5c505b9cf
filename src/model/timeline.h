/* timeline.h - everything that happened in a run, in order.
 *
 * Model layer. The engine appends events; views, the plain printer and
 * exports read them. Each event has a sequence number; an event's bytes are
 * owned by the timeline (a bounded copy: GATE_DATA_MAX bytes, plus the exact
 * count in total). */
#ifndef SOCKSTEP_TIMELINE_H
#define SOCKSTEP_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef enum {
	EV_CALL,       /* an actor was let go into a call */
	EV_RETURN,     /* that call returned */
	EV_PRINT,      /* a line on an actor's console (text); ret > 0: in its
	                  place ret lines (total bytes) were not kept */
	EV_INPUT,      /* the student (or an example) gave an actor a line (text) */
	EV_EXIT,       /* an actor process ended (status: a wait status) */
	EV_NOTE,       /* a message from sockstep itself (text), actor may be -1 */
	EV_PACKET,     /* a packet seen on the lesson's loopback: data is the frame,
	                  arg[0] its link type, arg[1]/arg[2] relative seq/ack;
	                  actor sends it, peer_actor receives it (-1: the kernel) */
	EV_STATE       /* a socket appeared, changed state or went away: addr/peer,
	                  state (-1 gone), old_state (-1 new), rq/wq, proto;
	                  actor owns it (-1: no process holds it) */
} EventKind;

typedef struct {
	uint64_t seq;          /* 1, 2, 3 ... in the order things happened */
	EventKind kind;
	int actor;             /* index in the lesson, or -1 */
	int step;              /* index of the step in the actor's list, or -1 */
	int op;                /* LessonOp of EV_CALL / EV_RETURN */
	int fd;
	int64_t arg[3];
	int64_t ret;
	int err;
	uint64_t ns;           /* EV_RETURN: time in the call */
	uint64_t total;        /* bytes asked (EV_CALL) or moved (EV_RETURN) */
	struct sockaddr_storage addr;
	uint32_t addrlen;
	uint8_t *data;         /* bounded copy, owned by the timeline */
	size_t len;
	char *text;            /* EV_PRINT, EV_INPUT, EV_NOTE; owned by the timeline */
	int blocked;           /* EV_CALL: the call was expected to block when let go */
	int status;            /* EV_EXIT: wait status */
	uint64_t call_seq;     /* EV_RETURN: seq of the matching EV_CALL */
	uint64_t when_ns;      /* monotonic time the event was recorded */
	int peer_actor;        /* EV_PACKET: the receiver */
	struct sockaddr_storage peer;  /* EV_STATE: the socket's peer address */
	uint32_t peerlen;
	int state, old_state;  /* EV_STATE */
	int proto, type;       /* EV_STATE: IPPROTO_TCP/UDP (0: AF_UNIX), SOCK_STREAM/DGRAM */
	uint32_t rq, wq;       /* EV_STATE: queues; for LISTEN, accept queue and backlog */
	uint32_t window;       /* EV_PACKET: TCP window in bytes, scaled as the peers agreed */
} Event;

typedef struct timeline Timeline;

Timeline *timeline_new(void);
void timeline_free(Timeline *t);
void timeline_clear(Timeline *t);

/* Append a copy of ev (data and text are copied); sets seq and when_ns.
 * Returns the stored event, or NULL when out of memory. An event of an
 * actor first puts in the console lines it holds back (below). */
const Event *timeline_add(Timeline *t, const Event *ev);

/* A console is kept bounded, as a transfer keeps its bytes: a program may
 * print without end. Each actor's first TIMELINE_CONSOLE_HEAD lines are
 * events at once; after them, each run of lines between two of the actor's
 * other events keeps its last TIMELINE_CONSOLE_TAIL lines, and counts the
 * ones before them in a marker (an EV_PRINT with ret lines, total bytes,
 * and empty text). Those are held back until the actor's next event, or
 * timeline_console_flush; so memory stays flat whatever is printed. */
enum { TIMELINE_CONSOLE_HEAD = 1000, TIMELINE_CONSOLE_TAIL = 100 };

/* Add ev, an EV_PRINT of actor ev->actor (0 .. LESSON_MAX_ACTORS - 1), to
 * its console as above. Returns 0, or -1 when out of memory. */
int timeline_add_print(Timeline *t, const Event *ev);

/* Put the lines held back for actor (-1: every actor) into the timeline:
 * the actor has stopped, or the run ends. */
void timeline_console_flush(Timeline *t, int actor);

/* How many console lines of actor are held back now (at most
 * TIMELINE_CONSOLE_TAIL), and how many were dropped since its last flush. */
size_t timeline_console_held(const Timeline *t, int actor);
uint64_t timeline_console_dropped(const Timeline *t, int actor);

/* A long transfer is kept bounded too: a program may move bytes without
 * end, and each call, packet and queue change would be an event. The
 * first TIMELINE_FOLD_HEAD foldable events of a timeline are events at
 * once. After them, each run of foldable events (up to the next event that
 * is not) keeps its last TIMELINE_FOLD_TAIL, and counts the ones before them
 * in a marker: an EV_NOTE, actor -1, whose text says what was folded, with
 * ret the events folded, arg[0] the calls (a call and its return count
 * once), arg[1] the packets, arg[2] the socket states, and total the bytes
 * the folded calls moved. Foldable: a call that moves bytes or waits for
 * them (send, recv, read, write ... poll, select, epoll_wait) with its
 * return, a packet, and a state that only says a socket's queues changed.
 * Those are held back until the next event that is not foldable, or
 * timeline_fold_flush.
 *
 * An event held back has no place yet: its seq is TIMELINE_HELD_SEQ + n.
 * timeline_by_seq, timeline_return_of and timeline_set_blocked take such
 * a seq as long as the run lasts: the event held, the event it became once
 * put in, or (timeline_return_of) a stand-in return for a call folded,
 * which had returned (a call is never folded while it runs). */
enum { TIMELINE_FOLD_HEAD = 1000, TIMELINE_FOLD_TAIL = 100 };
#define TIMELINE_HELD_SEQ (UINT64_C(1) << 62)

/* The place of seq in the timeline: seq itself, or what a held seq became;
 * 0 while it is held, or when it was folded. */
uint64_t timeline_placed(const Timeline *t, uint64_t seq);

/* Put the events held back into the timeline, after the marker of those
 * folded: the run ends, or a moment is shown that must be complete. */
void timeline_fold_flush(Timeline *t);

/* Fold or not (on by default). A replay's timeline holds what the run
 * kept, already folded: it must not fold again. */
void timeline_set_folding(Timeline *t, int on);

/* Events taken in since the last clear (console lines too), those held
 * back or folded included: whether something happened. */
uint64_t timeline_added(const Timeline *t);

/* Changes at every change of the events (one put in, a truncate, an
 * order, a mark), to a value no other timeline has had: a view may keep
 * what it worked out from the events for as long as this is the same. */
uint64_t timeline_changes(const Timeline *t);

/* The same, but only when events go or move (a truncate, an order): while
 * it stays, the events in are where they were, with the same kinds, calls
 * and results (only their blocked and when marks may change), and new
 * ones come after them. */
uint64_t timeline_moved(const Timeline *t);

/* Packets taken in since the last clear, those held back or folded
 * included. */
uint64_t timeline_packets(const Timeline *t);

size_t timeline_count(const Timeline *t);
const Event *timeline_get(const Timeline *t, size_t i);

/* The event with this seq, or NULL. Constant time: seqs are positions. */
const Event *timeline_by_seq(const Timeline *t, uint64_t seq);

/* Mark the EV_CALL with this seq as blocked: it was expected to return at
 * once and did not (a connect whose SYN the full accept queue dropped). */
void timeline_set_blocked(Timeline *t, uint64_t call_seq);

/* Drop the events from index n on: a replay going back to an earlier
 * moment. The next event added gets seq n + 1. */
void timeline_truncate(Timeline *t, size_t n);

/* Set when event i was recorded: a replay gives its events the times they
 * had, moved to the replay's clock, so what fades on screen fades alike. */
void timeline_set_when(Timeline *t, size_t i, uint64_t when_ns);

/* Put the events from index from on in the order of their times (when_ns):
 * a free run's come in batches, each program's stamped when it happened.
 * Among equal times they keep the order they came in; a return never goes
 * before its call, nor an event before index from (its time is raised to
 * theirs). Their seqs become their new positions: moved[k], when moved is
 * not NULL (room for timeline_count - from), is the new seq of the event
 * whose seq was from + k + 1. Returns 0, or -1 when out of memory (then
 * nothing moved). */
int timeline_order(Timeline *t, size_t from, uint64_t *moved);

/* The EV_RETURN that ends the call with this seq, or NULL while it runs. */
const Event *timeline_return_of(const Timeline *t, uint64_t call_seq);

#endif
