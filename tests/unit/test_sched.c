/* test_sched.c - the "next step" rule: the first actor whose call would not
 * block, else the first that can run at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/sched.h"

static void test_first_nonblocking_wins(void **state)
{
	(void)state;
	/* The server waits in accept (would block); the client can connect. */
	SchedActor a[] = { { 1, 1 }, { 1, 0 } };
	assert_int_equal(sched_pick(a, 2), 1);
}

static void test_declared_order_breaks_ties(void **state)
{
	(void)state;
	SchedActor a[] = { { 1, 0 }, { 1, 0 }, { 1, 0 } };
	assert_int_equal(sched_pick(a, 3), 0);
}

static void test_all_would_block_picks_first_runnable(void **state)
{
	(void)state;
	SchedActor a[] = { { 0, 0 }, { 1, 1 }, { 1, 1 } };
	assert_int_equal(sched_pick(a, 3), 1);
}

static void test_nobody_can_run(void **state)
{
	(void)state;
	SchedActor a[] = { { 0, 0 }, { 0, 1 } };
	assert_int_equal(sched_pick(a, 2), -1);
	assert_int_equal(sched_pick(a, 0), -1);
}

static void test_not_runnable_is_skipped_even_if_free(void **state)
{
	(void)state;
	/* An actor already blocked in a call is not runnable, whatever its flag. */
	SchedActor a[] = { { 0, 0 }, { 1, 1 }, { 1, 0 } };
	assert_int_equal(sched_pick(a, 3), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_nonblocking_wins),
		cmocka_unit_test(test_declared_order_breaks_ties),
		cmocka_unit_test(test_all_would_block_picks_first_runnable),
		cmocka_unit_test(test_nobody_can_run),
		cmocka_unit_test(test_not_runnable_is_skipped_even_if_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
