/* test_calltext.c - calls, results and bytes as the student reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "model/addr.h"
#include "model/lesson.h"
#include "views/bytes.h"
#include "views/calltext.h"

static Event call(int op, int fd)
{
	Event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = EV_CALL;
	ev.op = op;
	ev.fd = fd;
	return ev;
}

static void test_connect_and_bind(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_CONNECT, 3);
	socklen_t len;
	assert_int_equal(addr_make(AF_INET, "127.0.0.1", 65432, &ev.addr, &len), 0);
	ev.addrlen = len;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "connect(3, 127.0.0.1:65432)");
	ev.op = OP_BIND;
	assert_int_equal(addr_make(AF_INET6, "::1", 80, &ev.addr, &len), 0);
	ev.addrlen = len;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "bind(3, [::1]:80)");
}

static void test_socket_and_listen(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_SOCKET, -1);
	ev.arg[0] = AF_INET;
	ev.arg[1] = SOCK_STREAM;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "socket(AF_INET, SOCK_STREAM)");
	ev = call(OP_LISTEN, 3);
	ev.arg[0] = 1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "listen(3, 1)");
}

static void test_sendall_quotes_bytes(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_SENDALL, 3);
	uint8_t data[] = "Hello, world";
	ev.data = data;
	ev.len = ev.total = 12;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendall(3, \"Hello, world\", 12)");
	/* Longer than maxstr: cut, with the count still exact. */
	calltext_call(&ev, 5, buf, sizeof buf);
	assert_string_equal(buf, "sendall(3, \"Hello\"..., 12)");
}

static void test_quote_escapes(void **state)
{
	(void)state;
	char buf[64];
	const unsigned char in[] = { 'a', '\n', '"', '\\', 0, 0xff };
	calltext_quote(in, sizeof in, buf, sizeof buf);
	assert_string_equal(buf, "a\\n\\\"\\\\\\x00\\xff");
	/* A small buffer cuts at a whole escape, never in the middle. */
	calltext_quote(in, sizeof in, buf, 4);
	assert_string_equal(buf, "a\\n");
}

static void test_results(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_CONNECT, 3);
	ev.kind = EV_RETURN;
	ev.ret = -1;
	ev.err = ECONNREFUSED;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "-1 ECONNREFUSED (Connection refused)");
	ev = call(OP_ACCEPT, 3);
	ev.ret = 4;
	socklen_t len;
	addr_make(AF_INET, "127.0.0.1", 41234, &ev.addr, &len);
	ev.addrlen = len;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "4 from 127.0.0.1:41234");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "4");
}

static void test_hex_line(void **state)
{
	(void)state;
	char buf[160];
	const unsigned char hello[] = "Hello, world";
	bytes_line(hello, 12, 0, 16, buf, sizeof buf);
	assert_string_equal(buf, "0000  48 65 6c 6c 6f 2c 20 77 6f 72 6c 64"
				 "              Hello, world");
	const unsigned char bin[] = { 0x00, 0x41, 0x7f };
	bytes_line(bin, 3, 16, 4, buf, sizeof buf);
	assert_string_equal(buf, "0010  00 41 7f     .A.");
	assert_int_equal(bytes_line_count(12, 16), 1);
	assert_int_equal(bytes_line_count(17, 16), 2);
	assert_int_equal(bytes_line_count(0, 16), 0);
}

static void test_unix_addresses(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[128];
	assert_int_equal(addr_make(AF_UNIX, "@echo", -1, &ss, &len), 0);
	addr_format(&ss, len, buf, sizeof buf);
	assert_string_equal(buf, "@echo");
	assert_int_equal(addr_make(AF_UNIX, "/tmp/echo.sock", -1, &ss, &len), 0);
	addr_format(&ss, len, buf, sizeof buf);
	assert_string_equal(buf, "/tmp/echo.sock");
	assert_int_equal(addr_make(AF_INET, "not-an-address", 1, &ss, &len), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_and_bind),
		cmocka_unit_test(test_socket_and_listen),
		cmocka_unit_test(test_sendall_quotes_bytes),
		cmocka_unit_test(test_quote_escapes),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_hex_line),
		cmocka_unit_test(test_unix_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
