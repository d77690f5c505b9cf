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
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "model/addr.h"
#include "model/gate.h"
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

	/* redis-cli's keepalive, named as strace names it; an option or level
	 * without a name here is its number, never "?". */
	ev = call(OP_SETSOCKOPT, 3);
	ev.arg[0] = IPPROTO_TCP;
	ev.arg[1] = TCP_KEEPIDLE;
	ev.arg[2] = 15;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "setsockopt(3, IPPROTO_TCP, TCP_KEEPIDLE, 15)");
	ev.arg[0] = IPPROTO_IP;
	ev.arg[1] = IP_TOS;
	ev.arg[2] = 16;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "setsockopt(3, IPPROTO_IP, IP_TOS, 16)");
	ev.arg[1] = 9999;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "setsockopt(3, IPPROTO_IP, 9999, 16)");
	ev.arg[0] = 277;   /* SOL_TLS */
	ev.arg[1] = 1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "setsockopt(3, 277, 1, 16)");
	/* A narrow column's spelling: a named option without the level its
	 * name implies, so the name is never cut; a number keeps its level. */
	calltext_call_terse(&ev, buf, sizeof buf);
	assert_string_equal(buf, "setsockopt(3, 277, 1, 16)");
	ev.arg[0] = SOL_SOCKET;
	ev.arg[1] = SO_REUSEADDR;
	ev.arg[2] = 1;
	calltext_call_terse(&ev, buf, sizeof buf);
	assert_string_equal(buf, "setsockopt(3, SO_REUSEADDR, 1)");
	ev.op = OP_GETSOCKOPT;
	ev.arg[1] = SO_BROADCAST;
	calltext_call_terse(&ev, buf, sizeof buf);
	assert_string_equal(buf, "getsockopt(3, SO_BROADCAST)");
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
	/* Other flags by name, as strace writes them. */
	ev.arg[1] = O_RDWR | O_APPEND;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(3, F_SETFL, O_RDWR|O_APPEND)");
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

/* ---- a traced program's calls, as strace writes them ----------------- */

/* A socket made non-blocking by socket() itself must look it. */
static void test_socket_flags(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_SOCKET, -1);
	ev.arg[0] = AF_INET;
	ev.arg[1] = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK)");
	ev.arg[1] = SOCK_DGRAM | SOCK_NONBLOCK;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK)");
	ev.op = OP_SOCKETPAIR;
	ev.arg[0] = AF_UNIX;
	ev.arg[1] = SOCK_STREAM | SOCK_CLOEXEC;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC)");
}

static void test_fcntl(void **state)
{
	(void)state;
	char buf[256];
	Event ev = call(OP_FCNTL, 3);
	ev.arg[0] = F_GETFL;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(3, F_GETFL)");
	ev.kind = EV_RETURN;
	ev.ret = O_RDWR;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0x2 (flags O_RDWR)");
	ev.ret = O_RDWR | O_NONBLOCK | O_APPEND;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0xc02 (flags O_RDWR|O_APPEND|O_NONBLOCK)");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "3074");
	ev = call(OP_FCNTL, 3);
	ev.arg[0] = F_SETFL;
	ev.arg[1] = O_RDWR | O_NONBLOCK;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK)");
	ev = ret_of(OP_FCNTL, 3, 0);
	ev.arg[0] = F_SETFL;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0");
}

static void set_waits(Event *ev, GateWaitFd *w, int n)
{
	ev->data = (uint8_t *)w;
	ev->len = (size_t)n * sizeof *w;
}

/* poll: each descriptor with its own events; the result, each one's revents. */
static void test_poll_waitset(void **state)
{
	(void)state;
	char buf[512];
	GateWaitFd w[] = { { 3, POLLIN, 0 }, { 4, POLLOUT, 0 }, { -1, POLLIN, 0 } };
	Event ev = call(OP_POLL, -1);
	ev.arg[0] = -1;
	ev.arg[1] = 1;
	ev.arg[2] = GATE_WAIT_SET | 3;
	set_waits(&ev, w, 3);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}, {fd=-1}], 3, -1)");
	/* More descriptors than a record keeps: the count stays the real one. */
	ev.arg[2] = GATE_WAIT_SET | 100;
	set_waits(&ev, w, 2);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}, ...], 100, -1)");
	ev.arg[2] = GATE_WAIT_SET | GATE_WAIT_PCALL | GATE_WAIT_SIGMASK | 2;
	ev.arg[0] = 1500;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, "
				 "{tv_sec=1, tv_nsec=500000000}, [...], 8)");

	GateWaitFd r[] = { { 3, POLLIN, 0 }, { 4, POLLOUT, POLLOUT | POLLHUP } };
	ev = ret_of(OP_POLL, -1, 1);
	ev.arg[2] = GATE_WAIT_SET | 2;
	set_waits(&ev, r, 2);
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "1 ([{fd=4, revents=POLLOUT|POLLHUP}])");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_string_equal(buf, "1");
	ev.ret = 0;
	r[1].revents = 0;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0 (Timeout)");
}

/* select: its real nfds and all three sets, in and out. */
static void test_select_waitset(void **state)
{
	(void)state;
	char buf[512];
	GateWaitFd w[] = { { 0, POLLIN, 0 }, { 3, POLLIN | POLLPRI, 0 }, { 4, POLLOUT, 0 } };
	Event ev = call(OP_SELECT, -1);
	ev.arg[0] = -1;
	ev.arg[2] = GATE_WAIT_SET | 5;
	set_waits(&ev, w, 3);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "select(5, [0 3], [4], [3], NULL)");
	ev.arg[0] = 2500;
	ev.arg[2] = GATE_WAIT_SET | GATE_WAIT_PCALL | 9;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "pselect6(9, [0 3], [4], [3], {tv_sec=2, tv_nsec=500000000}, NULL)");
	ev.arg[2] |= GATE_WAIT_SIGARG;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "pselect6(9, [0 3], [4], [3], {tv_sec=2, tv_nsec=500000000}, "
				 "{sigmask=NULL, sigsetsize=8})");
	ev.arg[2] = GATE_WAIT_SET | 5;
	ev.arg[0] = 0;
	set_waits(&ev, w + 2, 1);
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "select(5, NULL, [4], NULL, {tv_sec=0, tv_usec=0})");

	GateWaitFd r[] = { { 0, POLLIN, 0 }, { 3, POLLIN | POLLPRI, POLLIN }, { 4, POLLOUT, POLLOUT } };
	ev = ret_of(OP_SELECT, -1, 2);
	ev.arg[2] = GATE_WAIT_SET | 5;
	set_waits(&ev, r, 3);
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "2 (in [3], out [4])");
	ev.ret = 1;
	r[1].revents = POLLPRI;
	r[2].revents = 0;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "1 (except [3])");
}

static void test_epoll(void **state)
{
	(void)state;
	char buf[512];
	GateEpollEvent e = { .events = EPOLLIN | EPOLLET, .data = 3 };
	Event ev = call(OP_EPOLL_CTL, 5);
	ev.arg[0] = EPOLL_CTL_ADD;
	ev.arg[1] = 3;
	ev.data = (uint8_t *)&e;
	ev.len = sizeof e;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=3, u64=3}})");
	ev.arg[0] = EPOLL_CTL_DEL;
	ev.len = 0;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_ctl(5, EPOLL_CTL_DEL, 3, NULL)");

	ev = call(OP_EPOLL_CREATE, -1);
	ev.arg[0] = EPOLL_CLOEXEC;
	ev.arg[1] = 1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_create1(EPOLL_CLOEXEC)");
	ev.arg[0] = 0;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_create1(0)");
	ev.arg[0] = 1;
	ev.arg[1] = 0;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_create(1)");

	/* A socket's second number, each call as strace writes it. */
	ev = call(OP_DUP, 7);
	ev.arg[0] = 0;
	ev.arg[2] = LESSON_DUP2;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "dup2(7, 0)");
	ev.arg[0] = -1;
	ev.arg[2] = LESSON_DUP;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "dup(7)");
	ev.arg[0] = 1;
	ev.arg[1] = O_CLOEXEC;
	ev.arg[2] = LESSON_DUP3;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "dup3(7, 1, O_CLOEXEC)");
	ev.arg[0] = 10;
	ev.arg[2] = LESSON_DUP_FCNTL_CLOEXEC;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "fcntl(7, F_DUPFD_CLOEXEC, 10)");

	ev = call(OP_EPOLL_WAIT, 5);
	ev.arg[0] = 64;
	ev.arg[1] = -1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_wait(5, 64, -1)");
	ev.arg[2] = GATE_WAIT_PCALL;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "epoll_pwait(5, 64, -1, NULL, 8)");

	GateEpollEvent ready[] = { { .events = EPOLLIN, .data = 3 }, { .events = EPOLLOUT | EPOLLHUP, .data = 0x100000004ull } };
	ev = ret_of(OP_EPOLL_WAIT, 5, 2);
	ev.data = (uint8_t *)ready;
	ev.len = sizeof ready;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "2 ([{events=EPOLLIN, data={u32=3, u64=3}}, "
				 "{events=EPOLLOUT|EPOLLHUP, data={u32=4, u64=4294967300}}])");
	ev.ret = 0;
	ev.len = 0;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "0");
}

/* The kernel's restart codes are never shown as failures, nor as "E?". */
static void test_interrupted(void **state)
{
	(void)state;
	char buf[256];
	Event ev = ret_of(OP_ACCEPT, 3, -1);
	ev.err = 512;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "? ERESTARTSYS (interrupted by a signal; restarted if its handler has "
				 "SA_RESTART, else EINTR)");
	calltext_result(&ev, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "? ERESTARTSYS"));
	assert_true(calltext_interrupted(512));
	assert_true(calltext_interrupted(516));
	assert_false(calltext_interrupted(EINTR));
	ev.err = 513;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "? ERESTARTNOINTR (interrupted by a signal; the kernel restarts it)");
	ev.err = 514;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_string_equal(buf, "? ERESTARTNOHAND (interrupted by a signal; restarted if no handler ran, else EINTR)");
	ev.err = 516;
	calltext_result(&ev, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "? ERESTART_RESTARTBLOCK ("));
	/* Every errno the C library knows has its name. */
	for (int e = 1; e < 134; e++) {
		if (strerrorname_np(e))
			assert_string_equal(calltext_errno_name(e), strerrorname_np(e));
	}
	assert_string_equal(calltext_errno_name(EHOSTUNREACH), "EHOSTUNREACH");
	assert_string_equal(calltext_errno_name(ENOTCONN), "ENOTCONN");
	assert_string_equal(calltext_errno_name(ERESTART), "ERESTART");
	assert_string_equal(calltext_errno_name(515), "E?");
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
		cmocka_unit_test(test_socket_flags),
		cmocka_unit_test(test_fcntl),
		cmocka_unit_test(test_poll_waitset),
		cmocka_unit_test(test_select_waitset),
		cmocka_unit_test(test_epoll),
		cmocka_unit_test(test_interrupted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
