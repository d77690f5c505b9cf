/* test_passes.c - questions on any pass of a step, answers computed from
 * the run (len $input, upper $input), and answers about the bytes a call
 * receives (model/lesson.c, model/answers.h).
 *
 * A lesson parsed from text, and a timeline written by hand as the engine
 * writes it: an input line (EV_INPUT), a call (EV_CALL) and its return
 * (EV_RETURN) with the bytes received. Nothing forks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/answers.h"
#include "model/lesson.h"
#include "model/timeline.h"

#define HEAD "title: Passes\nactor client\n socket AF_INET SOCK_STREAM\n connect 127.0.0.1 5000\n"

static char err[512];

static Lesson *parse(const char *text)
{
	return lesson_parse("p.lesson", text, strlen(text), err, sizeof err);
}

/* The first step of actor 0 that has a question. */
static int asking(const Lesson *l)
{
	for (int i = 0; i < l->actors[0].nsteps; i++)
		if (l->actors[0].steps[i].question)
			return i;
	fail_msg("no question");
	return -1;
}

static uint64_t call(Timeline *t, int step, int op)
{
	Event ev = { .kind = EV_CALL, .actor = 0, .step = step, .op = op };
	return timeline_add(t, &ev)->seq;
}

static void returns(Timeline *t, uint64_t seq, int op, const char *bytes)
{
	const Event *c = timeline_by_seq(t, seq);
	Event ev = { .kind = EV_RETURN, .actor = 0, .step = c->step, .op = op, .call_seq = seq,
		     .ret = (long long)strlen(bytes), .data = (uint8_t *)bytes, .len = strlen(bytes) };
	assert_non_null(timeline_add(t, &ev));
}

static void typed(Timeline *t, const char *line)
{
	Event ev = { .kind = EV_INPUT, .actor = 0, .step = -1, .text = (char *)line };
	assert_non_null(timeline_add(t, &ev));
}

/* "? pass 3:" is asked before the third run of its step, not the first;
 * "? last pass:" inside repeats is their counts multiplied. */
static void test_pass_is_asked_before_its_run(void **state)
{
	(void)state;
	Lesson *l = parse(HEAD " repeat 4\n  recv 10\n  ? pass 3: What does the third recv() return?  [2] 0\n end\n");
	assert_non_null(l);
	int s = asking(l);
	const LessonQuestion *q = l->actors[0].steps[s].question;
	assert_int_equal(q->pass, 3);
	assert_string_equal(q->text, "What does the third recv() return?");
	Timeline *t = timeline_new();
	assert_false(answers_due(l, t, 0, s));
	returns(t, call(t, s, OP_RECV), OP_RECV, "ab");
	assert_false(answers_due(l, t, 0, s));
	returns(t, call(t, s, OP_RECV), OP_RECV, "cd");
	assert_true(answers_due(l, t, 0, s));
	returns(t, call(t, s, OP_RECV), OP_RECV, "e");
	assert_false(answers_due(l, t, 0, s));
	/* The verdict is about the third run (1 byte), not the first (2). */
	AnswersVerdict v;
	answers_verdict(l, t, 0, s, q->answer, &v);
	assert_true(v.known);
	assert_int_equal(v.lesson, QUESTION_DISAGREES);
	assert_string_equal(v.what, "returned 1");
	timeline_free(t);
	lesson_free(l);

	l = parse(HEAD " repeat 2\n  repeat 3\n   recv 10\n   ? last pass: And the last one?  [\"0 bytes\"] 5\n  end\n end\n");
	assert_non_null(l);
	assert_int_equal(l->actors[0].steps[asking(l)].question->pass, 6);
	lesson_free(l);
}

/* A pass the step never reaches, and a last pass no one knows before it
 * runs (a loop ends at a break-if), are refused as the lesson loads. */
static void test_pass_errors(void **state)
{
	(void)state;
	assert_null(parse(HEAD " repeat 2\n  recv 10\n  ? pass 3: What?  [2] 0\n end\n"));
	assert_string_equal(err, "p.lesson:7:5: question: pass 3, but this step runs 2 times");
	assert_null(parse(HEAD " loop\n  recv 10\n  ? last pass: What?  [0] 2\n  break-if-empty\n end\n"));
	assert_non_null(strstr(err, "p.lesson:7:5: question: 'last pass' is for a step inside 'repeat N'"));
	assert_null(parse(HEAD " recv 10\n ? pass 0: What?  [0] 2\n"));
	assert_non_null(strstr(err, "expected 'pass N:' with N 1 or more"));
}

/* The student types "hello world" where the lesson's example is "hello":
 * the answer follows the input, and the run agrees with it. */
static void test_answer_follows_the_input(void **state)
{
	(void)state;
	Lesson *l = parse(HEAD " input \"> \" example \"hello\"\n send $input\n recv 100\n"
			  " ? What comes back?  [upper $input] $input \"0 bytes\"\n");
	assert_non_null(l);
	int s = asking(l);
	assert_true(l->actors[0].steps[s].question->content);
	Timeline *t = timeline_new();
	typed(t, "hello world");
	char buf[64];
	size_t len;
	assert_string_equal(answers_choice(l, t, 0, s, 0, buf, sizeof buf, &len), "HELLO WORLD");
	assert_string_equal(answers_choice(l, t, 0, s, 1, buf, sizeof buf, &len), "hello world");
	assert_string_equal(answers_choice(l, t, 0, s, 2, buf, sizeof buf, &len), "0 bytes");
	returns(t, call(t, s, OP_RECV), OP_RECV, "HELLO WORLD");
	/* A later line typed does not change what was asked. */
	typed(t, "q");
	assert_string_equal(answers_choice(l, t, 0, s, 0, buf, sizeof buf, &len), "HELLO WORLD");
	AnswersVerdict v;
	answers_verdict(l, t, 0, s, 0, &v);
	assert_int_equal(v.lesson, QUESTION_AGREES);
	assert_true(v.counts && v.right);
	answers_verdict(l, t, 0, s, 1, &v);
	assert_int_equal(v.student, QUESTION_DISAGREES);
	assert_true(v.counts);
	assert_false(v.right);
	timeline_free(t);
	lesson_free(l);

	l = parse(HEAD " input \"> \" example \"hello\"\n send $input\n ? How many bytes go?  [len $input] 1024 0\n");
	assert_non_null(l);
	s = asking(l);
	t = timeline_new();
	typed(t, "hello world");
	assert_string_equal(answers_choice(l, t, 0, s, 0, buf, sizeof buf, &len), "11");
	returns(t, call(t, s, OP_SEND), OP_SEND, "hello world");
	answers_verdict(l, t, 0, s, 0, &v);
	assert_int_equal(v.lesson, QUESTION_AGREES);
	timeline_free(t);
	lesson_free(l);
}

/* A quoted text is the bytes a receiving step returns; on a step that
 * receives nothing it is refused, as a bare word that is no kind is. */
static void test_content_answers(void **state)
{
	(void)state;
	Lesson *l = parse(HEAD " recv 100\n ? What arrives?  [\"hi, ben here\"] \"hi\"\n");
	assert_non_null(l);
	int s = asking(l);
	Timeline *t = timeline_new();
	returns(t, call(t, s, OP_RECV), OP_RECV, "hi, ben here");
	AnswersVerdict v;
	answers_verdict(l, t, 0, s, 1, &v);
	assert_int_equal(v.lesson, QUESTION_AGREES);
	assert_int_equal(v.student, QUESTION_DISAGREES);
	assert_string_equal(v.what, "returned 12 bytes: \"hi, ben here\"");
	timeline_free(t);
	lesson_free(l);

	assert_null(parse(HEAD " send \"x\"\n ? What goes?  [\"x\"] \"y\"\n"));
	assert_non_null(strstr(err, "p.lesson:6:16: question: the answer [\"x\"] is the bytes a call receives, but send"));
	assert_null(parse(HEAD " recv 100\n ? What arrives?  [yes] no\n"));
	assert_non_null(strstr(err, "cannot be checked against a run"));
	/* A value from the run needs a step that gives it. */
	assert_null(parse(HEAD " send \"x\"\n ? How many bytes go?  [len $input] 0\n"));
	assert_string_equal(err, "p.lesson:6:24: question: the answer [len $input] needs an 'input' step before this step");
	assert_null(parse(HEAD " recv 10\n ? What arrives?  [upper $received] 0\n"));
	assert_non_null(strstr(err, "needs a 'recv' or 'recvfrom' step before this step"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass_is_asked_before_its_run),
		cmocka_unit_test(test_pass_errors),
		cmocka_unit_test(test_answer_follows_the_input),
		cmocka_unit_test(test_content_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
