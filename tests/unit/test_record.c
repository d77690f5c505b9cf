/* test_record.c - a recorded run, replayed, shows the same screens.
 *
 * Runs lessons for real with --record's engine option, renders the frame
 * after every step (at 80x24 with the byte pane, 80x24 with the socket
 * pane, and 160x48 with every pane and the code pane), then opens the
 * recording as a replay and renders each of its moments: cell for cell,
 * roles included, they must be the frames of the run; and again after
 * stepping back to each step. Lessons, and traced programs (sockstep run)
 * whose processes and threads become actors as the run goes. Also the reader's refusals (each with its
 * file:line), the JSON writer and reader on their own, and that a replay
 * runs no process. Fixture from the repository root (as `make check` does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cmocka.h>

#include "model/engine.h"
#include "model/playback.h"
#include "model/jsonl.h"
#include "model/lesson.h"
#include "model/recformat.h"
#include "model/record.h"
#include "model/replay.h"
#include "model/timeline.h"
#include "views/codegen.h"
#include "views/frame.h"
#include "views/screen.h"

enum { MAX_MOMENTS = 256, VIEWS = 3, STUCK_MS = 10000 };

/* A screen as text with each cell's role after it: two frames are the
 * same screen when these are equal. */
static char *cells_of(const Frame *f)
{
	size_t cap = (size_t)f->w * (size_t)f->h * 8 + (size_t)f->h + 1, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	for (int y = 0; y < f->h; y++) {
		for (int x = 0; x < f->w; x++) {
			const FrameCell *c = &f->cells[y * f->w + x];
			n += (size_t)snprintf(s + n, cap - n, "%s%c", c->ch, 'A' + c->role);
		}
		s[n++] = '\n';
	}
	s[n] = '\0';
	return s;
}

/* The three views of the engine's present moment, as cells_of text. */
static void render_views(Run *e, char *out[VIEWS])
{
	static const struct { int w, h, unicode, pane, code; } v[VIEWS] = {
		{ 80, 24, 0, SCREEN_PANE_BYTES, 0 },
		{ 80, 24, 1, SCREEN_PANE_SOCKETS, 0 },
		{ 160, 48, 1, SCREEN_PANE_BYTES, 1 },
	};
	const Lesson *l = run_lesson(e);
	for (int k = 0; k < VIEWS; k++) {
		ScreenState s;
		Code *code[LESSON_MAX_ACTORS] = { 0 };
		screen_state_init(&s);
		s.unicode = v[k].unicode;
		s.pane = (ScreenPane)v[k].pane;
		s.next = run_finished(e) ? -1 : run_next(e);
		if (v[k].code) {
			s.code.on = 1;
			s.code.lang = CODE_PYTHON;
			for (int i = 0; i < l->nactors; i++)
				s.code.prog[i] = code[i] = codegen_make(l, i, CODE_PYTHON);
		}
		Frame *f = frame_new(v[k].w, v[k].h);
		assert_non_null(f);
		screen_render(e, &s, f);
		out[k] = cells_of(f);
		frame_free(f);
		for (int i = 0; i < LESSON_MAX_ACTORS; i++)
			codegen_free(code[i]);
	}
}

/* Snapshots written so far: the file is flushed after each one. events,
 * when not NULL: how many events the last one counts. */
static int snapshots_counting(const char *path, long *events)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	assert_non_null(f);
	while (getline(&line, &cap, f) >= 0) {
		if (strncmp(line, "{\"type\":\"snapshot\"", 18) != 0)
			continue;
		n++;
		const char *at = strstr(line, "\"events\":");
		if (events && at)
			*events = strtol(at + 9, NULL, 10);
	}
	free(line);
	fclose(f);
	return n;
}

static int snapshots_in(const char *path)
{
	return snapshots_counting(path, NULL);
}

typedef struct {
	char *view[MAX_MOMENTS][VIEWS];   /* the run's screens, by moment; NULL: none seen */
	int steps[MAX_MOMENTS];           /* steps done at each moment */
	int n;                            /* moments recorded */
} Fixture;

static void fixture_free(Fixture *r)
{
	for (int m = 0; m < MAX_MOMENTS; m++)
		for (int k = 0; k < VIEWS; k++)
			free(r->view[m][k]);
}

/* The run has just written its latest moment: keep its screens. A run
 * may take in more after its moment is written (a new process's first
 * call, read while the screen asks who goes next): then the screen is of
 * no moment of the file, and is not kept to compare. */
static void keep(Fixture *r, Run *e, const char *path)
{
	long events = -1;
	int n = snapshots_counting(path, &events);
	assert_true(n >= 1 && n <= MAX_MOMENTS);
	int m = n - 1;
	for (int k = 0; k < VIEWS; k++) {
		free(r->view[m][k]);
		r->view[m][k] = NULL;
	}
	render_views(e, r->view[m]);
	r->steps[m] = run_steps_done(e);
	if ((long)timeline_count(run_timeline(e)) != events)
		for (int k = 0; k < VIEWS; k++) {
			free(r->view[m][k]);
			r->view[m][k] = NULL;
		}
}

/* Fixture lesson l with the scheduler to its end, as --plain does, keeping
 * the screens of every moment the recording at path takes down. */
static void record_run(Lesson *l, int no_kernel, const char *path, Fixture *r)
{
	char err[512];
	EngineOptions eo = { .settle_ms = 50, .no_kernel = no_kernel, .record_path = path };
	Run *e = engine_new(l, &eo);
	assert_non_null(e);
	if (run_start(e, err, sizeof err) < 0)
		fail_msg("engine: %s", err);
	keep(r, e, path);
	for (int i = 0; i < 200; i++) {
		if (run_step(e, -1, NULL) < 0 && !run_wait(e, STUCK_MS))
			break;
		keep(r, e, path);
	}
	run_drain(e, 2000);
	keep(r, e, path);
	assert_true(run_succeeded(e));
	run_free(e);   /* its last moment, if any, has no screen of the run's */
	lesson_free(l);
	r->n = snapshots_in(path);
}

static void same_views(const Fixture *r, int m, Run *e, const char *how)
{
	char *now[VIEWS];
	render_views(e, now);
	for (int k = 0; k < VIEWS; k++) {
		/* Gone back, the title's step bar shows the furthest step as
		 * well, by design: the run's screen at that step did not. */
		int back = strcmp(how, "forward") != 0;
		const char *was = r->view[m][k], *is = now[k];
		if (was && back && strchr(was, '\n') && strchr(is, '\n')) {
			was = strchr(was, '\n');
			is = strchr(is, '\n');
		}
		if (was && strcmp(was, is) != 0) {
			print_error("moment %d (%s), view %d differs.\nrun:\n%s\nreplay:\n%s\n", m, how, k,
				    r->view[m][k], now[k]);
			fail();
		}
		free(now[k]);
	}
}

/* The moment run_goto(step) shows: the last one with that many steps. */
static int moment_of_step(const Fixture *r, int step)
{
	int m = -1;
	for (int i = 0; i < r->n; i++)
		if (r->steps[i] == step)
			m = i;
	return m;
}

/* Record l's run (which frees l), replay it, and compare every moment.
 * Returns how many actors the replay had at its end. */
static int replay_and_compare(Lesson *l, int no_kernel)
{
	char path[] = "/tmp/sockstep-test-record-XXXXXX", err[1024];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	Fixture *r = calloc(1, sizeof *r);
	assert_non_null(r);
	record_run(l, no_kernel, path, r);

	Run *e = playback_open(path, err, sizeof err);
	if (!e)
		fail_msg("replay: %s", err);
	assert_false(run_steered(e));   /* a recording's steps are its own */
	int compared = 0;
	assert_int_equal(run_steps_done(e), r->steps[0]);
	same_views(r, 0, e, "forward");
	/* One step a moment, and the end after the last one recorded. */
	for (int m = 1; m < r->n; m++) {
		assert_true(run_step(e, -1, NULL) >= 0);
		assert_int_equal(run_steps_done(e), r->steps[m]);
		same_views(r, m, e, "forward");
		compared += r->view[m][0] != NULL;
	}
	assert_int_equal(run_step(e, -1, NULL), -1);   /* the end */
	assert_true(compared >= 5);
	assert_true(run_succeeded(e));
	int actors = run_actor_count(e);

	/* Back, one step at a time, to the start; then forward again. */
	for (int step = run_steps_done(e); step >= 0; step--) {
		int m = moment_of_step(r, step);
		assert_true(m >= 0);
		assert_int_equal(run_goto(e, step, err, sizeof err), 0);
		assert_int_equal(run_steps_done(e), step);
		same_views(r, m, e, "back");
	}
	assert_int_equal(run_goto(e, 100000, err, sizeof err), -1);
	assert_non_null(strstr(err, "no step 100000"));
	assert_true(run_step(e, -1, NULL) >= 0);
	same_views(r, 1, e, "forward after back");
	/* A restart is the first moment, and a replay has nothing to stop. */
	assert_int_equal(run_restart(e, err, sizeof err), 0);
	same_views(r, 0, e, "restart");
	struct pollfd pfd[RUN_POLLFDS_MAX];
	assert_int_equal(run_pollfds(e, pfd, RUN_POLLFDS_MAX), 0);
	run_free(e);
	fixture_free(r);
	free(r);
	unlink(path);
	return actors;
}

static Lesson *load(const char *path)
{
	char err[512];
	Lesson *l = lesson_load(path, err, sizeof err);
	if (!l)
		fail_msg("%s (run the tests from the repository root)", err);
	return l;
}

static void test_echo_replayed(void **state)
{
	(void)state;
	replay_and_compare(load("lessons/01-echo.lesson"), 0);
}

static void test_echo_without_kernel_view(void **state)
{
	(void)state;
	replay_and_compare(load("lessons/01-echo.lesson"), 1);
}

static void test_chat_replayed(void **state)
{
	(void)state;
	replay_and_compare(load("lessons/03-chat.lesson"), 0);
}

static void test_handshake_replayed(void **state)
{
	(void)state;
	replay_and_compare(load("lessons/08-handshake.lesson"), 0);
}

/* sockstep run: a forking server and a threaded client, whose later
 * processes and threads become actors of their own as the run goes. The
 * programs are built by make (tests/programs) into BUILD/programs. */
static void test_traced_programs_replayed(void **state)
{
	(void)state;
	char server[512], client[512];
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	snprintf(server, sizeof server, "%s/programs/forking_server", build);
	snprintf(client, sizeof client, "%s/programs/threaded_client", build);
	if (access(server, X_OK) < 0 || access(client, X_OK) < 0) {
		print_message("%s not built: skipped\n", server);
		skip();
	}
	char *names[] = { "server", "client" }, *commands[] = { server, client };
	Lesson *l = lesson_programs("forking server, threaded client", names, commands, 2);
	assert_non_null(l);
	/* The server's child and the client's thread had actors of their own. */
	assert_true(replay_and_compare(l, 0) > 2);
}

/* ---- the reader's refusals ---------------------------------------------- */

static const char *refusal(const char *text)
{
	static char err[1024];
	Replay *r = replay_parse("t.jsonl", text, strlen(text), err, sizeof err);
	replay_free(r);
	return r ? NULL : err;
}

/* The smallest recording: a lesson of one actor, a start, nothing more. */
#define HEADER "{\"type\":\"header\",\"format\":\"sockstep-recording\",\"version\":1,\"sockstep\":\"0.1.0\"," \
	"\"lesson\":{\"file\":\"t.lesson\",\"source\":\"title: t\\nactor a\\n  sleep 1\\n\"}," \
	"\"actors\":[\"a\"],\"network\":\"n\",\"kernel\":false,\"kernel_note\":\"\",\"free_run\":false}\n"
#define ACTOR "{\"name\":\"a\",\"owner\":0,\"state\":\"ready\",\"step\":0,\"pid\":1,\"program\":1,\"call_seq\":0,\"status\":0," \
	"\"next_example\":0,\"pending\":null}"
#define SNAP(n, events) "{\"type\":\"snapshot\",\"n\":" #n ",\"t\":0,\"events\":" #events \
	",\"steps\":0,\"next\":0,\"actor\":-1,\"actors\":[" ACTOR "],\"sockets\":null}\n"

static void test_reader_refusals(void **state)
{
	(void)state;
	const char *err;
	Replay *r;
	char buf[1024];
	assert_non_null(r = replay_parse("t.jsonl", HEADER SNAP(0, 0), strlen(HEADER SNAP(0, 0)), buf, sizeof buf));
	assert_int_equal(replay_moments(r), 1);
	assert_string_equal(replay_lesson(r)->name, "t");
	replay_free(r);

	/* A program's name (comm) is optional, must fit 15 characters, and is
	 * printable ASCII: it reaches the screen. */
#define COMM_SNAP(comm) HEADER "{\"type\":\"snapshot\",\"n\":0,\"t\":0,\"events\":0,\"steps\":0,\"next\":0," \
	"\"actor\":-1,\"actors\":[{\"name\":\"a\",\"owner\":0,\"state\":\"ready\",\"step\":0,\"pid\":1," \
	"\"program\":1,\"call_seq\":0,\"status\":0,\"next_example\":0,\"pending\":null,\"comm\":\"" comm "\"}]," \
	"\"sockets\":null}\n"
	assert_non_null(r = replay_parse("t.jsonl", COMM_SNAP("node"), strlen(COMM_SNAP("node")), buf, sizeof buf));
	Timeline *t = timeline_new();
	RunActor a[LESSON_MAX_ACTORS];
	int owner[LESSON_MAX_ACTORS];
	Moment m = { .a = a, .owner = owner };
	assert_int_equal(replay_apply(r, 0, t, &m, NULL, 0), 0);
	assert_string_equal(a[0].comm, "node");
	timeline_free(t);
	replay_free(r);
	assert_non_null(r = replay_parse("t.jsonl", COMM_SNAP("0123456789abcde"), strlen(COMM_SNAP("0123456789abcde")),
					 buf, sizeof buf));
	replay_free(r);
	assert_string_equal(refusal(COMM_SNAP("0123456789abcdef")),
			    "t.jsonl:2: snapshot: \"comm\" is longer than 15 characters");
	assert_string_equal(refusal(COMM_SNAP("a\\u001b]0;x")),
			    "t.jsonl:2: snapshot: \"comm\" may hold printable ASCII only");
#undef COMM_SNAP

	assert_string_equal(refusal(""), "t.jsonl:1: empty: not a sockstep recording");
	err = refusal("title: Echo\nactor a\n");
	assert_non_null(err);
	assert_non_null(strstr(err, "t.jsonl:1: not a sockstep recording: not JSON"));
	assert_string_equal(refusal("{\"type\":\"header\",\"format\":\"other\"}\n"),
			    "t.jsonl:1: not a sockstep recording (no \"format\": \"sockstep-recording\")");
	err = refusal("{\"type\":\"header\",\"format\":\"sockstep-recording\",\"version\":7,\"sockstep\":\"9.0\"}\n");
	assert_non_null(strstr(err, "t.jsonl:1: a recording of format version 7, made by sockstep 9.0, newer"));
	assert_string_equal(refusal(HEADER), "t.jsonl: no snapshot: the recording holds no moment to show");
	err = refusal(HEADER "{\"type\":\"snapshot\"");
	assert_non_null(strstr(err, "t.jsonl:2: not JSON ("));
	assert_string_equal(refusal(HEADER "{\"type\":\"bogus\"}\n"), "t.jsonl:2: unknown line type \"bogus\"");
	assert_string_equal(refusal(HEADER SNAP(0, 1)),
			    "t.jsonl:2: snapshot: \"events\" is 1, out of range (0 to 0)");
	assert_string_equal(refusal(HEADER SNAP(1, 0)), "t.jsonl:2: snapshot: n is 1 where 0 comes next");
	assert_string_equal(refusal(HEADER "\n" SNAP(0, 0)), "t.jsonl:2: an empty line");
	err = refusal("{\"type\":\"header\",\"format\":\"sockstep-recording\",\"version\":1,"
		      "\"lesson\":{\"file\":\"t.lesson\",\"source\":\"actor a\\n\"}}\n");
	assert_non_null(strstr(err, "t.jsonl:1: the recorded lesson does not parse: t.lesson:"));
	/* An actor at a step its lesson does not have would crash a view. */
	const char *bad = HEADER "{\"type\":\"snapshot\",\"n\":0,\"t\":0,\"events\":0,\"steps\":0,\"next\":0,\"actor\":-1,"
			  "\"actors\":[{\"name\":\"a\",\"owner\":0,\"state\":\"ready\",\"step\":5,\"pid\":1,\"program\":1,\"call_seq\":0,"
			  "\"status\":0,\"next_example\":0,\"pending\":null}],\"sockets\":null}\n";
	assert_string_equal(refusal(bad), "t.jsonl:2: snapshot: actor a ready at step 5, which it does not have");
}

/* ---- the format by hand: a Timeline and Moments, no engine ---------------- */

/* A by-hand run: eight programs, so that every actor index is one, each
 * actor its own owner, and any step is a program's step. */
enum { HAND_ACTORS = LESSON_MAX_ACTORS, HAND_EVENTS = 3 };

/* Time 0 of the by-hand run, far enough from 0 that "t" can reach both
 * ends of its range. */
#define HAND_BASE (((uint64_t)1 << 62) + 12345)

typedef struct {
	Lesson *lesson;
	Timeline *t;
	RunActor a[2][HAND_ACTORS];
	int owner[2][HAND_ACTORS];
	SockInfo sock[2];
	int sock_owner[2];
	Moment m[2];           /* moment 0: every number at its low end; 1: high */
	char *text;            /* the recording */
	size_t len;
} Hand;

/* Set a number field of row (or its side int) to v. */
static void set_number(const RecField *f, void *row, int *side, int64_t v)
{
	void *p = f->flags & RF_SIDE ? (void *)side : (char *)row + f->off;
	size_t size = f->flags & RF_SIDE ? sizeof(int) : f->size;
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;
	if (size == 1)
		memcpy(p, &u8, 1);
	else if (size == 2)
		memcpy(p, &u16, 2);
	else if (size == 4)
		memcpy(p, &u32, 4);
	else
		memcpy(p, &v, 8);
}

/* Every number and flag of row the reader reads back, at the low (0) or
 * high (1) end of its range; a bound the recording gives is in limit. The
 * seq of an event and the n of a snapshot are not free: the order of the
 * file says them. */
static void to_edge(const RecObject *t, void *row, int *side, int high, const int64_t limit[RL_COUNT_])
{
	for (size_t i = 0; i < t->n; i++) {
		const RecField *f = &t->fields[i];
		int ordered = (t == &recformat_event && strcmp(f->name, "seq") == 0) ||
			      (t == &recformat_snapshot && strcmp(f->name, "n") == 0);
		if ((f->flags & (RF_OUT | RF_HAND)) || ordered)
			continue;
		if (f->type == RF_BOOL)
			set_number(f, row, side, high);
		else if (f->type == RF_INT || f->type == RF_UINT)
			set_number(f, row, side, high ? (f->limit ? limit[f->limit] : f->max) : f->min);
	}
}

static void hand_addr(struct sockaddr_storage *ss, uint32_t *len, int which)
{
	memset(ss, 0, sizeof *ss);
	if (which == 0) {
		struct sockaddr_in *in = (void *)ss;
		in->sin_family = AF_INET;
		in->sin_port = htons(65535);
		in->sin_addr.s_addr = htonl(0x7f000001);
		*len = sizeof *in;
	} else if (which == 1) {
		struct sockaddr_in6 *in6 = (void *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(1);
		in6->sin6_flowinfo = htonl(UINT32_MAX);
		in6->sin6_scope_id = UINT32_MAX;
		memset(&in6->sin6_addr, 0xab, sizeof in6->sin6_addr);
		*len = sizeof *in6;
	} else if (which == 2) {
		struct sockaddr_un *un = (void *)ss;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, "\0abstract", 9);
		*len = (uint32_t)(offsetof(struct sockaddr_un, sun_path) + 9);
	} else {
		/* A family no lesson makes: kept as its raw bytes. */
		ss->ss_family = AF_PACKET;
		memset((char *)ss + sizeof(sa_family_t), 0x5a, 18);
		*len = 20;
	}
}

/* Event i of the by-hand run: 0 a note at time 0, 1 every number low (a
 * note: its actor -1 is sockstep, and only a note or the kernel's events
 * may have none), 2 every number high; with texts and addresses of every
 * kind. */
static void hand_event(Hand *h, int i)
{
	static uint8_t data[GATE_DATA_MAX];
	static const char *const texts[] = { "hello", "\xff\xfe not UTF-8", "caf\xc3\xa9" };
	static const int kinds[] = { EV_NOTE, EV_NOTE, EV_INPUT };
	int64_t limit[RL_COUNT_] = { [RL_SEQ] = i + 1 };
	Event ev;
	memset(&ev, 0, sizeof ev);
	ev.actor = ev.step = ev.peer_actor = -1;
	if (i > 0)
		to_edge(&recformat_event, &ev, NULL, i == 2, limit);
	ev.kind = (EventKind)kinds[i];
	ev.op = i;
	ev.arg[0] = INT64_MIN;
	ev.arg[1] = i;
	ev.arg[2] = INT64_MAX;
	ev.text = (char *)texts[i];
	for (size_t k = 0; k < sizeof data; k++)
		data[k] = (uint8_t)(k * 7);
	ev.data = data;
	ev.len = i == 2 ? sizeof data : (size_t)i;
	hand_addr(&ev.addr, &ev.addrlen, i);
	if (i > 0)
		hand_addr(&ev.peer, &ev.peerlen, i + 1);
	assert_non_null(timeline_add(h->t, &ev));
	static const int64_t t[] = { 0, -RECFORMAT_T_MAX, RECFORMAT_T_MAX };
	timeline_set_when(h->t, (size_t)i, HAND_BASE + (uint64_t)t[i]);
}

/* Moment k: every number of the snapshot, of one actor (0 low, the last
 * high), of its pending call and of the one socket at that end. */
static void hand_moment(Hand *h, int k)
{
	Moment *m = &h->m[k];
	int high = k == 1, who = high ? HAND_ACTORS - 1 : 0;
	int64_t limit[RL_COUNT_] = { [RL_EVENTS] = high ? HAND_EVENTS : 0, [RL_ACTOR] = HAND_ACTORS - 1 };
	for (int i = 0; i < HAND_ACTORS; i++) {
		RunActor *a = &h->a[k][i];
		memset(a, 0, sizeof *a);
		a->name = h->lesson->actors[i].name;
		a->state = (ActorState)(i % (ACTOR_DEAD + 1));
		a->step = -1;
		h->owner[k][i] = i;
	}
	RunActor *a = &h->a[k][who];
	to_edge(&recformat_actor, a, &h->owner[k][who], high, limit);
	a->state = high ? ACTOR_DEAD : ACTOR_STARTING;
	GateRecord *g = &a->pending;
	to_edge(&recformat_pending, g, NULL, high, limit);
	g->kind = GATE_CALL;
	g->op = (uint8_t)(OP_COUNT_ - 1);
	g->arg[0] = -7;
	hand_addr(&g->addr, &g->addrlen, high ? 1 : 2);
	g->len = high ? GATE_DATA_MAX : 3;
	memset(g->data, 0xc4, g->len);

	SockInfo *s = &h->sock[k];
	memset(s, 0, sizeof *s);
	to_edge(&recformat_socket, s, &h->sock_owner[k], high, limit);
	s->family = high ? AF_INET6 : AF_UNIX;
	hand_addr(&s->local, &s->locallen, high ? 1 : 2);
	if (high)
		hand_addr(&s->peer, &s->peerlen, 1);

	memset(m, 0, sizeof *m);
	to_edge(&recformat_snapshot, m, NULL, high, limit);
	m->when_ns = HAND_BASE + (uint64_t)(high ? RECFORMAT_T_MAX : -RECFORMAT_T_MAX);
	m->cause = high ? "step" : "start";
	m->na = HAND_ACTORS;
	m->a = h->a[k];
	m->owner = h->owner[k];
	m->kernel = 1;
	m->socks = s;
	m->sock_owner = &h->sock_owner[k];
	m->nsocks = 1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = malloc(1 << 20);
	assert_non_null(text);
	*len = fread(text, 1, (1 << 20) - 1, f);
	text[*len] = '\0';
	fclose(f);
	return text;
}

/* Write the by-hand run with record: the header, event 0, moment 0 (it
 * counts no event), events 1 and 2, moment 1 (every event). */
static void hand_write(Hand *h)
{
	char path[] = "/tmp/sockstep-test-hand-XXXXXX", err[512];
	char *names[HAND_ACTORS], *commands[HAND_ACTORS];
	char buf[HAND_ACTORS][16];
	for (int i = 0; i < HAND_ACTORS; i++) {
		snprintf(buf[i], sizeof buf[i], "p%d", i);
		names[i] = buf[i];
		commands[i] = "true";
	}
	memset(h, 0, sizeof *h);
	assert_non_null(h->lesson = lesson_programs("by hand", names, commands, HAND_ACTORS));
	assert_non_null(h->t = timeline_new());
	hand_event(h, 0);
	for (int k = 0; k < 2; k++)
		hand_moment(h, k);

	RecHeader head = { .lesson = h->lesson, .nactors = HAND_ACTORS, .network = "a network", .kernel = 1,
			   .kernel_note = "no capture: \xe2\x80\x94", .free_run = 1 };
	for (int i = 0; i < HAND_ACTORS; i++)
		head.actors[i] = h->lesson->actors[i].name;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	Record *rec = record_open(path, err, sizeof err);
	assert_non_null(rec);
	assert_int_equal(record_begin(rec, &head, h->t, err, sizeof err), 0);
	record_sync(rec, h->t, &h->m[0]);
	hand_event(h, 1);
	hand_event(h, 2);
	h->m[1].events = timeline_count(h->t);
	record_sync(rec, h->t, &h->m[1]);
	assert_null(record_error(rec));
	record_close(rec);
	h->text = slurp(path, &h->len);
	unlink(path);
}

static void hand_free(Hand *h)
{
	timeline_free(h->t);
	lesson_free(h->lesson);
	free(h->text);
}

/* a and b the same, member by member, as the table reads them. */
static void same_row(const RecObject *t, const void *a, int sa, const void *b, int sb)
{
	for (size_t i = 0; i < t->n; i++) {
		const RecField *f = &t->fields[i];
		if (f->flags & (RF_OUT | RF_HAND) || f->type == RF_TIME)
			continue;
		const char *pa = f->flags & RF_SIDE ? (const char *)&sa : (const char *)a + f->off;
		const char *pb = f->flags & RF_SIDE ? (const char *)&sb : (const char *)b + f->off;
		size_t size = f->flags & RF_SIDE ? sizeof(int) : f->size, la = 0, lb = 0;
		const char *sa_, *sb_;
		int same = 1;
		switch (f->type) {
		case RF_ADDR:
		case RF_DATA:
			memcpy(&la, (const char *)a + f->aux, 4);
			memcpy(&lb, (const char *)b + f->aux, 4);
			same = la == lb && memcmp(pa, pb, la) == 0;
			break;
		case RF_BYTES:
			memcpy(&la, (const char *)a + f->aux, sizeof la);
			memcpy(&lb, (const char *)b + f->aux, sizeof lb);
			memcpy(&sa_, pa, sizeof sa_);
			memcpy(&sb_, pb, sizeof sb_);
			same = la == lb && (la == 0 || memcmp(sa_, sb_, la) == 0);
			break;
		case RF_TEXT:
		case RF_CSTR:
			memcpy(&sa_, pa, sizeof sa_);
			memcpy(&sb_, pb, sizeof sb_);
			same = (!sa_ && !sb_) || (sa_ && sb_ && strcmp(sa_, sb_) == 0);
			break;
		case RF_PENDING:
			same_row(&recformat_pending, pa, 0, pb, 0);
			break;
		default:
			same = memcmp(pa, pb, size) == 0;
			break;
		}
		if (!same)
			fail_msg("%s: \"%s\" did not come back as it was written", t->name, f->name);
	}
}

/* Every member of the tables, each number at both ends of its range,
 * written by record and read back by replay_parse, comes back as it was. */
static void test_format_round_trip(void **state)
{
	(void)state;
	Hand h;
	char err[1024];
	hand_write(&h);
	Replay *r = replay_parse("hand.jsonl", h.text, h.len, err, sizeof err);
	if (!r)
		fail_msg("%s", err);
	assert_string_equal(replay_network(r), "a network");
	assert_string_equal(replay_kernel_note(r), "no capture: \xe2\x80\x94");
	assert_true(replay_had_kernel(r));
	assert_true(replay_free_run(r));
	assert_int_equal(replay_lesson(r)->nactors, HAND_ACTORS);
	assert_int_equal(replay_moments(r), 2);

	/* The moment at the far end of time: each event comes back as long
	 * before it as it was. */
	const uint64_t now = ((uint64_t)1 << 63) + ((uint64_t)1 << 62);
	Timeline *t = timeline_new();
	RunActor a[LESSON_MAX_ACTORS];
	int owner[LESSON_MAX_ACTORS];
	for (int k = 0; k < 2; k++) {
		Moment m = { .a = a, .owner = owner };
		assert_int_equal(replay_apply(r, k, t, &m, NULL, now), 0);
		const Moment *w = &h.m[k];
		same_row(&recformat_snapshot, w, k, &m, k);
		assert_int_equal((int64_t)m.when_ns, (int64_t)(w->when_ns - HAND_BASE));
		assert_int_equal(m.na, w->na);
		assert_int_equal(replay_steps(r, k), w->steps);
		assert_int_equal(replay_next(r, k), w->next);
		assert_int_equal(replay_actor(r, k), w->actor);
		for (int i = 0; i < m.na; i++) {
			assert_string_equal(m.a[i].name, w->a[i].name);
			same_row(&recformat_actor, &w->a[i], w->owner[i], &m.a[i], m.owner[i]);
		}
		assert_true(m.kernel);
		assert_int_equal(m.nsocks, 1);
		same_row(&recformat_socket, w->socks, w->sock_owner[0], m.socks, m.sock_owner[0]);
	}
	assert_int_equal(timeline_count(t), HAND_EVENTS);
	for (size_t i = 0; i < HAND_EVENTS; i++) {
		const Event *was = timeline_get(h.t, i), *is = timeline_get(t, i);
		same_row(&recformat_event, was, 0, is, 0);
		assert_int_equal(is->seq, i + 1);
		int64_t rel = (int64_t)(was->when_ns - HAND_BASE);
		assert_int_equal(is->when_ns, now - (uint64_t)RECFORMAT_T_MAX + (uint64_t)rel);
	}
	timeline_free(t);
	replay_free(r);
	hand_free(&h);
}

/* text with its line'th line (from 1) holding member "key":from changed to
 * "key":to; NULL when the line has no such member. */
static char *mutated(const char *text, int line, const char *key, long long from, long long to)
{
	char want[96], with[96];
	const char *at = text;
	for (int i = 1; i < line && at; i++)
		at = strchr(at, '\n') ? strchr(at, '\n') + 1 : NULL;
	if (!at)
		return NULL;
	const char *end = strchr(at, '\n');
	int n = snprintf(want, sizeof want, "\"%s\":%lld", key, from);
	snprintf(with, sizeof with, "\"%s\":%lld", key, to);
	for (const char *p = strstr(at, want); p && (!end || p < end); p = strstr(p + 1, want)) {
		if (p[n] != ',' && p[n] != '}')
			continue;
		size_t before = (size_t)(p - text), wl = strlen(with);
		char *out = malloc(strlen(text) + wl + 1);
		assert_non_null(out);
		memcpy(out, text, before);
		memcpy(out + before, with, wl);
		strcpy(out + before + wl, p + n);
		return out;
	}
	return NULL;
}

/* The line (from 1) of the by-hand recording that starts with prefix. */
static int line_of(const char *text, const char *prefix)
{
	int line = 1;
	for (const char *at = text; at; at = strchr(at, '\n') ? strchr(at, '\n') + 1 : NULL, line++)
		if (strncmp(at, prefix, strlen(prefix)) == 0)
			return line;
	fail_msg("no line starts with %s", prefix);
	return -1;
}

/* Each number of each table, just past either end of its range, is
 * refused by the reader, which names the member and its range. */
static void test_format_out_of_range(void **state)
{
	(void)state;
	Hand h;
	char err[1024];
	int checked = 0;
	hand_write(&h);
	static const struct { const RecObject *t; const char *line[2]; } where[] = {
		{ &recformat_event, { "{\"type\":\"event\",\"seq\":2,", "{\"type\":\"event\",\"seq\":3," } },
		{ &recformat_snapshot, { "{\"type\":\"snapshot\",\"n\":0,", "{\"type\":\"snapshot\",\"n\":1," } },
		{ &recformat_actor, { "{\"type\":\"snapshot\",\"n\":0,", "{\"type\":\"snapshot\",\"n\":1," } },
		{ &recformat_pending, { "{\"type\":\"snapshot\",\"n\":0,", "{\"type\":\"snapshot\",\"n\":1," } },
		{ &recformat_socket, { "{\"type\":\"snapshot\",\"n\":0,", "{\"type\":\"snapshot\",\"n\":1," } },
	};
	for (size_t w = 0; w < sizeof where / sizeof where[0]; w++) {
		const RecObject *t = where[w].t;
		int64_t limit[RL_COUNT_] = { [RL_EVENTS] = HAND_EVENTS, [RL_SEQ] = 3, [RL_ACTOR] = HAND_ACTORS - 1 };
		for (size_t i = 0; i < t->n; i++) {
			const RecField *f = &t->fields[i];
			if ((f->type != RF_INT && f->type != RF_UINT) || (f->flags & (RF_OUT | RF_HAND)) ||
			    (t == &recformat_event && strcmp(f->name, "seq") == 0) ||
			    (t == &recformat_snapshot && strcmp(f->name, "n") == 0))
				continue;
			for (int high = 0; high < 2; high++) {
				int64_t edge = high ? (f->limit ? limit[f->limit] : f->max) : f->min;
				/* Moment 0 counts no event, and its actors' calls none. */
				if (!high && f->limit == RL_EVENTS)
					edge = 0;
				if ((high && edge == INT64_MAX) || (!high && edge == INT64_MIN))
					continue;   /* past those, JSON's own limit refuses */
				int64_t past = high ? edge + 1 : edge - 1;
				char *bad = mutated(h.text, line_of(h.text, where[w].line[high]), f->name, edge, past);
				if (!bad)
					fail_msg("%s: no \"%s\":%lld to change", t->name, f->name, (long long)edge);
				char want[128];
				snprintf(want, sizeof want, "\"%s\" is %lld, out of range (", f->name, (long long)past);
				Replay *r = replay_parse("hand.jsonl", bad, strlen(bad), err, sizeof err);
				if (r || !strstr(err, want))
					fail_msg("%s: \"%s\" at %lld was %s (%s)", t->name, f->name, (long long)past,
						 r ? "taken" : "refused, but not by name", r ? "" : err);
				replay_free(r);
				free(bad);
				checked++;
			}
		}
	}
	assert_true(checked > 40);
	/* One in full: where it is, what, and the range. */
	char *bad = mutated(h.text, line_of(h.text, "{\"type\":\"event\",\"seq\":3,"), "actor", 7, 8);
	assert_non_null(bad);
	assert_null(replay_parse("hand.jsonl", bad, strlen(bad), err, sizeof err));
	assert_string_equal(err, "hand.jsonl:5: event: \"actor\" is 8, out of range (-1 to 7)");
	free(bad);
	hand_free(&h);
}

/* line without the members a replay does not keep, which a rewrite
 * cannot give back: "created" (when the file was written), "cause",
 * "finished" and "succeeded" (for other readers), and "t" (whose 0 is the
 * writing run's clock; test_format_round_trip holds times). They are
 * members of the line's own object, before any nested one, and their
 * values hold no comma. */
static void strip(char *line)
{
	static const char *const keys[] = { "\"created\":", "\"t\":", "\"cause\":", "\"finished\":", "\"succeeded\":" };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		char *p = strstr(line, keys[k]), *comma = p ? strchr(p, ',') : NULL;
		if (comma)
			memmove(p, comma + 1, strlen(comma + 1) + 1);
	}
}

/* Read path with replay and write what it read with record, moment by
 * moment, as the engine would have: every line comes back byte for byte,
 * but for what strip leaves out. The corpus's recordings were written by
 * record.c before the format was a table: this holds the table to them. */
static void rewrite_same(const char *path)
{
	char out[] = "/tmp/sockstep-test-rewrite-XXXXXX", err[1024];
	Replay *r = replay_load(path, err, sizeof err);
	if (!r)
		fail_msg("%s", err);
	const Lesson *l = replay_lesson(r);
	RecHeader h = { .lesson = l, .nactors = l->nactors, .network = replay_network(r),
			.kernel = replay_had_kernel(r), .kernel_note = replay_kernel_note(r),
			.free_run = replay_free_run(r) };
	for (int i = 0; i < l->nactors; i++)
		h.actors[i] = l->actors[i].name;
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	Record *rec = record_open(out, err, sizeof err);
	assert_non_null(rec);
	Timeline *t = timeline_new();
	RunActor a[LESSON_MAX_ACTORS];
	int owner[LESSON_MAX_ACTORS];
	assert_int_equal(record_begin(rec, &h, t, err, sizeof err), 0);
	for (int k = 0; k < replay_moments(r); k++) {
		Moment m = { .a = a, .owner = owner };
		assert_int_equal(replay_apply(r, k, t, &m, NULL, (uint64_t)1 << 62), 0);
		m.cause = "?";
		record_sync(rec, t, &m);
	}
	assert_null(record_error(rec));
	record_close(rec);
	timeline_free(t);
	replay_free(r);

	FILE *was = fopen(path, "r"), *is = fopen(out, "r");
	assert_non_null(was);
	assert_non_null(is);
	char *lw = NULL, *li = NULL;
	size_t cw = 0, ci = 0;
	int line = 0;
	for (;;) {
		ssize_t nw = getline(&lw, &cw, was), ni = getline(&li, &ci, is);
		line++;
		if (nw < 0 || ni < 0) {
			if (nw >= 0 || ni >= 0)
				fail_msg("%s: line %d: one file ends, the other does not", path, line);
			break;
		}
		strip(lw);
		strip(li);
		if (strcmp(lw, li) != 0)
			fail_msg("%s: line %d written again differs:\n%.300s\n%.300s", path, line, lw, li);
	}
	free(lw);
	free(li);
	fclose(was);
	fclose(is);
	unlink(out);
}

static void test_old_recordings_written_again(void **state)
{
	(void)state;
	rewrite_same("tests/fuzz/corpus/record/echo.jsonl");
	rewrite_same("tests/fuzz/corpus/record/chat.jsonl");
	rewrite_same("tests/fuzz/corpus/record/refused.jsonl");
	rewrite_same("tests/fuzz/corpus/record/echo-free-run.jsonl");
	rewrite_same("tests/fuzz/corpus/record/run-python-echo.jsonl");
}

/* ---- json ---------------------------------------------------------------- */

static void test_json(void **state)
{
	(void)state;
	char err[128];
	JsonlOut o = { 0 };
	jsonl_out_reset(&o);
	jsonl_begin_object(&o);
	jsonl_key(&o, "a");
	jsonl_int(&o, INT64_MIN);
	jsonl_key(&o, "b\"");
	jsonl_begin_array(&o);
	jsonl_string(&o, "x\n\x01\xc3\xa9", 5);
	jsonl_bool(&o, 1);
	jsonl_null(&o);
	jsonl_hex(&o, "\x00\xff", 2);
	jsonl_end_array(&o);
	jsonl_end_object(&o);
	assert_string_equal(o.buf, "{\"a\":-9223372036854775808,\"b\\\"\":[\"x\\n\\u0001\xc3\xa9\",true,null,\"00ff\"]}");
	JsonlValue *v = jsonl_parse(o.buf, o.len, err, sizeof err);
	assert_non_null(v);
	assert_int_equal(jsonl_get(v, "a")->i, INT64_MIN);
	const JsonlValue *b = jsonl_get(v, "b\"");
	assert_int_equal(b->type, JSONL_ARRAY);
	assert_int_equal(b->len, 4);
	assert_string_equal(b->v[0].s, "x\n\x01\xc3\xa9");
	assert_int_equal(b->v[1].i, 1);
	jsonl_free(v);
	jsonl_out_free(&o);

	/* jansson's words where it refuses, ours where the tree refuses; each
	 * starts with the column where jansson knows it. */
	static const struct { const char *text, *err; } bad[] = {
		{ "{\"a\":1,\"a\":2}", "col 10: duplicate object key" },
		{ "1.5", "only whole numbers here" },
		{ "9223372036854775808", "col 19: too big integer" },
		{ "\"\\ud800\"", "col 8: invalid Unicode '\\uD800'" },
		{ "\"\xff\"", "col 1: unable to decode byte 0xff" },
		{ "\"\\u0000\"", "col 8: \\u0000 is not allowed" },
		{ "[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]", "nested too deeply" },
		{ "{} x", "col 4: end of file expected" },
		{ "\"abc", "col 4: premature end of input" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(jsonl_parse(bad[i].text, strlen(bad[i].text), err, sizeof err));
		assert_memory_equal(err, bad[i].err, strlen(bad[i].err));
	}
	/* Whole, since a flag of jansson's API once ended it. */
	assert_null(jsonl_parse("\"\\u0000\"", 8, err, sizeof err));
	assert_string_equal(err, "col 8: \\u0000 is not allowed in a string");
	JsonlValue *min = jsonl_parse("-9223372036854775808", 20, err, sizeof err);
	assert_non_null(min);
	assert_int_equal(min->i, INT64_MIN);
	jsonl_free(min);
	assert_true(jsonl_utf8("h\xc3\xa9", 3));
	assert_false(jsonl_utf8("\xed\xa0\x80", 3));   /* a surrogate */
	assert_false(jsonl_utf8("a\0b", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_reader_refusals),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_format_out_of_range),
		cmocka_unit_test(test_old_recordings_written_again),
		cmocka_unit_test(test_echo_replayed),
		cmocka_unit_test(test_echo_without_kernel_view),
		cmocka_unit_test(test_chat_replayed),
		cmocka_unit_test(test_handshake_replayed),
		cmocka_unit_test(test_traced_programs_replayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
