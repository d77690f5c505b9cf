/* test_links.c - who is at the other end of a connect(), and of a
 * thread's or a child's descriptors.
 *
 * A connect() reaches the actor that bound its address; with two actors,
 * an IP address no actor bound is taken to be the other actor's (a bind
 * not seen). A path no actor bound is another program's: the C library's
 * own connect() to nscd in one actor is drawn towards nobody, not into
 * the other actor's column. A thread or child of a program shares or
 * inherits its descriptors, and their peers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "views/links.h"

static Event call(int actor, LessonOp op, int fd, const struct sockaddr_storage *addr, uint32_t len)
{
	Event ev;
	memset(&ev, 0, sizeof ev);
	ev.kind = EV_CALL;
	ev.actor = actor;
	ev.op = op;
	ev.fd = fd;
	if (addr) {
		ev.addr = *addr;
		ev.addrlen = len;
	}
	return ev;
}

static uint32_t unix_addr(struct sockaddr_storage *ss, const char *path)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	memset(ss, 0, sizeof *ss);
	un->sun_family = AF_UNIX;
	snprintf(un->sun_path, sizeof un->sun_path, "%s", path);
	return (uint32_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static uint32_t inet_addr4(struct sockaddr_storage *ss, const char *ip, int port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	memset(ss, 0, sizeof *ss);
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &in->sin_addr);
	return sizeof *in;
}

static void test_nscd_is_nobody(void **state)
{
	(void)state;
	Links l;
	struct sockaddr_storage ss;
	links_init(&l, 2);
	uint32_t len = unix_addr(&ss, "/var/run/nscd/socket");
	Event ev = call(1, OP_CONNECT, 3, &ss, len);
	Link k = links_feed(&l, &ev);
	assert_int_equal(k.kind, LINK_CONNECT);
	assert_int_equal(k.to, -1);
}

static void test_bound_path_is_its_binder(void **state)
{
	(void)state;
	Links l;
	struct sockaddr_storage ss;
	links_init(&l, 3);
	uint32_t len = unix_addr(&ss, "echo.sock");
	Event bind = call(2, OP_BIND, 3, &ss, len);
	links_feed(&l, &bind);
	Event conn = call(0, OP_CONNECT, 3, &ss, len);
	Link k = links_feed(&l, &conn);
	assert_int_equal(k.to, 2);
}

static void test_unbound_ip_is_the_other(void **state)
{
	(void)state;
	Links l;
	struct sockaddr_storage ss;
	links_init(&l, 2);
	uint32_t len = inet_addr4(&ss, "127.0.0.1", 65432);
	Event ev = call(1, OP_CONNECT, 3, &ss, len);
	Link k = links_feed(&l, &ev);
	assert_int_equal(k.to, 0);
}

static Event returned(int actor, LessonOp op, int fd, long ret, const struct sockaddr_storage *addr, uint32_t len)
{
	Event ev = call(actor, op, fd, addr, len);
	ev.kind = EV_RETURN;
	ev.ret = ret;
	return ev;
}

/* A threaded server: actor 0 binds and listens, its thread (actor 2)
 * accepts and receives. The bytes are the client's, and the client's
 * reply comes from the thread: no "?" on either side. */
static void test_thread_accepts(void **state)
{
	(void)state;
	Links l;
	struct sockaddr_storage srv, cli;
	links_init(&l, 3);
	links_owner(&l, 2, 0);
	uint32_t slen = inet_addr4(&srv, "127.0.0.1", 65432), clen = inet_addr4(&cli, "127.0.0.1", 54666);
	Event ev = call(0, OP_BIND, 3, &srv, slen);
	links_feed(&l, &ev);
	ev = call(1, OP_CONNECT, 3, &srv, slen);
	assert_int_equal(links_feed(&l, &ev).to, 0);
	ev = returned(1, OP_CONNECT, 3, 0, &cli, clen);
	links_feed(&l, &ev);
	ev = returned(2, OP_ACCEPT, 3, 4, &cli, clen);
	links_feed(&l, &ev);
	ev = returned(2, OP_RECV, 4, 12, NULL, 0);
	Link k = links_feed(&l, &ev);
	assert_int_equal(k.kind, LINK_RECV);
	assert_int_equal(k.from, 1);
	ev = call(1, OP_SEND, 3, NULL, 0);
	assert_int_equal(links_feed(&l, &ev).to, 2);
	ev = returned(1, OP_RECV, 3, 12, NULL, 0);
	assert_int_equal(links_feed(&l, &ev).from, 2);
}

/* A child of the server (actor 2, forked after accept) inherits the
 * accepted descriptor and its peer. */
static void test_child_inherits(void **state)
{
	(void)state;
	Links l;
	struct sockaddr_storage srv, cli;
	links_init(&l, 3);
	links_owner(&l, 2, 0);
	uint32_t slen = inet_addr4(&srv, "127.0.0.1", 65432), clen = inet_addr4(&cli, "127.0.0.1", 54666);
	Event ev = call(0, OP_BIND, 3, &srv, slen);
	links_feed(&l, &ev);
	ev = call(1, OP_CONNECT, 3, &srv, slen);
	links_feed(&l, &ev);
	ev = returned(1, OP_CONNECT, 3, 0, &cli, clen);
	links_feed(&l, &ev);
	ev = returned(0, OP_ACCEPT, 3, 4, &cli, clen);
	links_feed(&l, &ev);
	ev = returned(2, OP_RECV, 4, 5, NULL, 0);
	assert_int_equal(links_feed(&l, &ev).from, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nscd_is_nobody),
		cmocka_unit_test(test_bound_path_is_its_binder),
		cmocka_unit_test(test_unbound_ip_is_the_other),
		cmocka_unit_test(test_thread_accepts),
		cmocka_unit_test(test_child_inherits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
