/* test_sched.c - the "next step" rule (sched.h): the first actor not
 * polling whose call would not block, else the first that can run, else
 * turns; and which returns count as polling (nothing new). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/lesson.h"
#include "model/sched.h"

/* { runnable, would_block, idle } */
#define GO      { 1, 0, 0 }   /* can make progress at once */
#define BLOCKS  { 1, 1, 0 }   /* its call would block */
#define SPINS   { 1, 0, 1 }   /* polling, and its next call returns at once */
#define WAITS   { 1, 1, 1 }   /* polling, and its next call would block (a timeout) */
#define OFF     { 0, 0, 0 }   /* blocked in a call, or ended */

static void test_first_nonblocking_wins(void **state)
{
	(void)state;
	/* The server waits in accept (would block); the client can connect. */
	SchedActor a[] = { BLOCKS, GO };
	assert_int_equal(sched_pick(a, 2, -1), 1);
}

static void test_declared_order_breaks_ties(void **state)
{
	(void)state;
	SchedActor a[] = { GO, GO, GO };
	assert_int_equal(sched_pick(a, 3, -1), 0);
	/* Whose turn it was does not matter while nobody polls: lessons keep
	 * the order the rule has always given them. */
	assert_int_equal(sched_pick(a, 3, 0), 0);
	assert_int_equal(sched_pick(a, 3, 2), 0);
}

static void test_all_would_block_picks_first_runnable(void **state)
{
	(void)state;
	SchedActor a[] = { OFF, BLOCKS, BLOCKS };
	assert_int_equal(sched_pick(a, 3, -1), 1);
	assert_int_equal(sched_pick(a, 3, 1), 1);
}

static void test_polling_means_a_poller_can_run(void **state)
{
	(void)state;
	SchedActor a[] = { GO, BLOCKS, { 0, 0, 1 } };
	assert_false(sched_polling(a, 3));     /* the idle one is not runnable */
	SchedActor b[] = { GO, WAITS };
	assert_true(sched_polling(b, 2));
}

static void test_nobody_can_run(void **state)
{
	(void)state;
	SchedActor a[] = { OFF, { 0, 1, 1 } };
	assert_int_equal(sched_pick(a, 2, -1), -1);
	assert_int_equal(sched_pick(a, 2, 1), -1);
	assert_int_equal(sched_pick(a, 0, -1), -1);
}

static void test_not_runnable_is_skipped_even_if_free(void **state)
{
	(void)state;
	/* An actor already blocked in a call is not runnable, whatever its flag. */
	SchedActor a[] = { OFF, BLOCKS, GO };
	assert_int_equal(sched_pick(a, 3, -1), 2);
}

static void test_spinning_server_does_not_starve_the_client(void **state)
{
	(void)state;
	/* Issue 12: the server spins in epoll_wait on a write set that is
	 * always ready; its call never blocks. The client goes first. */
	SchedActor a[] = { SPINS, GO };
	assert_int_equal(sched_pick(a, 2, 0), 1);
	assert_int_equal(sched_pick(a, 2, 1), 1);
}

static void test_polling_goes_when_nobody_can_progress(void **state)
{
	(void)state;
	/* The client waits for the server's reply: the spinning server goes. */
	SchedActor a[] = { SPINS, OFF };
	assert_int_equal(sched_pick(a, 2, 1), 0);
	assert_int_equal(sched_pick(a, 2, 0), 0);
}

static void test_polling_actors_take_turns(void **state)
{
	(void)state;
	/* Before any poller has had a turn, the first declared; then the
	 * one after the poller that ran last. */
	SchedActor a[] = { SPINS, SPINS, SPINS };
	assert_int_equal(sched_pick(a, 3, -1), 0);
	assert_int_equal(sched_pick(a, 3, 0), 1);
	assert_int_equal(sched_pick(a, 3, 1), 2);
	assert_int_equal(sched_pick(a, 3, 2), 0);
}

static void test_turns_skip_who_cannot_run(void **state)
{
	(void)state;
	SchedActor a[] = { SPINS, OFF, SPINS };
	assert_int_equal(sched_pick(a, 3, 0), 2);
	assert_int_equal(sched_pick(a, 3, 2), 0);
	/* The only one that can run goes, even right after its own step. */
	SchedActor b[] = { OFF, SPINS };
	assert_int_equal(sched_pick(b, 2, 1), 1);
}

static void test_blocking_call_gets_its_turn_beside_a_poller(void **state)
{
	(void)state;
	/* A poller with a timeout (it would block, then return 0) and a
	 * client whose next call would block: under the first-declared rule
	 * the poller would go again after every timeout and the client never
	 * reach its call. With a poller among them, they take turns. */
	SchedActor a[] = { WAITS, BLOCKS };
	assert_int_equal(sched_pick(a, 2, -1), 0);  /* the poller's first turn */
	assert_int_equal(sched_pick(a, 2, 0), 1);   /* then the client's */
	assert_int_equal(sched_pick(a, 2, 1), 0);   /* and again the poller's */
}

static void test_nonblocking_lesson_order_kept(void **state)
{
	(void)state;
	/* Lesson 20: the server's accept failed with EAGAIN (polling) and its
	 * next call sleeps; the client, which connected last, sleeps too.
	 * Both would block, and no poller has had a turn yet: the server goes
	 * first, as it always did. So too in lesson 22 (--step), where the
	 * server's recv gives up with EAGAIN while the client's sleep waits
	 * to be stepped: the server's poll comes next. */
	SchedActor a[] = { WAITS, BLOCKS };
	assert_int_equal(sched_pick(a, 2, -1), 0);
}

static void test_progress_beats_polling_whatever_the_order(void **state)
{
	(void)state;
	SchedActor a[] = { SPINS, WAITS, BLOCKS, GO };
	assert_int_equal(sched_pick(a, 4, -1), 3);
	assert_int_equal(sched_pick(a, 4, 3), 3);
}

/* Nobody starves: actors that always poll, stepped by the rule, each get
 * the same share of the steps. */
static void test_no_actor_starves(void **state)
{
	(void)state;
	SchedActor a[] = { SPINS, WAITS, SPINS, OFF };
	int count[4] = { 0 }, turn = -1;
	for (int k = 0; k < 30; k++) {
		turn = sched_pick(a, 4, turn);
		assert_in_range(turn, 0, 2);
		count[turn]++;
	}
	assert_int_equal(count[0], 10);
	assert_int_equal(count[1], 10);
	assert_int_equal(count[2], 10);
}

/* A poller with a timeout returns by itself again and again; the client's
 * next call would block (and here, say, returns at once all the same).
 * Stepped as the engine steps (the turn moves with every step taken while
 * a poller can run), they alternate. */
static void test_timeout_poller_passes_the_turn(void **state)
{
	(void)state;
	SchedActor a[] = { WAITS, BLOCKS };
	int turn = -1, client = 0;
	for (int k = 0; k < 4; k++) {
		int i = sched_pick(a, 2, turn);
		if (sched_polling(a, 2))
			turn = i;
		client += i == 1;
	}
	assert_int_equal(client, 2);
}

/* The run: a server that spins from its first wait on, and a
 * client with five calls to make. The client makes them all, in a row. */
static void test_client_runs_while_server_spins(void **state)
{
	(void)state;
	SchedActor a[] = { GO, GO };
	int client = 0, server = 0, turn = -1;
	for (int k = 0; k < 7 && client < 5; k++) {
		int i = sched_pick(a, 2, turn);
		if (sched_polling(a, 2))
			turn = i;
		if (i == 0) {
			server++;
			a[0].idle = server > 1;   /* its second wait returned what the first did */
		} else {
			client++;
		}
	}
	assert_int_equal(client, 5);
	assert_int_equal(server, 2);
}

/* ---- sched_idle ---------------------------------------------------------- */

static Event ret_of(int op, int fd, int64_t ret, int err)
{
	return (Event){ .kind = EV_RETURN, .op = op, .fd = fd, .ret = ret, .err = err };
}

static void test_idle_try_again(void **state)
{
	(void)state;
	Event e = ret_of(OP_ACCEPT, 3, -1, EAGAIN);
	assert_true(sched_idle(&e, NULL));
	e = ret_of(OP_RECV, 4, -1, EWOULDBLOCK);
	assert_true(sched_idle(&e, NULL));
	e = ret_of(OP_CONNECT, 4, -1, EALREADY);
	assert_true(sched_idle(&e, NULL));
}

static void test_idle_other_errors_are_news(void **state)
{
	(void)state;
	/* A connect on its way, refused, reset: the program learns something. */
	Event e = ret_of(OP_CONNECT, 4, -1, EINPROGRESS);
	assert_false(sched_idle(&e, NULL));
	e = ret_of(OP_CONNECT, 4, -1, ECONNREFUSED);
	assert_false(sched_idle(&e, NULL));
	e = ret_of(OP_RECV, 4, -1, ECONNRESET);
	assert_false(sched_idle(&e, NULL));
	e = ret_of(OP_EPOLL_WAIT, 3, -1, EINTR);
	assert_false(sched_idle(&e, NULL));
}

static void test_idle_wait_timed_out(void **state)
{
	(void)state;
	Event e = ret_of(OP_POLL, -1, 0, 0);
	assert_true(sched_idle(&e, NULL));
	e = ret_of(OP_SELECT, -1, 0, 0);
	assert_true(sched_idle(&e, NULL));
	e = ret_of(OP_EPOLL_WAIT, 3, 0, 0);
	assert_true(sched_idle(&e, NULL));
}

static void test_idle_not_for_other_calls(void **state)
{
	(void)state;
	/* recv 0 is the end of the peer's stream, and a sleep is no wait. */
	Event e = ret_of(OP_RECV, 4, 0, 0);
	assert_false(sched_idle(&e, &e));
	e = ret_of(OP_SLEEP, -1, 0, 0);
	assert_false(sched_idle(&e, &e));
	e = ret_of(OP_SEND, 4, 5, 0);
	assert_false(sched_idle(&e, &e));
}

static void test_idle_wait_ready_as_before(void **state)
{
	(void)state;
	Event now = ret_of(OP_EPOLL_WAIT, 3, 2, 0);
	assert_false(sched_idle(&now, NULL));      /* the first time it is news */
	Event before = now;
	assert_true(sched_idle(&now, &before));    /* the same again, nothing between */
	before.ret = 1;
	assert_false(sched_idle(&now, &before));   /* one more ready than before */
	before = ret_of(OP_EPOLL_WAIT, 7, 2, 0);
	assert_false(sched_idle(&now, &before));   /* another epoll set */
	before = ret_of(OP_SEND, 5, 44, 0);
	assert_false(sched_idle(&now, &before));   /* it did something in between */
}

static void test_idle_poll_compares_the_ready_descriptors(void **state)
{
	(void)state;
	int32_t four = 4, five = 5;
	Event now = ret_of(OP_POLL, -1, 1, 0), before = now;
	now.data = (uint8_t *)&four;
	now.len = sizeof four;
	before.data = (uint8_t *)&five;
	before.len = sizeof five;
	assert_false(sched_idle(&now, &before));   /* another socket is ready now */
	before.data = (uint8_t *)&four;
	assert_true(sched_idle(&now, &before));
	before.len = 0;
	assert_false(sched_idle(&now, &before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_nonblocking_wins),
		cmocka_unit_test(test_declared_order_breaks_ties),
		cmocka_unit_test(test_all_would_block_picks_first_runnable),
		cmocka_unit_test(test_nobody_can_run),
		cmocka_unit_test(test_polling_means_a_poller_can_run),
		cmocka_unit_test(test_not_runnable_is_skipped_even_if_free),
		cmocka_unit_test(test_spinning_server_does_not_starve_the_client),
		cmocka_unit_test(test_polling_goes_when_nobody_can_progress),
		cmocka_unit_test(test_polling_actors_take_turns),
		cmocka_unit_test(test_turns_skip_who_cannot_run),
		cmocka_unit_test(test_blocking_call_gets_its_turn_beside_a_poller),
		cmocka_unit_test(test_nonblocking_lesson_order_kept),
		cmocka_unit_test(test_progress_beats_polling_whatever_the_order),
		cmocka_unit_test(test_no_actor_starves),
		cmocka_unit_test(test_timeout_poller_passes_the_turn),
		cmocka_unit_test(test_client_runs_while_server_spins),
		cmocka_unit_test(test_idle_try_again),
		cmocka_unit_test(test_idle_other_errors_are_news),
		cmocka_unit_test(test_idle_wait_timed_out),
		cmocka_unit_test(test_idle_not_for_other_calls),
		cmocka_unit_test(test_idle_wait_ready_as_before),
		cmocka_unit_test(test_idle_poll_compares_the_ready_descriptors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
