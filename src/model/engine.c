/* engine.c - forks a lesson's actors and lets them run one call at a time
 * (see engine.h).
 *
 * Every actor is a child process with a gate. The engine only ever learns
 * what an actor does from its gate records, and only lets it move with a
 * "go"; so what the timeline holds is what the children really did. Waiting
 * is always bounded and always keeps reading every gate, so a child that
 * dies or blocks never hangs sockstep. */
#include "model/engine.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/actor.h"
#include "model/addr.h"
#include "model/kernel.h"
#include "model/netns.h"
#include "model/procfd.h"
#include "model/record.h"
#include "model/runops.h"
#include "model/sched.h"
#include "model/sockdiag.h"
#include "model/tracer.h"

/* How long a call that should not block may take before it shows as blocked,
 * and how long an actor may take between a result and its next stop (it
 * runs no socket call in between, so only a very busy machine is slow). */
enum { QUICK_MS = 300, ADVANCE_MS = 5000, START_MS = 5000 };

/* A traced program may compute, sleep or wait for its terminal between two
 * socket calls: after a step the engine waits this long for its next stop,
 * then lets the caller's event loop take it whenever it comes. */
enum { PROGRAM_ADVANCE_MS = 1500 };

/* A program that has slept this long between two calls (a shell in wait4
 * for the child it started, a sleep()) is taken as settled: waiting the
 * whole PROGRAM_ADVANCE_MS for it would slow every step of every other
 * actor. While one may be asleep, gates are polled at IDLE_POLL_MS. */
enum { IDLE_MS = 30, IDLE_POLL_MS = 10 };

/* Tasks beyond the columns whose calls are being followed at once. */
enum { MAX_EXTRA = 64 };

/* Where a step began and where it had settled: which actors were blocked,
 * and how many packets had been seen (engine_goto waits for the same). */
typedef struct {
	unsigned blocked_before, blocked_after;
	size_t packets_before, packets_after;
} PastMark;

/* A step as it was run, for engine_goto to run it again. */
typedef struct {
	int actor;
	char *line;            /* the line an input step was given; NULL: the lesson's example */
	PastMark mark;
} PastStep;

typedef struct engine Engine;

struct engine {
	Run run;               /* first: what the views read (runops.h) */
	EngineOptions opt;
	int gate[LESSON_MAX_ACTORS];
	int32_t task[LESSON_MAX_ACTORS];   /* the traced task it shows; 0: none yet */
	char names[LESSON_MAX_ACTORS][48]; /* "server.2" for a program's second task */
	ActorState seen[LESSON_MAX_ACTORS];/* engine_wait: states when it began */
	long asleep_since[LESSON_MAX_ACTORS];/* settled(): when it was first seen
	                                      asleep between calls; 0: not */
	int seen_n;
	int input_over[LESSON_MAX_ACTORS]; /* a program's input ended with no
	                                      line left and none typed */
	int private_ns;
	int full_noted;                    /* said that no more columns fit */
	int called[LESSON_MAX_ACTORS];     /* a program's column has shown a call */
	int exit_told[LESSON_MAX_ACTORS];  /* its task's end is shown; the status: */
	int told_status[LESSON_MAX_ACTORS];
	/* The tasks beyond the columns, each with the call it is in: their
	 * calls are shown in their program's column, marked with their pid. */
	struct { int32_t task; uint64_t call_seq; } extra[MAX_EXTRA];
	int nextra;
	size_t ordered;        /* a free run: the events put in order so far (order_free_run) */
	char fail[600];                    /* a tracer that could not run its program */
	int other_host;        /* host b's namespace in a two-host lesson, or -1 */
	/* engine_goto: every step run so far, and further ones run before
	 * going back (the end of this file). */
	PastStep *past;
	int npast, past_cap;
	RunActor rec_a[LESSON_MAX_ACTORS];  /* a moment's actors, as the recording has them */
	int restepping;        /* engine_goto is running the steps again */
	int turn;              /* the last actor stepped while a poller could run, or -1 (sched_pick) */
	/* Which steps of each lesson actor have returned at least once in this
	 * run: an 'after' step holds its call back until the one it names has. */
	unsigned char step_returned[LESSON_MAX_ACTORS][LESSON_MAX_STEPS];
	Record *rec;           /* --record: the run written down, or NULL */
};

static void past_clear(Engine *e, int from);
static void past_forget(Engine *e);
static PastMark past_mark(Engine *e);
static void past_settle(Engine *e, PastMark *m);
static void past_record(Engine *e, int actor, const char *line, const PastMark *m);
static void engine_stop(Run *r);
static int engine_pollfds(const Run *r, struct pollfd *pfd, int max);
static const RunOps engine_ops;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

Run *engine_new(const Lesson *lesson, const EngineOptions *opt)
{
	Engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->run.ops = &engine_ops;
	e->run.lesson = lesson;
	if (opt)
		e->opt = *opt;
	e->run.free_run = e->opt.free_run;
	e->run.steered = 1;
	e->run.counts = 1;
	e->run.tl = timeline_new();
	e->run.n = lesson->nactors < LESSON_MAX_ACTORS ? lesson->nactors : LESSON_MAX_ACTORS;
	for (int i = 0; i < LESSON_MAX_ACTORS; i++) {
		e->gate[i] = -1;
		e->run.owner[i] = i;
		e->run.a[i].step = -1;
		e->run.a[i].state = ACTOR_DEAD;
	}
	/* Named before they start, and starting: the screen is drawn while
	 * the network and the processes are being made. */
	for (int i = 0; i < e->run.n; i++) {
		e->run.a[i].name = lesson->actors[i].name;
		e->run.a[i].state = ACTOR_STARTING;
	}
	e->other_host = -1;
	if (!e->run.tl) {
		free(e);
		return NULL;
	}
	return &e->run;
}

/* Run's destroy: the processes are gone already (run_free stops first). */
static void engine_free(Run *r)
{
	Engine *e = (Engine *)r;
	past_clear(e, 0);
	free(e->past);
	record_close(e->rec);
	timeline_free(e->run.tl);
	free(e);
}

/* The recording, if any, takes down the moment the engine has reached
 * (the end of this file). */
static void recorded(Engine *e, const char *cause, int actor);

static void note(Engine *e, int actor, const char *text)
{
	Event ev = { .kind = EV_NOTE, .actor = actor, .step = -1, .text = (char *)text };
	timeline_add(e->run.tl, &ev);
}

/* The gate actor i's records come on (shared by a program's tasks). */
static int gate_of(const Engine *e, int i)
{
	return e->gate[e->run.owner[i]];
}

/* A program that ended without one socket call: say what that means, for
 * it is most likely the wrong program, or one that could not start. */
static void no_calls(Engine *e, int i, int status)
{
	char text[256];
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126))
		snprintf(text, sizeof text, "%s's command could not run (exit status %d: %s); its console says why",
			 e->run.a[i].name, WEXITSTATUS(status), WEXITSTATUS(status) == 127 ? "not found" : "not executable");
	else
		snprintf(text, sizeof text, "%s ended without making a single socket call: is it the program "
			 "you meant?", e->run.a[i].name);
	note(e, i, text);
}

/* Does a program's end (status) say again how its last task ended
 * (task)? The same status, a core dumped or not, or the exit 128 + N a
 * shell passes on for a command killed by signal N. */
static int same_end(int task, int status)
{
	if (WIFSIGNALED(task) && WIFEXITED(status))
		return WEXITSTATUS(status) == 128 + WTERMSIG(task);
	if (WIFSIGNALED(task) || WIFSIGNALED(status))
		return WIFSIGNALED(task) && WIFSIGNALED(status) && WTERMSIG(task) == WTERMSIG(status);
	return task == status;
}

static void record_exit(Engine *e, int i, int status)
{
	RunActor *a = &e->run.a[i];
	if (run_traced(&e->run, i) && i == e->run.owner[i] && !e->called[i] && a->pid > 0)
		no_calls(e, i, status);
	/* A traced task's end came as a record already (traced_end): the
	 * program's is the same when that task was its last. */
	int told = run_traced(&e->run, i) && e->exit_told[i] && same_end(e->told_status[i], status);
	a->pid = 0;
	a->program = 0;
	a->status = status;
	if (a->state != ACTOR_DONE)
		a->state = ACTOR_DEAD;
	if (told)
		return;
	Event ev = { .kind = EV_EXIT, .actor = i, .step = a->step, .status = status };
	timeline_add(e->run.tl, &ev);
}

static void close_gate(Engine *e, int i)
{
	if (e->gate[i] >= 0)
		close(e->gate[i]);
	e->gate[i] = -1;
}

/* A program's tracer is gone: its processes and threads went with it
 * (PTRACE_O_EXITKILL); those that had not ended were killed. */
static void tasks_gone(Engine *e, int i)
{
	for (int j = 0; j < e->run.n; j++) {
		if (j == i || e->run.owner[j] != i || e->run.a[j].program == 0)
			continue;
		e->run.a[j].program = 0;
		if (e->run.a[j].state == ACTOR_DONE || e->run.a[j].state == ACTOR_DEAD)
			continue;
		e->run.a[j].state = ACTOR_DEAD;
		e->run.a[j].status = SIGKILL;
		Event ev = { .kind = EV_EXIT, .actor = j, .step = e->run.a[j].step, .status = SIGKILL };
		timeline_add(e->run.tl, &ev);
	}
}

/* The gate hit EOF: the actor has exited (or was killed); collect it. */
static void actor_gone(Engine *e, int i)
{
	close_gate(e, i);
	int status = 0;
	if (e->run.a[i].pid > 0) {
		pid_t r;
		do
			r = waitpid(e->run.a[i].pid, &status, 0);
		while (r < 0 && errno == EINTR);
		record_exit(e, i, status);
	}
	tasks_gone(e, i);
}

/* What a call or result record says, as an event of the timeline (which
 * copies the bytes it points at). */
static Event event_of(EventKind kind, int actor, const GateRecord *r)
{
	Event ev = { .kind = kind, .actor = actor, .step = r->step, .op = r->op, .fd = r->fd,
		     .ret = r->ret, .err = r->err, .ns = r->ns, .total = r->total,
		     .addr = r->addr, .addrlen = r->addrlen, .data = (uint8_t *)r->data, .len = r->len };
	memcpy(ev.arg, r->arg, sizeof ev.arg);
	return ev;
}

/* Free run: the actor is making this call already; record it as begun. */
static void free_call(Engine *e, int i, const GateRecord *r)
{
	Event ev = event_of(EV_CALL, i, r);
	const Event *stored = timeline_add(e->run.tl, &ev);
	e->run.a[i].call_seq = stored ? stored->seq : 0;
	e->run.a[i].state = ACTOR_RUNNING;
	e->run.steps_done++;
}

/* Free run: the actor took the lesson's example line itself. */
static void free_input(Engine *e, int i, const GateRecord *r)
{
	char line[GATE_DATA_MAX + 1];
	memcpy(line, r->data, r->len);
	line[r->len] = '\0';
	Event ev = { .kind = EV_INPUT, .actor = i, .step = r->step, .text = line };
	timeline_add(e->run.tl, &ev);
	e->run.a[i].state = ACTOR_RUNNING;
	e->run.steps_done++;
}

/* Program i's first process (its shell, when the command line needs one),
 * the child of its tracer, while it lives; 0 when it has ended (or /proc
 * cannot say). */
static pid_t program_top(const Engine *e, int i)
{
	char path[80];
	int child = 0;
	pid_t tracer = e->run.a[i].pid;
	if (tracer <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)tracer, (int)tracer);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &child) != 1)
		child = 0;
	fclose(f);
	return child;
}

/* A traced process or thread that ended: exit 0 is the end it should have;
 * anything else (a signal, a failing status) shows as a death. */
static void traced_end(Engine *e, int i, const GateRecord *r)
{
	RunActor *a = &e->run.a[i];
	if (r->task == 0) {
		/* The program itself exited 0 (its tracer says so before it exits). */
		if (a->state != ACTOR_DEAD)
			a->state = ACTOR_DONE;
		return;
	}
	int status = (int)r->ret;
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	a->status = status;
	a->program = 0;
	/* The program's own column ends with the program, not with the task it
	 * shows: while the program's first process lives (a shell between two
	 * commands, prog1; prog2), it runs on, and the next task to make a call
	 * takes the column; an exit 0 between two programs is no event. */
	int own = i == e->run.owner[i];
	int waits = own && program_top(e, i) > 0;
	if (own)
		e->task[i] = 0;
	a->state = waits ? ACTOR_RUNNING : ok ? ACTOR_DONE : ACTOR_DEAD;
	if (waits && ok)
		return;
	e->exit_told[i] = 1;
	e->told_status[i] = status;
	Event ev = { .kind = EV_EXIT, .actor = i, .step = a->step, .status = status };
	timeline_add(e->run.tl, &ev);
}

static int is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return 1;  /* AF_UNIX and the rest stay on this machine */
}

/* Where the socket of a traced call is bound, as the kernel holds it:
 * asked of a copy of the program's descriptor, not read from the bytes the
 * call passed (another thread may rewrite those once they are read).
 * Returns 0, or -1 when it cannot be said (the descriptor is gone). */
static int bound_at(const GateRecord *r, struct sockaddr_storage *ss, socklen_t *len)
{
	int copy = r->task > 0 ? procfd_copy(r->task, r->fd) : -1;
	if (copy < 0)
		return -1;
	*len = sizeof *ss;
	memset(ss, 0, sizeof *ss);
	int rc = getsockname(copy, (struct sockaddr *)ss, len);
	close(copy);
	return rc;
}

/* An IP socket with no port yet: listen() binds it to every address. */
static int unbound(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port == 0;
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_port == 0;
	return 0;
}

/* Outside a private namespace a program that binds or listens beyond
 * loopback would open a port to the network: the program is stopped there
 * unless the user said --allow-external (lessons are checked before they
 * start, check_exposure). Every way there is looked at: a bind's address
 * before it runs; a listen's socket before it runs (one never bound lands
 * on 0.0.0.0 or ::); and the socket's address as the kernel holds it once
 * a bind or listen has returned. (Other ABIs and io_uring, the ways around
 * the tracer, are refused by its filter.) */
static int exposed(Engine *e, int i, const GateRecord *r)
{
	if (e->private_ns || e->opt.allow_external || (r->op != OP_BIND && r->op != OP_LISTEN))
		return 0;
	if (r->kind == GATE_RESULT && r->ret < 0)
		return 0;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	const char *how = "binds %s";
	int never_bound = 0;
	if (r->kind == GATE_CALL && r->op == OP_BIND) {
		ss = r->addr;
		len = r->addrlen;
	} else if (bound_at(r, &ss, &len) < 0) {
		return 0;
	} else if (r->kind == GATE_CALL && unbound(&ss)) {
		never_bound = 1;
		how = "listens on a socket it did not bind, which the kernel binds to %s (every address)";
	} else {
		how = "has its socket on %s (as the kernel holds it)";
	}
	if (!len || is_loopback(&ss))
		return 0;
	char addr[160], what[300], text[sizeof e->fail];
	addr_format(&ss, len, addr, sizeof addr);
	if (never_bound)
		snprintf(addr, sizeof addr, "%s", ss.ss_family == AF_INET6 ? "::" : "0.0.0.0");
	snprintf(what, sizeof what, how, addr);
	if (snprintf(text, sizeof text, "%s %s, beyond loopback, on the host's network: stopped; "
		     "--allow-external permits it", e->run.a[i].name, what) >= (int)sizeof text)
		text[sizeof text - 1] = '\0';
	note(e, i, text);
	memcpy(e->fail, text, sizeof text);
	if (e->run.a[e->run.owner[i]].pid > 0)
		kill(e->run.a[e->run.owner[i]].pid, SIGKILL);
	return 1;
}

/* Actor i's call returned (ret, just added): did it bring anything new,
 * or is the actor polling (sched_idle)? */
static void returned(Engine *e, int i, const Event *ret)
{
	RunActor *a = &e->run.a[i];
	if (!ret)
		return;
	const Event *before = a->return_seq ? timeline_by_seq(e->run.tl, a->return_seq) : NULL;
	a->idle = sched_idle(ret, before);
	a->return_seq = ret->seq;
	if (i < e->run.lesson->nactors && ret->step < LESSON_MAX_STEPS)
		e->step_returned[i][ret->step] = 1;
}

/* Turn one record from actor i into state and timeline events. */
static void absorb(Engine *e, int i, const GateRecord *r)
{
	RunActor *a = &e->run.a[i];
	Event ev = { .actor = i, .step = r->step, .op = r->op, .fd = r->fd };
	/* Any record but a console line: the actor stops or has stopped; the
	 * lines its console held back come before (timeline.h). */
	if (r->kind != GATE_PRINT)
		timeline_console_flush(e->run.tl, i);
	switch (r->kind) {
	case GATE_CALL:
		if (run_traced(&e->run, i) && exposed(e, i, r))
			break;
		a->step = r->step;
		a->pending = *r;
		if (e->opt.free_run) {
			free_call(e, i, r);
			/* A traced bind or listen waits for its go even so (tracer.c). */
			if (run_traced(&e->run, i) && (r->op == OP_BIND || r->op == OP_LISTEN))
				gate_command_task(e->gate[i], GATE_CMD_GO, r->task);
			break;
		}
		a->state = ACTOR_READY;
		break;
	case GATE_INPUT:
		a->step = r->step;
		if (e->opt.free_run) {
			free_input(e, i, r);
			break;
		}
		a->state = ACTOR_INPUT;
		break;
	case GATE_RESULT:
		ev = event_of(EV_RETURN, i, r);
		ev.call_seq = a->call_seq;
		returned(e, i, timeline_add(e->run.tl, &ev));
		a->state = ACTOR_RUNNING;  /* until its next stop arrives */
		if (run_traced(&e->run, i))
			exposed(e, i, r);
		break;
	case GATE_PRINT: {
		char text[GATE_DATA_MAX + 1];
		memcpy(text, r->data, r->len);
		text[r->len] = '\0';
		ev.kind = EV_PRINT;
		ev.text = text;
		timeline_add_print(e->run.tl, &ev);   /* bounded: a program may print without end */
		break;
	}
	case GATE_DONE:
		if (run_traced(&e->run, i)) {
			traced_end(e, i, r);
			break;
		}
		a->state = ACTOR_DONE;
		a->step = r->step;
		break;
	case GATE_FAIL: {
		char text[GATE_DATA_MAX + 1];
		memcpy(text, r->data, r->len);
		text[r->len] = '\0';
		note(e, i, text);
		if (snprintf(e->fail, sizeof e->fail, "%s: %.500s", a->name, text) < 0)
			e->fail[0] = '\0';
		break;
	}
	default:
		break;  /* a late probe answer: nothing to do */
	}
}

/* Put what the kernel did since the last look into the timeline: packets,
 * then socket states. Called before every record from an actor is taken in,
 * so a call's packets and state changes come before its return. */
static void kernel_look(Engine *e)
{
	pid_t pids[LESSON_MAX_ACTORS];
	if (!e->run.kernel)
		return;
	/* An actor still starting holds copies of sockstep's own descriptors
	 * until it has closed them; its sockets count once it has stopped. */
	for (int i = 0; i < e->run.n; i++)
		pids[i] = e->run.a[i].state == ACTOR_STARTING ? 0 : e->run.a[i].program;
	kernel_update(e->run.kernel, e->run.tl, pids, e->run.n);
}

/* Read one record of actor i; EOF or garbage ends the actor. */
typedef struct {
	Engine *e;
	int actor;
} Reader;

/* Who a traced task is, for a note: "echo_server, pid 1234", or
 * "threaded_server, thread 1235 of pid 1234"; asked of /proc, so a task
 * already gone is only "pid 1234". */
/* A task's name, as the kernel has it: a program sets its own (prctl
 * PR_SET_NAME), so anything but printable ASCII becomes '?'. "" when the
 * task is gone. */
static void task_comm(int32_t task, char comm[16])
{
	char path[64];
	comm[0] = '\0';
	snprintf(path, sizeof path, "/proc/%d/comm", (int)task);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(comm, 16, f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	for (char *c = comm; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
}

static void task_words(int32_t task, char *buf, size_t cap)
{
	char path[64], comm[16], line[128];
	int tgid = 0;
	task_comm(task, comm);
	FILE *f;
	snprintf(path, sizeof path, "/proc/%d/status", (int)task);
	if ((f = fopen(path, "re"))) {
		while (fgets(line, sizeof line, f) && sscanf(line, "Tgid: %d", &tgid) != 1)
			;
		fclose(f);
	}
	if (!comm[0])
		snprintf(buf, cap, "pid %d", (int)task);
	else if (tgid > 0 && tgid != task)
		snprintf(buf, cap, "%s, thread %d of pid %d", comm, (int)task, tgid);
	else
		snprintf(buf, cap, "%s, pid %d", comm, (int)task);
}

/* What a new task is, by the same words: a process, a thread, or when it
 * is gone already, either. */
static const char *task_kind(const char *words)
{
	return strstr(words, ", thread ") ? "thread" : strchr(words, ',') ? "process" : "process or thread";
}

/* The program's own column takes the task: its first, or the one after
 * the task it showed has ended (a shell's next command). */
static void take_column(Engine *e, int i, int32_t task)
{
	e->task[i] = task;
	e->run.a[i].program = task;
	task_comm(task, e->run.a[i].comm);
	e->exit_told[i] = 0;
	e->asleep_since[i] = 0;
	if (e->called[i]) {
		char words[96], text[200];
		task_words(task, words, sizeof words);
		snprintf(text, sizeof text, "%s's next %s makes socket calls (%s)", e->run.a[i].name,
			 task_kind(words), words);
		note(e, i, text);
	}
	e->called[i] = 1;
}

static int extra_find(const Engine *e, int32_t task)
{
	for (int x = 0; x < e->nextra; x++)
		if (e->extra[x].task == task)
			return x;
	return -1;
}

/* The actor a record from actor i's gate is for: i itself, or the column
 * of the traced process or thread that made it (given one the first time
 * it makes a call: i's own when the task it showed has ended); -1 for a
 * task beyond the columns (no_column). */
static int slot_for(Engine *e, int i, int32_t task)
{
	if (task == 0 || e->task[i] == task)
		return i;
	int siblings = 1;
	for (int j = 0; j < e->run.n; j++) {
		if (j != i && e->run.owner[j] == i && e->task[j] == task)
			return j;
		siblings += e->run.owner[j] == i && j != i;
	}
	if (extra_find(e, task) >= 0)
		return -1;
	if (e->task[i] == 0) {
		take_column(e, i, task);
		return i;
	}
	if (e->run.n == LESSON_MAX_ACTORS)
		return -1;
	int j = e->run.n++;
	memset(&e->run.a[j], 0, sizeof e->run.a[j]);
	snprintf(e->names[j], sizeof e->names[j], "%s.%d", e->run.a[i].name, siblings + 1);
	e->run.a[j].name = e->names[j];
	e->run.a[j].program = task;
	task_comm(task, e->run.a[j].comm);
	e->run.a[j].step = -1;
	e->run.a[j].state = ACTOR_RUNNING;
	e->run.owner[j] = i;
	e->task[j] = task;
	e->called[j] = 1;
	e->exit_told[j] = 0;
	e->asleep_since[j] = 0;
	e->gate[j] = -1;
	char words[96], text[200];
	task_words(task, words, sizeof words);
	snprintf(text, sizeof text, "%s has a new %s (%s) making socket calls: %s",
		 e->run.a[i].name, task_kind(words), words, e->run.a[j].name);
	note(e, j, text);
	return j;
}

/* A task with no column left: its calls are shown in its program's
 * column, each marked with its pid, and run without stopping. */
static void no_column(Engine *e, int i, const GateRecord *r)
{
	char mark[32], text[300];
	snprintf(mark, sizeof mark, "pid %d", (int)r->task);
	if (!e->full_noted) {
		snprintf(text, sizeof text, "more processes and threads make socket calls than the %d columns: "
			 "the calls of the others are shown in %s's column, marked with their pid, and run "
			 "without stopping", LESSON_MAX_ACTORS, e->run.a[i].name);
		note(e, i, text);
		e->full_noted = 1;
	}
	int x = extra_find(e, r->task);
	Event ev;
	switch (r->kind) {
	case GATE_CALL: {
		if (exposed(e, i, r))
			break;
		if (x < 0 && e->nextra < MAX_EXTRA) {
			x = e->nextra++;
			e->extra[x].task = r->task;
		}
		ev = event_of(EV_CALL, i, r);
		ev.text = mark;
		const Event *stored = timeline_add(e->run.tl, &ev);
		if (x >= 0)
			e->extra[x].call_seq = stored ? stored->seq : 0;
		gate_command_task(e->gate[i], GATE_CMD_GO, r->task);
		break;
	}
	case GATE_RESULT:
		ev = event_of(EV_RETURN, i, r);
		ev.call_seq = x >= 0 ? e->extra[x].call_seq : 0;
		ev.text = mark;
		timeline_add(e->run.tl, &ev);
		exposed(e, i, r);
		break;
	case GATE_INPUT:
		gate_command(e->gate[i], GATE_CMD_EOF);
		break;
	case GATE_DONE:
		if (x >= 0)
			e->extra[x] = e->extra[--e->nextra];
		break;
	default:
		break;
	}
}

static void stamp(Engine *e, size_t from, const GateRecord *r);

/* Can a call of this kind make, take, pass or end a socket or a descriptor,
 * or begin a connection? Then the kernel view reads its whole table after
 * it (kernel_invalidate). The others move bytes, wait, or read or set an
 * option: after them it asks only about the sockets it knows. A kind not
 * listed here may. */
static int may_make_sockets(int op)
{
	switch (op) {
	case OP_SEND: case OP_SENDALL: case OP_RECV: case OP_RECVFROM: case OP_READ: case OP_WRITE:
	case OP_READV: case OP_WRITEV: case OP_SENDFILE: case OP_SPLICE: case OP_SPLICE_RECV:
	case OP_SETSOCKOPT: case OP_GETSOCKOPT: case OP_GETSOCKNAME: case OP_GETPEERNAME:
	case OP_SETBLOCKING: case OP_FCNTL: case OP_POLL: case OP_SELECT: case OP_EPOLL_WAIT:
	case OP_EPOLL_CTL: case OP_EPOLL_CREATE: case OP_SLEEP: case OP_GETADDRINFO: case OP_GETHOSTNAME:
		return 0;
	default:
		return 1;
	}
}

static void take(void *ctx, const GateRecord *r)
{
	Reader *rd = ctx;
	size_t before = timeline_count(rd->e->run.tl);
	/* A call's packets and state changes go before its return. Between a
	 * return and the actor's next stop it makes no call, so other records
	 * need no look. */
	if (r->kind == GATE_RESULT) {
		if (may_make_sockets(r->op))
			kernel_invalidate(rd->e->run.kernel);
		kernel_look(rd->e);
	}
	int slot = slot_for(rd->e, rd->actor, r->task);
	if (slot < 0)
		no_column(rd->e, rd->actor, r);
	else
		absorb(rd->e, slot, r);
	if (rd->e->opt.free_run && r->at_ns)
		stamp(rd->e, before, r);
}

/* Does a call wait for another program: is its return what another's call
 * caused (the bytes a send brought, a connection, a wait that woke)? */
static int waits_for_others(int op)
{
	return lesson_op_receives(op) || op == OP_ACCEPT || op == OP_POLL || op == OP_SELECT ||
	       op == OP_EPOLL_WAIT;
}

/* A free run's records come in batches: what record r made (the events
 * from index from on) happened when its tracer stamped it, and
 * order_free_run puts it there. A call is shown where it returns, and
 * where it returns a call that waits (a recv) shows what another's call
 * caused after that call began; so a call that waits goes where it
 * returned, and any other where it began: a close before the recv its end
 * of stream woke, though that recv may have returned first. */
static void stamp(Engine *e, size_t from, const GateRecord *r)
{
	uint64_t when = r->at_ns;
	const Event *ret = timeline_get(e->run.tl, timeline_count(e->run.tl) - 1);
	if (r->kind == GATE_RESULT && ret && ret->kind == EV_RETURN && !waits_for_others(r->op)) {
		const Event *call = timeline_by_seq(e->run.tl, ret->call_seq);
		if (call && call->when_ns < when)
			when = call->when_ns;
	}
	for (size_t k = from; k < timeline_count(e->run.tl); k++)
		timeline_set_when(e->run.tl, k, when);
}

static uint64_t moved_seq(uint64_t seq, size_t from, size_t n, const uint64_t *moved)
{
	return seq > from && seq - from - 1 < n ? moved[seq - from - 1] : seq;
}

/* A free run's programs each send their records in batches, so the
 * timeline has one program's calls, then another's: a client's recv of
 * the reply before the server's send of it. Before a moment is shown or
 * recorded, the events since the last moment go in the order their
 * tracers stamped them (timeline_order); what points at them follows. */
static void order_free_run(Engine *e)
{
	size_t from = e->ordered, n = timeline_count(e->run.tl);
	if (!e->opt.free_run || n <= from)
		return;
	uint64_t *moved = malloc((n - from) * sizeof *moved);
	if (!moved || timeline_order(e->run.tl, from, moved) < 0) {
		free(moved);
		return;   /* out of memory: in the order they came, as before */
	}
	for (int i = 0; i < e->run.n; i++) {
		e->run.a[i].call_seq = moved_seq(e->run.a[i].call_seq, from, n - from, moved);
		e->run.a[i].return_seq = moved_seq(e->run.a[i].return_seq, from, n - from, moved);
	}
	for (int x = 0; x < e->nextra; x++)
		e->extra[x].call_seq = moved_seq(e->extra[x].call_seq, from, n - from, moved);
	free(moved);
	e->ordered = n;
}

static void read_gate(Engine *e, int i)
{
	Reader rd = { e, i };
	int rc = gate_recv_each(e->gate[i], take, &rd);
	if (rc > 0)
		return;
	kernel_invalidate(e->run.kernel);   /* the actor has ended, or ends */
	kernel_look(e);
	if (rc < 0 && errno == EPROTO) {
		note(e, i, "sent a malformed record; stopped");
		if (e->run.a[i].pid > 0)
			kill(e->run.a[i].pid, SIGKILL);
	}
	actor_gone(e, i);
	/* Reaped, it holds no socket any more: the table says so now, not
	 * whenever the next look happens to come (the same in every run). */
	kernel_invalidate(e->run.kernel);
	kernel_look(e);
}

/* Whether actor i runs between two calls: it will report again soon. */
static int moving(const Engine *e, int i)
{
	return e->run.a[i].state == ACTOR_RUNNING || e->run.a[i].state == ACTOR_STARTING;
}

/* The task whose sleep says a traced column has settled: the one it shows,
 * or while it waits for its program's next task (its last one ended), the
 * program's first process. 0 when there is none. */
static int32_t watched_task(const Engine *e, int i)
{
	if (e->task[i] > 0 || e->run.owner[i] != i)
		return e->task[i];
	return program_top(e, i);
}

/* A traced program between two calls that has slept in the kernel for
 * IDLE_MS (the kernel's word, tracer_asleep) is as good as stopped. */
static int settled(Engine *e, int i)
{
	/* The task is looked up only for a traced program on the move: it
	 * may read /proc, and a lesson's actor reports its every call. */
	int32_t task = moving(e, i) && run_traced(&e->run, i) ? watched_task(e, i) : 0;
	if (task <= 0 || !tracer_asleep(task)) {
		e->asleep_since[i] = 0;
		return !moving(e, i);
	}
	long now = now_ms();
	if (!e->asleep_since[i])
		e->asleep_since[i] = now;
	return now - e->asleep_since[i] >= IDLE_MS;
}

/* How long pump_some may sleep in poll before it looks again. */
static int poll_ms(const Engine *e, long left)
{
	for (int i = 0; i < e->run.n; i++)
		if (moving(e, i) && run_traced(&e->run, i) && watched_task(e, i) > 0)
			return left < IDLE_POLL_MS ? (int)left : IDLE_POLL_MS;
	return (int)left;
}

static int handle(Engine *e, const struct pollfd *pfd, int n);
static int servers_over(Engine *e);

/* Read gates until done(e, arg) holds or ms pass; only actor only's gate
 * when only >= 0. Returns 1 if done. */
static int pump_some(Engine *e, int ms, int (*done)(Engine *, int), int arg, int only)
{
	long end = now_ms() + ms;
	for (;;) {
		if (done(e, arg))
			return 1;
		long left = end - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd[RUN_POLLFDS_MAX];
		int n;
		if (only >= 0 && gate_of(e, only) >= 0) {
			pfd[0] = (struct pollfd){ .fd = gate_of(e, only), .events = POLLIN };
			n = 1;
		} else {
			n = engine_pollfds(&e->run, pfd, RUN_POLLFDS_MAX);
		}
		if (n == 0)
			return done(e, arg);
		int rc = poll(pfd, (nfds_t)n, poll_ms(e, left));
		if (rc < 0 && errno != EINTR)
			return 0;
		if (rc > 0)
			handle(e, pfd, n);
	}
}

/* Read every gate until done(e, arg) holds or ms pass. Returns 1 if done. */
static int pump(Engine *e, int ms, int (*done)(Engine *, int), int arg)
{
	return pump_some(e, ms, done, arg, -1);
}

static int is_stopped(ActorState s)
{
	return s == ACTOR_READY || s == ACTOR_INPUT || s == ACTOR_DONE || s == ACTOR_DEAD;
}

static int actor_stopped(Engine *e, int i)
{
	return e->run.a[i].state == ACTOR_BLOCKED || settled(e, i);
}

static int actor_returned(Engine *e, int i)
{
	return e->run.a[i].state != ACTOR_RUNNING || timeline_return_of(e->run.tl, e->run.a[i].call_seq);
}

static int all_started(Engine *e, int unused)
{
	(void)unused;
	if (e->fail[0])
		return 1;
	for (int i = 0; i < e->run.n; i++)
		if (e->run.a[i].state == ACTOR_STARTING)
			return 0;
	return 1;
}

/* A program that has not reached a socket call yet is not late: it may be
 * busy, or never make one. Those still starting run on as RUNNING; lesson
 * actors must have started. Returns 1 when only programs were late. */
static int programs_running(Engine *e)
{
	for (int i = 0; i < e->run.n; i++)
		if (e->run.a[i].state == ACTOR_STARTING && !run_traced(&e->run, i))
			return 0;
	for (int i = 0; i < e->run.n; i++)
		if (e->run.a[i].state == ACTOR_STARTING)
			e->run.a[i].state = ACTOR_RUNNING;
	return 1;
}

static int none_running(Engine *e, int unused)
{
	(void)unused;
	int all = 1;
	for (int i = 0; i < e->run.n; i++)
		all &= settled(e, i);  /* each one looked at: its clock starts now */
	return all;
}

static int none_moving(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->run.n; i++)
		if (!is_stopped(e->run.a[i].state))
			return 0;
	return 1;
}

/* In the child: nothing of sockstep's survives but the gate. */
static _Noreturn void child(Engine *e, int i, int gate, const sigset_t *mask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGCHLD, SIGPIPE, SIGTSTP };
	for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
		signal(sigs[k], SIG_DFL);
	/* Die with sockstep, even if it is killed before it can say so. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(112);
	if (getppid() == 1)
		_exit(113);
	/* Out of the terminal's process group: Ctrl-C is for sockstep to handle. */
	setpgid(0, 0);
	/* An actor on the second host lives in that host's namespace. */
	if (e->run.lesson->actors[i].host == 1 &&
	    (netns_join(e->other_host) < 0 || netns_hostname(e->run.lesson->hosts[1].name) < 0))
		_exit(116);
	if (dup2(gate, ACTOR_GATE_FD) < 0)
		_exit(114);
	int null = open("/dev/null", O_RDWR);
	if (null < 0)
		_exit(115);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	close_range(3, ACTOR_GATE_FD - 1, 0);
	close_range(ACTOR_GATE_FD + 1, ~0U, 0);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (e->run.lesson->actors[i].command)
		tracer_run(e->run.lesson->actors[i].command, ACTOR_GATE_FD, e->opt.free_run);
	actor_run(e->run.lesson, i, ACTOR_GATE_FD, e->opt.free_run);
}

static int spawn(Engine *e, int i, char *err, size_t errlen)
{
	int fds[2];
	if (gate_pair(fds) < 0) {
		snprintf(err, errlen, "cannot make a channel for %s: %s", e->run.a[i].name, strerror(errno));
		return -1;
	}
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(e, i, fds[1], &old);
	}
	int saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		snprintf(err, errlen, "cannot start %s: %s", e->run.a[i].name, strerror(saved));
		return -1;
	}
	e->gate[i] = fds[0];
	e->run.a[i].pid = pid;
	e->run.a[i].program = e->run.lesson->actors[i].command ? 0 : pid;
	e->run.a[i].state = ACTOR_STARTING;
	return 0;
}

/* The kinds of socket a lesson makes (SOCKDIAG_*), so the kernel view lists
 * only those: an IPv6 socket also carries the IPv4 it accepts. */
static unsigned socket_kinds(const Lesson *l)
{
	unsigned kinds = 0;
	for (int i = 0; i < l->nactors; i++)
		if (l->actors[i].command)
			return SOCKDIAG_ALL;  /* a program's calls are not known before */
	for (int i = 0; i < l->nactors; i++) {
		for (int k = 0; k < l->actors[i].nsteps; k++) {
			const LessonStep *s = &l->actors[i].steps[k];
			if (s->op != OP_SOCKET)
				continue;
			int dgram = s->type == SOCK_DGRAM;
			if (s->family == AF_UNIX)
				kinds |= SOCKDIAG_UNIX;
			else if (s->family == AF_INET6)
				kinds |= dgram ? SOCKDIAG_UDP6 : SOCKDIAG_TCP6;
			else
				kinds |= dgram ? SOCKDIAG_UDP4 : SOCKDIAG_TCP4;
		}
	}
	return kinds;
}

/* Is host an address that only this machine can reach? */
static int loopback_only(int family, const char *host)
{
	if (family == AF_UNIX)
		return 1;
	if (family == AF_INET6)
		return strcmp(host, "::1") == 0;
	return strncmp(host, "127.", 4) == 0;
}

/* Outside a private namespace a lesson's sockets are on the real machine:
 * one that binds beyond loopback (a wildcard included) would be open to the
 * network, so it runs only when the user said so. */
static int check_exposure(const Engine *e, int private_ns, char *err, size_t errlen)
{
	const Lesson *l = e->run.lesson;
	if (private_ns || e->opt.allow_external)
		return 0;
	for (int i = 0; i < l->nactors; i++) {
		int family = AF_INET;
		for (int k = 0; k < l->actors[i].nsteps; k++) {
			const LessonStep *s = &l->actors[i].steps[k];
			if (s->op == OP_SOCKET)
				family = s->family;
			if (s->op != OP_BIND || !s->host || loopback_only(family, s->host))
				continue;
			snprintf(err, errlen, "%s:%d:%d: binds %s, beyond loopback, and this run is on the host's "
				 "network (%s): refused; --allow-external permits it", l->path, s->line, s->col,
				 s->host, e->run.network);
			return -1;
		}
	}
	return 0;
}

/* A lesson with two hosts gets a second namespace joined to this one by a
 * veth pair. That takes namespaces: on the host's loopback it cannot run. */
static int start_hosts(Engine *e, int private_ns, char *err, size_t errlen)
{
	const Lesson *l = e->run.lesson;
	char why[200];
	if (l->nhosts < 2)
		return 0;
	if (!private_ns) {
		snprintf(err, errlen, "this lesson joins two hosts by a virtual Ethernet link, which needs "
			 "network namespaces: %s", e->run.network);
		return -1;
	}
	if (netns_link(l->hosts[0].addr, l->hosts[1].addr, l->hosts[0].prefix, &e->other_host,
		       why, sizeof why) < 0) {
		snprintf(err, errlen, "cannot join the lesson's two hosts: %s", why);
		return -1;
	}
	snprintf(e->run.network, sizeof e->run.network, "private namespaces: host %s %s/%d and host %s %s/%d on eth0",
		 l->hosts[0].name, l->hosts[0].addr, l->hosts[0].prefix,
		 l->hosts[1].name, l->hosts[1].addr, l->hosts[1].prefix);
	return 0;
}

/* A free run does not stop for input: a program's --input lines wait on
 * its terminal from the start, then the end of its input. */
static void type_ahead(Engine *e, int i)
{
	const LessonActor *la = &e->run.lesson->actors[i];
	for (int k = 0; k < la->ninputs; k++) {
		Event ev = { .kind = EV_INPUT, .actor = i, .step = -1, .text = la->inputs[k] };
		timeline_add(e->run.tl, &ev);
		gate_send_line(e->gate[i], la->inputs[k], strlen(la->inputs[k]));
	}
	gate_command(e->gate[i], GATE_CMD_EOF);
}

static int actor_ended(Engine *e, int i)
{
	return e->run.a[i].state == ACTOR_DONE || e->run.a[i].state == ACTOR_DEAD;
}

/* Is every thread of process pid and of the processes below it asleep in
 * the kernel (in a call, waiting for a child)? Found through
 * /proc/PID/task/TID/children; one gone meanwhile is not in the way. */
static int tree_asleep(pid_t pid, int depth)
{
	char path[96];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 1;
	int asleep = 1;
	struct dirent *de;
	while (asleep && (de = readdir(d))) {
		int tid = atoi(de->d_name), child;
		if (tid <= 0)
			continue;
		asleep = tracer_asleep(tid);
		snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, tid);
		FILE *f = fopen(path, "re");
		while (asleep && f && fscanf(f, "%d", &child) == 1)
			asleep = depth < 16 && tree_asleep(child, depth + 1);
		if (f)
			fclose(f);
	}
	closedir(d);
	return asleep;
}

/* Is one of program i's columns in a call that has not returned? */
static int in_a_call(const Engine *e, int i)
{
	for (int j = 0; j < e->run.n; j++) {
		const RunActor *a = &e->run.a[j];
		if (e->run.owner[j] == i && a->call_seq && !timeline_return_of(e->run.tl, a->call_seq))
			return 1;
	}
	return 0;
}

static int waits_for_client(const Engine *e, int i);
static int left_waiting(const Engine *e, int i);

/* Does one of program i's columns wait for a client, blocked or polling
 * (waits_for_client)? A server with a timer (redis wakes ten times a
 * second) is never quiet for long, but it polls its listener. */
static int polls_listener(const Engine *e, int i)
{
	for (int j = 0; j < e->run.n; j++)
		if (e->run.owner[j] == i && left_waiting(e, j) == 1 && waits_for_client(e, j))
			return 1;
	return 0;
}

/* A free run starts programs in turn, as a user does: each once the one
 * before waits in a call (a server in accept) with every thread and
 * process of it asleep, or polls its listener, or has ended. Started at
 * once, a client would race its server to the port; and a program's first
 * call in a thread of its own (Node.js's event loop) is not yet the one a
 * client needs. */
static void settle_program(Engine *e, int i)
{
	long end = now_ms() + START_MS;
	while (now_ms() < end) {
		uint64_t before = timeline_added(e->run.tl);
		if (pump(e, 100, actor_ended, i))
			return;
		if (timeline_added(e->run.tl) == before && in_a_call(e, i) && tree_asleep(e->run.a[i].pid, 0))
			return;
		if (polls_listener(e, i))
			return;
	}
}

static int record_start(Engine *e, char *err, size_t errlen);

static int engine_start(Run *r, char *err, size_t errlen)
{
	Engine *e = (Engine *)r;
	char why[128];
	int private_ns = 0;
	if (e->opt.no_netns) {
		snprintf(e->run.network, sizeof e->run.network, "host loopback (--no-netns)");
	} else if (netns_enter(why, sizeof why) == 0) {
		snprintf(e->run.network, sizeof e->run.network, "private network namespace");
		private_ns = 1;
		const Lesson *l = e->run.lesson;
		netns_hostname(l->nhosts ? l->hosts[0].name : "sockstep");
	} else {
		snprintf(e->run.network, sizeof e->run.network, "host loopback: %s", why);
	}
	if (check_exposure(e, private_ns, err, errlen) < 0 || start_hosts(e, private_ns, err, errlen) < 0)
		return -1;
	e->private_ns = private_ns;
	e->ordered = timeline_count(e->run.tl);
	e->run.steps_done = 0;
	e->turn = -1;
	memset(e->step_returned, 0, sizeof e->step_returned);
	e->full_noted = 0;
	e->fail[0] = '\0';
	e->run.kernel_note[0] = '\0';
	if (!e->opt.no_kernel && !e->opt.free_run) {
		e->run.kernel = kernel_open(private_ns, e->other_host >= 0 ? "eth0" : "lo", socket_kinds(e->run.lesson),
					e->opt.pcap_path,
					e->run.kernel_note, sizeof e->run.kernel_note);
		if (e->run.kernel && e->other_host >= 0)
			kernel_add_namespace(e->run.kernel, netns_diag_socket(e->other_host));
	}
	/* A program's extra processes and threads of the last run go. */
	e->run.n = e->run.lesson->nactors < LESSON_MAX_ACTORS ? e->run.lesson->nactors : LESSON_MAX_ACTORS;
	for (int i = 0; i < e->run.n; i++) {
		memset(&e->run.a[i], 0, sizeof e->run.a[i]);
		e->run.a[i].name = e->run.lesson->actors[i].name;
		e->run.a[i].step = -1;
		e->run.a[i].state = ACTOR_DEAD;
		e->run.owner[i] = i;
		e->task[i] = 0;
		e->asleep_since[i] = 0;
		e->input_over[i] = 0;
		e->called[i] = 0;
		e->exit_told[i] = 0;
	}
	e->nextra = 0;
	/* Only the lesson's actors are forked: a program settling may give its
	 * later processes and threads columns after them meanwhile. */
	int lesson_actors = e->run.n;
	for (int i = 0; i < lesson_actors; i++) {
		if (spawn(e, i, err, errlen) < 0) {
			engine_stop(&e->run);
			return -1;
		}
		if (e->opt.free_run && run_traced(&e->run, i)) {
			type_ahead(e, i);
			if (i + 1 < lesson_actors)
				settle_program(e, i);
		}
	}
	int started = e->opt.free_run || pump(e, START_MS, all_started, 0);
	if (e->fail[0]) {
		snprintf(err, errlen, "%s", e->fail);
		engine_stop(&e->run);
		return -1;
	}
	if (!started && !programs_running(e)) {
		snprintf(err, errlen, "the actors did not start within %d s", START_MS / 1000);
		engine_stop(&e->run);
		return -1;
	}
	order_free_run(e);   /* what the start shows is in order too */
	return record_start(e, err, errlen);
}

/* What of the run's files (--record, --pcap) could not be written, kept
 * for run_output_error as the run stops. */
static void outputs_checked(Engine *e)
{
	const char *pcap = kernel_output_error(e->run.kernel);
	if (record_error(e->rec))
		snprintf(e->run.output_error, sizeof e->run.output_error,
			 "cannot write the recording %s; what was written ends there", record_error(e->rec));
	else if (pcap && e->opt.pcap_path)
		snprintf(e->run.output_error, sizeof e->run.output_error, "cannot write the packets (--pcap %s): %s",
			 e->opt.pcap_path, pcap);
}

static void engine_stop(Run *r)
{
	Engine *e = (Engine *)r;
	timeline_console_flush(e->run.tl, -1);   /* the last lines a console held back */
	timeline_fold_flush(e->run.tl);          /* and the last of a long transfer */
	recorded(e, "stop", -1);
	for (int i = 0; i < e->run.n; i++) {
		e->run.a[i].program = 0;
		if (e->run.a[i].pid > 0) {
			kill(e->run.a[i].pid, SIGKILL);
			int status;
			pid_t got;
			do
				got = waitpid(e->run.a[i].pid, &status, 0);
			while (got < 0 && errno == EINTR);
			e->run.a[i].pid = 0;
			if (e->run.a[i].state != ACTOR_DONE)
				e->run.a[i].state = ACTOR_DEAD;
		}
		if (e->run.owner[i] == i)
			close_gate(e, i);
	}
	outputs_checked(e);
	kernel_close(e->run.kernel);
	e->run.kernel = NULL;
	if (e->other_host >= 0)
		close(e->other_host);
	e->other_host = -1;
}

static int engine_restart(Run *r, char *err, size_t errlen)
{
	Engine *e = (Engine *)r;
	past_forget(e);
	engine_stop(&e->run);
	timeline_clear(e->run.tl);
	return engine_start(&e->run, err, errlen);
}

/* An actor that exited may have left records on its gate that nobody read
 * yet: the result of its last call, and the record that says it reached its
 * end. Read them before the gate is closed, or a clean end looks like a
 * death. The writer is gone, so this never waits. */
static void drain_gate(Engine *e, int i)
{
	Reader rd = { e, i };
	struct pollfd p = { .fd = e->gate[i], .events = POLLIN };
	while (e->gate[i] >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN))
		if (gate_recv_each(e->gate[i], take, &rd) <= 0)
			break;
}

static void engine_reap(Run *r)
{
	Engine *e = (Engine *)r;
	for (int i = 0; i < e->run.n; i++) {
		int status;
		if (e->run.a[i].pid > 0 && waitpid(e->run.a[i].pid, &status, WNOHANG) == e->run.a[i].pid) {
			if (e->run.owner[i] == i)
				drain_gate(e, i);
			close_gate(e, i);
			record_exit(e, i, status);
			tasks_gone(e, i);
		}
	}
	recorded(e, "reap", -1);
	servers_over(e);
}

/* Ask actor i whether its pending call would block now. The actor polls its
 * own socket with a zero timeout: only it holds the descriptor, and a copy
 * held by sockstep would change what close() does. Returns the answer
 * (GATE_PROBE_*): a traced program's wait on its terminal says so. */
static int probe(Engine *e, int i)
{
	int o = e->run.owner[i];
	if (e->run.a[i].state != ACTOR_READY || gate_command_task(e->gate[o], GATE_CMD_PROBE, e->task[i]) < 0)
		return 0;
	struct pollfd p = { .fd = e->gate[o], .events = POLLIN };
	long end = now_ms() + QUICK_MS;
	Reader rd = { e, o };
	while (now_ms() < end && e->gate[o] >= 0) {
		if (poll(&p, 1, (int)(end - now_ms())) <= 0)
			continue;
		GateRecord r;
		int rc = gate_recv(e->gate[o], &r);
		if (rc != 1) {
			actor_gone(e, o);
			return 0;
		}
		if (r.kind == GATE_PROBE && r.task == e->task[i])
			return r.ret == GATE_PROBE_INPUT ? GATE_PROBE_INPUT : r.ret != 0;
		take(&rd, &r);
	}
	return 0;
}

static int all_exited(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->run.n; i++)
		if (e->run.a[i].pid > 0 && e->run.a[i].state == ACTOR_DONE)
			return 0;
	return 1;
}

/* Has an actor that was blocked (bit i of mask) moved on? */
static int one_woke(Engine *e, int mask)
{
	if (e->run.n > e->seen_n)
		return 1;  /* a program's new process or thread made a call */
	for (int i = 0; i < e->run.n; i++)
		if ((mask & (1 << i)) && e->run.a[i].state != e->seen[i])
			return 1;
	return 0;
}

/* How long a step waits for the actors to reach their next stops. */
static int advance_ms(const Engine *e)
{
	return run_traced(&e->run, 0) ? PROGRAM_ADVANCE_MS : ADVANCE_MS;
}

static int engine_wait(Run *r, int ms)
{
	Engine *e = (Engine *)r;
	int mask = 0;
	for (int i = 0; i < e->run.n; i++) {
		ActorState st = e->run.a[i].state;
		/* A program between two calls is on its way to the next. */
		int moving = run_traced(&e->run, i) && (st == ACTOR_RUNNING || st == ACTOR_STARTING);
		if (st == ACTOR_BLOCKED || moving)
			mask |= 1 << i;
		e->seen[i] = st;
	}
	e->seen_n = e->run.n;
	if (!mask || servers_over(e) || !pump(e, ms, one_woke, mask))
		return 0;
	pump(e, advance_ms(e), none_running, 0);
	kernel_look(e);
	recorded(e, "wait", -1);
	return 1;
}

static int all_ended(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->run.n; i++)
		if (e->run.a[i].pid > 0 || (e->run.a[i].state != ACTOR_DONE && e->run.a[i].state != ACTOR_DEAD))
			return 0;
	return 1;
}

/* A free run ends when every program has, or when only servers are left
 * waiting for a next client (servers_over), which it looks for whenever
 * the gates have been quiet for FREE_LOOK_MS: a polling server's calls go
 * on, so it looks after every batch too. Nothing new for stuck_ms: the
 * run is stuck. */
static int engine_run_free(Run *r, int stuck_ms)
{
	enum { FREE_LOOK_MS = 100 };
	Engine *e = (Engine *)r;
	long quiet_since = now_ms();
	for (;;) {
		uint64_t before = timeline_added(e->run.tl);   /* held back by the fold too */
		if (pump(e, FREE_LOOK_MS, all_ended, 0) || servers_over(e)) {
			recorded(e, "free-run", -1);
			return 1;
		}
		long now = now_ms();
		if (timeline_added(e->run.tl) != before)
			quiet_since = now;
		else if (now - quiet_since >= stuck_ms)
			return 0;  /* nothing happened for stuck_ms: blocked for good */
	}
}

static int engine_drain(Run *r, int ms)
{
	Engine *e = (Engine *)r;
	int done = pump(e, ms, all_exited, 0);
	recorded(e, "drain", -1);
	return done;
}

/* ---- the end of a run of servers -----------------------------------------
 *
 * A server outlives its clients: once they have ended it goes back to wait
 * for the next one, in accept() or in its event loop, and that is how every
 * server demo ends. When nothing else is left that could connect, the run
 * is over: said, and the servers stopped. Which actor is such a server the
 * kernel tells: the call it waits in (blocked, or polling again and again)
 * waits on a listening socket, and nothing it waits on is ready. Programs
 * only: a lesson actor left blocked is a lesson that is stuck. */

enum { WAIT_FDS_MAX = 64 };

/* The call an actor waits in: its socket, or the list poll and select got. */
typedef struct {
	int op, fd;
	int64_t how;          /* arg[2]: GATE_WAIT_SET when data holds GateWaitFd */
	const uint8_t *data;
	size_t len;
} Waiting;

/* Free run: is actor i in a call that has not returned (the free run's
 * blocked)? */
static int in_call(const Engine *e, int i)
{
	const RunActor *a = &e->run.a[i];
	return a->call_seq && !timeline_return_of(e->run.tl, a->call_seq);
}

/* Can actor i be a server left waiting: blocked, or polling in its next
 * call, or ended? Returns 1 waiting, 0 ended, -1 neither. */
static int left_waiting(const Engine *e, int i)
{
	const RunActor *a = &e->run.a[i];
	if (a->state == ACTOR_DONE || a->state == ACTOR_DEAD)
		return 0;
	if (a->state == ACTOR_RUNNING && e->opt.free_run)
		return in_call(e, i) || a->idle ? 1 : -1;
	return a->state == ACTOR_BLOCKED || (a->state == ACTOR_READY && a->idle) ? 1 : -1;
}

/* Only ended actors and actors that may be servers left waiting? clients:
 * how many of the run's own programs have ended. */
static int only_waiting(const Engine *e, int *clients)
{
	int waiting = 0;
	*clients = 0;
	for (int i = 0; i < e->run.n; i++) {
		int w = left_waiting(e, i);
		if (w < 0 || !run_traced(&e->run, i))
			return 0;
		waiting += w;
		*clients += !w && i < e->run.lesson->nactors;
	}
	return waiting;
}

/* The descriptors call w waits on; how many (at most max). */
static int waited_fds(pid_t tid, const Waiting *w, int *fds, int max)
{
	if (w->op == OP_ACCEPT) {
		fds[0] = w->fd;
		return 1;
	}
	if (w->op == OP_EPOLL_WAIT)
		return procfd_epoll_fds(tid, w->fd, fds, max);
	/* A program's wait lists its descriptors as GateWaitFd entries; a
	 * lesson actor's as bare numbers. */
	size_t size = w->how & GATE_WAIT_SET ? sizeof(GateWaitFd) : sizeof(int32_t);
	int n = 0;
	for (size_t at = 0; at + size <= w->len && n < max; at += size) {
		int32_t fd;
		memcpy(&fd, w->data + at, sizeof fd);   /* the first member of either */
		fds[n++] = fd;
	}
	return n;
}

/* Does actor i (left_waiting) wait for a next client: in accept, poll,
 * select or epoll_wait, on a listening socket, with nothing ready? */
static int waits_for_client(const Engine *e, int i)
{
	const RunActor *a = &e->run.a[i];
	pid_t tid = a->program;
	Waiting w;
	if (tid <= 0)
		return 0;
	if (a->state == ACTOR_BLOCKED || (a->state == ACTOR_RUNNING && in_call(e, i))) {
		const Event *call = timeline_by_seq(e->run.tl, a->call_seq);
		/* Not asleep in the kernel: on its way out of the call. */
		if (!call || !tracer_asleep(tid))
			return 0;
		w = (Waiting){ call->op, call->fd, call->arg[2], call->data, call->len };
	} else {
		w = (Waiting){ a->pending.op, a->pending.fd, a->pending.arg[2], a->pending.data, a->pending.len };
	}
	if (w.op != OP_ACCEPT && w.op != OP_POLL && w.op != OP_SELECT && w.op != OP_EPOLL_WAIT)
		return 0;
	/* An epoll descriptor is readable when an event of its set is ready. */
	if (w.op == OP_EPOLL_WAIT && procfd_readable(tid, w.fd) != 0)
		return 0;
	int fds[WAIT_FDS_MAX], listening = 0;
	int n = waited_fds(tid, &w, fds, WAIT_FDS_MAX);
	for (int k = 0; k < n; k++) {
		if (w.op != OP_EPOLL_WAIT && procfd_readable(tid, fds[k]) != 0)
			return 0;
		listening |= procfd_listening(tid, fds[k]) == 1;
	}
	return listening;
}

/* Take in whatever the gates hold now, without waiting. Returns 1 if
 * anything came (the run may have moved: decide again). */
static int gates_moved(Engine *e)
{
	struct pollfd pfd[RUN_POLLFDS_MAX];
	int n = 0;
	for (int i = 0; i < e->run.n && n < RUN_POLLFDS_MAX; i++)
		if (e->gate[i] >= 0 && e->run.owner[i] == i)
			pfd[n++] = (struct pollfd){ .fd = e->gate[i], .events = POLLIN };
	if (n == 0 || poll(pfd, (nfds_t)n, 0) <= 0)
		return 0;
	handle(e, pfd, n);
	return 1;
}

/* The servers left waiting go: each shows as done, with the signal that
 * stopped it (run_servers_over), after a note that says why. */
static void stop_servers(Engine *e)
{
	int first = -1, stop[LESSON_MAX_ACTORS] = { 0 }, ended[LESSON_MAX_ACTORS] = { 0 };
	for (int i = 0; i < e->run.n; i++) {
		RunActor *a = &e->run.a[i];
		ended[i] = a->state == ACTOR_DONE || a->state == ACTOR_DEAD;
		if (ended[i])
			continue;
		a->state = ACTOR_DONE;
		a->status = SIGKILL;   /* the wait status of a process SIGKILL ended */
		stop[e->run.owner[i]] = 1;
		first = first < 0 ? i : first;
	}
	char text[400];
	if (run_servers_over(&e->run, text, sizeof text))
		note(e, first, text);
	for (int i = 0; i < e->run.n; i++) {
		if (!stop[i] || e->run.a[i].pid <= 0)
			continue;
		kill(e->run.a[i].pid, SIGKILL);
		int status = SIGKILL;
		pid_t got;
		do
			got = waitpid(e->run.a[i].pid, &status, 0);
		while (got < 0 && errno == EINTR);
		close_gate(e, i);
		/* A program whose own process had ended already (its server went
		 * on in a child) keeps the end it had. */
		if (ended[i]) {
			e->run.a[i].pid = 0;
			e->run.a[i].program = 0;
		} else {
			record_exit(e, i, status);
		}
		tasks_gone(e, i);
	}
	kernel_invalidate(e->run.kernel);
	kernel_look(e);
	recorded(e, "reap", -1);
}

/* Has the run ended as a server's run ends: every other program has ended,
 * and the ones left wait for a next client that cannot come? Then stop
 * them and return 1. On the host's network with no client of the run's
 * own, a client from outside may still come: the run waits for it. */
static int servers_over(Engine *e)
{
	int clients;
	if (!only_waiting(e, &clients))
		return 0;
	/* A call may have returned or begun since the last look: take in what
	 * came, and decide on what is there now; the kernel is asked about the
	 * servers in between, so decide again if anything came meanwhile. */
	for (int tries = 0; tries < 3; tries++) {
		gates_moved(e);
		if (!only_waiting(e, &clients) || (!clients && !e->private_ns))
			return 0;
		int all = 1;
		for (int i = 0; i < e->run.n && all; i++)
			all = left_waiting(e, i) == 0 || waits_for_client(e, i);
		if (!all)
			return 0;
		if (!gates_moved(e)) {
			stop_servers(e);
			return 1;
		}
	}
	return 0;
}

/* Is lesson actor i's pending call held back by the 'after' step just above
 * it: has the step it names not returned yet? Only while the actor named
 * can still get there: once it has ended, the call goes, and the run shows
 * what happens then. */
static int held(const Engine *e, int i)
{
	const RunActor *a = &e->run.a[i];
	if (i >= e->run.lesson->nactors || run_traced(&e->run, i) || a->state != ACTOR_READY)
		return 0;
	const LessonActor *la = &e->run.lesson->actors[i];
	if (a->step < 1 || a->step >= la->nsteps || la->steps[a->step - 1].op != OP_AFTER)
		return 0;
	const LessonStep *s = &la->steps[a->step - 1];
	if (e->step_returned[s->after_actor][s->after_step])
		return 0;
	ActorState st = e->run.a[s->after_actor].state;
	return st != ACTOR_DONE && st != ACTOR_DEAD;
}

/* What the scheduler knows of each actor without asking it anything:
 * whether it can run, and whether it is polling. */
static void sched_view(const Engine *e, SchedActor *s)
{
	for (int i = 0; i < e->run.n; i++) {
		const RunActor *a = &e->run.a[i];
		s[i].runnable = (a->state == ACTOR_READY || a->state == ACTOR_INPUT) && !held(e, i);
		s[i].idle = a->state == ACTOR_READY && a->idle;
		s[i].would_block = 0;
	}
}

/* Can a polling actor run (sched_polling)? */
static int polling(const Engine *e)
{
	SchedActor s[LESSON_MAX_ACTORS];
	sched_view(e, s);
	return sched_polling(s, e->run.n);
}

/* The scheduler's pick, and whether its pending call would block. Probes
 * stop at the first actor that is not polling and can go at once: the
 * actors after it cannot change the pick, and each probe is a round trip.
 * An actor at an input step is never polling: a line typed is progress. */
static int pick(Engine *e, int *blocks)
{
	SchedActor s[LESSON_MAX_ACTORS];
	int found = 0;
	*blocks = 0;
	if (servers_over(e))
		return -1;
	/* A probe reads the gate, where a program's new process or thread may
	 * get a column: the pick is among the actors seen when it began. */
	int n = e->run.n;
	sched_view(e, s);
	for (int i = 0; i < n; i++) {
		s[i].would_block = s[i].runnable && (found || probe(e, i));
		found |= s[i].runnable && !s[i].would_block && !s[i].idle;
	}
	int i = sched_pick(s, n, e->turn);
	*blocks = i >= 0 && s[i].would_block;
	return i;
}

static int engine_next(Run *r)
{
	Engine *e = (Engine *)r;
	int blocks;
	return pick(e, &blocks);
}

/* A program's next line: the student's, else the next --input one; after
 * the last, its input ends (a terminal's end of file). */
static int give_program_input(Engine *e, int i, const char *line)
{
	RunActor *a = &e->run.a[i], *o = &e->run.a[e->run.owner[i]];
	const LessonActor *la = &e->run.lesson->actors[e->run.owner[i]];
	a->state = ACTOR_RUNNING;
	if (!line && o->next_example < la->ninputs)
		line = la->inputs[o->next_example++];
	if (!line) {
		char text[120];
		snprintf(text, sizeof text, "%s's input ends (end of file)", a->name);
		note(e, i, text);
		e->input_over[e->run.owner[i]] = 1;
		return gate_command(gate_of(e, i), GATE_CMD_EOF);
	}
	Event ev = { .kind = EV_INPUT, .actor = i, .step = a->step, .text = (char *)line };
	timeline_add(e->run.tl, &ev);
	return gate_send_line(gate_of(e, i), line, strlen(line));
}

static int give_input(Engine *e, int i, const char *line)
{
	if (run_traced(&e->run, i))
		return give_program_input(e, i, line);
	RunActor *a = &e->run.a[i];
	const LessonStep *st = &e->run.lesson->actors[i].steps[a->step];
	if (!line) {
		int k = a->next_example < st->nexamples ? a->next_example : st->nexamples - 1;
		line = k >= 0 ? st->examples[k] : "";
		a->next_example++;
	}
	Event ev = { .kind = EV_INPUT, .actor = i, .step = a->step, .text = (char *)line };
	timeline_add(e->run.tl, &ev);
	a->state = ACTOR_RUNNING;
	return gate_send_line(e->gate[i], line, strlen(line));
}

/* Is op a wait on many descriptors, which may be a wait on the terminal? */
static int is_wait(int op)
{
	return op == OP_SELECT || op == OP_POLL || op == OP_EPOLL_WAIT;
}

/* blocks: whether the call would block, when the scheduler has just asked;
 * -1 to ask now. A program's wait that would block is asked again: the
 * answer says whether it waits on the terminal too. Then it goes into the
 * kernel as any blocking call, and the actor waits for input there (the
 * line, once given, is written to the terminal and wakes the wait); a
 * socket in the same wait may still wake it first. */
static int let_go(Engine *e, int i, int blocks)
{
	RunActor *a = &e->run.a[i];
	if (blocks < 0 || (blocks && run_traced(&e->run, i) && is_wait(a->pending.op)))
		blocks = probe(e, i);
	/* Once its input has ended and no line is left (--plain), nobody will
	 * type: a program that waits on its terminal again is blocked, as it
	 * would be on a terminal nobody types at, rather than given the end
	 * of file over and over. */
	if (blocks == GATE_PROBE_INPUT && e->input_over[e->run.owner[i]])
		blocks = GATE_PROBE_BLOCKS;
	if (a->state != ACTOR_READY)
		return -1;
	Event ev = event_of(EV_CALL, i, &a->pending);
	ev.blocked = blocks != GATE_PROBE_GOES;
	if (e->run.kernel && a->pending.addrlen && (ev.op == OP_CONNECT || ev.op == OP_SENDTO))
		kernel_expect(e->run.kernel, i, &a->pending.addr);
	/* A call that blocks (a connect) may make a socket before it returns. */
	if (may_make_sockets(ev.op))
		kernel_invalidate(e->run.kernel);
	const Event *stored = timeline_add(e->run.tl, &ev);
	a->call_seq = stored ? stored->seq : 0;
	a->state = blocks == GATE_PROBE_INPUT ? ACTOR_INPUT : blocks ? ACTOR_BLOCKED : ACTOR_RUNNING;
	if (gate_command_task(gate_of(e, i), GATE_CMD_GO, e->task[i]) < 0)
		return -1;
	if (blocks)
		return 0;
	/* Expected to return at once; if it does not, it is blocking after all
	 * (a connect to a full accept queue, say). Only this actor's gate is
	 * read meanwhile: an actor its call wakes reports after it, whichever
	 * the kernel happened to run first, so every run reads the same. */
	if (!pump_some(e, QUICK_MS, actor_returned, i, i)) {
		a->state = ACTOR_BLOCKED;
		timeline_set_blocked(e->run.tl, a->call_seq);
	}
	return 0;
}

static int engine_step(Run *r, int actor, const char *line)
{
	Engine *e = (Engine *)r;
	PastMark mark = past_mark(e);
	int blocks = -1;
	if (actor < 0)
		actor = pick(e, &blocks);
	if (actor < 0 || actor >= e->run.n)
		return -1;
	ActorState s = e->run.a[actor].state;
	if (polling(e))
		e->turn = actor;   /* its turn, beside a poller: the next goes to another */
	if (s == ACTOR_INPUT) {
		if (give_input(e, actor, line) < 0)
			return -1;
	} else if (s == ACTOR_READY) {
		if (let_go(e, actor, blocks) < 0)
			return -1;
	} else {
		return -1;
	}
	e->run.steps_done++;
	/* Let the stepped actor reach its next stop, and give any actor the
	 * step may have woken a moment to report, so the next decision (and a
	 * --plain transcript) does not depend on who the kernel ran first. */
	pump_some(e, advance_ms(e), actor_stopped, actor, actor);
	past_settle(e, &mark);
	pump(e, advance_ms(e), none_running, 0);
	kernel_look(e);
	past_record(e, actor, line, &mark);
	recorded(e, "step", actor);
	servers_over(e);
	return actor;
}

static int engine_pollfds(const Run *r, struct pollfd *pfd, int max)
{
	const Engine *e = (const Engine *)r;
	int n = 0;
	if (e->run.kernel && kernel_fd(e->run.kernel) >= 0 && n < max) {
		pfd[n].fd = kernel_fd(e->run.kernel);
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	for (int i = 0; i < e->run.n && n < max; i++) {
		if (e->gate[i] < 0 || e->run.owner[i] != i)
			continue;
		pfd[n].fd = e->gate[i];
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

/* engine_handle without the recording: the engine's own waits read the
 * gates through this, and a moment is only over when the wait is. */
static int handle(Engine *e, const struct pollfd *pfd, int n)
{
	uint64_t before = timeline_added(e->run.tl);
	for (int k = 0; k < n; k++) {
		if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (e->run.kernel && pfd[k].fd == kernel_fd(e->run.kernel))
			kernel_look(e);
		for (int i = 0; i < e->run.n; i++)
			if (e->gate[i] == pfd[k].fd && e->run.owner[i] == i)
				read_gate(e, i);
	}
	return (int)(timeline_added(e->run.tl) - before);
}

static int engine_handle(Run *r, const struct pollfd *pfd, int n)
{
	Engine *e = (Engine *)r;
	int added = handle(e, pfd, n);
	recorded(e, "handle", -1);
	if (servers_over(e))
		added++;   /* the note that says so */
	return added;
}

/* ---- going back: engine_goto ----------------------------------------------
 *
 * The scheduler is deterministic and the actors are real programs, so a run
 * started afresh and given the same steps makes the same calls with the
 * same results. What a step depends on besides its actor and its line is
 * time: a blocked call that a later step wakes reports within the settle
 * delay, a timeout or a retransmitted SYN returns by itself between steps,
 * a packet reaches the capture a little after the call that sent it. So
 * each step also keeps which actors were blocked and how many packets had
 * been seen when it began and once it had settled; stepping again waits
 * for exactly that, instead of for the settle delay, which makes going
 * back quick. (Socket states are not counted: the table is read at
 * moments, and a state that passes quickly may be seen in one run and not
 * in another.) */

enum { GOTO_WAIT_MS = 10000, CATCH_UP_MS = 300 };

static unsigned blocked_mask(const Engine *e)
{
	unsigned mask = 0;
	for (int i = 0; i < e->run.n; i++)
		if (e->run.a[i].state == ACTOR_BLOCKED)
			mask |= 1u << i;
	return mask;
}

/* Forget the steps from index from on. */
static void past_clear(Engine *e, int from)
{
	for (int i = from; i < e->npast; i++)
		free(e->past[i].line);
	if (from < e->npast)
		e->npast = from;
}

/* A new run: its timeline is empty, and the steps are forgotten. */
static void past_forget(Engine *e)
{
	past_clear(e, 0);
}

/* Packets seen so far in this run, those the fold held back or folded
 * included: a run stepped again folds where its timing says. */
static size_t packets_seen(Engine *e)
{
	return (size_t)timeline_packets(e->run.tl);
}

static PastMark past_mark(Engine *e)
{
	return (PastMark){ .blocked_before = blocked_mask(e), .packets_before = packets_seen(e) };
}

/* Stepping again: settled as the run did once no actor is blocked that
 * was not then, and the packets it had seen are in. */
static int settled_as_before(Engine *e, int i)
{
	const PastMark *m = &e->past[i].mark;
	return (blocked_mask(e) & ~m->blocked_after) == 0 && packets_seen(e) >= m->packets_after;
}

/* Give the actors a step may have woken time to report: the settle delay,
 * or when stepping again, until the run is where it was then (never longer
 * than the delay). */
static void past_settle(Engine *e, PastMark *m)
{
	int i = e->run.steps_done - 1;
	if (e->restepping && i >= 0 && i < e->npast)
		pump(e, e->opt.settle_ms, settled_as_before, i);
	else
		pump(e, e->opt.settle_ms, none_moving, 0);
	m->blocked_after = blocked_mask(e);
	m->packets_after = packets_seen(e);
}

/* Keep the step just run. The same step as the one kept at its place
 * (going back, then on the same way) keeps the steps after it, so the
 * student can jump forward again; another step forgets them. */
static void past_record(Engine *e, int actor, const char *line, const PastMark *m)
{
	int i = e->run.steps_done - 1;
	if (i < 0 || i > e->npast)
		return;
	if (i < e->npast) {
		const PastStep *p = &e->past[i];
		if (p->actor == actor && (p->line == line || (p->line && line && strcmp(p->line, line) == 0)))
			return;
		past_clear(e, i);
	}
	if (e->npast == e->past_cap) {
		int cap = e->past_cap ? 2 * e->past_cap : 64;
		PastStep *p = realloc(e->past, (size_t)cap * sizeof *p);
		if (!p)
			return;   /* going back stops short of this step, nothing worse */
		e->past = p;
		e->past_cap = cap;
	}
	char *copy = line ? strdup(line) : NULL;
	if (line && !copy)
		return;
	e->past[e->npast++] = (PastStep){ .actor = actor, .line = copy, .mark = *m };
}

/* A traced program's second process gets its actor when it first makes a
 * call: until then, stepping it again waits for it to be there. */
static int runnable(const Engine *e, int i)
{
	return i < e->run.n && (e->run.a[i].state == ACTOR_READY || e->run.a[i].state == ACTOR_INPUT);
}

static int ready_as_before(Engine *e, int i)
{
	const PastStep *p = &e->past[i];
	return runnable(e, p->actor) && (blocked_mask(e) & ~p->mark.blocked_before) == 0;
}

static int packets_as_before(Engine *e, int i)
{
	return packets_seen(e) >= e->past[i].mark.packets_before;
}

/* Wait until the run is where it was when step i began: its actor can
 * run, what had returned by itself meanwhile has, and the packets that
 * came in meanwhile are in. Returns whether the actor can
 * run. */
static int catch_up(Engine *e, int i)
{
	pump(e, GOTO_WAIT_MS, ready_as_before, i);
	pump(e, CATCH_UP_MS, packets_as_before, i);
	return runnable(e, e->past[i].actor);
}

/* ---- recording and replay ------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The run's moment now, as plain data for the recording: the actors are
 * the engine's own; the sockets the kernel view's, whose owners it keeps
 * apart and *owners (malloc'd, freed here first) gathers. Returns 0, or -1
 * when out of memory. */
static int moment_of(Engine *e, Moment *m, const char *cause, int actor, int next, int **owners)
{
	const SockList *l = e->run.kernel ? kernel_sockets(e->run.kernel) : NULL;
	*m = (Moment){
		.when_ns = now_ns(), .cause = cause, .actor = actor, .events = timeline_count(e->run.tl),
		.steps = e->run.steps_done, .next = next, .finished = run_finished(&e->run),
		.succeeded = run_succeeded(&e->run), .na = e->run.n, .a = e->rec_a, .owner = e->run.owner,
		.kernel = e->run.kernel != NULL,
	};
	/* A call the fold holds back is not in the recording yet: the
	 * actors point at the events the recording has, or at none. */
	for (int i = 0; i < e->run.n; i++) {
		e->rec_a[i] = e->run.a[i];
		e->rec_a[i].call_seq = timeline_placed(e->run.tl, e->run.a[i].call_seq);
		e->rec_a[i].return_seq = timeline_placed(e->run.tl, e->run.a[i].return_seq);
	}
	free(*owners);
	*owners = NULL;
	if (!l || l->n == 0)
		return 0;
	if (!(*owners = malloc(l->n * sizeof **owners)))
		return -1;
	for (size_t i = 0; i < l->n; i++)
		(*owners)[i] = kernel_owner(e->run.kernel, i);
	m->socks = l->v;
	m->sock_owner = *owners;
	m->nsocks = l->n;
	return 0;
}

static void recorded(Engine *e, const char *cause, int actor)
{
	Moment m;
	int *owners = NULL;
	order_free_run(e);
	if (!e->rec || moment_of(e, &m, cause, actor, -1, &owners) < 0 || !record_due(e->rec, e->run.tl, &m))
		goto out;
	/* Who runs next, asked first: asking reads the actors' gates, which
	 * may add to the timeline what this snapshot then counts. */
	int next = run_finished(&e->run) ? -1 : engine_next(&e->run);
	if (moment_of(e, &m, cause, actor, next, &owners) == 0)
		record_sync(e->rec, e->run.tl, &m);
out:
	free(owners);
}

/* --record: the file starts again with every run (a restart included). */
static int record_start(Engine *e, char *err, size_t errlen)
{
	RecHeader h = {
		.lesson = e->run.lesson, .nactors = e->run.n, .network = e->run.network, .kernel = e->run.kernel != NULL,
		.kernel_note = e->run.kernel_note, .free_run = e->opt.free_run,
	};
	if (!e->opt.record_path)
		return 0;
	for (int i = 0; i < e->run.n; i++)
		h.actors[i] = e->run.a[i].name;
	if ((!e->rec && !(e->rec = record_open(e->opt.record_path, err, errlen))) ||
	    record_begin(e->rec, &h, e->run.tl, err, errlen) < 0)
		goto fail;
	recorded(e, "start", -1);
	if (record_error(e->rec)) {
		snprintf(err, errlen, "cannot write the recording %s", record_error(e->rec));
		goto fail;
	}
	return 0;
fail:
	engine_stop(&e->run);
	return -1;
}

static int engine_goto(Run *r, int n, char *err, size_t errlen)
{
	Engine *e = (Engine *)r;
	if (n < 0 || n > e->npast) {
		snprintf(err, errlen, "no step %d: this run has gone as far as step %d", n, e->npast);
		return -1;
	}
	if (n < e->run.steps_done) {
		engine_stop(&e->run);
		timeline_clear(e->run.tl);
		if (engine_start(&e->run, err, errlen) < 0)
			return -1;
	}
	int rc = 0;
	e->restepping = 1;
	while (rc == 0 && e->run.steps_done < n && e->run.steps_done < e->npast) {
		int i = e->run.steps_done, actor = e->past[i].actor;
		if (!catch_up(e, i) || engine_step(&e->run, actor, e->past[i].line) != actor) {
			snprintf(err, errlen, "step %d: %s did not run again as it did before", i + 1,
				 actor < e->run.n ? e->run.a[actor].name : "an actor");
			rc = -1;
		}
	}
	/* The screen as it was just before the next step was taken. */
	if (rc == 0 && n < e->npast)
		catch_up(e, n);
	e->restepping = 0;
	return rc;
}

static int engine_steps_reached(const Run *r)
{
	const Engine *e = (const Engine *)r;
	return e->npast > e->run.steps_done ? e->npast : e->run.steps_done;
}

/* The live run: the actors forked here and stepped for real. */
static int engine_last_step(const Run *r)
{
	return engine_steps_reached(r);
}

static const char *engine_end_text(const Run *r)
{
	(void)r;
	return NULL;   /* the lesson's own end: the controller says it */
}

static const RunOps engine_ops = {
	.start = engine_start,
	.restart = engine_restart,
	.stop = engine_stop,
	.step = engine_step,
	.next = engine_next,
	.go_to = engine_goto,
	.wait = engine_wait,
	.free_run = engine_run_free,
	.drain = engine_drain,
	.reap = engine_reap,
	.pollfds = engine_pollfds,
	.handle = engine_handle,
	.reached = engine_steps_reached,
	.last_step = engine_last_step,
	.end_text = engine_end_text,
	.destroy = engine_free,
};
