/* test_sockdiag.c - the socket table, asked of the real kernel: an exact
 * lookup finds the very socket a dump listed, with its state and queues now,
 * and says when that socket is no more. The kernel view steps a lesson on
 * lookups alone while nothing new can exist (kernel.c), so what a lookup
 * misses, a student does not see. Real sockets on 127.0.0.1, ports the
 * kernel picks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/sockdiag.h"

static int diag = -1;

static int setup(void **state)
{
	(void)state;
	diag = sockdiag_open();
	return diag < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	close(diag);
	return 0;
}

static struct sockaddr_storage name_of(int fd, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	memset(&ss, 0, sizeof ss);
	int rc = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len);
	assert_int_equal(rc, 0);
	return ss;
}

static int same_in(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
	return x->sin_family == y->sin_family && x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
}

/* The row a fresh dump has for the socket with these two ends (peer NULL:
 * an unconnected one) in state (0: any). */
static SockInfo row(unsigned kinds, const struct sockaddr_storage *local, const struct sockaddr_storage *peer,
		    int state)
{
	SockList l = { 0 };
	assert_int_equal(sockdiag_snapshot(diag, &l, kinds), 0);
	SockInfo found = { 0 };
	for (size_t i = 0; i < l.n; i++) {
		const SockInfo *s = &l.v[i];
		struct sockaddr_in none = { .sin_family = AF_INET };
		const struct sockaddr_storage *p = peer ? peer : (const struct sockaddr_storage *)(void *)&none;
		if (same_in(&s->local, local) && same_in(&s->peer, p) && (!state || s->state == state))
			found = *s;
	}
	sockdiag_free(&l);
	assert_int_not_equal(found.family, 0);
	return found;
}

/* Look s up again: SOCKDIAG_FOUND (s is then as the kernel has it now) or
 * SOCKDIAG_GONE. */
static int lookup(SockInfo *s)
{
	unsigned char ask = SOCKDIAG_ASK;
	assert_int_equal(sockdiag_lookup(diag, s, &ask, 1), 0);
	return ask;
}

static int tcp_listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

static int tcp_client(int listener)
{
	struct sockaddr_storage to = name_of(listener, 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&to, sizeof(struct sockaddr_in)), 0);
	return fd;
}

/* Loopback delivers at once, but the receiving side's softirq may run a
 * moment later: wait until fd has something to read. */
static void until_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 5000), 1);
}

/* The TCP row with these ends once it is in state: the last FIN may be
 * taken in a moment after close() returns. */
static SockInfo until_state(const struct sockaddr_storage *local, const struct sockaddr_storage *peer, int state)
{
	for (int tries = 0; tries < 500; tries++) {
		SockList l = { 0 };
		SockInfo found = { 0 };
		assert_int_equal(sockdiag_snapshot(diag, &l, SOCKDIAG_TCP4), 0);
		for (size_t i = 0; i < l.n; i++)
			if (same_in(&l.v[i].local, local) && same_in(&l.v[i].peer, peer) && l.v[i].state == state)
				found = l.v[i];
		sockdiag_free(&l);
		if (found.family)
			return found;
		usleep(10000);
	}
	fail_msg("no socket reached state %d", state);
	return (SockInfo){ 0 };
}

static void test_tcp_listener_and_its_queue(void **state)
{
	(void)state;
	int l = tcp_listener();
	struct sockaddr_storage at = name_of(l, 0);
	SockInfo s = row(SOCKDIAG_TCP4, &at, NULL, SOCK_LISTEN);
	assert_int_equal(lookup(&s), SOCKDIAG_FOUND);
	assert_int_equal(s.state, SOCK_LISTEN);
	assert_int_equal(s.rqueue, 0);
	assert_int_equal(s.wqueue, 4);
	int c = tcp_client(l);
	until_readable(l);
	assert_int_equal(lookup(&s), SOCKDIAG_FOUND);
	assert_int_equal(s.rqueue, 1);   /* the accept queue */
	close(c);
	close(l);
	assert_int_equal(lookup(&s), SOCKDIAG_GONE);
}

static void test_tcp_connection_queues_and_end(void **state)
{
	(void)state;
	int l = tcp_listener();
	int c = tcp_client(l);
	int a = accept(l, NULL, NULL);
	assert_true(a >= 0);
	struct sockaddr_storage cl = name_of(c, 0), sv = name_of(a, 0);
	SockInfo sc = row(SOCKDIAG_TCP4, &cl, &sv, SOCK_ESTABLISHED);
	SockInfo sa = row(SOCKDIAG_TCP4, &sv, &cl, SOCK_ESTABLISHED);
	struct stat st;
	assert_int_equal(fstat(c, &st), 0);
	assert_int_equal(sc.inode, (uint32_t)st.st_ino);

	/* Both at once, as the kernel view asks. */
	SockInfo both[2] = { sc, sa };
	unsigned char ask[2] = { SOCKDIAG_ASK, SOCKDIAG_ASK };
	assert_int_equal(sockdiag_lookup(diag, both, ask, 2), 0);
	assert_int_equal(ask[0], SOCKDIAG_FOUND);
	assert_int_equal(ask[1], SOCKDIAG_FOUND);
	assert_true(sockdiag_same(&both[0], &sc));
	assert_true(sockdiag_same(&both[1], &sa));

	/* 100 bytes sent and not read: the receiver's recv-q. */
	char buf[100] = { 0 };
	assert_int_equal(send(c, buf, sizeof buf, 0), (ssize_t)sizeof buf);
	until_readable(a);
	assert_int_equal(lookup(&sa), SOCKDIAG_FOUND);
	assert_int_equal(sa.rqueue, 100);
	assert_int_equal(sa.state, SOCK_ESTABLISHED);

	/* The client closes: the server's socket goes to CLOSE_WAIT, itself. */
	assert_int_equal(recv(a, buf, sizeof buf, MSG_WAITALL), (ssize_t)sizeof buf);
	close(c);
	until_readable(a);
	assert_int_equal(lookup(&sa), SOCKDIAG_FOUND);
	assert_int_equal(sa.state, SOCK_CLOSE_WAIT);
	SockInfo dumped = row(SOCKDIAG_TCP4, &sv, &cl, SOCK_CLOSE_WAIT);
	assert_int_equal(sa.rqueue, dumped.rqueue);   /* the FIN counts, in both */
	assert_int_equal(sa.wqueue, dumped.wqueue);

	/* The server closes too: the client's end becomes a TIME_WAIT, which
	 * the kernel keeps apart from the socket, with its cookie: the lookup
	 * finds what the connection has become, without a descriptor. */
	close(a);
	close(l);
	SockInfo tw = until_state(&cl, &sv, SOCK_TIME_WAIT);
	assert_int_equal(lookup(&sc), SOCKDIAG_FOUND);
	assert_int_equal(sc.state, SOCK_TIME_WAIT);
	assert_int_equal(sc.inode, 0);
	assert_int_equal(lookup(&tw), SOCKDIAG_FOUND);
	assert_int_equal(tw.state, SOCK_TIME_WAIT);
}

static void test_wrong_cookie_is_not_that_socket(void **state)
{
	(void)state;
	int l = tcp_listener();
	struct sockaddr_storage at = name_of(l, 0);
	SockInfo s = row(SOCKDIAG_TCP4, &at, NULL, SOCK_LISTEN);
	s.cookie[0] ^= 1;
	assert_int_equal(lookup(&s), SOCKDIAG_GONE);
	close(l);
}

static void test_udp_bound_and_connected(void **state)
{
	(void)state;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(u >= 0 && v >= 0);
	assert_int_equal(bind(u, (struct sockaddr *)&a, sizeof a), 0);
	struct sockaddr_storage ua = name_of(u, 0);
	assert_int_equal(connect(v, (struct sockaddr *)&ua, sizeof a), 0);
	struct sockaddr_storage va = name_of(v, 0);
	SockInfo su = row(SOCKDIAG_UDP4, &ua, NULL, 0), sv = row(SOCKDIAG_UDP4, &va, &ua, 0);
	assert_int_equal(lookup(&sv), SOCKDIAG_FOUND);
	assert_int_equal(sv.state, SOCK_ESTABLISHED);
	assert_int_equal(send(v, "twelve bytes", 12, 0), 12);
	until_readable(u);
	assert_int_equal(lookup(&su), SOCKDIAG_FOUND);
	assert_true(su.rqueue > 0);   /* the datagram waits, with its overhead */
	SockInfo again = row(SOCKDIAG_UDP4, &ua, NULL, 0);
	assert_true(sockdiag_same(&su, &again));
	assert_int_equal(su.rqueue, again.rqueue);
	close(u);
	close(v);
	assert_int_equal(lookup(&su), SOCKDIAG_GONE);
	assert_int_equal(lookup(&sv), SOCKDIAG_GONE);
}

static void test_unix_by_inode(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	struct stat st;
	assert_int_equal(fstat(sv[1], &st), 0);
	SockList l = { 0 };
	assert_int_equal(sockdiag_snapshot(diag, &l, SOCKDIAG_UNIX), 0);
	SockInfo s = { 0 };
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].inode == (uint32_t)st.st_ino)
			s = l.v[i];
	sockdiag_free(&l);
	assert_int_equal(s.family, AF_UNIX);
	assert_int_equal(write(sv[0], "hello", 5), 5);
	assert_int_equal(lookup(&s), SOCKDIAG_FOUND);
	assert_int_equal(s.inode, (uint32_t)st.st_ino);
	assert_int_equal(s.rqueue, 5);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(lookup(&s), SOCKDIAG_GONE);
}

/* Only what is asked is asked: a TCP socket only bound is in no table a
 * lookup reads, and is said to be gone rather than looked for. */
static void test_skip_and_bound_only(void **state)
{
	(void)state;
	int l = tcp_listener();
	struct sockaddr_storage at = name_of(l, 0);
	SockInfo v[2] = { row(SOCKDIAG_TCP4, &at, NULL, SOCK_LISTEN), { 0 } };
	v[1] = v[0];
	v[1].state = SOCK_CLOSE;
	v[1].rqueue = 77;
	SockInfo skipped = v[0];
	skipped.rqueue = 99;
	v[0] = skipped;
	unsigned char ask[2] = { SOCKDIAG_SKIP, SOCKDIAG_ASK };
	assert_int_equal(sockdiag_lookup(diag, v, ask, 2), 0);
	assert_int_equal(ask[0], SOCKDIAG_SKIP);
	assert_int_equal(v[0].rqueue, 99);
	assert_int_equal(ask[1], SOCKDIAG_GONE);
	close(l);
}

/* More sockets than one batch holds: every one answered, each its own. */
static void test_many_at_once(void **state)
{
	(void)state;
	enum { N = 40 };
	int fds[N];
	SockInfo v[N];
	unsigned char ask[N];
	SockList l = { 0 };
	for (int i = 0; i < N; i++)
		fds[i] = tcp_listener();
	assert_int_equal(sockdiag_snapshot(diag, &l, SOCKDIAG_TCP4), 0);
	for (int i = 0; i < N; i++) {
		struct sockaddr_storage at = name_of(fds[i], 0);
		memset(&v[i], 0, sizeof v[i]);
		for (size_t j = 0; j < l.n; j++)
			if (same_in(&l.v[j].local, &at) && l.v[j].state == SOCK_LISTEN)
				v[i] = l.v[j];
		assert_int_equal(v[i].state, SOCK_LISTEN);
		ask[i] = SOCKDIAG_ASK;
	}
	sockdiag_free(&l);
	SockInfo want[N];
	memcpy(want, v, sizeof v);
	assert_int_equal(sockdiag_lookup(diag, v, ask, N), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(ask[i], SOCKDIAG_FOUND);
		assert_true(sockdiag_same(&v[i], &want[i]));
		assert_memory_equal(v[i].cookie, want[i].cookie, sizeof v[i].cookie);
		close(fds[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_listener_and_its_queue),
		cmocka_unit_test(test_tcp_connection_queues_and_end),
		cmocka_unit_test(test_wrong_cookie_is_not_that_socket),
		cmocka_unit_test(test_udp_bound_and_connected),
		cmocka_unit_test(test_unix_by_inode),
		cmocka_unit_test(test_skip_and_bound_only),
		cmocka_unit_test(test_many_at_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
