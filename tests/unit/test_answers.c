/* test_answers.c - the student's predictions, their score, and where
 * autoplay stops for a breakpoint (model/answers.h, model/breaks.h).
 *
 * A real lesson, parsed from text, and a timeline written by hand as the
 * engine writes it: a call (EV_CALL) and its return (EV_RETURN). Going
 * back is what engine_goto does to the timeline: the lesson runs again
 * from its start, so the events of the steps after the step gone back to
 * are not there any more, and come again going forward. Nothing forks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/answers.h"
#include "model/breaks.h"
#include "model/lesson.h"
#include "model/timeline.h"

/* The server's recv asks with a right answer, the client's with a wrong
 * one (the run returns 2, the lesson says 7), and a print asks what no
 * run can check. */
static const char lesson_text[] =
	"title: Answers\n"
	"about: A server and a client, and their questions.\n"
	"actor server\n"
	"  socket AF_INET SOCK_STREAM\n"
	"  bind 127.0.0.1 65432\n"
	"  listen 1\n"
	"  accept\n"
	"  recv 100\n"
	"  ? The client sent hello. How many bytes will this recv() return?  [5] 0 \"it blocks\" \"does not block\"\n"
	"  print \"got it\"\n"
	"  ? How many lines will the console show?  [1] 0\n"
	"  send \"hi\"\n"
	"  close\n"
	"actor client\n"
	"  socket AF_INET SOCK_STREAM\n"
	"  connect 127.0.0.1 65432\n"
	"  send \"hello\"\n"
	"  recv 100\n"
	"  ? How many bytes will this recv() return?  [7] 2 0\n"
	"  close\n";

enum { SERVER, CLIENT };

typedef struct {
	Lesson *lesson;
	Timeline *t;
	Answers a;
	int server_recv, server_print, client_recv;   /* the steps that ask */
} Fixture;

/* The step of actor's that is op and has a question. */
static int asking_step(const Lesson *l, int actor, LessonOp op)
{
	for (int i = 0; i < l->actors[actor].nsteps; i++)
		if (l->actors[actor].steps[i].op == op && l->actors[actor].steps[i].question)
			return i;
	fail_msg("no %s with a question", lesson_op_name(op));
	return -1;
}

static int setup(void **state)
{
	char err[512];
	Fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->lesson = lesson_parse("answers.lesson", lesson_text, strlen(lesson_text), err, sizeof err);
	f->t = timeline_new();
	if (!f->lesson || !f->t) {
		print_error("%s\n", f->lesson ? "out of memory" : err);
		return -1;
	}
	f->server_recv = asking_step(f->lesson, SERVER, OP_RECV);
	f->server_print = asking_step(f->lesson, SERVER, OP_PRINT);
	f->client_recv = asking_step(f->lesson, CLIENT, OP_RECV);
	answers_reset(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fixture *f = *state;
	timeline_free(f->t);
	lesson_free(f->lesson);
	free(f);
	return 0;
}

/* actor's step is let go into its call; returns the call's seq. */
static uint64_t call(Fixture *f, int actor, int step)
{
	Event ev = { .kind = EV_CALL, .actor = actor, .step = step, .op = (int)f->lesson->actors[actor].steps[step].op };
	const Event *c = timeline_add(f->t, &ev);
	assert_non_null(c);
	return c->seq;
}

/* The call with this seq returns result. */
static void returns(Fixture *f, uint64_t seq, long long result)
{
	const Event *c = timeline_by_seq(f->t, seq);
	assert_non_null(c);
	Event ev = { .kind = EV_RETURN, .actor = c->actor, .step = c->step, .op = c->op, .ret = result, .call_seq = seq };
	assert_non_null(timeline_add(f->t, &ev));
}

/* The steps before actor's step, each returning at once. */
static void run_up_to(Fixture *f, int actor, int step)
{
	for (int i = 0; i < step; i++)
		if (lesson_op_is_call(f->lesson->actors[actor].steps[i].op))
			returns(f, call(f, actor, i), 0);
}

/* Going back to before actor's step: the run starts afresh and runs the
 * steps up to it again. */
static void go_back_before(Fixture *f, int actor, int step)
{
	timeline_clear(f->t);
	run_up_to(f, actor, step);
}

static void test_answer_recorded_and_scored_once(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	run_up_to(f, SERVER, s);
	assert_true(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 0), ANSWERS_GIVEN);
	const Answer *an = answers_at(&f->a, SERVER, s);
	assert_non_null(an);
	assert_int_equal(an->choice, 0);
	assert_int_equal(an->state, ANSWER_PENDING);

	/* Nothing counts before the call has come back. */
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	uint64_t c = call(f, SERVER, s);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(f->a.asked, 0);
	assert_true(answers_pending(&f->a, SERVER, s));

	returns(f, c, 5);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 1);
	assert_int_equal(f->a.score, 1);
	assert_int_equal(f->a.asked, 1);
	assert_int_equal(an->state, ANSWER_COUNTED);
	assert_true(an->right);
	assert_false(answers_pending(&f->a, SERVER, s));

	/* Settled once: asking again, or answering again, adds nothing. */
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 1), ANSWERS_AGAIN);
	assert_int_equal(answers_at(&f->a, SERVER, s)->choice, 0);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(f->a.score, 1);
	assert_int_equal(f->a.asked, 1);
	assert_int_equal(f->a.n, 1);
}

static void test_prediction_survives_going_back(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	run_up_to(f, SERVER, s);
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 1), ANSWERS_GIVEN);
	returns(f, call(f, SERVER, s), 5);
	answers_settle(&f->a, f->lesson, f->t);
	assert_int_equal(f->a.asked, 1);
	assert_int_equal(f->a.score, 0);

	/* Back to before the step: its call is still to come, and so would
	 * its question be; but it was answered, so it is not owed. */
	go_back_before(f, SERVER, s);
	assert_true(answers_due(f->lesson, f->t, SERVER, s));
	assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	assert_int_equal(answers_at(&f->a, SERVER, s)->choice, 1);

	/* On again: the call runs and returns as before; the score has it. */
	returns(f, call(f, SERVER, s), 5);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(f->a.asked, 1);
	assert_int_equal(f->a.score, 0);
	assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	assert_int_equal(answers_at(&f->a, SERVER, s)->choice, 1);

	/* Only a fresh run forgets it: then it is asked again. */
	go_back_before(f, SERVER, s);
	answers_reset(&f->a);
	assert_true(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	assert_int_equal(f->a.asked, 0);
}

static void test_pending_verdict_survives_going_back(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	/* Answered, and the call blocks: the verdict waits. */
	run_up_to(f, SERVER, s);
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 0), ANSWERS_GIVEN);
	call(f, SERVER, s);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);

	/* Back before it, the call never returned in this run: still waiting. */
	go_back_before(f, SERVER, s);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_true(answers_pending(&f->a, SERVER, s));
	assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, s));

	/* On again, it returns: counted, once. */
	returns(f, call(f, SERVER, s), 5);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 1);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(f->a.score, 1);
	assert_int_equal(f->a.asked, 1);
}

static void test_owed_question_blocks_step(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	run_up_to(f, SERVER, s);
	/* Steps without a question owe none. */
	for (int i = 0; i < s; i++)
		assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, i));
	assert_true(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	/* A refused answer is no answer: the question still stands. */
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 4), ANSWERS_NO_CHOICE);
	assert_true(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	/* Another actor's answer does not answer this one. */
	run_up_to(f, CLIENT, f->client_recv);
	assert_int_equal(answers_give(&f->a, f->lesson, CLIENT, f->client_recv, 1), ANSWERS_GIVEN);
	assert_true(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
	assert_false(answers_owed(&f->a, f->lesson, f->t, CLIENT, f->client_recv));

	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 2), ANSWERS_GIVEN);
	assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
}

static void test_question_asked_on_first_run_only(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	/* The step has run once in this run (a loop comes round to it
	 * again): its question is not due any more. */
	run_up_to(f, SERVER, s);
	returns(f, call(f, SERVER, s), 5);
	assert_false(answers_due(f->lesson, f->t, SERVER, s));
	assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, s));
}

static void test_wrong_answer_asked_not_right(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	run_up_to(f, SERVER, s);
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 1), ANSWERS_GIVEN);   /* "0" */
	returns(f, call(f, SERVER, s), 5);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 1);
	assert_int_equal(f->a.asked, 1);
	assert_int_equal(f->a.score, 0);
	const Answer *an = answers_at(&f->a, SERVER, s);
	assert_int_equal(an->state, ANSWER_COUNTED);
	assert_false(an->right);

	AnswersVerdict v;
	answers_verdict(f->lesson, f->t, SERVER, s, 1, &v);
	assert_true(v.known && v.counts && !v.right);
	assert_int_equal(v.lesson, QUESTION_AGREES);
	assert_int_equal(v.student, QUESTION_DISAGREES);
	assert_string_equal(v.what, "returned 5");
	/* A choice that is not the bracketed one but agrees with the run is
	 * right too. */
	answers_verdict(f->lesson, f->t, SERVER, s, 3, &v);   /* "does not block" */
	assert_true(v.known && v.counts && v.right);
}

static void test_contradicted_question_does_not_count(void **state)
{
	Fixture *f = *state;
	int s = f->client_recv;
	run_up_to(f, CLIENT, s);
	assert_int_equal(answers_give(&f->a, f->lesson, CLIENT, s, 1), ANSWERS_GIVEN);   /* "2" */
	returns(f, call(f, CLIENT, s), 2);
	/* The lesson says 7: its bug, and the question counts neither way. */
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 1);
	assert_int_equal(f->a.asked, 0);
	assert_int_equal(f->a.score, 0);
	assert_int_equal(answers_at(&f->a, CLIENT, s)->state, ANSWER_VOID);
	assert_false(answers_owed(&f->a, f->lesson, f->t, CLIENT, s));
}

static void test_void_answer_never_counts(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	run_up_to(f, SERVER, s);
	/* The call could not run after all: the answer stays (it is not asked
	 * again) but its verdict never counts, even when the step runs later. */
	assert_int_equal(answers_give(&f->a, f->lesson, SERVER, s, 0), ANSWERS_GIVEN);
	answers_void(&f->a, SERVER, s);
	assert_false(answers_pending(&f->a, SERVER, s));
	returns(f, call(f, SERVER, s), 5);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(f->a.asked, 0);
	assert_non_null(answers_at(&f->a, SERVER, s));

	/* A replay's jump drops every verdict still waiting; counted ones stay. */
	run_up_to(f, CLIENT, f->client_recv);
	assert_int_equal(answers_give(&f->a, f->lesson, CLIENT, f->client_recv, 0), ANSWERS_GIVEN);
	answers_void_pending(&f->a);
	returns(f, call(f, CLIENT, f->client_recv), 7);
	assert_int_equal(answers_settle(&f->a, f->lesson, f->t), 0);
	assert_int_equal(f->a.asked, 0);
}

static void test_out_of_range_refused(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv, n = f->lesson->actors[SERVER].nsteps;
	const int bad[][3] = {
		{ SERVER, s, -1 }, { SERVER, s, 4 }, { SERVER, s, 8 },          /* no such choice */
		{ -1, s, 0 }, { 2, s, 0 }, { LESSON_MAX_ACTORS, s, 0 },          /* no such actor */
		{ SERVER, -1, 0 }, { SERVER, n, 0 }, { SERVER, 1 << 20, 0 },     /* no such step */
		{ SERVER, 0, 0 },                                                /* no question */
		{ SERVER, f->server_print, 0 },   /* a print: no run can check it */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(answers_give(&f->a, f->lesson, bad[i][0], bad[i][1], bad[i][2]), ANSWERS_NO_CHOICE);
		assert_null(answers_at(&f->a, bad[i][0], bad[i][1]));
	}
	assert_int_equal(f->a.n, 0);
	assert_null(answers_question(f->lesson, SERVER, f->server_print));
	assert_false(answers_owed(&f->a, f->lesson, f->t, -1, 0));
	assert_false(answers_owed(&f->a, f->lesson, f->t, SERVER, f->server_print));
	AnswersVerdict v;
	returns(f, call(f, SERVER, s), 5);
	answers_verdict(f->lesson, f->t, SERVER, s, 9, &v);
	assert_false(v.known);
	answers_verdict(f->lesson, f->t, 7, s, 0, &v);
	assert_false(v.known);
}

static void test_full(void **state)
{
	(void)state;
	/* More questions than there is room for answers: the extra one is
	 * refused, and what was given stays as it was. */
	char text[16384], err[512];
	int n = snprintf(text, sizeof text, "title: Many\nactor a\n  socket AF_INET SOCK_DGRAM\n");
	for (int i = 0; i <= ANSWERS_MAX; i++)
		n += snprintf(text + n, sizeof text - (size_t)n, "  recv 1\n  ? Which? [1] 2\n");
	assert_true(n < (int)sizeof text);
	Lesson *l = lesson_parse("many.lesson", text, (size_t)n, err, sizeof err);
	assert_non_null(l);
	Answers a;
	answers_reset(&a);
	for (int i = 1; i <= ANSWERS_MAX; i++)
		assert_int_equal(answers_give(&a, l, 0, i, 0), ANSWERS_GIVEN);
	assert_int_equal(answers_give(&a, l, 0, ANSWERS_MAX + 1, 0), ANSWERS_FULL);
	assert_null(answers_at(&a, 0, ANSWERS_MAX + 1));
	assert_int_equal(a.n, ANSWERS_MAX);
	lesson_free(l);
}

/* ---- breakpoints ---------------------------------------------------------------- */

static void test_breakpoint_stops_at_its_step(void **state)
{
	Fixture *f = *state;
	int s = f->server_recv;
	Breaks b;
	breaks_clear(&b);
	assert_int_equal(breaks_toggle_step(&b, SERVER, s), 1);
	/* Autoplay runs the steps before it, and the other actor's same step. */
	for (int i = 0; i < s; i++)
		assert_false(breaks_stop_at(&b, i, SERVER, i, (int)f->lesson->actors[SERVER].steps[i].op));
	assert_false(breaks_stop_at(&b, s, CLIENT, s, OP_CLOSE));
	/* It stops before the step, once: going on from there runs it. */
	assert_true(breaks_stop_at(&b, s + 1, SERVER, s, OP_RECV));
	assert_false(breaks_stop_at(&b, s + 1, SERVER, s, OP_RECV));
	/* The next time round a loop, further on, it stops again. */
	assert_true(breaks_stop_at(&b, s + 9, SERVER, s, OP_RECV));
	/* A jump back forgets the stop: at the same place it stops again. */
	breaks_unstop(&b);
	assert_true(breaks_stop_at(&b, s + 9, SERVER, s, OP_RECV));
	/* The code pane marks its line, and no other. */
	assert_true(breaks_on(&b, f->lesson, SERVER, s));
	assert_false(breaks_on(&b, f->lesson, CLIENT, s));
	assert_false(breaks_on(&b, f->lesson, SERVER, -1));
	assert_false(breaks_on(&b, f->lesson, 5, s));
	/* Cleared, it stops nothing. */
	assert_int_equal(breaks_toggle_step(&b, SERVER, s), 0);
	breaks_unstop(&b);
	assert_false(breaks_stop_at(&b, s + 1, SERVER, s, OP_RECV));
	assert_int_equal(breaks_count(&b), 0);
}

static void test_breakpoint_on_a_kind(void **state)
{
	(void)state;
	Breaks b;
	breaks_clear(&b);
	assert_int_equal(breaks_toggle_op(&b, OP_SEND), 1);
	/* Every send of every actor, a traced program's (no step) too. */
	assert_true(breaks_stop_at(&b, 3, SERVER, 6, OP_SEND));
	assert_true(breaks_stop_at(&b, 4, CLIENT, 2, OP_SEND));
	assert_true(breaks_stop_at(&b, 5, CLIENT, -1, OP_SEND));
	assert_false(breaks_stop_at(&b, 6, CLIENT, 3, OP_RECV));
	/* A breakpoint on a step cannot mark a traced program's call, which
	 * has none. */
	assert_int_equal(breaks_toggle_step(&b, CLIENT, 3), 1);
	assert_false(breaks_before(&b, CLIENT, -1, OP_RECV));
	assert_true(breaks_before(&b, CLIENT, 3, OP_RECV));
	assert_int_equal(breaks_count(&b), 2);
	/* Steps, actors and kinds out of range are refused. */
	assert_int_equal(breaks_toggle_step(&b, CLIENT, -1), -1);
	assert_int_equal(breaks_toggle_step(&b, -1, 0), -1);
	assert_int_equal(breaks_toggle_op(&b, -1), -1);
	assert_int_equal(breaks_toggle_op(&b, 64), -1);
	assert_int_equal(breaks_count(&b), 2);
	assert_int_equal(breaks_toggle_op(&b, OP_SEND), 0);
	assert_false(breaks_before(&b, SERVER, 6, OP_SEND));
}

static void test_breakpoint_on_first_step(void **state)
{
	(void)state;
	/* Nothing has run yet and autoplay has never stopped: a breakpoint on
	 * the very first step stops it. */
	Breaks b;
	breaks_clear(&b);
	assert_int_equal(breaks_toggle_step(&b, SERVER, 0), 1);
	assert_true(breaks_stop_at(&b, 0, SERVER, 0, OP_SOCKET));
	assert_false(breaks_stop_at(&b, 0, SERVER, 0, OP_SOCKET));
}

static void test_breakpoints_full(void **state)
{
	(void)state;
	Breaks b;
	breaks_clear(&b);
	for (int i = 0; i < BREAKS_MAX; i++)
		assert_int_equal(breaks_toggle_step(&b, 0, i), 1);
	assert_int_equal(breaks_toggle_step(&b, 1, 0), -1);
	assert_false(breaks_before(&b, 1, 0, OP_RECV));
	assert_int_equal(breaks_count(&b), BREAKS_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answer_recorded_and_scored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prediction_survives_going_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_verdict_survives_going_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owed_question_blocks_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_question_asked_on_first_run_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_answer_asked_not_right, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contradicted_question_does_not_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_void_answer_never_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_range_refused, setup, teardown),
		cmocka_unit_test(test_full),
		cmocka_unit_test_setup_teardown(test_breakpoint_stops_at_its_step, setup, teardown),
		cmocka_unit_test(test_breakpoint_on_a_kind),
		cmocka_unit_test(test_breakpoint_on_first_step),
		cmocka_unit_test(test_breakpoints_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
