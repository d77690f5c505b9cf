/* test_question.c - a lesson's answer against what a call really did. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/lesson.h"
#include "model/packet.h"
#include "model/question.h"

static Timeline *t;
static const Event *call, *ret;

/* A minimal Ethernet + IPv4 + TCP frame with these flags. */
static void packet(uint8_t flags)
{
	uint8_t f[54];
	memset(f, 0, sizeof f);
	f[12] = 0x08;                 /* IPv4 */
	f[14] = 0x45;                 /* version 4, 20-byte header */
	f[17] = 40;                   /* total length */
	f[23] = 6;                    /* TCP */
	f[14 + 20 + 12] = 5 << 4;     /* 20-byte TCP header */
	f[14 + 20 + 13] = flags;
	Event ev = { .kind = EV_PACKET, .actor = 0, .data = f, .len = sizeof f, .total = sizeof f };
	ev.arg[0] = PKT_LINK_EN10MB;
	timeline_add(t, &ev);
}

static void run(int op, int blocked, long long result, int err, const uint8_t *flags, int nflags)
{
	timeline_clear(t);
	Event c = { .kind = EV_CALL, .actor = 0, .step = 0, .op = op, .blocked = blocked };
	call = timeline_add(t, &c);
	for (int i = 0; i < nflags; i++)
		packet(flags[i]);
	Event r = { .kind = EV_RETURN, .actor = 0, .op = op, .ret = result, .err = err, .call_seq = call->seq };
	ret = result == -999 ? NULL : timeline_add(t, &r);
	call = timeline_get(t, 0);
}

static QuestionVerdict ask(const char *answer)
{
	char what[256];
	return question_check(answer, t, call, ret, -1, what, sizeof what);
}

static int setup(void **state)
{
	(void)state;
	t = timeline_new();
	return t ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	timeline_free(t);
	return 0;
}

static void test_numbers(void **state)
{
	(void)state;
	run(OP_RECV, 0, 12, 0, NULL, 0);
	assert_int_equal(ask("12"), QUESTION_AGREES);
	assert_int_equal(ask("12 bytes"), QUESTION_AGREES);
	assert_int_equal(ask("0 bytes"), QUESTION_DISAGREES);
	assert_int_equal(ask("-1"), QUESTION_DISAGREES);
}

static void test_errno_names(void **state)
{
	(void)state;
	run(OP_CONNECT, 0, -1, ECONNREFUSED, NULL, 0);
	assert_int_equal(ask("ECONNREFUSED"), QUESTION_AGREES);
	assert_int_equal(ask("-1 ECONNREFUSED"), QUESTION_AGREES);
	assert_int_equal(ask("ETIMEDOUT"), QUESTION_DISAGREES);
	assert_int_equal(ask("0"), QUESTION_DISAGREES);
}

static void test_blocking(void **state)
{
	(void)state;
	run(OP_ACCEPT, 1, 4, 0, NULL, 0);
	assert_int_equal(ask("it blocks"), QUESTION_AGREES);
	assert_int_equal(ask("it does not block"), QUESTION_DISAGREES);
	run(OP_ACCEPT, 0, 4, 0, NULL, 0);
	assert_int_equal(ask("returns at once"), QUESTION_AGREES);
	assert_int_equal(ask("blocks"), QUESTION_DISAGREES);
	run(OP_RECV, 1, -999, 0, NULL, 0);  /* never returned */
	assert_int_equal(ask("blocks forever"), QUESTION_AGREES);
}

static void test_packets(void **state)
{
	(void)state;
	const uint8_t handshake[] = { PKT_SYN, PKT_SYN | PKT_ACK, PKT_ACK };
	run(OP_CONNECT, 0, 0, 0, handshake, 3);
	assert_int_equal(ask("SYN, SYN/ACK, ACK"), QUESTION_AGREES);
	assert_int_equal(ask("SYN SYN,ACK ACK"), QUESTION_AGREES);
	assert_int_equal(ask("SYN, ACK, SYN/ACK"), QUESTION_DISAGREES);
	assert_int_equal(ask("RST"), QUESTION_DISAGREES);
	assert_int_equal(ask("none"), QUESTION_DISAGREES);
	const uint8_t fin[] = { PKT_FIN | PKT_ACK };
	run(OP_CLOSE, 0, 0, 0, fin, 1);
	assert_int_equal(ask("FIN"), QUESTION_AGREES);
	/* "ACK" alone is a pure ACK, not any segment with the ACK bit. */
	assert_int_equal(ask("ACK"), QUESTION_DISAGREES);
	run(OP_ACCEPT, 0, 4, 0, NULL, 0);
	assert_int_equal(ask("none"), QUESTION_AGREES);
	assert_int_equal(ask("SYN"), QUESTION_DISAGREES);
}

static void test_signal(void **state)
{
	(void)state;
	char what[128];
	run(OP_SEND, 0, -999, 0, NULL, 0);
	int killed = SIGPIPE;  /* a wait status for "killed by SIGPIPE" */
	assert_int_equal(question_check("SIGPIPE", t, call, ret, killed, what, sizeof what), QUESTION_AGREES);
	assert_string_equal(what, "was killed by SIGPIPE");
	assert_int_equal(question_check("SIGKILL", t, call, ret, killed, what, sizeof what), QUESTION_DISAGREES);
}

static void test_getsockopt_answers_the_value_read(void **state)
{
	(void)state;
	timeline_clear(t);
	Event c = { .kind = EV_CALL, .op = OP_GETSOCKOPT };
	call = timeline_add(t, &c);
	Event r = { .kind = EV_RETURN, .op = OP_GETSOCKOPT, .ret = 0, .call_seq = call->seq };
	r.arg[2] = ECONNREFUSED;  /* SO_ERROR: the connect failed */
	ret = timeline_add(t, &r);
	call = timeline_get(t, 0);
	assert_int_equal(ask("ECONNREFUSED"), QUESTION_AGREES);
	assert_int_equal(ask("0"), QUESTION_DISAGREES);
	assert_int_equal(ask("ETIMEDOUT"), QUESTION_DISAGREES);
}

static void test_uncheckable(void **state)
{
	(void)state;
	run(OP_ACCEPT, 0, 4, 0, NULL, 0);
	assert_int_equal(ask("a new socket for this client"), QUESTION_UNCHECKABLE);
	assert_int_equal(ask("yes"), QUESTION_UNCHECKABLE);
	assert_int_equal(ask("Error"), QUESTION_UNCHECKABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_blocking),
		cmocka_unit_test(test_packets),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_getsockopt_answers_the_value_read),
		cmocka_unit_test(test_uncheckable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
