/* lesson.h - a lesson file, parsed: title, actors and their steps.
 *
 * Model layer: no curses, no I/O beyond reading the file. The steps of an
 * actor are kept flat, in file order, with loops as LOOP/REPEAT ... END pairs
 * that point at each other; the actor process (actor.c) walks them, and the
 * views show them, by index. The format is documented in lessons/README.md. */
#ifndef SOCKSTEP_LESSON_H
#define SOCKSTEP_LESSON_H

#include <stddef.h>

typedef enum {
	/* Real socket calls: each one stops at the gate before it runs. */
	OP_SOCKET, OP_BIND, OP_LISTEN, OP_ACCEPT, OP_CONNECT,
	OP_SEND, OP_SENDALL, OP_RECV, OP_SENDTO, OP_RECVFROM,
	OP_SHUTDOWN, OP_CLOSE, OP_SETSOCKOPT,
	OP_SLEEP,           /* nanosleep(n ms): a real call that uses no socket */
	OP_GETADDRINFO,     /* getaddrinfo(host, port): the addresses a name gives */
	OP_GETHOSTNAME,     /* gethostname() */
	OP_GETSOCKNAME,     /* getsockname(fd): the socket's own address */
	OP_GETPEERNAME,     /* getpeername(fd): the connected peer's address */
	OP_SETBLOCKING,     /* fcntl(fd, F_SETFL, O_NONBLOCK on or off): n = 1 blocking */
	OP_GETSOCKOPT,      /* getsockopt(fd, level, optname) */
	OP_POLL,            /* poll() on the sockets in socks, POLLIN (POLLOUT with "write") */
	OP_SELECT,          /* select() on the sockets in socks, read set (write set with "write") */
	/* Calls only a traced program makes (sockstep run); no lesson step
	 * names them. */
	OP_SOCKETPAIR,      /* socketpair(): two connected sockets, their fds in data */
	OP_SENDMSG,         /* sendmsg(): the bytes of its iovecs */
	OP_RECVMSG,         /* recvmsg() */
	OP_READ,            /* read() on a socket */
	OP_WRITE,           /* write() on a socket */
	OP_WRITEV,          /* writev(): the bytes of its iovecs; arg 0 the count, 1-2 the first lengths */
	OP_READV,           /* readv() on a socket */
	OP_SENDMMSG,        /* sendmmsg(): several messages in one call; total: their bytes */
	OP_RECVMMSG,        /* recvmmsg() */
	OP_SENDFILE,        /* sendfile(): bytes the kernel copies from a file to the socket */
	OP_SPLICE,          /* splice() into a socket, from a pipe */
	OP_SPLICE_RECV,     /* splice() out of a socket, into a pipe */
	OP_EPOLL_WAIT,      /* epoll_wait(): waits on an epoll set */
	OP_FCNTL,           /* fcntl(fd, F_GETFL or F_SETFL) on a socket: arg cmd, flags */
	OP_EPOLL_CTL,       /* epoll_ctl(): adds, changes or removes a watched descriptor */
	OP_EPOLL_CREATE,    /* epoll_create1() or epoll_create(): a new epoll set */
	OP_DUP,             /* dup(), dup2(), dup3() or fcntl(F_DUPFD) of a socket: a second
	                       number for it; arg 0 the number asked (dup: -1), 1 the
	                       flags (O_CLOEXEC), 2 which call (LESSON_DUP_*) */
	/* Everything else runs inside the actor without stopping. */
	OP_PRINT,           /* a line on the actor's console */
	OP_INPUT,           /* ask the student for a line (stops for it) */
	OP_LOOP,            /* loop ... end: until a break-if fires */
	OP_REPEAT,          /* repeat N ... end */
	OP_END,
	OP_BREAK_IF_EMPTY,  /* leave the loop if the last recv returned 0 */
	OP_BREAK_IF_INPUT,  /* leave the loop if the last input equals data */
	OP_BREAK_IF_CONTAINS, /* leave the loop if the last recv's bytes hold data */
	OP_IF_READY,        /* if-ready NAME ... end: only if the last poll or select
	                       said the socket on is ready; match its end, n the
	                       step of that poll or select */
	OP_IF_EMPTY,        /* if-empty ... end: only if the last recv returned 0 */
	OP_AFTER,           /* after ACTOR STEP [N]: the call just below waits until
	                       that actor's step has returned (after_actor, after_step) */
	OP_COUNT_
} LessonOp;

/* Which call an OP_DUP was (its arg[2]). */
enum { LESSON_DUP, LESSON_DUP2, LESSON_DUP3, LESSON_DUP_FCNTL, LESSON_DUP_FCNTL_CLOEXEC };

/* Where the bytes of a send, or the text of a print, come from. */
typedef enum {
	DATA_NONE,
	DATA_TEXT,      /* a literal from the file, escapes decoded */
	DATA_RECEIVED,  /* $received: the bytes of the actor's last recv */
	DATA_INPUT,     /* $input: the student's last line */
	DATA_BYTES      /* "bytes N": N bytes of a repeating pattern (len = N) */
} LessonDataSource;

typedef struct {
	LessonDataSource src;
	int upper;       /* "upper $received": upper-cased copy */
	char *text;      /* DATA_TEXT: bytes (may hold NUL), else NULL */
	size_t len;
} LessonData;

/* A question attached to a step: "? What will recv() return? [12] 0 blocks" */
typedef struct {
	char *text;
	char **choices;
	int nchoices;
	int answer;      /* index of the bracketed choice */
	int line, col;   /* where the '?' is, and where the answer is */
	int answer_col;
	int pass;        /* asked before the step's pass-th run (1: its first;
	                    "? pass N:" or "? last pass:" in the file) */
	int content;     /* the answer is the bytes the call returns: a quoted
	                    text, or "$input" ..., on a receiving step */
} LessonQuestion;

typedef struct {
	LessonOp op;
	int line, col;           /* where the step starts in the file */

	int family, type;        /* socket: AF_INET/AF_INET6/AF_UNIX, SOCK_STREAM/SOCK_DGRAM */
	char *host;              /* bind/connect/sendto: address text, or a path for AF_UNIX */
	int port;                /* -1 when the address has none */
	int to_peer;             /* sendto/connect "$peer": the last peer seen */
	long n;                  /* listen backlog, recv size, repeat count, shutdown how, sockopt value,
	                            sleep milliseconds */
	int level, optname;      /* setsockopt */
	LessonData data;         /* send, sendall, sendto, print, break-if-input */
	char *on;                /* "on NAME": the socket used; NULL = the actor's current one */
	char *as;                /* "as NAME": the name a new socket gets (socket, accept) */
	char *prompt;            /* input */
	char **examples;         /* input: lines used by autoplay and --plain, in turn */
	int nexamples;
	char *narration;         /* '>' lines after the step, joined with spaces; NULL if none */
	LessonQuestion *question;/* '?' line after the step, or NULL */
	int flags;               /* send/recv/sendto/recvfrom: MSG_* flags given after the args */
	char **socks;            /* poll/select: the socket names to wait on */
	int nsocks;
	int write;               /* poll/select: wait to write (POLLOUT) instead of to read */
	long timeout_ms;         /* poll/select: -1 waits for ever */
	int match;               /* loop/repeat/if-ready <-> end: index of the partner step;
	                            break-if-*: the innermost loop/repeat around it; else -1 */
	char *source;            /* the step's line as written, trimmed */
	char *after_name;        /* after: the actor named, as written */
	int after_op, after_col; /* after: the step's kind named (n: which one of them), and
	                            where the actor's name is */
	int after_actor;         /* after: the actor and the index of its step that must */
	int after_step;          /* have returned before the call below this one runs */
} LessonStep;

typedef struct {
	char *name;
	LessonStep *steps;
	int nsteps;
	int host;                /* index in Lesson.hosts, or -1 (the lesson's one network) */
	int dies;                /* "dies SIGNAL": the signal that is the expected end, or 0 */
	char *command;           /* sockstep run: the program to trace (sh -c), else NULL */
	char **inputs;           /* sockstep run: lines for its standard input, in turn */
	int ninputs;
} LessonActor;

/* A lesson with hosts runs each on its own network namespace, joined by a
 * virtual Ethernet link (a veth pair): "host a 10.0.0.1/24". */
typedef struct {
	char *name;
	char *addr;              /* IPv4 address, numeric */
	int prefix;              /* 1..30 */
} LessonHost;

enum { LESSON_MAX_HOSTS = 2 };

typedef struct {
	char *path;              /* as given to lesson_load */
	char *name;              /* file name without NN- and .lesson: "echo" */
	char *title;
	char *about;
	LessonActor *actors;
	int nactors;
	LessonHost *hosts;
	int nhosts;
	char *source;            /* the file's text as parsed (a recording embeds it) */
	size_t source_len;
} Lesson;

enum { LESSON_MAX_ACTORS = 8, LESSON_MAX_STEPS = 512 };

/* What an actor process (actor.c) can hold, so that the parser refuses a
 * lesson past them with the line and column, rather than the actor failing
 * in the middle of a run: the socket names one actor uses (a poll or select
 * waits on at most as many), and how deep its loops and repeats nest. */
enum { LESSON_MAX_SOCKETS = 16, LESSON_MAX_DEPTH = 32 };

/* Parse a lesson held in memory. On error returns NULL and writes
 * "path:line:col: message" into err. Never crashes on any bytes. */
Lesson *lesson_parse(const char *path, const char *text, size_t len, char *err, size_t errlen);

/* Read and parse a file. Errors as lesson_parse ("path: cannot open: ..."). */
Lesson *lesson_load(const char *path, char *err, size_t errlen);

void lesson_free(Lesson *l);

/* "socket", "bind", ... as written in lesson files. */
const char *lesson_op_name(LessonOp op);

/* Is this op a real socket call (one that stops at the gate)? */
int lesson_op_is_call(LessonOp op);

/* Does a call of this op send bytes (its call event holds them), or
 * receive them (its return event holds them)? */
int lesson_op_sends(LessonOp op);
int lesson_op_receives(LessonOp op);

/* Is this a call only traced programs make (no lesson step names it)? */
int lesson_op_traced_only(LessonOp op);

/* sockstep run: a lesson with no steps whose actors are programs. names and
 * commands are n entries; title says what runs. NULL when out of memory. */
Lesson *lesson_programs(const char *title, char *const *names, char *const *commands, int n);

/* Give actor a the line for its standard input after those it has. 0 or -1. */
int lesson_add_input(Lesson *l, int a, const char *line);

/* Index of the actor named name, or -1. */
int lesson_actor_index(const Lesson *l, const char *name);

/* The 'after' step that holds actor's call at step back (the step just
 * above it), or NULL. */
const LessonStep *lesson_after_of(const Lesson *l, int actor, int step);

#endif
