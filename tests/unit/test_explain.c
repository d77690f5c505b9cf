/* test_explain.c - the narration of a traced program's calls (sockstep run):
 * what a call does in general, what its result adds, and the calls the C
 * library makes on its own (nscd) named as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
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
		cmocka_unit_test(test_nscd_is_the_library),
		cmocka_unit_test(test_other_unix_paths_are_the_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
