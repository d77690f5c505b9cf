/* test_movetext.c - the calls that move a socket's bytes beyond send and
 * recv, as the student reads them (issue 12): writev and readv with their
 * pieces, sendmmsg and recvmmsg, sendfile, splice both ways, a descriptor
 * passed with SCM_RIGHTS, and how many bytes each return says crossed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>

#include "model/lesson.h"
#include "views/calltext.h"

static Event event(int kind, int op, int fd)
{
	Event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.op = op;
	ev.fd = fd;
	return ev;
}

static void test_writev_pieces(void **state)
{
	(void)state;
	char buf[512];
	static uint8_t bytes[] = "HTTP/1.0 200 OK\r\n<html>";
	Event ev = event(EV_CALL, OP_WRITEV, 4);
	ev.data = bytes;
	ev.len = sizeof bytes - 1;
	ev.total = ev.len;
	ev.arg[0] = 2;
	ev.arg[1] = 17;
	ev.arg[2] = 6;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "writev(4, [{\"HTTP/1.0 200 OK\\r\\n\", 17}, {\"<html>\", 6}], 2)");
	/* maxstr bounds each piece; a third piece is "...". */
	ev.arg[0] = 3;
	calltext_call(&ev, 4, buf, sizeof buf);
	assert_string_equal(buf, "writev(4, [{\"HTTP\"..., 17}, {\"<htm\"..., 6}, ...], 3)");
	/* readv has no bytes before it runs: only the sizes. */
	ev = event(EV_CALL, OP_READV, 3);
	ev.arg[0] = 1;
	ev.arg[1] = 1024;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "readv(3, [{iov_len=1024}], 1)");
}

static void test_mmsg(void **state)
{
	(void)state;
	char buf[512];
	static uint8_t bytes[] = "onetwo";
	Event ev = event(EV_CALL, OP_SENDMMSG, 3);
	ev.data = bytes;
	ev.len = 6;
	ev.arg[0] = 2;
	ev.arg[1] = 0;
	ev.arg[2] = 3;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendmmsg(3, [{\"one\", 3}, ...], 2, 0)");
	/* It returns how many messages went; total is their bytes. */
	Event ret = event(EV_RETURN, OP_SENDMMSG, 3);
	ret.ret = 2;
	ret.total = 6;
	calltext_result(&ret, 1, buf, sizeof buf);
	assert_string_equal(buf, "2 (6 bytes)");
	assert_int_equal(calltext_moved(&ret), 6);
	ret.op = OP_WRITEV;
	ret.ret = 48;
	assert_int_equal(calltext_moved(&ret), 48);
	ret.ret = -1;
	assert_int_equal(calltext_moved(&ret), 0);
}

static void test_sendfile_and_splice(void **state)
{
	(void)state;
	char buf[256];
	Event ev = event(EV_CALL, OP_SENDFILE, 4);
	ev.arg[0] = 5;
	ev.arg[1] = 0;
	ev.arg[2] = 1024;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendfile(4, 5, [0], 1024)");
	ev.arg[1] = -1;   /* the file's own position */
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendfile(4, 5, NULL, 1024)");
	ev = event(EV_CALL, OP_SPLICE, 4);
	ev.arg[0] = 6;
	ev.arg[2] = 4096;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "splice(6, NULL, 4, NULL, 4096, 0)");
	ev.op = OP_SPLICE_RECV;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "splice(4, NULL, 6, NULL, 4096, 0)");
	assert_true(lesson_op_sends(OP_SPLICE) && lesson_op_receives(OP_SPLICE_RECV));
	assert_true(lesson_op_sends(OP_SENDFILE) && lesson_op_receives(OP_READV));
	assert_true(lesson_op_is_call(OP_SENDFILE) && lesson_op_traced_only(OP_SENDFILE));
}

static void test_rights(void **state)
{
	(void)state;
	char buf[256];
	static uint8_t f[] = "F";
	Event ev = event(EV_CALL, OP_SENDMSG, 3);
	ev.data = f;
	ev.len = ev.total = 1;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendmsg(3, \"F\", 1)");
	ev.arg[0] = 5;
	ev.arg[2] = 81234;
	calltext_call(&ev, 32, buf, sizeof buf);
	assert_string_equal(buf, "sendmsg(3, \"F\", 1, [SCM_RIGHTS fd 5 socket:[81234]])");
	Event ret = event(EV_RETURN, OP_RECVMSG, 4);
	ret.ret = 1;
	ret.arg[0] = 3;
	ret.arg[2] = 81234;
	calltext_result(&ret, 1, buf, sizeof buf);
	assert_string_equal(buf, "1 [SCM_RIGHTS fd 3 socket:[81234]]");
	ret.arg[2] = -77;   /* a file, not a socket */
	calltext_result(&ret, 1, buf, sizeof buf);
	assert_string_equal(buf, "1 [SCM_RIGHTS fd 3 inode 77]");
	calltext_result(&ret, 0, buf, sizeof buf);
	assert_string_equal(buf, "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writev_pieces),
		cmocka_unit_test(test_mmsg),
		cmocka_unit_test(test_sendfile_and_splice),
		cmocka_unit_test(test_rights),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
