/* test_gate.c - the channel records: what goes in comes out, and nothing
 * malformed is ever taken for a record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "model/gate.h"

static GateRecord sample(void)
{
	GateRecord r;
	memset(&r, 0, sizeof r);
	r.kind = GATE_RESULT;
	r.op = 7;
	r.step = 12;
	r.fd = 4;
	r.arg[0] = 1024;
	r.ret = 12;
	r.ns = 5555;
	r.total = 12;
	struct sockaddr_in *in = (struct sockaddr_in *)&r.addr;
	in->sin_family = AF_INET;
	in->sin_port = htons(65432);
	r.addrlen = sizeof *in;
	memcpy(r.data, "Hello, world", 12);
	r.len = 12;
	return r;
}

static void test_roundtrip(void **state)
{
	(void)state;
	GateRecord r = sample(), back;
	uint8_t buf[GATE_WIRE_MAX];
	int n = gate_encode(&r, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(gate_decode(buf, (size_t)n, &back), 0);
	assert_int_equal(back.kind, GATE_RESULT);
	assert_int_equal(back.step, 12);
	assert_int_equal(back.fd, 4);
	assert_int_equal(back.ret, 12);
	assert_int_equal(back.ns, 5555);
	assert_int_equal(back.addrlen, sizeof(struct sockaddr_in));
	assert_int_equal(ntohs(((struct sockaddr_in *)&back.addr)->sin_port), 65432);
	assert_int_equal(back.len, 12);
	assert_memory_equal(back.data, "Hello, world", 12);
}

static void test_full_data_fits(void **state)
{
	(void)state;
	GateRecord r = sample(), back;
	r.len = GATE_DATA_MAX;
	memset(r.data, 0xab, GATE_DATA_MAX);
	r.addrlen = sizeof r.addr;
	uint8_t buf[GATE_WIRE_MAX];
	int n = gate_encode(&r, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(gate_decode(buf, (size_t)n, &back), 0);
	assert_int_equal(back.len, GATE_DATA_MAX);
	assert_int_equal(back.data[GATE_DATA_MAX - 1], 0xab);
}

static void test_rejects_oversize(void **state)
{
	(void)state;
	GateRecord r = sample();
	uint8_t buf[GATE_WIRE_MAX];
	r.len = GATE_DATA_MAX + 1;
	assert_int_equal(gate_encode(&r, buf, sizeof buf), -1);
	r = sample();
	assert_int_equal(gate_encode(&r, buf, 10), -1);
}

static void test_rejects_malformed(void **state)
{
	(void)state;
	GateRecord r = sample(), back;
	uint8_t buf[GATE_WIRE_MAX];
	int n = gate_encode(&r, buf, sizeof buf);
	/* Every truncation is refused: the lengths must add up exactly. */
	for (int k = 0; k < n; k++)
		assert_int_equal(gate_decode(buf, (size_t)k, &back), -1);
	/* An unknown kind is refused. */
	buf[0] = 0;
	assert_int_equal(gate_decode(buf, (size_t)n, &back), -1);
	buf[0] = GATE_KIND_MAX_;
	assert_int_equal(gate_decode(buf, (size_t)n, &back), -1);
	/* A length field larger than the record is refused. */
	r.len = 12;
	n = gate_encode(&r, buf, sizeof buf);
	uint32_t big = 1u << 30;
	memcpy(buf + n - 12 - r.addrlen - 4, &big, 4);
	assert_int_equal(gate_decode(buf, (size_t)n, &back), -1);
}

static void test_garbage_never_crashes(void **state)
{
	(void)state;
	uint8_t buf[GATE_WIRE_MAX];
	GateRecord back;
	unsigned seed = 1;
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand_r(&seed) % 200);
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rand_r(&seed);
		(void)gate_decode(buf, n, &back);
	}
}

static int got;

static void count_record(void *ctx, const GateRecord *r)
{
	(void)ctx;
	got += memcmp(r->data, "Hello, world", 12) == 0;
}

static void test_over_a_real_pair(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(gate_pair(fds), 0);
	GateRecord r = sample(), back;
	assert_int_equal(gate_send(fds[1], &r), 0);
	assert_int_equal(gate_recv(fds[0], &back), 1);
	assert_memory_equal(back.data, "Hello, world", 12);
	/* A line of input keeps its bytes; the command comes first. */
	char line[64];
	assert_int_equal(gate_send_line(fds[0], "hello", 5), 0);
	assert_int_equal(gate_wait(fds[1], line, sizeof line), GATE_CMD_LINE);
	assert_string_equal(line, "hello");
	assert_int_equal(gate_command(fds[0], GATE_CMD_GO), 0);
	assert_int_equal(gate_wait(fds[1], NULL, 0), GATE_CMD_GO);
	/* The parent going away reads as the end for the actor. */
	close(fds[0]);
	assert_int_equal(gate_wait(fds[1], line, sizeof line), -1);
	close(fds[1]);
}

/* Regression: an actor that exits with a command from sockstep unread
 * resets the pair, and the first recv() fails with ECONNRESET while the
 * records it sent last are still queued (a fast program's whole free run
 * was lost so). Both readers get them, then the end. */
static void test_records_survive_a_reset(void **state)
{
	(void)state;
	for (int each = 0; each < 2; each++) {
		int fds[2];
		assert_int_equal(gate_pair(fds), 0);
		assert_int_equal(gate_command(fds[0], GATE_CMD_EOF), 0);   /* never read */
		GateRecord r = sample(), back;
		GateBatch b = { 0 };
		if (each) {
			assert_int_equal(gate_batch_add(fds[1], &b, &r), 0);
			assert_int_equal(gate_batch_flush(fds[1], &b), 0);
		} else {
			assert_int_equal(gate_send(fds[1], &r), 0);
		}
		close(fds[1]);
		if (each)
			assert_int_equal(gate_recv_each(fds[0], count_record, &got), 1);
		else
			assert_int_equal(gate_recv(fds[0], &back), 1);
		assert_int_equal(gate_recv(fds[0], &back), 0);
		close(fds[0]);
	}
	assert_int_equal(got, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_full_data_fits),
		cmocka_unit_test(test_rejects_oversize),
		cmocka_unit_test(test_rejects_malformed),
		cmocka_unit_test(test_garbage_never_crashes),
		cmocka_unit_test(test_over_a_real_pair),
		cmocka_unit_test(test_records_survive_a_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
