/* engine.c - forks a lesson's actors and lets them run one call at a time
 * (see engine.h).
 *
 * Every actor is a child process with a gate. The engine only ever learns
 * what an actor does from its gate records, and only lets it move with a
 * "go"; so what the timeline holds is what the children really did. Waiting
 * is always bounded and always keeps reading every gate, so a child that
 * dies or blocks never hangs sockstep. */
#include "model/engine.h"

#include <errno.h>
#include <fcntl.h>
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
#include "model/kernel.h"
#include "model/netns.h"
#include "model/sched.h"
#include "model/sockdiag.h"

/* How long a call that should not block may take before it shows as blocked,
 * and how long an actor may take between a result and its next stop (it
 * runs no socket call in between, so only a very busy machine is slow). */
enum { QUICK_MS = 300, ADVANCE_MS = 5000, START_MS = 5000 };

struct engine {
	const Lesson *lesson;
	EngineOptions opt;
	Timeline *tl;
	EngineActor a[LESSON_MAX_ACTORS];
	int gate[LESSON_MAX_ACTORS];
	int n;
	int steps_done;
	Kernel *kernel;
	int other_host;        /* host b's namespace in a two-host lesson, or -1 */
	char network[160];
	char kernel_note[256];
};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

Engine *engine_new(const Lesson *lesson, const EngineOptions *opt)
{
	Engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->lesson = lesson;
	if (opt)
		e->opt = *opt;
	e->tl = timeline_new();
	e->n = lesson->nactors < LESSON_MAX_ACTORS ? lesson->nactors : LESSON_MAX_ACTORS;
	for (int i = 0; i < LESSON_MAX_ACTORS; i++)
		e->gate[i] = -1;
	e->other_host = -1;
	if (!e->tl) {
		free(e);
		return NULL;
	}
	return e;
}

void engine_free(Engine *e)
{
	if (!e)
		return;
	engine_stop(e);
	timeline_free(e->tl);
	free(e);
}

static void note(Engine *e, int actor, const char *text)
{
	Event ev = { .kind = EV_NOTE, .actor = actor, .step = -1, .text = (char *)text };
	timeline_add(e->tl, &ev);
}

static void record_exit(Engine *e, int i, int status)
{
	EngineActor *a = &e->a[i];
	a->pid = 0;
	a->status = status;
	if (a->state != ACTOR_DONE)
		a->state = ACTOR_DEAD;
	Event ev = { .kind = EV_EXIT, .actor = i, .step = a->step, .status = status };
	timeline_add(e->tl, &ev);
}

static void close_gate(Engine *e, int i)
{
	if (e->gate[i] >= 0)
		close(e->gate[i]);
	e->gate[i] = -1;
}

/* The gate hit EOF: the actor has exited (or was killed); collect it. */
static void actor_gone(Engine *e, int i)
{
	close_gate(e, i);
	int status = 0;
	if (e->a[i].pid > 0) {
		pid_t r;
		do
			r = waitpid(e->a[i].pid, &status, 0);
		while (r < 0 && errno == EINTR);
		record_exit(e, i, status);
	}
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
	const Event *stored = timeline_add(e->tl, &ev);
	e->a[i].call_seq = stored ? stored->seq : 0;
	e->a[i].state = ACTOR_RUNNING;
	e->steps_done++;
}

/* Free run: the actor took the lesson's example line itself. */
static void free_input(Engine *e, int i, const GateRecord *r)
{
	char line[GATE_DATA_MAX + 1];
	memcpy(line, r->data, r->len);
	line[r->len] = '\0';
	Event ev = { .kind = EV_INPUT, .actor = i, .step = r->step, .text = line };
	timeline_add(e->tl, &ev);
	e->a[i].state = ACTOR_RUNNING;
	e->steps_done++;
}

/* Turn one record from actor i into state and timeline events. */
static void absorb(Engine *e, int i, const GateRecord *r)
{
	EngineActor *a = &e->a[i];
	Event ev = { .actor = i, .step = r->step, .op = r->op, .fd = r->fd };
	switch (r->kind) {
	case GATE_CALL:
		a->step = r->step;
		a->pending = *r;
		if (e->opt.free_run) {
			free_call(e, i, r);
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
		timeline_add(e->tl, &ev);
		a->state = ACTOR_RUNNING;  /* until its next stop arrives */
		break;
	case GATE_PRINT: {
		char text[GATE_DATA_MAX + 1];
		memcpy(text, r->data, r->len);
		text[r->len] = '\0';
		ev.kind = EV_PRINT;
		ev.text = text;
		timeline_add(e->tl, &ev);
		break;
	}
	case GATE_DONE:
		a->state = ACTOR_DONE;
		a->step = r->step;
		break;
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
	if (!e->kernel)
		return;
	/* An actor still starting holds copies of sockstep's own descriptors
	 * until it has closed them; its sockets count once it has stopped. */
	for (int i = 0; i < e->n; i++)
		pids[i] = e->a[i].state == ACTOR_STARTING ? 0 : e->a[i].pid;
	kernel_update(e->kernel, e->tl, pids, e->n);
}

/* Read one record of actor i; EOF or garbage ends the actor. */
typedef struct {
	Engine *e;
	int actor;
} Reader;

static void take(void *ctx, const GateRecord *r)
{
	Reader *rd = ctx;
	/* A call's packets and state changes go before its return. Between a
	 * return and the actor's next stop it makes no call, so other records
	 * need no look: each look is a socket-table dump per family. */
	if (r->kind == GATE_RESULT)
		kernel_look(rd->e);
	absorb(rd->e, rd->actor, r);
}

static void read_gate(Engine *e, int i)
{
	Reader rd = { e, i };
	int rc = gate_recv_each(e->gate[i], take, &rd);
	if (rc > 0)
		return;
	kernel_look(e);
	if (rc < 0 && errno == EPROTO) {
		note(e, i, "sent a malformed record; stopped");
		if (e->a[i].pid > 0)
			kill(e->a[i].pid, SIGKILL);
	}
	actor_gone(e, i);
}

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
		struct pollfd pfd[ENGINE_POLLFDS_MAX];
		int n;
		if (only >= 0 && e->gate[only] >= 0) {
			pfd[0] = (struct pollfd){ .fd = e->gate[only], .events = POLLIN };
			n = 1;
		} else {
			n = engine_pollfds(e, pfd, ENGINE_POLLFDS_MAX);
		}
		if (n == 0)
			return done(e, arg);
		int rc = poll(pfd, (nfds_t)n, (int)left);
		if (rc < 0 && errno != EINTR)
			return 0;
		if (rc > 0)
			engine_handle(e, pfd, n);
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
	return is_stopped(e->a[i].state) || e->a[i].state == ACTOR_BLOCKED;
}

static int actor_returned(Engine *e, int i)
{
	return e->a[i].state != ACTOR_RUNNING || timeline_return_of(e->tl, e->a[i].call_seq);
}

static int all_started(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->n; i++)
		if (e->a[i].state == ACTOR_STARTING)
			return 0;
	return 1;
}

static int none_running(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->n; i++)
		if (e->a[i].state == ACTOR_RUNNING || e->a[i].state == ACTOR_STARTING)
			return 0;
	return 1;
}

static int none_moving(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->n; i++)
		if (!is_stopped(e->a[i].state))
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
	if (e->lesson->actors[i].host == 1 &&
	    (netns_join(e->other_host) < 0 || netns_hostname(e->lesson->hosts[1].name) < 0))
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
	actor_run(e->lesson, i, ACTOR_GATE_FD, e->opt.free_run);
}

static int spawn(Engine *e, int i, char *err, size_t errlen)
{
	int fds[2];
	if (gate_pair(fds) < 0) {
		snprintf(err, errlen, "cannot make a channel for %s: %s", e->a[i].name, strerror(errno));
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
		snprintf(err, errlen, "cannot start %s: %s", e->a[i].name, strerror(saved));
		return -1;
	}
	e->gate[i] = fds[0];
	e->a[i].pid = pid;
	e->a[i].state = ACTOR_STARTING;
	return 0;
}

/* The kinds of socket a lesson makes (SOCKDIAG_*), so the kernel view lists
 * only those: an IPv6 socket also carries the IPv4 it accepts. */
static unsigned socket_kinds(const Lesson *l)
{
	unsigned kinds = 0;
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
	const Lesson *l = e->lesson;
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
				 s->host, e->network);
			return -1;
		}
	}
	return 0;
}

/* A lesson with two hosts gets a second namespace joined to this one by a
 * veth pair. That takes namespaces: on the host's loopback it cannot run. */
static int start_hosts(Engine *e, int private_ns, char *err, size_t errlen)
{
	const Lesson *l = e->lesson;
	char why[200];
	if (l->nhosts < 2)
		return 0;
	if (!private_ns) {
		snprintf(err, errlen, "this lesson joins two hosts by a virtual Ethernet link, which needs "
			 "network namespaces: %s", e->network);
		return -1;
	}
	if (netns_link(l->hosts[0].addr, l->hosts[1].addr, l->hosts[0].prefix, &e->other_host,
		       why, sizeof why) < 0) {
		snprintf(err, errlen, "cannot join the lesson's two hosts: %s", why);
		return -1;
	}
	snprintf(e->network, sizeof e->network, "private namespaces: host %s %s/%d and host %s %s/%d on eth0",
		 l->hosts[0].name, l->hosts[0].addr, l->hosts[0].prefix,
		 l->hosts[1].name, l->hosts[1].addr, l->hosts[1].prefix);
	return 0;
}

int engine_start(Engine *e, char *err, size_t errlen)
{
	char why[128];
	int private_ns = 0;
	if (e->opt.no_netns) {
		snprintf(e->network, sizeof e->network, "host loopback (--no-netns)");
	} else if (netns_enter(why, sizeof why) == 0) {
		snprintf(e->network, sizeof e->network, "private network namespace");
		private_ns = 1;
		const Lesson *l = e->lesson;
		netns_hostname(l->nhosts ? l->hosts[0].name : "sockstep");
	} else {
		snprintf(e->network, sizeof e->network, "host loopback: %s", why);
	}
	if (check_exposure(e, private_ns, err, errlen) < 0 || start_hosts(e, private_ns, err, errlen) < 0)
		return -1;
	e->steps_done = 0;
	e->kernel_note[0] = '\0';
	if (!e->opt.no_kernel && !e->opt.free_run) {
		e->kernel = kernel_open(private_ns, e->other_host >= 0 ? "eth0" : "lo", socket_kinds(e->lesson),
					e->opt.pcap_path,
					e->kernel_note, sizeof e->kernel_note);
		if (e->kernel && e->other_host >= 0)
			kernel_add_namespace(e->kernel, netns_diag_socket(e->other_host));
	}
	for (int i = 0; i < e->n; i++) {
		memset(&e->a[i], 0, sizeof e->a[i]);
		e->a[i].name = e->lesson->actors[i].name;
		e->a[i].step = -1;
		e->a[i].state = ACTOR_DEAD;
	}
	for (int i = 0; i < e->n; i++) {
		if (spawn(e, i, err, errlen) < 0) {
			engine_stop(e);
			return -1;
		}
	}
	if (!e->opt.free_run && !pump(e, START_MS, all_started, 0)) {
		snprintf(err, errlen, "the actors did not start within %d s", START_MS / 1000);
		engine_stop(e);
		return -1;
	}
	return 0;
}

void engine_stop(Engine *e)
{
	for (int i = 0; i < e->n; i++) {
		if (e->a[i].pid > 0) {
			kill(e->a[i].pid, SIGKILL);
			int status;
			pid_t r;
			do
				r = waitpid(e->a[i].pid, &status, 0);
			while (r < 0 && errno == EINTR);
			e->a[i].pid = 0;
			if (e->a[i].state != ACTOR_DONE)
				e->a[i].state = ACTOR_DEAD;
		}
		close_gate(e, i);
	}
	kernel_close(e->kernel);
	e->kernel = NULL;
	if (e->other_host >= 0)
		close(e->other_host);
	e->other_host = -1;
}

int engine_restart(Engine *e, char *err, size_t errlen)
{
	engine_stop(e);
	timeline_clear(e->tl);
	return engine_start(e, err, errlen);
}

void engine_reap(Engine *e)
{
	for (int i = 0; i < e->n; i++) {
		int status;
		if (e->a[i].pid > 0 && waitpid(e->a[i].pid, &status, WNOHANG) == e->a[i].pid) {
			close_gate(e, i);
			record_exit(e, i, status);
		}
	}
}

/* Ask actor i whether its pending call would block now. The actor polls its
 * own socket with a zero timeout: only it holds the descriptor, and a copy
 * held by sockstep would change what close() does. */
static int probe(Engine *e, int i)
{
	if (e->a[i].state != ACTOR_READY || gate_command(e->gate[i], GATE_CMD_PROBE) < 0)
		return 0;
	struct pollfd p = { .fd = e->gate[i], .events = POLLIN };
	long end = now_ms() + QUICK_MS;
	while (now_ms() < end && e->gate[i] >= 0) {
		if (poll(&p, 1, (int)(end - now_ms())) <= 0)
			continue;
		GateRecord r;
		int rc = gate_recv(e->gate[i], &r);
		if (rc != 1) {
			actor_gone(e, i);
			return 0;
		}
		if (r.kind == GATE_PROBE)
			return r.ret != 0;
		absorb(e, i, &r);
	}
	return 0;
}

static int all_exited(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->n; i++)
		if (e->a[i].pid > 0 && e->a[i].state == ACTOR_DONE)
			return 0;
	return 1;
}

/* Has an actor that was blocked (bit i of mask) moved on? */
static int one_woke(Engine *e, int mask)
{
	for (int i = 0; i < e->n; i++)
		if ((mask & (1 << i)) && e->a[i].state != ACTOR_BLOCKED)
			return 1;
	return 0;
}

int engine_wait(Engine *e, int ms)
{
	int mask = 0;
	for (int i = 0; i < e->n; i++)
		if (e->a[i].state == ACTOR_BLOCKED)
			mask |= 1 << i;
	if (!mask || !pump(e, ms, one_woke, mask))
		return 0;
	pump(e, ADVANCE_MS, none_running, 0);
	kernel_look(e);
	return 1;
}

static int all_ended(Engine *e, int unused)
{
	(void)unused;
	for (int i = 0; i < e->n; i++)
		if (e->a[i].pid > 0 || (e->a[i].state != ACTOR_DONE && e->a[i].state != ACTOR_DEAD))
			return 0;
	return 1;
}

int engine_run_free(Engine *e, int stuck_ms)
{
	for (;;) {
		size_t before = timeline_count(e->tl);
		if (pump(e, stuck_ms, all_ended, 0))
			return 1;
		if (timeline_count(e->tl) == before)
			return 0;  /* nothing happened for stuck_ms: blocked for good */
	}
}

int engine_drain(Engine *e, int ms)
{
	return pump(e, ms, all_exited, 0);
}

/* The scheduler's pick, and whether its pending call would block. Probes
 * stop at the first actor that can go at once: the actors after it cannot
 * change the pick, and each probe is a round trip. */
static int pick(Engine *e, int *blocks)
{
	SchedActor s[LESSON_MAX_ACTORS];
	int found = 0;
	for (int i = 0; i < e->n; i++) {
		s[i].runnable = e->a[i].state == ACTOR_READY || e->a[i].state == ACTOR_INPUT;
		s[i].would_block = s[i].runnable && (found || probe(e, i));
		found |= s[i].runnable && !s[i].would_block;
	}
	int i = sched_pick(s, e->n);
	*blocks = i >= 0 && s[i].would_block;
	return i;
}

int engine_next(Engine *e)
{
	int blocks;
	return pick(e, &blocks);
}

static int give_input(Engine *e, int i, const char *line)
{
	EngineActor *a = &e->a[i];
	const LessonStep *st = &e->lesson->actors[i].steps[a->step];
	if (!line) {
		int k = a->next_example < st->nexamples ? a->next_example : st->nexamples - 1;
		line = k >= 0 ? st->examples[k] : "";
		a->next_example++;
	}
	Event ev = { .kind = EV_INPUT, .actor = i, .step = a->step, .text = (char *)line };
	timeline_add(e->tl, &ev);
	a->state = ACTOR_RUNNING;
	return gate_send_line(e->gate[i], line, strlen(line));
}

/* blocks: whether the call would block, when the scheduler has just asked;
 * -1 to ask now. */
static int let_go(Engine *e, int i, int blocks)
{
	EngineActor *a = &e->a[i];
	if (blocks < 0)
		blocks = probe(e, i);
	if (a->state != ACTOR_READY)
		return -1;
	Event ev = event_of(EV_CALL, i, &a->pending);
	ev.blocked = blocks;
	if (e->kernel && a->pending.addrlen && (ev.op == OP_CONNECT || ev.op == OP_SENDTO))
		kernel_expect(e->kernel, i, &a->pending.addr);
	const Event *stored = timeline_add(e->tl, &ev);
	a->call_seq = stored ? stored->seq : 0;
	a->state = blocks ? ACTOR_BLOCKED : ACTOR_RUNNING;
	if (gate_command(e->gate[i], GATE_CMD_GO) < 0)
		return -1;
	if (blocks)
		return 0;
	/* Expected to return at once; if it does not, it is blocking after all
	 * (a connect to a full accept queue, say). Only this actor's gate is
	 * read meanwhile: an actor its call wakes reports after it, whichever
	 * the kernel happened to run first, so every run reads the same. */
	if (!pump_some(e, QUICK_MS, actor_returned, i, i)) {
		a->state = ACTOR_BLOCKED;
		timeline_set_blocked(e->tl, a->call_seq);
	}
	return 0;
}

int engine_step(Engine *e, int actor, const char *line)
{
	int blocks = -1;
	if (actor < 0)
		actor = pick(e, &blocks);
	if (actor < 0 || actor >= e->n)
		return -1;
	ActorState s = e->a[actor].state;
	if (s == ACTOR_INPUT) {
		if (give_input(e, actor, line) < 0)
			return -1;
	} else if (s == ACTOR_READY) {
		if (let_go(e, actor, blocks) < 0)
			return -1;
	} else {
		return -1;
	}
	e->steps_done++;
	/* Let the stepped actor reach its next stop, and give any actor the
	 * step may have woken a moment to report, so the next decision (and a
	 * --plain transcript) does not depend on who the kernel ran first. */
	pump_some(e, ADVANCE_MS, actor_stopped, actor, actor);
	pump(e, e->opt.settle_ms, none_moving, 0);
	pump(e, ADVANCE_MS, none_running, 0);
	kernel_look(e);
	return actor;
}

int engine_pollfds(const Engine *e, struct pollfd *pfd, int max)
{
	int n = 0;
	if (e->kernel && kernel_fd(e->kernel) >= 0 && n < max) {
		pfd[n].fd = kernel_fd(e->kernel);
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	for (int i = 0; i < e->n && n < max; i++) {
		if (e->gate[i] < 0)
			continue;
		pfd[n].fd = e->gate[i];
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

int engine_handle(Engine *e, const struct pollfd *pfd, int n)
{
	size_t before = timeline_count(e->tl);
	for (int k = 0; k < n; k++) {
		if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (e->kernel && pfd[k].fd == kernel_fd(e->kernel))
			kernel_look(e);
		for (int i = 0; i < e->n; i++)
			if (e->gate[i] == pfd[k].fd)
				read_gate(e, i);
	}
	return (int)(timeline_count(e->tl) - before);
}

int engine_actor_count(const Engine *e)
{
	return e->n;
}

const EngineActor *engine_actor(const Engine *e, int i)
{
	return i >= 0 && i < e->n ? &e->a[i] : NULL;
}

const Lesson *engine_lesson(const Engine *e)
{
	return e->lesson;
}

Timeline *engine_timeline(Engine *e)
{
	return e->tl;
}

int engine_finished(const Engine *e)
{
	for (int i = 0; i < e->n; i++) {
		ActorState s = e->a[i].state;
		if (s == ACTOR_READY || s == ACTOR_INPUT || s == ACTOR_RUNNING || s == ACTOR_STARTING)
			return 0;
	}
	return 1;
}

/* An actor ended as the lesson says: it ran its last step, or it was
 * killed by the signal its "dies" names (SIGPIPE, writing to a closed peer). */
static int ended_as_written(const Engine *e, int i)
{
	const EngineActor *a = &e->a[i];
	int dies = e->lesson->actors[i].dies;
	if (dies)
		return a->state == ACTOR_DEAD && a->pid == 0 && WIFSIGNALED(a->status) && WTERMSIG(a->status) == dies;
	return a->state == ACTOR_DONE;
}

int engine_succeeded(const Engine *e)
{
	for (int i = 0; i < e->n; i++)
		if (!ended_as_written(e, i))
			return 0;
	return 1;
}

const char *engine_network(const Engine *e)
{
	return e->network;
}

const char *engine_kernel_note(const Engine *e)
{
	return e->kernel_note;
}

const struct kernel *engine_kernel(const Engine *e)
{
	return e->kernel;
}

int engine_steps_done(const Engine *e)
{
	return e->steps_done;
}

int engine_free_running(const Engine *e)
{
	return e->opt.free_run;
}
