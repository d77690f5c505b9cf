/* test_timeline.c - a console that prints without end stays bounded, and
 * a free run's batches are put in the order they happened.
 *
 * The timeline keeps each actor's first console lines, and of the lines
 * after them the last ones before the actor's next event, with a marker
 * that counts the rest: a million lines make a bounded number of events,
 * the first and last lines are there, and the count is exact.
 *
 * A long transfer is bounded alike: past the first events, a run of calls
 * that move bytes, packets and queue changes keeps its last events and a
 * marker that counts the rest, exactly; a call is never folded while it
 * runs, and its seq, held or folded, still answers.
 *
 * timeline_order puts events in the order of their times, keeps the order
 * they came in among equal times, never puts a return before its call nor
 * an event before the ones it starts after, and says where each went. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/lesson.h"
#include "model/timeline.h"

enum { HEAD = TIMELINE_CONSOLE_HEAD, TAIL = TIMELINE_CONSOLE_TAIL };

static void print(Timeline *t, int actor, int step, const char *text)
{
	Event ev = { .kind = EV_PRINT, .actor = actor, .step = step, .fd = -1, .text = (char *)text };
	assert_int_equal(timeline_add_print(t, &ev), 0);
}

static void print_n(Timeline *t, int actor, long from, long n, uint64_t *bytes)
{
	char line[32];
	for (long i = from; i < from + n; i++) {
		int len = snprintf(line, sizeof line, "line %ld", i);
		print(t, actor, 0, line);
		if (bytes)
			*bytes += (uint64_t)len + 1;
	}
}

static void other(Timeline *t, EventKind kind, int actor)
{
	Event ev = { .kind = kind, .actor = actor, .step = 1, .fd = -1 };
	assert_non_null(timeline_add(t, &ev));
}

static const char *text_at(const Timeline *t, size_t i)
{
	const Event *ev = timeline_get(t, i);
	assert_non_null(ev);
	assert_int_equal(ev->kind, EV_PRINT);
	return ev->text;
}

static void test_million_lines_bounded(void **state)
{
	(void)state;
	enum { N = 1000000 };
	Timeline *t = timeline_new();
	assert_non_null(t);
	uint64_t dropped_bytes = 0;
	print_n(t, 0, 0, HEAD, NULL);
	print_n(t, 0, HEAD, N - HEAD - TAIL, &dropped_bytes);
	print_n(t, 0, N - TAIL, TAIL, NULL);
	/* While it prints, only its first lines are events, and a tail is held. */
	assert_int_equal(timeline_count(t), HEAD);
	assert_int_equal(timeline_console_held(t, 0), TAIL);
	assert_int_equal(timeline_console_dropped(t, 0), N - HEAD - TAIL);
	other(t, EV_EXIT, 0);
	/* Its end puts the tail in, after the marker, before the exit. */
	assert_int_equal(timeline_count(t), HEAD + 1 + TAIL + 1);
	assert_int_equal(timeline_console_held(t, 0), 0);
	assert_string_equal(text_at(t, 0), "line 0");
	assert_string_equal(text_at(t, HEAD - 1), "line 999");
	const Event *mark = timeline_get(t, HEAD);
	assert_int_equal(mark->kind, EV_PRINT);
	assert_int_equal(mark->actor, 0);
	assert_int_equal(mark->ret, N - HEAD - TAIL);
	assert_int_equal(mark->total, dropped_bytes);
	assert_string_equal(mark->text, "");
	assert_string_equal(text_at(t, HEAD + 1), "line 999900");
	assert_string_equal(text_at(t, HEAD + TAIL), "line 999999");
	assert_int_equal(timeline_get(t, HEAD + TAIL + 1)->kind, EV_EXIT);
	for (size_t i = 0; i < timeline_count(t); i++)
		assert_int_equal(timeline_get(t, i)->seq, i + 1);
	timeline_free(t);
}

/* After the first lines, a few lines between two calls are all kept, in
 * their place: a lesson's loop that prints once a turn loses nothing. */
static void test_short_runs_kept(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	print_n(t, 0, 0, HEAD, NULL);
	for (int turn = 0; turn < 50; turn++) {
		print_n(t, 0, HEAD + turn * 3, 3, NULL);
		other(t, EV_CALL, 0);
	}
	assert_int_equal(timeline_count(t), HEAD + 50 * 4);
	for (size_t i = 0; i < timeline_count(t); i++)
		assert_true(timeline_get(t, i)->kind != EV_PRINT || timeline_get(t, i)->ret == 0);
	assert_string_equal(text_at(t, HEAD), "line 1000");
	assert_int_equal(timeline_get(t, HEAD + 3)->kind, EV_CALL);
	assert_string_equal(text_at(t, HEAD + 4), "line 1003");
	timeline_free(t);
}

/* Each actor has its own console: another's event does not put in the
 * lines one holds back; the end of the run (flush of all) does. */
static void test_consoles_apart(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	print_n(t, 0, 0, HEAD + 5, NULL);
	print_n(t, 1, 0, 2, NULL);
	other(t, EV_CALL, 1);
	assert_int_equal(timeline_count(t), HEAD + 3);
	assert_int_equal(timeline_console_held(t, 0), 5);
	timeline_console_flush(t, -1);
	assert_int_equal(timeline_count(t), HEAD + 8);
	assert_string_equal(text_at(t, HEAD + 7), "line 1004");
	assert_int_equal(timeline_get(t, HEAD + 7)->actor, 0);
	timeline_free(t);
}

/* A recording's events go in as they were (a replay): no bounding twice. */
static void test_plain_add_keeps_all(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	for (int i = 0; i < HEAD + TAIL + 10; i++) {
		Event ev = { .kind = EV_PRINT, .actor = 0, .step = -1, .text = "x" };
		assert_non_null(timeline_add(t, &ev));
	}
	assert_int_equal(timeline_count(t), HEAD + TAIL + 10);
	timeline_free(t);
}

/* A run started again starts its consoles again; what was held goes. */
static void test_clear_forgets(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	print_n(t, 0, 0, HEAD + TAIL + 7, NULL);
	timeline_clear(t);
	assert_int_equal(timeline_console_held(t, 0), 0);
	assert_int_equal(timeline_console_dropped(t, 0), 0);
	print_n(t, 0, 0, 10, NULL);
	assert_int_equal(timeline_count(t), 10);
	/* Going back keeps the first lines that are left counted. */
	print_n(t, 0, 10, HEAD, NULL);
	timeline_truncate(t, HEAD);
	print(t, 0, 0, "held");
	assert_int_equal(timeline_count(t), HEAD);
	assert_int_equal(timeline_console_held(t, 0), 1);
	timeline_free(t);
}

/* Add a call or return of actor at time when; returns its seq. */
static uint64_t at(Timeline *t, EventKind kind, int actor, uint64_t call_seq, uint64_t when)
{
	Event ev = { .kind = kind, .actor = actor, .step = 0, .fd = 3, .call_seq = call_seq };
	const Event *e = timeline_add(t, &ev);
	assert_non_null(e);
	timeline_set_when(t, timeline_count(t) - 1, when);
	return e->seq;
}

static void test_order_by_time(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	at(t, EV_CALL, 0, 0, 100);                        /* 1: before the range */
	/* The client's batch came first: its recv returned at 400. */
	uint64_t ccall = at(t, EV_CALL, 1, 0, 200);       /* 2 */
	at(t, EV_RETURN, 1, ccall, 400);                  /* 3 */
	/* Then the server's: its send ran from 300 to 350. */
	uint64_t scall = at(t, EV_CALL, 0, 0, 300);       /* 4 */
	at(t, EV_RETURN, 0, scall, 350);                  /* 5 */
	/* A return stamped before its call (no stamp: it came late) stays after. */
	uint64_t late = at(t, EV_CALL, 0, 0, 500);        /* 6 */
	at(t, EV_RETURN, 0, late, 450);                   /* 7 */
	/* Stamped before the range began: it stays in the range. */
	at(t, EV_CALL, 1, 0, 50);                         /* 8 */
	uint64_t moved[7];
	assert_int_equal(timeline_order(t, 1, moved), 0);
	static const struct { int actor; EventKind kind; uint64_t when; } want[] = {
		{ 0, EV_CALL, 100 }, { 1, EV_CALL, 100 }, { 1, EV_CALL, 200 }, { 0, EV_CALL, 300 },
		{ 0, EV_RETURN, 350 }, { 1, EV_RETURN, 400 }, { 0, EV_CALL, 500 }, { 0, EV_RETURN, 500 },
	};
	for (size_t i = 0; i < 8; i++) {
		const Event *e = timeline_get(t, i);
		assert_int_equal(e->seq, i + 1);
		assert_int_equal(e->actor, want[i].actor);
		assert_int_equal(e->kind, want[i].kind);
		assert_int_equal(e->when_ns, want[i].when);
	}
	/* Each return names its call where it went; the map says so too. */
	assert_int_equal(timeline_get(t, 4)->call_seq, 4);
	assert_int_equal(timeline_get(t, 5)->call_seq, 3);
	assert_int_equal(timeline_get(t, 7)->call_seq, 7);
	static const uint64_t where[7] = { 3, 6, 4, 5, 7, 8, 2 };
	assert_memory_equal(moved, where, sizeof where);
	assert_ptr_equal(timeline_return_of(t, 3), timeline_get(t, 5));
	timeline_free(t);
}

/* ---- the fold of a long transfer ------------------------------------------ */

enum { FHEAD = TIMELINE_FOLD_HEAD, FTAIL = TIMELINE_FOLD_TAIL };

/* A call of actor on fd 3 (op, asking for n bytes) and its return (n
 * moved); returns the call's seq, as the engine keeps it. */
static uint64_t call(Timeline *t, int actor, int op, uint64_t n)
{
	uint8_t bytes[16] = "0123456789abcdef";
	Event c = { .kind = EV_CALL, .actor = actor, .step = 0, .op = op, .fd = 3, .total = n,
		    .data = bytes, .len = sizeof bytes };
	const Event *e = timeline_add(t, &c);
	assert_non_null(e);
	return e->seq;
}

static void returns(Timeline *t, int actor, int op, uint64_t call_seq, uint64_t n)
{
	Event r = { .kind = EV_RETURN, .actor = actor, .step = 0, .op = op, .fd = 3, .call_seq = call_seq,
		    .ret = (int64_t)n, .total = n };
	assert_non_null(timeline_add(t, &r));
}

static void packet(Timeline *t, uint64_t len)
{
	uint8_t frame[40] = { 0 };
	Event p = { .kind = EV_PACKET, .actor = 0, .peer_actor = 1, .step = -1, .fd = -1, .total = len,
		    .data = frame, .len = sizeof frame };
	assert_non_null(timeline_add(t, &p));
}

static void test_million_calls_folded(void **state)
{
	(void)state;
	enum { N = 1000000, SIZE = 1000 };
	Timeline *t = timeline_new();
	assert_non_null(t);
	uint64_t first = 0, last = 0;
	for (long i = 0; i < N; i++) {
		uint64_t seq = call(t, 0, OP_SEND, SIZE);
		returns(t, 0, OP_SEND, seq, SIZE);
		if (i == 0)
			first = seq;
		last = seq;
		/* While it sends, the events stay bounded. */
		assert_true(timeline_count(t) <= FHEAD);
	}
	assert_int_equal(first, 1);
	/* The last call is held back, and answers by its seq. */
	assert_true(last >= TIMELINE_HELD_SEQ);
	assert_int_equal(timeline_by_seq(t, last)->kind, EV_CALL);
	assert_non_null(timeline_return_of(t, last));
	/* One held back long ago was folded, and had returned. */
	assert_null(timeline_by_seq(t, TIMELINE_HELD_SEQ));
	assert_non_null(timeline_return_of(t, TIMELINE_HELD_SEQ));
	assert_int_equal(timeline_added(t), 2 * (uint64_t)N);
	other(t, EV_EXIT, 0);
	/* The first calls, the marker, the last calls, the exit. */
	assert_int_equal(timeline_count(t), FHEAD + 1 + FTAIL + 1);
	const Event *mark = timeline_get(t, FHEAD);
	uint64_t folded = N - FHEAD / 2 - FTAIL / 2;
	assert_int_equal(mark->kind, EV_NOTE);
	assert_int_equal(mark->actor, -1);
	assert_int_equal(mark->ret, 2 * folded);
	assert_int_equal(mark->arg[0], folded);
	assert_int_equal(mark->arg[1], 0);
	assert_int_equal(mark->total, folded * SIZE);
	char said[64];
	snprintf(said, sizeof said, "%llu calls (%llu bytes sent, 0 received)", (unsigned long long)folded,
		 (unsigned long long)(folded * SIZE));
	assert_non_null(strstr(mark->text, said));
	/* First and last kept, with their bytes; each return after its call. */
	assert_int_equal(timeline_get(t, 0)->kind, EV_CALL);
	assert_memory_equal(timeline_get(t, 0)->data, "0123", 4);
	for (size_t i = FHEAD + 1; i < FHEAD + 1 + FTAIL; i += 2) {
		const Event *c = timeline_get(t, i), *r = timeline_get(t, i + 1);
		assert_int_equal(c->kind, EV_CALL);
		assert_int_equal(c->len, 16);
		assert_int_equal(r->kind, EV_RETURN);
		assert_int_equal(r->call_seq, c->seq);
		assert_ptr_equal(timeline_return_of(t, c->seq), r);
	}
	/* The last call's held seq now names the event it became. */
	assert_ptr_equal(timeline_by_seq(t, last), timeline_get(t, FHEAD + FTAIL - 1));
	assert_ptr_equal(timeline_return_of(t, last), timeline_get(t, FHEAD + FTAIL));
	for (size_t i = 0; i < timeline_count(t); i++)
		assert_int_equal(timeline_get(t, i)->seq, i + 1);
	timeline_free(t);
}

/* Packets alone (a capture of a transfer whose calls are not seen) are
 * bounded too, and counted with their bytes' length on the wire. */
static void test_packets_folded(void **state)
{
	(void)state;
	enum { N = 200000 };
	Timeline *t = timeline_new();
	for (long i = 0; i < N; i++)
		packet(t, 100);
	assert_int_equal(timeline_count(t), FHEAD);
	assert_int_equal(timeline_packets(t), N);
	timeline_fold_flush(t);
	assert_int_equal(timeline_count(t), FHEAD + 1 + FTAIL);
	assert_int_equal(timeline_get(t, FHEAD)->arg[1], N - FHEAD - FTAIL);
	assert_int_equal(timeline_get(t, FHEAD + FTAIL)->kind, EV_PACKET);
	timeline_free(t);
}

/* A call that waits (a recv) while the other side sends on and on stays,
 * however much is folded around it; its return goes in beside it. */
static void test_running_call_kept(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	for (int i = 0; i < FHEAD / 2; i++)
		returns(t, 0, OP_SEND, call(t, 0, OP_SEND, 10), 10);
	uint64_t recv = call(t, 1, OP_RECV, 10);
	assert_true(recv >= TIMELINE_HELD_SEQ);
	for (int i = 0; i < 10 * FTAIL; i++)
		returns(t, 0, OP_SEND, call(t, 0, OP_SEND, 10), 10);
	assert_null(timeline_return_of(t, recv));
	assert_int_equal(timeline_by_seq(t, recv)->actor, 1);
	timeline_set_blocked(t, recv);
	timeline_fold_flush(t);
	/* Put in at its place, before the sends kept, and still running. */
	const Event *c = timeline_by_seq(t, recv);
	assert_non_null(c);
	assert_true(c->seq < TIMELINE_HELD_SEQ);
	assert_int_equal(c->actor, 1);
	assert_true(c->blocked);
	assert_null(timeline_return_of(t, recv));
	/* Its return, after the flush, points at that place. */
	returns(t, 1, OP_RECV, recv, 10);
	const Event *r = timeline_get(t, timeline_count(t) - 1);
	assert_int_equal(r->call_seq, c->seq);
	assert_ptr_equal(timeline_return_of(t, recv), r);
	assert_int_equal(timeline_get(t, FHEAD)->arg[0], 10 * FTAIL - (FTAIL - 1) / 2);
	timeline_free(t);
}

/* A ping-pong, where one side always waits in a recv, folds on after an
 * event that cannot fold has put in what was held (a recv still running
 * among it). Before, the return of that recv put in what was held after
 * it, and so did every return after, and a free run never folded again:
 * 20,000 round trips kept 80,000 calls. */
static void test_pingpong_folds_after_a_flush(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	/* The client (0) sends a ping and waits for the pong; the server (1)
	 * waits for the ping and sends the pong back. */
	uint64_t server_wait = call(t, 1, OP_RECV, 10), client_wait = 0;
	for (int i = 0; i < 4 * FHEAD; i++) {
		returns(t, 0, OP_SEND, call(t, 0, OP_SEND, 10), 10);
		client_wait = call(t, 0, OP_RECV, 10);
		returns(t, 1, OP_RECV, server_wait, 10);
		returns(t, 1, OP_SEND, call(t, 1, OP_SEND, 10), 10);
		server_wait = call(t, 1, OP_RECV, 10);
		if (i == 2 * FHEAD) {
			Event note = { .kind = EV_NOTE, .actor = 0, .step = -1, .fd = -1, .text = "a note" };
			assert_non_null(timeline_add(t, &note));
		}
		returns(t, 0, OP_RECV, client_wait, 10);
		assert_non_null(timeline_return_of(t, client_wait));
	}
	assert_true(timeline_count(t) < FHEAD + 3 * FTAIL);
	timeline_fold_flush(t);
	/* Every call put in has its return, but the server's recv still running. */
	uint64_t running = timeline_placed(t, server_wait);
	for (size_t k = 0; k < timeline_count(t); k++) {
		const Event *e = timeline_get(t, k);
		if (e->kind == EV_CALL && e->seq != running)
			assert_non_null(timeline_return_of(t, e->seq));
	}
	assert_null(timeline_return_of(t, server_wait));
	timeline_free(t);
}

/* Going back (a replay's truncate, a restart's clear) forgets what was
 * held; a replay's timeline takes every event it is given. */
static void test_fold_forgets_and_replays(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	for (int i = 0; i < FHEAD + 50; i++)
		packet(t, 60);
	timeline_truncate(t, 10);
	assert_int_equal(timeline_count(t), 10);
	packet(t, 60);
	assert_int_equal(timeline_count(t), 11);
	timeline_clear(t);
	assert_int_equal(timeline_packets(t), 0);
	timeline_set_folding(t, 0);
	for (int i = 0; i < FHEAD + FTAIL + 10; i++)
		returns(t, 0, OP_SEND, call(t, 0, OP_SEND, 10), 10);
	assert_int_equal(timeline_count(t), 2 * (FHEAD + FTAIL + 10));
	timeline_free(t);
}

/* A free run puts its batches in order after the fold has put in what it
 * held: a held seq still names the event it became, wherever that went. */
static void test_order_follows_placed(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	for (int i = 0; i < FHEAD / 2; i++)
		returns(t, 0, OP_SEND, call(t, 0, OP_SEND, 10), 10);
	uint64_t held = call(t, 0, OP_SEND, 10);
	returns(t, 0, OP_SEND, held, 10);
	size_t from = timeline_count(t);
	timeline_fold_flush(t);
	assert_int_equal(timeline_count(t), from + 2);
	/* The call put in goes after its return's time: the order moves it
	 * only as far as its return, which stays after it. */
	timeline_set_when(t, from, 100);
	timeline_set_when(t, from + 1, 50);
	Event note = { .kind = EV_NOTE, .actor = -1, .step = -1, .fd = -1, .text = "x" };
	timeline_add(t, &note);
	timeline_set_when(t, from + 2, 10);
	uint64_t moved[3];
	assert_int_equal(timeline_order(t, from, moved), 0);
	const Event *c = timeline_by_seq(t, held);
	assert_non_null(c);
	assert_int_equal(c->kind, EV_CALL);
	assert_int_equal(c->seq, moved[0]);
	assert_ptr_equal(timeline_return_of(t, held)->call_seq, c->seq);
	timeline_free(t);
}

/* Whether something happened counts what the timeline took in, kept,
 * held or folded, console lines too: a program that only prints, or only
 * sends past the first events, is not taken for one that is stuck. */
static void test_added_counts_all(void **state)
{
	(void)state;
	Timeline *t = timeline_new();
	print_n(t, 0, 0, HEAD + TAIL + 5, NULL);
	assert_int_equal(timeline_added(t), HEAD + TAIL + 5);
	for (int i = 0; i < FHEAD; i++)
		packet(t, 60);
	assert_int_equal(timeline_added(t), HEAD + TAIL + 5 + FHEAD);
	timeline_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_million_lines_bounded),
		cmocka_unit_test(test_short_runs_kept),
		cmocka_unit_test(test_consoles_apart),
		cmocka_unit_test(test_plain_add_keeps_all),
		cmocka_unit_test(test_clear_forgets),
		cmocka_unit_test(test_order_by_time),
		cmocka_unit_test(test_million_calls_folded),
		cmocka_unit_test(test_packets_folded),
		cmocka_unit_test(test_running_call_kept),
		cmocka_unit_test(test_pingpong_folds_after_a_flush),
		cmocka_unit_test(test_fold_forgets_and_replays),
		cmocka_unit_test(test_order_follows_placed),
		cmocka_unit_test(test_added_counts_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
