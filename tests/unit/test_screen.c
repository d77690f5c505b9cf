/* test_screen.c - the TUI's screen, rendered without a terminal.
 *
 * Runs lessons/01-echo.lesson for real (the engine forks its actors), steps
 * it, renders frames at given sizes and checks their text: what a student
 * would read. Also the frame and theme basics the screen rests on, and the
 * kernel's view: the socket pane, the packet pane and packets as arrows in
 * the flow, from the real capture and socket table (skipped, saying so,
 * where the kernel view reports no capture); and the fallback to call
 * arrows in a run without the kernel view. Fixture from the repository root
 * (as `make check` does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/engine.h"
#include "model/lesson.h"
#include "views/flow.h"
#include "views/frame.h"
#include "views/screen.h"
#include "views/sockpane.h"
#include "views/theme.h"
#include "views/assets.h"

static const char *echo_path = "lessons/01-echo.lesson";

typedef struct {
	Lesson *lesson;
	Run *engine;
	ScreenState s;
} Fixture;

static int fixture_start(void **state, int no_kernel)
{
	char err[512];
	Fixture *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	r->lesson = lesson_load(echo_path, err, sizeof err);
	if (!r->lesson) {
		print_error("%s (run the tests from the repository root)\n", err);
		free(r);
		return -1;
	}
	EngineOptions eo = { .settle_ms = 50, .no_kernel = no_kernel };
	r->engine = engine_new(r->lesson, &eo);
	if (!r->engine || run_start(r->engine, err, sizeof err) < 0) {
		print_error("engine: %s\n", err);
		return -1;
	}
	screen_state_init(&r->s);
	*state = r;
	return 0;
}

static int run_setup(void **state)
{
	return fixture_start(state, 0);
}

static int run_setup_no_kernel(void **state)
{
	return fixture_start(state, 1);
}

static int run_teardown(void **state)
{
	Fixture *r = *state;
	run_free(r->engine);
	lesson_free(r->lesson);
	free(r);
	return 0;
}

/* Render at w x h (ASCII glyphs unless unicode), with next filled in as the
 * controller would. Returns the frame; the caller frees it. */
static Frame *render(Fixture *r, int w, int h, int unicode)
{
	Frame *f = frame_new(w, h);
	assert_non_null(f);
	r->s.unicode = unicode;
	r->s.next = run_finished(r->engine) ? -1 : run_next(r->engine);
	screen_render(r->engine, &r->s, f);
	return f;
}

/* The first row holding needle, copied into row; -1 if none does. */
static int find_row(const Frame *f, const char *needle, char *row, size_t cap)
{
	for (int y = 0; y < f->h; y++) {
		frame_row_text(f, y, row, cap);
		if (strstr(row, needle))
			return y;
	}
	return -1;
}

/* The column (in cells) where needle starts on row y: the ASCII frame has
 * one byte per cell, so the byte offset is the column. */
static int column_of(const char *row, const char *needle)
{
	const char *p = strstr(row, needle);
	return p ? (int)(p - row) : -1;
}

static void step_sched(Fixture *r, int n)
{
	for (int i = 0; i < n; i++)
		assert_true(run_step(r->engine, -1, NULL) >= 0);
}

/* Step with the scheduler until actor's call of op has returned. */
static void step_until_returned(Fixture *r, int actor, LessonOp op)
{
	for (int i = 0; i < 40; i++) {
		const Timeline *t = run_timeline(r->engine);
		for (size_t k = 0; k < timeline_count(t); k++) {
			const Event *ev = timeline_get(t, k);
			if (ev->kind == EV_RETURN && ev->actor == actor && ev->op == (int)op)
				return;
		}
		assert_true(run_step(r->engine, -1, NULL) >= 0);
	}
	fail_msg("the call never returned");
}

static void test_frame_basics(void **state)
{
	(void)state;
	char row[256];
	Frame *f = frame_new(10, 3);
	assert_non_null(f);
	assert_int_equal(frame_put(f, 0, 0, "h\xc3\xa9llo\x01\xff", ROLE_NORMAL, -1), 7);
	frame_row_text(f, 0, row, sizeof row);
	assert_string_equal(row, "h\xc3\xa9llo??");
	assert_int_equal(frame_put_fit(f, 0, 1, "abcdefghijkl", ROLE_NORMAL, 6, "~"), 6);
	frame_row_text(f, 1, row, sizeof row);
	assert_string_equal(row, "abcde~");
	frame_clear(f);
	assert_int_equal(frame_wrap(f, 0, 0, 10, 3, "one two three four", ROLE_NORMAL), 2);
	frame_row_text(f, 1, row, sizeof row);
	assert_string_equal(row, "three four");
	/* Writing off the frame is clipped, never a crash. */
	assert_int_equal(frame_put(f, 8, 5, "xyz", ROLE_NORMAL, -1), 0);
	assert_int_equal(frame_put(f, 8, 2, "xyz", ROLE_NORMAL, -1), 2);
	frame_free(f);
}

static void test_themes(void **state)
{
	(void)state;
	Theme t;
	char err[128];
	assert_int_equal(theme_parse(theme_text("default"), &t, err, sizeof err), 0);
	/* Without colour the current call must still stand out. */
	assert_true(t.role[ROLE_CURRENT].attrs & THEME_REVERSE);
	assert_int_equal(theme_parse(theme_text("contrast"), &t, err, sizeof err), 0);
	assert_null(theme_text("nope"));
	assert_int_equal(theme_parse("normal default default\nbogus red default\n", &t, err, sizeof err), -1);
	assert_string_equal(err, "line 2: unknown role");
	assert_int_equal(theme_parse("error purple default\n", &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "colour"));
	/* The help is compiled in, with the place of the key table's lines. */
	assert_non_null(strstr(asset_help_txt, "\n@keys\n"));
}

/* The first frame is drawn before the actors are made (start-up within
 * 2x a bare curses program): it must read as the lesson starting, not as
 * a run that has ended or is stuck. */
static void test_before_start(void **state)
{
	(void)state;
	char err[512];
	Lesson *l = lesson_load(echo_path, err, sizeof err);
	assert_non_null(l);
	EngineOptions eo = { .settle_ms = 50 };
	Run *e = engine_new(l, &eo);
	assert_non_null(e);
	ScreenState s;
	screen_state_init(&s);
	s.starting = 1;
	s.next = -1;
	Frame *f = frame_new(80, 24);
	assert_non_null(f);
	screen_render(e, &s, f);
	char *text = frame_text(f);
	char row[512];
	frame_row_text(f, 0, row, sizeof row);
	assert_non_null(strstr(row, "echo"));
	assert_non_null(strstr(row, "starting"));
	assert_null(strstr(row, "step 0"));
	assert_non_null(strstr(text, "SERVER  starting"));
	assert_non_null(strstr(text, "CLIENT  starting"));
	assert_null(strstr(text, "Stuck"));
	assert_null(strstr(text, "stuck"));
	assert_null(strstr(text, "exited"));
	assert_null(strstr(text, "finished"));
	assert_non_null(strstr(text, "quit"));
	free(text);
	frame_free(f);
	run_free(e);
	lesson_free(l);
}

static void test_too_small(void **state)
{
	Fixture *r = *state;
	Frame *f = render(r, 40, 10, 0);
	char *text = frame_text(f);
	assert_non_null(strstr(text, "terminal too small: 40x10;"));
	assert_non_null(strstr(text, "needs 60x20"));
	assert_null(strstr(text, "SERVER"));
	free(text);
	frame_free(f);
}

static void test_accept_blocks(void **state)
{
	Fixture *r = *state;
	char row[1024];
	step_sched(r, 3);   /* server: socket, bind, listen */
	Frame *f = render(r, 80, 24, 0);
	/* accept() is the server's pending call; it would block, so the
	 * scheduler names the client's socket() as next. */
	assert_true(find_row(f, ">> accept(3)", row, sizeof row) >= 0);
	assert_true(column_of(row, ">> accept(3)") < 40);
	assert_true(find_row(f, "Next: client socket(AF_INET, SOCK_STREAM)", row, sizeof row) >= 0);
	frame_free(f);

	/* The scheduler would run the client now (accept would block); step
	 * the server by hand, as a student picking it would. */
	assert_int_equal(run_step(r->engine, 0, NULL), 0);
	assert_int_equal(run_actor(r->engine, 0)->state, ACTOR_BLOCKED);
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "SERVER", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "blocked in accept"));
	assert_true(find_row(f, "accept(3)", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "accept(3) ... blocked"));
	assert_true(column_of(row, "accept(3)") < 40);   /* in the server's column */
	assert_non_null(strstr(row, ".. accept"));
	frame_free(f);

	step_sched(r, 2);   /* client: socket, connect -- which wakes the accept */
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "accept(3) = 4", row, sizeof row) >= 0);
	assert_null(strstr(row, "blocked"));
	assert_true(find_row(f, "connect(3, 127.0.0.1:65432) = 0", row, sizeof row) >= 0);
	assert_true(column_of(row, "connect(3") >= 40);  /* in the client's column */
	assert_non_null(strstr(row, "<--"));             /* the connection arrow */
	frame_free(f);
}

static void test_bytes_after_sendall(void **state)
{
	Fixture *r = *state;
	char row[1024];
	step_until_returned(r, 1, OP_SENDALL);
	Frame *f = render(r, 80, 24, 0);
	assert_true(find_row(f, "client -> server  12 B  sendall(3)", row, sizeof row) >= 0);
	assert_true(find_row(f, "48 65 6c 6c 6f 2c 20 77 6f 72 6c 64", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "Hello, world"));
	if (strstr(run_kernel_note(r->engine), "capture")) {
		assert_true(find_row(f, "12 B-", row, sizeof row) >= 0);   /* the call's data arrow */
	} else {
		/* The segment that carried the bytes is the arrow, and the byte
		 * pane says which segment it was. */
		assert_true(find_row(f, "-PSH,ACK 12B-", row, sizeof row) >= 0);
		assert_null(strstr(row, "12 B-"));
		assert_true(find_row(f, "client -> server  12 B  sendall(3)", row, sizeof row) >= 0);
		assert_non_null(strstr(row, "carried by 1 segment: PSH,ACK len=12"));
	}
	frame_free(f);

	/* A big terminal shows the same, with room to spare. */
	f = render(r, 160, 48, 1);
	assert_true(find_row(f, "48 65 6c 6c 6f 2c 20 77 6f 72 6c 64", row, sizeof row) >= 0);
	assert_true(find_row(f, "SERVER", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "CLIENT"));
	frame_free(f);
}

static void test_runs_to_the_end(void **state)
{
	Fixture *r = *state;
	char row[1024];
	for (int i = 0; i < 40 && !run_finished(r->engine); i++)
		run_step(r->engine, -1, NULL);
	run_drain(r->engine, 2000);
	assert_true(run_succeeded(r->engine));
	Frame *f = render(r, 80, 24, 0);
	assert_true(find_row(f, "lesson finished: m menu, r restart, q quit", row, sizeof row) >= 0);
	frame_free(f);
	/* From the menu, the next lesson is offered, and n leads to it. */
	r->s.next_lesson = "02 chat";
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "lesson finished: n next lesson (02 chat), m menu, r restart", row, sizeof row) >= 0);
	assert_true(find_row(f, " n  next lesson", row, sizeof row) == 23);
	r->s.next_lesson = NULL;
	assert_true(find_row(f, "console: Received Hello, world", row, sizeof row) >= 0);
	assert_true(find_row(f, "end of stream", row, sizeof row) >= 0);
	frame_free(f);

	/* The help overlay covers the screen with the help text. */
	r->s.help = 1;
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "sockstep help", row, sizeof row) >= 0);
	assert_true(find_row(f, "autoplay on or off", row, sizeof row) >= 0);
	frame_free(f);
	r->s.help = 0;
}

/* ---- the kernel's view ------------------------------------------------ */

/* The packet tests need a capture; the kernel view says when there is none. */
static void need_capture(Fixture *r)
{
	const char *note = run_kernel_note(r->engine);
	if (*note) {
		print_message("kernel view incomplete here (%s): skipped\n", note);
		skip();
	}
}

/* The row of an arrow labelled label ("-SYN-"), pointing left or right. */
static int arrow_row(const Frame *f, const char *label, int leftward, char *row, size_t cap)
{
	for (int y = 0; y < f->h; y++) {
		frame_row_text(f, y, row, cap);
		char *p = strstr(row, label);
		if (!p)
			continue;
		/* The arrowhead is the end of the run of '-' around the label. */
		char *a = p, *b = p + strlen(label);
		while (a > row && a[-1] == '-')
			a--;
		while (*b == '-')
			b++;
		if (leftward ? a > row && a[-1] == '<' : *b == '>')
			return y;
	}
	return -1;
}

static void test_handshake_in_panes(void **state)
{
	Fixture *r = *state;
	char row[1024];
	need_capture(r);
	/* server: socket, bind, listen; client: socket, connect. accept() would
	 * block, so the scheduler lets the client connect first: the kernel
	 * finishes the handshake and queues the connection. */
	step_sched(r, 5);
	assert_int_equal(run_actor(r->engine, 0)->step, 3);   /* the server sits before accept() */
	r->s.pane = SCREEN_PANE_SOCKETS;
	Frame *f = render(r, 80, 24, 0);
	assert_true(find_row(f, "sockets (3)", row, sizeof row) >= 0);
	assert_true(find_row(f, "LISTEN", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "queue 1/1"));
	assert_non_null(strstr(row, "server"));
	assert_non_null(strstr(row, "127.0.0.1:65432"));
	assert_true(find_row(f, "client tcp", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "ESTABLISHED"));
	/* The server's end is the kernel's until accept() hands it over. */
	assert_true(find_row(f, "kernel tcp", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "ESTABLISHED"));
	assert_true(find_row(f, "Recv-Q Send-Q", row, sizeof row) >= 0);

	/* In the flow: SYN from the client beside its connect(), the SYN,ACK
	 * back, the ACK; no separate "connect" arrow. */
	int connect = find_row(f, "connect(3, 127.0.0.1:65432) = 0", row, sizeof row);
	int syn = arrow_row(f, "-SYN-", 1, row, sizeof row);
	int synack = arrow_row(f, "-SYN,ACK-", 0, row, sizeof row);
	int ack = arrow_row(f, "-ACK-", 1, row, sizeof row);
	assert_true(connect > 0);
	assert_int_equal(syn, connect);
	assert_int_equal(synack, syn + 1);
	assert_int_equal(ack, syn + 2);
	assert_int_equal(find_row(f, "connect-", row, sizeof row), -1);
	frame_free(f);

	/* The packet pane lists them, sender first. */
	r->s.pane = SCREEN_PANE_PACKETS;
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "packets (3)", row, sizeof row) >= 0);
	assert_true(find_row(f, "client -> server  TCP [SYN] seq=0", row, sizeof row) >= 0);
	assert_true(find_row(f, "server -> client  TCP [SYN,ACK] seq=0 ack=1", row, sizeof row) >= 0);
	assert_true(find_row(f, "client -> server  TCP [ACK] seq=1 ack=1", row, sizeof row) >= 0);
	assert_int_equal(find_row(f, "Recv-Q", row, sizeof row), -1);   /* one pane at a time */
	frame_free(f);

	/* A large terminal shows bytes, sockets and packets at once. */
	r->s.pane = SCREEN_PANE_BYTES;
	f = render(r, 160, 48, 1);
	assert_true(find_row(f, "queue 1/1", row, sizeof row) >= 0);
	assert_true(find_row(f, "TCP [SYN,ACK]", row, sizeof row) >= 0);
	assert_true(find_row(f, "No bytes have moved yet", row, sizeof row) >= 0);
	assert_true(find_row(f, "SYN,ACK─", row, sizeof row) >= 0);
	frame_free(f);
	f = render(r, 120, 40, 0);
	assert_true(find_row(f, "queue 1/1", row, sizeof row) >= 0);
	assert_true(find_row(f, "TCP [SYN,ACK]", row, sizeof row) >= 0);
	frame_free(f);
	assert_true(screen_all_panes(160, 48) && screen_all_panes(120, 40) && !screen_all_panes(80, 24));
}

/* The handshake's arrows as the controller animates them: the SYN and the
 * SYN,ACK travel one after the other, a label showing as its arrow passes
 * it; the bare ACK travels not, and appears once they have arrived. */
static void test_handshake_animated(void **state)
{
	Fixture *r = *state;
	char row[1024];
	need_capture(r);
	int count = 0;
	r->s.anim_seq = flow_arrow_since(r->engine, 0, &count);
	assert_true(r->s.anim_seq != 0);
	assert_int_equal(count, 2);
	r->s.anim_len = 2 * 4;
	r->s.pane = SCREEN_PANE_BYTES;

	r->s.anim_pos = 3;   /* the SYN's last stride: its label has been passed */
	Frame *f = render(r, 80, 24, 0);
	assert_true(arrow_row(f, "-SYN-", 1, row, sizeof row) >= 0);
	int head = column_of(row, "<");   /* not yet arrived: further right than at the end */
	assert_int_equal(find_row(f, "SYN,ACK", row, sizeof row), -1);
	assert_int_equal(arrow_row(f, "-ACK-", 1, row, sizeof row), -1);
	frame_free(f);

	r->s.anim_pos = 7;   /* the SYN,ACK's last stride */
	f = render(r, 80, 24, 0);
	assert_true(arrow_row(f, "-SYN-", 1, row, sizeof row) >= 0);
	assert_true(find_row(f, "SYN,ACK", row, sizeof row) >= 0);
	assert_int_equal(arrow_row(f, "-ACK-", 1, row, sizeof row), -1);
	frame_free(f);

	r->s.anim_pos = 8;   /* over: every arrow whole */
	f = render(r, 80, 24, 0);
	assert_true(arrow_row(f, "-SYN-", 1, row, sizeof row) >= 0);
	assert_true(column_of(row, "<") < head);
	assert_true(arrow_row(f, "-SYN,ACK-", 0, row, sizeof row) >= 0);
	assert_true(arrow_row(f, "-ACK-", 1, row, sizeof row) >= 0);
	frame_free(f);
	r->s.anim_seq = 0;
	r->s.anim_pos = r->s.anim_len = 0;
}

/* Role of the first cell of needle on row y. */
static Role role_at(const Frame *f, int y, const char *row, const char *needle)
{
	return (Role)frame_cell(f, column_of(row, needle), y)->role;
}

static void test_changes_highlighted(void **state)
{
	Fixture *r = *state;
	char row[1024];
	need_capture(r);
	const Timeline *t = run_timeline(r->engine);
	uint64_t last = timeline_get(t, timeline_count(t) - 1)->when_ns;
	r->s.pane = SCREEN_PANE_SOCKETS;
	/* Just after the change: the listener's row is highlighted, and the
	 * screen asks to be redrawn when the highlight ends. */
	r->s.now_ns = last + 1;
	Frame *f = render(r, 80, 24, 0);
	int y = find_row(f, "LISTEN", row, sizeof row);
	assert_true(y >= 0);
	assert_int_equal(role_at(f, y, row, "LISTEN"), ROLE_CURRENT);
	assert_int_equal(row[1], '*');   /* and marked, for a screen without colour */
	uint64_t due = screen_due(r->engine, r->s.now_ns);
	assert_true(due > r->s.now_ns && due <= last + 1 + (uint64_t)SOCKPANE_FLASH_MS * 1000000u);
	frame_free(f);
	/* Later: no highlight, nothing due (no timer runs), still marked. */
	r->s.now_ns = last + 2000000000u;
	f = render(r, 80, 24, 0);
	y = find_row(f, "LISTEN", row, sizeof row);
	assert_int_not_equal(role_at(f, y, row, "LISTEN"), ROLE_CURRENT);
	assert_int_equal(row[1], '*');
	assert_int_equal(screen_due(r->engine, r->s.now_ns), 0);
	frame_free(f);
	r->s.now_ns = 0;
}

static void test_close_time_wait(void **state)
{
	Fixture *r = *state;
	char row[1024];
	need_capture(r);
	for (int i = 0; i < 40 && !run_finished(r->engine); i++)
		run_step(r->engine, -1, NULL);
	run_drain(r->engine, 2000);
	assert_true(run_succeeded(r->engine));
	r->s.pane = SCREEN_PANE_SOCKETS;
	Frame *f = render(r, 80, 24, 0);
	/* The client closed first: its end waits in TIME_WAIT, which no
	 * process holds any more but the kernel still reports. */
	assert_true(find_row(f, "TIME_WAIT", row, sizeof row) >= 0);
	assert_non_null(strstr(row, "client"));
	assert_int_equal(find_row(f, "LISTEN", row, sizeof row), -1);
	frame_free(f);
	/* Right after the listener closed, its row fades out as "gone". */
	const Timeline *t = run_timeline(r->engine);
	const Event *gone = NULL;
	for (size_t k = 0; k < timeline_count(t); k++)
		if (timeline_get(t, k)->kind == EV_STATE && timeline_get(t, k)->state < 0)
			gone = timeline_get(t, k);
	assert_non_null(gone);
	r->s.now_ns = gone->when_ns + 1;
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, " gone", row, sizeof row) >= 0);
	assert_int_equal(role_at(f, find_row(f, " gone", row, sizeof row), row, "gone"), ROLE_DIM);
	frame_free(f);
	r->s.now_ns = gone->when_ns + 2000000000u;
	f = render(r, 80, 24, 0);
	assert_int_equal(find_row(f, " gone", row, sizeof row), -1);
	frame_free(f);
	r->s.now_ns = 0;
	/* The close's FIN,ACK is an arrow too. */
	f = render(r, 80, 40, 0);
	assert_true(find_row(f, "FIN,ACK", row, sizeof row) >= 0);
	frame_free(f);
}

/* Without the kernel view the calls draw their own arrows, and the panes
 * say plainly what is missing. */
static void test_no_kernel_view(void **state)
{
	Fixture *r = *state;
	char row[1024];
	step_sched(r, 5);
	Frame *f = render(r, 80, 24, 0);
	assert_true(find_row(f, "-connect-", row, sizeof row) >= 0);
	assert_int_equal(find_row(f, "SYN", row, sizeof row), -1);
	frame_free(f);
	r->s.pane = SCREEN_PANE_SOCKETS;
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "No socket table in this run", row, sizeof row) >= 0);
	frame_free(f);
	r->s.pane = SCREEN_PANE_PACKETS;
	f = render(r, 80, 24, 0);
	assert_true(find_row(f, "No packet capture in this run", row, sizeof row) >= 0);
	frame_free(f);
	r->s.pane = SCREEN_PANE_BYTES;
}

int main(void)
{
	const struct CMUnitTest basics[] = {
		cmocka_unit_test(test_frame_basics),
		cmocka_unit_test(test_themes),
		cmocka_unit_test(test_before_start),
	};
	/* One real run, stepped further by each test in turn. */
	const struct CMUnitTest echo[] = {
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_accept_blocks),
		cmocka_unit_test(test_bytes_after_sendall),
		cmocka_unit_test(test_runs_to_the_end),
	};
	const struct CMUnitTest kernel[] = {
		cmocka_unit_test(test_handshake_in_panes),
		cmocka_unit_test(test_handshake_animated),
		cmocka_unit_test(test_changes_highlighted),
		cmocka_unit_test(test_close_time_wait),
	};
	const struct CMUnitTest bare[] = {
		cmocka_unit_test(test_no_kernel_view),
	};
	int failed = cmocka_run_group_tests_name("screen basics", basics, NULL, NULL);
	failed += cmocka_run_group_tests_name("screen on a real echo run", echo, run_setup, run_teardown);
	failed += cmocka_run_group_tests_name("the kernel's view on a real echo run", kernel, run_setup, run_teardown);
	failed += cmocka_run_group_tests_name("a run without the kernel's view", bare, run_setup_no_kernel, run_teardown);
	return failed ? 1 : 0;
}
