/* test_calltext.c - calls, results and bytes as the student reads them:
 * every kind of call and result has its exact text here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
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

static Event ret_of(int op, int fd, long ret)
{
	Event ev = call(op, fd);
	ev.kind = EV_RETURN;
	ev.ret = ret;
	return ev;
}

/* MSG_* flags show only when given, strace-style, joined with '|'. */
static void test_flags(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_RECV, 4);
	ev.arg[0] = 1024;
	ev.arg[1] = MSG_PEEK;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "recv(4, 1024, MSG_PEEK)");
	ev.op = OP_RECVFROM;
	ev.arg[1] = MSG_WAITALL | MSG_DONTWAIT | MSG_TRUNC;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "recvfrom(4, 1024, MSG_WAITALL|MSG_TRUNC|MSG_DONTWAIT)");
	ev.arg[1] = 0;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "recvfrom(4, 1024)");

	uint8_t x[] = "x";
	ev = call(OP_SEND, 3);
	ev.data = x;
	ev.len = ev.total = 1;
	ev.arg[1] = MSG_NOSIGNAL;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "send(3, \"x\", 1, MSG_NOSIGNAL)");
	ev.op = OP_SENDTO;
	ev.arg[1] = MSG_DONTWAIT;
	socklen_t len;
	addr_make(AF_INET, "127.0.0.1", 9, &ev.addr, &len);
	ev.addrlen = len;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendto(3, \"x\", 1, MSG_DONTWAIT, 127.0.0.1:9)");
}

/* The result data of a getaddrinfo: raw sockaddrs, one after the other. */
static size_t put_addr(uint8_t *data, size_t at, int family, const char *host, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	assert_int_equal(addr_make(family, host, port, &ss, &len), 0);
	memcpy(data + at, &ss, len);
	return at + len;
}

static void test_getaddrinfo(void **state)
{
	(void)state;
	char buf[256];
	uint8_t host[] = "localhost";
	Event ev = call(OP_GETADDRINFO, -1);
	ev.data = host;
	ev.len = 9;
	ev.arg[2] = 65432;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "getaddrinfo(\"localhost\", \"65432\")");
	ev.arg[0] = AF_INET6;
	ev.arg[1] = SOCK_DGRAM;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "getaddrinfo(\"localhost\", \"65432\", AF_INET6, SOCK_DGRAM)");

	uint8_t data[256];
	size_t n = put_addr(data, 0, AF_INET, "127.0.0.1", 65432);
	/* Port 65432 in network order is ff 98: the byte order lesson. */
	assert_int_equal(data[2], 0xff);
	assert_int_equal(data[3], 0x98);
	n = put_addr(data, n, AF_INET6, "::1", 65432);
	ev = ret_of(OP_GETADDRINFO, -1, 0);
	ev.data = data;
	ev.len = n;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0: 127.0.0.1:65432, [::1]:65432");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "0");
	/* Too long for the buffer: as many as fit, then "...". */
	calltext_result(&ev, 1, buf, 28);
	assert_string_equal(buf, "0: 127.0.0.1:65432 ...");
	calltext_result(&ev, 1, buf, 8);
	assert_string_equal(buf, "0: ...");
	/* A cut-off address at the end is left out, never read past. */
	ev.len = n - 1;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0: 127.0.0.1:65432");

	/* Failures carry getaddrinfo's own code, shown with its own text. */
	ev = ret_of(OP_GETADDRINFO, -1, -1);
	ev.err = EAI_NONAME;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "-2 EAI_NONAME (Name or service not known)");
	ev.err = EAI_AGAIN;
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "-3 EAI_AGAIN (Temporary failure in name resolution)");
	ev.err = EAI_SYSTEM;
	ev.arg[2] = EMFILE;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "-11 EAI_SYSTEM (Too many open files)");
	assert_string_equal(calltext_eai_name(12345), "EAI_?");
}

static void test_names_and_options(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_GETHOSTNAME, -1);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "gethostname()");
	uint8_t name[] = "box\n";
	ev = ret_of(OP_GETHOSTNAME, -1, 0);
	ev.data = name;
	ev.len = 4;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 \"box\\n\"");

	ev = call(OP_GETSOCKNAME, 3);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "getsockname(3)");
	ev = ret_of(OP_GETPEERNAME, 3, 0);
	socklen_t len;
	addr_make(AF_INET, "127.0.0.1", 65432, &ev.addr, &len);
	ev.addrlen = len;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 127.0.0.1:65432");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "0");

	ev = call(OP_GETSOCKOPT, 3);
	ev.arg[0] = SOL_SOCKET;
	ev.arg[1] = SO_ERROR;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "getsockopt(3, SOL_SOCKET, SO_ERROR)");
	ev.kind = EV_RETURN;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 [0]");
	ev.arg[2] = ECONNREFUSED;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 [ECONNREFUSED]");
	ev.arg[1] = SO_TYPE;
	ev.arg[2] = SOCK_DGRAM;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 [SOCK_DGRAM]");
	ev.arg[1] = SO_RCVTIMEO;
	ev.arg[2] = 1500;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 [1500]");
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "getsockopt(3, SOL_SOCKET, SO_RCVTIMEO_MS)");
}

/* setblocking is an fcntl(F_SETFL) with the flags it really sets. */
static void test_setblocking(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_SETBLOCKING, 3);
	ev.arg[0] = 0;
	ev.arg[1] = O_RDWR | O_NONBLOCK;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK)");
	ev.arg[0] = 1;
	ev.arg[1] = O_RDWR;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(3, F_SETFL, O_RDWR)");
	ev.arg[1] = O_RDWR | O_APPEND;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(3, F_SETFL, O_RDWR|02000)");
	/* The flags could not be read: the F_GETFL is the call that fails. */
	ev.fd = -1;
	ev.arg[1] = -1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(-1, F_GETFL)");
}

static void set_fds(Event *ev, int32_t *fds, int n)
{
	ev->data = (uint8_t *)fds;
	ev->len = (size_t)n * sizeof *fds;
}

static void test_poll_and_select(void **state)
{
	(void)state;
	char buf[256];
	int32_t both[] = { 3, 5 }, five[] = { 5 };
	Event ev = call(OP_POLL, -1);
	ev.arg[0] = -1;
	set_fds(&ev, both, 2);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "poll([3, 5], POLLIN, -1)");
	ev.arg[0] = 250;
	ev.arg[1] = 1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "poll([3, 5], POLLOUT, 250)");
	ev.op = OP_SELECT;
	ev.arg[0] = -1;
	ev.arg[1] = 0;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "select(6, [3 5], NULL, NULL, NULL)");
	ev.arg[0] = 1500;
	ev.arg[1] = 1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "select(6, NULL, [3 5], NULL, {tv_sec=1, tv_usec=500000})");

	ev = ret_of(OP_POLL, -1, 1);
	set_fds(&ev, five, 1);
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "1 [5]");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "1");
	ev = ret_of(OP_SELECT, -1, 2);
	set_fds(&ev, both, 2);
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "2 [3 5]");
	ev = ret_of(OP_SELECT, -1, 0);
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 (Timeout)");
	ev = ret_of(OP_POLL, -1, -1);
	ev.err = EINTR;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "-1 EINTR (Interrupted system call)");
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
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_getaddrinfo),
		cmocka_unit_test(test_names_and_options),
		cmocka_unit_test(test_setblocking),
		cmocka_unit_test(test_poll_and_select),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
