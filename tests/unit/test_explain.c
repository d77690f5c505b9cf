/* test_explain.c - the narration of a traced program's calls (sockstep run):
 * what a call does in general, what its result adds, and the calls the C
 * library makes on its own (nscd) named as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "model/addr.h"
#include "model/lesson.h"
#include "views/explain.h"

static Event connect_call(void)
{
	Event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = EV_CALL;
	ev.op = OP_CONNECT;
	ev.fd = 3;
	return ev;
}

static Event unix_connect(const char *path)
{
	Event ev = connect_call();
	struct sockaddr_un *un = (struct sockaddr_un *)&ev.addr;
	un->sun_family = AF_UNIX;
	strcpy(un->sun_path, path);
	ev.addrlen = (uint32_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	return ev;
}

static Event failed(int err)
{
	Event ret;
	memset(&ret, 0, sizeof ret);
	ret.kind = EV_RETURN;
	ret.ret = -1;
	ret.err = err;
	return ret;
}

/* Non-blocking, where the program made it so, and what EINPROGRESS means. */
static void test_nonblocking(void **state)
{
	(void)state;
	char buf[1024];
	Event ev = connect_call();
	ev.op = OP_SOCKET;
	ev.arg[0] = AF_INET;
	ev.arg[1] = SOCK_STREAM | SOCK_NONBLOCK;
	explain_call(&ev, NULL, buf, sizeof buf);
	assert_non_null(strstr(buf, "SOCK_NONBLOCK makes it non-blocking"));
	ev.arg[1] = SOCK_STREAM;
	explain_call(&ev, NULL, buf, sizeof buf);
	assert_null(strstr(buf, "non-blocking"));
	ev.op = OP_FCNTL;
	ev.arg[0] = F_SETFL;
	ev.arg[1] = O_RDWR | O_NONBLOCK;
	explain_call(&ev, NULL, buf, sizeof buf);
	assert_non_null(strstr(buf, "O_NONBLOCK makes the socket non-blocking"));
	ev = connect_call();
	Event ret = failed(EINPROGRESS);
	explain_call(&ev, &ret, buf, sizeof buf);
	assert_non_null(strstr(buf, "the handshake has begun"));
	assert_non_null(strstr(buf, "SO_ERROR"));
	ret = failed(EAGAIN);
	explain_call(&ev, &ret, buf, sizeof buf);
	assert_non_null(strstr(buf, "did not wait"));
}

/* The close of an epoll set (a traced program's, arg[0] 1) ends no socket. */
static void test_epoll_close(void **state)
{
	(void)state;
	char buf[1024];
	Event ev = connect_call();
	ev.op = OP_CLOSE;
	explain_call(&ev, NULL, buf, sizeof buf);
	assert_non_null(strstr(buf, "ends the socket"));
	ev.arg[0] = 1;
	explain_call(&ev, NULL, buf, sizeof buf);
	assert_non_null(strstr(buf, "this one is an epoll set"));
	assert_null(strstr(buf, "FIN"));
}

/* A call a signal interrupted is not a failure of the program's. */
static void test_interrupted(void **state)
{
	(void)state;
	char buf[1024];
	Event ev = connect_call();
	ev.op = OP_ACCEPT;
	Event ret = failed(512);
	explain_call(&ev, &ret, buf, sizeof buf);
	assert_non_null(strstr(buf, "A signal came while it waited"));
	assert_non_null(strstr(buf, "SA_RESTART"));
	assert_null(strstr(buf, "It failed"));
}

static void test_tcp_connect_is_the_handshake(void **state)
{
	(void)state;
	char buf[512];
	Event ev = connect_call();
	socklen_t len;
	assert_int_equal(addr_make(AF_INET, "127.0.0.1", 65432, &ev.addr, &len), 0);
	ev.addrlen = len;
	Event ret = failed(ECONNREFUSED);
	explain_call(&ev, &ret, buf, sizeof buf);
	assert_non_null(strstr(buf, "SYN, SYN/ACK, ACK handshake"));
	assert_non_null(strstr(buf, "Refused: nothing listens on that port"));
}

/* A shell without HOME, or id, connects to nscd before it reads
 * /etc/passwd: the student is told the call is the library's. */
static void test_nscd_is_the_library(void **state)
{
	(void)state;
	char buf[512];
	Event ev = unix_connect("/var/run/nscd/socket");
	Event ret = failed(ENOENT);
	explain_call(&ev, &ret, buf, sizeof buf);
	assert_non_null(strstr(buf, "The C library makes this call, not the program's own code"));
	assert_non_null(strstr(buf, "None runs here"));
	explain_call(&ev, NULL, buf, sizeof buf);
	assert_non_null(strstr(buf, "name service cache daemon"));
	assert_null(strstr(buf, "None runs here"));
	ev = unix_connect("/run/nscd/socket");
	explain_call(&ev, &ret, buf, sizeof buf);
	assert_non_null(strstr(buf, "The C library makes this call"));
}

/* Any other local socket, or one whose path only begins like nscd's, is a
 * connect of the program's own. */
static void test_other_unix_paths_are_the_program(void **state)
{
	(void)state;
	char buf[512];
	static const char *const paths[] = { "/tmp/chat.sock", "/var/run/nscd/socket2", "/var/run/nscd" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		Event ev = unix_connect(paths[i]);
		explain_call(&ev, NULL, buf, sizeof buf);
		assert_null(strstr(buf, "C library"));
		assert_non_null(strstr(buf, "connect() asks the kernel to open a connection"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_connect_is_the_handshake),
		cmocka_unit_test(test_nonblocking),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_epoll_close),
		cmocka_unit_test(test_nscd_is_the_library),
		cmocka_unit_test(test_other_unix_paths_are_the_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
