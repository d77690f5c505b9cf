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

#include <cmocka.h>

#include "model/engine.h"
#include "model/playback.h"
#include "model/jsonl.h"
#include "model/lesson.h"
#include "model/record.h"
#include "model/replay.h"
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

/* Snapshots written so far: the file is flushed after each one. */
static int snapshots_in(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	assert_non_null(f);
	while (getline(&line, &cap, f) >= 0)
		n += strncmp(line, "{\"type\":\"snapshot\"", 18) == 0;
	free(line);
	fclose(f);
	return n;
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

/* The run has just written its latest moment: keep its screens. */
static void keep(Fixture *r, Run *e, const char *path)
{
	int n = snapshots_in(path);
	assert_true(n >= 1 && n <= MAX_MOMENTS);
	int m = n - 1;
	for (int k = 0; k < VIEWS; k++)
		free(r->view[m][k]);
	render_views(e, r->view[m]);
	r->steps[m] = run_steps_done(e);
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
		cmocka_unit_test(test_echo_replayed),
		cmocka_unit_test(test_echo_without_kernel_view),
		cmocka_unit_test(test_chat_replayed),
		cmocka_unit_test(test_handshake_replayed),
		cmocka_unit_test(test_traced_programs_replayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
