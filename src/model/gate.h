/* gate.h - the private channel between sockstep and one actor process.
 *
 * Model layer. One socketpair(AF_UNIX, SOCK_SEQPACKET) per actor, made before
 * fork(): nothing else can reach it. The actor sends records (a call it is
 * about to make, a call's result, a console line, a request for input, its
 * end); the parent answers with one-byte commands (go, probe) or a line of
 * input. SEQPACKET keeps record boundaries, so a record is one send and one
 * recv, and a closed peer reads as EOF. */
#ifndef SOCKSTEP_GATE_H
#define SOCKSTEP_GATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Bytes of a send or recv kept for the screen; the count is always exact. */
enum { GATE_DATA_MAX = 4096 };

typedef enum {
	GATE_CALL = 1,    /* actor -> parent: about to make this call; waits for go */
	GATE_RESULT,      /* actor -> parent: the call returned */
	GATE_PRINT,       /* actor -> parent: a console line (data) */
	GATE_INPUT,       /* actor -> parent: wants a line for step; waits for it */
	GATE_PROBE,       /* actor -> parent: answer to a probe: would_block */
	GATE_DONE,        /* actor -> parent: finished its steps; ret = exit status.
	                     A traced task that ended: ret = its wait status */
	GATE_FAIL,        /* tracer -> parent: cannot run the program (data: why) */
	GATE_KIND_MAX_
} GateKind;

/* Parent -> actor commands: one byte, then for a traced program the task
 * (4 bytes) it is for; GATE_CMD_LINE is followed by the line instead, and
 * GATE_CMD_EOF ends the program's input. */
enum { GATE_CMD_GO = 'g', GATE_CMD_PROBE = 'p', GATE_CMD_LINE = 'l', GATE_CMD_EOF = 'e' };

/* A probe's answer (GATE_PROBE's ret): the pending call goes at once, or
 * would block; or would block until its terminal has a line, for it waits
 * (select, poll, epoll_wait) on the program's terminal too, and nothing it
 * waits on is ready yet. Such a wait is the program asking for input. */
enum { GATE_PROBE_GOES = 0, GATE_PROBE_BLOCKS = 1, GATE_PROBE_INPUT = 2 };

typedef struct {
	uint8_t kind;         /* GateKind */
	uint8_t op;           /* LessonOp of the call */
	uint32_t step;        /* index of the step in the actor's list; a traced task's call count
	                         (32 bits: a program's calls are not bounded, tracer.c) */
	int32_t task;         /* the traced thread or process that makes the call (0: a lesson actor) */
	int32_t fd;           /* the socket the call uses, or -1 */
	int64_t arg[3];       /* call arguments: family/type/proto, backlog, size, how ... */
	int64_t ret;          /* RESULT: the call's return value; PROBE: would_block; DONE: status */
	int32_t err;          /* RESULT: errno when ret < 0 */
	uint64_t ns;          /* RESULT: time spent in the call */
	uint64_t at_ns;       /* a traced program's record: when its tracer made it
	                         (CLOCK_MONOTONIC), so a free run's events, which
	                         come in batches, are put in the order they
	                         happened; 0: when it arrives */
	uint64_t total;       /* bytes the call asked to move (CALL) or moved (RESULT) */
	uint32_t addrlen;     /* an address: CALL bind/connect/sendto; RESULT accept/recvfrom peer,
	                         or the local address a connect/socket got */
	struct sockaddr_storage addr;
	uint32_t len;         /* bytes kept in data (<= GATE_DATA_MAX) */
	uint8_t data[GATE_DATA_MAX];
} GateRecord;

/* What a traced poll, ppoll, select or pselect6 carries in data, in the
 * call record and again in its result: one entry per descriptor, in the
 * program's order, at most GATE_WAIT_MAX. events are poll's bits; select's
 * sets are POLLIN (read set), POLLOUT (write set) and POLLPRI (except set).
 * The result fills revents the same way (for select: the sets it left).
 * Such a record has GATE_WAIT_SET in arg[2], with the call's real nfds in
 * its low 32 bits; arg[0] is the timeout in ms (-1: none) and arg[1] is 1
 * when any descriptor waits to write. A lesson's poll and select carry a
 * plain list of int32 descriptors instead, and no GATE_WAIT_SET. */
typedef struct {
	int32_t fd;
	int16_t events;
	int16_t revents;
} GateWaitFd;

/* One ready event of an epoll_wait result (data holds an array of them),
 * or the event an epoll_ctl passes (data holds one). */
typedef struct {
	uint32_t events;
	uint32_t pad;         /* 0 */
	uint64_t data;
} GateEpollEvent;

enum { GATE_WAIT_MAX = 64 };

#define GATE_WAIT_SET ((int64_t)1 << 40)     /* data holds GateWaitFd entries */
#define GATE_WAIT_PCALL ((int64_t)1 << 41)   /* ppoll, pselect6, epoll_pwait */
#define GATE_WAIT_SIGMASK ((int64_t)1 << 42) /* ...with a signal mask given */
#define GATE_WAIT_SIGARG ((int64_t)1 << 43)  /* pselect6: its sixth argument given */
#define GATE_WAIT_SECONDS ((int64_t)1 << 44) /* arg[0] is the timeout's seconds as passed (negative,
                                                or too long for ms), not ms */
#define GATE_WAIT_SUBSEC ((int64_t)1 << 45)  /* ...and its fraction, not kept, is not 0 */
#define GATE_WAIT_NFDS(a2) ((int64_t)((uint64_t)(a2) & 0xffffffffu))

/* Largest encoded record. */
enum { GATE_WIRE_MAX = 104 + (int)sizeof(struct sockaddr_storage) + GATE_DATA_MAX };

/* Encode r into buf; returns the size, or -1 if it does not fit. */
int gate_encode(const GateRecord *r, uint8_t *buf, size_t cap);

/* Decode n bytes into r; returns 0, or -1 for a malformed record (wrong size,
 * unknown kind, lengths out of range). Never reads past n. */
int gate_decode(const uint8_t *buf, size_t n, GateRecord *r);

/* Make the pair: fds[0] for the parent, fds[1] for the actor. Both close-on-exec. */
int gate_pair(int fds[2]);

/* Send one record. Returns 0 or -1 (errno set). */
int gate_send(int fd, const GateRecord *r);

/* Receive one record. Returns 1 on a record, 0 on EOF, -1 on error or a
 * malformed record (errno EPROTO). */
int gate_recv(int fd, GateRecord *r);

/* Send a one-byte command, or a line of input. Returns 0 or -1. */
int gate_command(int fd, char cmd);
int gate_command_task(int fd, char cmd, int32_t task);
int gate_send_line(int fd, const char *line, size_t len);

/* A free run sends its records in batches: many records in one message,
 * each as a 4-byte length and the encoded record, after a marker byte that
 * no record starts with. One message instead of two per call is what lets a
 * free run go at nearly the speed of the program alone. */
enum { GATE_BATCH_MAX = 65536, GATE_BATCH_MARK = 0xba };

typedef struct {
	uint8_t buf[GATE_BATCH_MAX];
	size_t n;
} GateBatch;

/* Add r to the batch, sending the batch first if r would not fit.
 * Returns 0 or -1. */
int gate_batch_add(int fd, GateBatch *b, const GateRecord *r);

/* Send what the batch holds, if anything. Returns 0 or -1. */
int gate_batch_flush(int fd, GateBatch *b);

/* Receive one message, a record or a batch, and hand each record to fn.
 * Returns how many records, 0 on EOF, -1 on error or a malformed message
 * (errno EPROTO; records before the bad one have been handed over). */
int gate_recv_each(int fd, void (*fn)(void *ctx, const GateRecord *r), void *ctx);

/* Actor side: wait for a command byte; a line (up to cap-1 bytes, NUL ended)
 * goes to line when the command is GATE_CMD_LINE. Returns the command, or -1 on
 * EOF or error (the parent is gone). */
int gate_wait(int fd, char *line, size_t cap);

/* The same, and the task a command names (0 when it names none). */
int gate_wait_task(int fd, int32_t *task, char *line, size_t cap);

#endif
