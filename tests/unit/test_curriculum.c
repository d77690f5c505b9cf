/* test_curriculum.c - the screens of the curriculum, rendered without a
 * terminal: the lesson menu with its finished marks, a question asked
 * before its call runs and its verdict after, and the code pane.
 *
 * The menu reads the real lessons/ (SOCKSTEP_LESSONS) and a progress file
 * in a temporary XDG_STATE_HOME. The questions run a small lesson of this
 * file's own for real, so that other lessons changing never moves these
 * checks: one question the run agrees with, one whose call blocks before
 * it returns, and one whose answer the run contradicts (a lesson bug the
 * screen must show, not hide). Fixture from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/catalog.h"
#include "model/engine.h"
#include "model/lesson.h"
#include "model/progress.h"
#include "views/codegen.h"
#include "views/codepane.h"
#include "views/frame.h"
#include "views/picker.h"
#include "views/quiz.h"
#include "views/screen.h"

static const char predict_lesson[] =
	"title: Predictions\n"
	"about: A server and a client, three questions.\n"
	"actor server\n"
	"  socket AF_INET SOCK_STREAM\n"
	"  bind 127.0.0.1 65432\n"
	"  listen 1\n"
	"  accept\n"
	"  recv 100\n"
	"  ? The client sent hello. How many bytes will this recv() return?  [5] 0 \"it blocks\"\n"
	"  send \"hi\"\n"
	"  close\n"
	"actor client\n"
	"  socket AF_INET SOCK_STREAM\n"
	"  connect 127.0.0.1 65432\n"
	"  send \"hello\"\n"
	"  recv 100\n"
	"  ? How many bytes will this recv() return?  [7] 2 0\n"
	"  close\n";

typedef struct {
	Lesson *lesson;
	Run *engine;
	ScreenState s;
} Fixture;

static char state_dir[] = "/tmp/sockstep-test-XXXXXX";

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

/* The rows from y0 on joined into one line, as a wrapped paragraph reads:
 * each row without its leading and trailing blanks, one blank between. */
static void flat_text(const Frame *f, int y0, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (int y = y0; y < f->h && o + 2 < cap; y++) {
		char row[1024];
		frame_row_text(f, y, row, sizeof row);
		const char *p = row + strspn(row, " ");
		if (!*p)
			continue;
		int n = snprintf(out + o, cap - o, "%s%s", o ? " " : "", p);
		o += n > 0 ? (size_t)n : 0;
	}
}

/* ---- the menu ------------------------------------------------------------ */

static int menu_setup(void **state)
{
	(void)state;
	if (!mkdtemp(state_dir))
		return -1;
	setenv("XDG_STATE_HOME", state_dir, 1);
	setenv("SOCKSTEP_LESSONS", "lessons", 1);
	return 0;
}

static int menu_teardown(void **state)
{
	(void)state;
	char path[4096];
	if (progress_path(path, sizeof path) == 0)
		unlink(path);
	snprintf(path, sizeof path, "%s/sockstep", state_dir);
	rmdir(path);
	rmdir(state_dir);
	return 0;
}

static int index_of(const CatalogEntry *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return i;
	return -1;
}

static void test_menu_marks(void **state)
{
	(void)state;
	char err[256], row[1024];
	assert_int_equal(progress_finish("echo", 2, 2, err, sizeof err), 0);
	CatalogEntry *list = NULL;
	int n = catalog_list(&list);
	assert_true(n >= 2);
	int echo = index_of(list, n, "echo"), udp = index_of(list, n, "udp");
	assert_true(echo >= 0 && udp >= 0);
	Progress p = { 0 };
	assert_int_equal(progress_load(&p), 0);
	PickerState ps = { .lessons = list, .n = n, .progress = &p, .selected = udp };
	Frame *f = frame_new(80, 24);
	assert_non_null(f);
	picker_render(&ps, f);

	/* The finished lesson carries its score; the others no mark. */
	int y = find_row(f, list[echo].title, row, sizeof row);
	assert_true(y > 0);
	assert_non_null(strstr(row, "ok 2/2"));
	assert_non_null(strstr(row, "01"));
	y = find_row(f, list[udp].title, row, sizeof row);
	assert_true(y > 0);
	assert_null(strstr(row, "ok "));
	/* The picked line is marked (not by colour alone), its summary below. */
	assert_non_null(strstr(row, ">> "));
	assert_int_equal(frame_cell(f, 0, y)->role, ROLE_SELECTED);
	char flat[8192];
	flat_text(f, y + 1, flat, sizeof flat);
	assert_non_null(strstr(flat, list[udp].about));
	assert_true(find_row(f, "1 of ", row, sizeof row) == 0);
	assert_true(find_row(f, " enter  open", row, sizeof row) == 23);

	/* UTF-8: a tick; and a long list scrolls to keep the pick in sight. */
	ps.unicode = 1;
	ps.selected = n - 1;
	picker_render(&ps, f);
	assert_true(find_row(f, list[n - 1].title, row, sizeof row) > 0);
	if (n > picker_page(80, 24))
		assert_int_equal(find_row(f, list[0].title, row, sizeof row), -1);
	ps.selected = echo;
	picker_render(&ps, f);
	assert_true(find_row(f, list[echo].title, row, sizeof row) > 0);
	assert_non_null(strstr(row, "✓ 2/2"));

	/* Without lessons the menu says where it looked. */
	ps.n = 0;
	picker_render(&ps, f);
	assert_true(find_row(f, "No lessons found", row, sizeof row) > 0);
	frame_free(f);
	progress_free(&p);
	free(list);
}

/* ---- a question asked, answered, and checked against the run -------------- */

static int run_setup(void **state)
{
	char err[512];
	Fixture *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	r->lesson = lesson_parse("predict.lesson", predict_lesson, strlen(predict_lesson), err, sizeof err);
	if (!r->lesson) {
		print_error("%s\n", err);
		return -1;
	}
	EngineOptions eo = { .settle_ms = 50 };
	r->engine = engine_new(r->lesson, &eo);
	if (!r->engine || run_start(r->engine, err, sizeof err) < 0) {
		print_error("engine: %s\n", err);
		return -1;
	}
	screen_state_init(&r->s);
	*state = r;
	return 0;
}

static int run_teardown(void **state)
{
	Fixture *r = *state;
	for (int i = 0; i < LESSON_MAX_ACTORS; i++)
		codegen_free((Code *)r->s.code.prog[i]);
	run_free(r->engine);
	lesson_free(r->lesson);
	free(r);
	return 0;
}

static Frame *render(Fixture *r, int w, int h)
{
	Frame *f = frame_new(w, h);
	assert_non_null(f);
	r->s.next = run_finished(r->engine) ? -1 : run_next(r->engine);
	screen_render(r->engine, &r->s, f);
	return f;
}

/* Step with the scheduler until the actor it picks next has a question
 * due; returns that actor. */
static int step_to_question(Fixture *r)
{
	for (int i = 0; i < 40; i++) {
		int a = run_next(r->engine);
		assert_true(a >= 0);
		if (quiz_due(r->engine, a))
			return a;
		assert_true(run_step(r->engine, a, NULL) >= 0);
	}
	fail_msg("no question came");
	return -1;
}

/* Fixture actor's call until it has returned (or the wait gives up). */
static void wait_returned(Fixture *r, int actor)
{
	for (int i = 0; i < 50 && run_actor(r->engine, actor)->state != ACTOR_READY &&
			run_actor(r->engine, actor)->state != ACTOR_DONE; i++)
		run_wait(r->engine, 20);
}

static void test_prompt_then_verdict(void **state)
{
	Fixture *r = *state;
	char row[1024];
	int a = step_to_question(r);
	assert_int_equal(a, 0);   /* the server's recv, with hello waiting */
	r->s.quiz = (ScreenQuiz){ .actor = a, .step = run_actor(r->engine, a)->step, .open = 1, .choice = -1 };
	Frame *f = render(r, 80, 24);
	/* The prompt: what runs next, the question, the choices numbered, and
	 * the call has not run. */
	assert_true(find_row(f, "question: predict before the call runs", row, sizeof row) > 0);
	assert_true(find_row(f, "Next: server recv(4, 100). It has not run yet", row, sizeof row) > 0);
	assert_true(find_row(f, "? The client sent hello. How many bytes will this recv() return?", row,
			     sizeof row) > 0);
	int y1 = find_row(f, "1  5", row, sizeof row);
	assert_true(y1 > 0);
	assert_int_equal(find_row(f, "2  0", row, sizeof row), y1 + 1);
	assert_int_equal(find_row(f, "3  it blocks", row, sizeof row), y1 + 2);
	assert_int_equal(frame_cell(f, 3, y1)->role, ROLE_KEY);
	assert_true(find_row(f, "press 1-3", row, sizeof row) > 0);
	assert_true(find_row(f, " 1-3  answer", row, sizeof row) == 23);
	assert_int_equal(find_row(f, "recv(4, 100) = 5", row, sizeof row), -1);
	frame_free(f);

	/* The student says 0; the call runs for real and returns 5. */
	r->s.quiz.open = 0;
	r->s.quiz.choice = 1;
	assert_int_equal(run_step(r->engine, a, NULL), a);
	wait_returned(r, a);
	QuizOutcome o;
	quiz_outcome(r->engine, &r->s.quiz, &o);
	assert_true(o.known && o.counts && !o.right);
	assert_int_equal(o.lesson, QUESTION_AGREES);
	assert_string_equal(o.what, "recv() returned 5");
	r->s.score = 0;
	r->s.asked = 1;
	f = render(r, 80, 24);
	char flat[8192];
	flat_text(f, find_row(f, "narration", row, sizeof row) + 1, flat, sizeof flat);
	assert_non_null(strstr(flat, "!! You said: 0. Answer: 5. The run: recv() returned 5, as the answer says."));
	assert_true(find_row(f, "score 0/1", row, sizeof row) == 0);
	assert_true(find_row(f, "recv(4, 100) = 5", row, sizeof row) > 0);
	frame_free(f);

	/* Had the student said 5, it was right. */
	r->s.quiz.choice = 0;
	quiz_outcome(r->engine, &r->s.quiz, &o);
	assert_true(o.known && o.counts && o.right);
	f = render(r, 80, 24);
	assert_true(find_row(f, "ok Right. You said: 5. The run: recv() returned 5", row, sizeof row) > 0);
	frame_free(f);
}

static void test_blocked_then_contradicted(void **state)
{
	Fixture *r = *state;
	char row[1024];
	/* The client's recv, stepped by hand before the server has sent: it
	 * blocks, and the verdict waits for what really happens. */
	const RunActor *client = run_actor(r->engine, 1);
	for (int i = 0; i < 10 && !quiz_due(r->engine, 1); i++)
		assert_int_equal(run_step(r->engine, 1, NULL), 1);
	assert_true(quiz_due(r->engine, 1));
	r->s.quiz = (ScreenQuiz){ .actor = 1, .step = client->step, .open = 0, .choice = 0 };
	assert_int_equal(run_step(r->engine, 1, NULL), 1);
	assert_int_equal(client->state, ACTOR_BLOCKED);
	QuizOutcome o;
	quiz_outcome(r->engine, &r->s.quiz, &o);
	assert_false(o.known);
	Frame *f = render(r, 80, 24);
	assert_true(find_row(f, "You said: 7. recv() is blocked: the verdict comes when it returns", row, sizeof row) > 0);
	frame_free(f);

	/* The server sends "hi": the recv returns 2, and the lesson's 7 is
	 * shown for what it is. */
	assert_int_equal(run_step(r->engine, 0, NULL), 0);
	wait_returned(r, 1);
	quiz_outcome(r->engine, &r->s.quiz, &o);
	assert_true(o.known);
	assert_int_equal(o.lesson, QUESTION_DISAGREES);
	assert_false(o.counts);
	assert_false(o.right);
	f = render(r, 80, 24);
	char flat[8192];
	flat_text(f, find_row(f, "narration", row, sizeof row) + 1, flat, sizeof flat);
	assert_non_null(strstr(flat, "The lesson's answer, 7, disagrees with this run: recv() blocked, then returned 2. The run "
			       "is what really happened: the lesson has a bug here, and this question does not count."));
	frame_free(f);
	/* Seen once, a question is not asked again. */
	assert_false(quiz_due(r->engine, 1));
}

/* ---- the code pane ----------------------------------------------------------- */

static void test_code_pane(void **state)
{
	Fixture *r = *state;
	char row[1024];
	/* A fresh run: the server stops before socket(), then steps to accept(). */
	char err[256];
	assert_int_equal(run_restart(r->engine, err, sizeof err), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(run_step(r->engine, 0, NULL), 0);
	r->s.quiz = (ScreenQuiz){ .actor = -1, .step = -1, .choice = -1 };
	r->s.code.on = 1;
	r->s.code.lang = CODE_PYTHON;
	for (int i = 0; i < r->lesson->nactors; i++)
		r->s.code.prog[i] = codegen_make(r->lesson, i, CODE_PYTHON);
	assert_non_null(r->s.code.prog[0]);

	/* 80x24: the code in the flow's place, the server's accept() marked. */
	int line = codepane_line(r->engine, r->s.code.prog[0], 0);
	assert_true(line >= 0);
	assert_non_null(strstr(r->s.code.prog[0]->lines[line], "accept"));
	Frame *f = render(r, 80, 24);
	assert_true(find_row(f, "SERVER - Python", row, sizeof row) == 1);
	assert_int_equal(find_row(f, "SERVER  pid", row, sizeof row), -1);
	int y = find_row(f, ">> ", row, sizeof row);
	assert_true(y > 1);
	char *mark = strstr(row, ">> ");
	assert_true(mark - row < 40);   /* the server's column */
	assert_non_null(strstr(mark, "accept()"));
	assert_int_equal(frame_cell(f, (int)(mark - row), y)->role, ROLE_PENDING);
	/* The client, before socket(), has its own line marked. */
	assert_non_null(strstr(mark + 3, ">> "));
	assert_non_null(strstr(strstr(mark + 3, ">> "), "socket"));
	frame_free(f);

	/* The server steps into accept(), which blocks: its mark follows. */
	assert_int_equal(run_step(r->engine, 0, NULL), 0);
	f = render(r, 80, 24);
	y = find_row(f, ".. ", row, sizeof row);
	assert_true(y > 1);
	assert_non_null(strstr(row, "accept()"));
	assert_int_equal(frame_cell(f, (int)(strstr(row, ".. ") - row), y)->role, ROLE_BLOCKED);
	frame_free(f);

	/* 160x48: beside the flow, which stays; then C. */
	f = render(r, 160, 48);
	assert_true(find_row(f, "SERVER  pid", row, sizeof row) == 1);
	assert_non_null(strstr(row, "SERVER - Python"));
	frame_free(f);
	for (int i = 0; i < r->lesson->nactors; i++) {
		codegen_free((Code *)r->s.code.prog[i]);
		r->s.code.prog[i] = codegen_make(r->lesson, i, CODE_C);
	}
	r->s.code.lang = CODE_C;
	f = render(r, 160, 48);
	y = find_row(f, "SERVER - C", row, sizeof row);
	assert_true(y == 1);
	y = find_row(f, ".. ", row, sizeof row);
	assert_true(y > 1);
	assert_non_null(strstr(row, "accept("));
	frame_free(f);
}

int main(void)
{
	const struct CMUnitTest menu[] = {
		cmocka_unit_test(test_menu_marks),
	};
	const struct CMUnitTest run[] = {
		cmocka_unit_test(test_prompt_then_verdict),
		cmocka_unit_test(test_blocked_then_contradicted),
		cmocka_unit_test(test_code_pane),
	};
	int failed = cmocka_run_group_tests_name("the lesson menu", menu, menu_setup, menu_teardown);
	failed += cmocka_run_group_tests_name("questions and code on a real run", run, run_setup, run_teardown);
	return failed ? 1 : 0;
}
