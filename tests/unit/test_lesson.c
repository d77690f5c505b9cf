/* test_lesson.c - the lesson parser and the catalog: the real lessons parse
 * into the steps they say, every error names the right line:col, the broken
 * lessons in tests/bad say what their .expect files say, and no bytes at all
 * (random, mutated or cut short) can crash the parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <unistd.h>

#include "model/catalog.h"
#include "model/lesson.h"

#define H "title: T\n"   /* a header, so a case's first step is on line 3 */

static char err[1024];
static const char tiny[] = H "actor a\n print \"x\"\n";   /* the smallest lesson */
static int have_root;    /* found the repository's lessons/ and tests/bad/ */

/* ---- helpers --------------------------------------------------------- */

static Lesson *parse_len(const char *text, size_t len)
{
	return lesson_parse("t.lesson", text, len, err, sizeof err);
}

static Lesson *parse(const char *text)
{
	return parse_len(text, strlen(text));
}

static Lesson *parse_ok(const char *text)
{
	Lesson *l = parse(text);
	if (!l)
		fail_msg("unexpected error: %s\nfor: %s", err, text);
	return l;
}

static const LessonStep *step(const Lesson *l, int actor, int i)
{
	assert_true(actor < l->nactors);
	assert_true(i < l->actors[actor].nsteps);
	return &l->actors[actor].steps[i];
}

/* The unit binaries run from the repository root (make check) or from
 * build/tests; the file tests need the root. */
static void find_root(void)
{
	static const char *const ups[] = { ".", "..", "../.." };
	for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		char probe[256];
		snprintf(probe, sizeof probe, "%s/lessons/01-echo.lesson", ups[i]);
		if (access(probe, R_OK) == 0 && chdir(ups[i]) == 0) {
			have_root = 1;
			return;
		}
	}
}

static void need_root(void)
{
	if (!have_root)
		skip();
}

static char *slurp(const char *path, size_t *len)
{
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* Whatever the parser returns must be whole: a lesson whose loops pair up
 * and whose indexes stay in range, or one "t.lesson:L:C: ..." message. */
static void check_result(Lesson *l)
{
	if (!l) {
		assert_true(strncmp(err, "t.lesson:", 9) == 0);
		assert_non_null(strchr(err + 9, ':'));
		return;
	}
	assert_non_null(l->title);
	assert_true(l->nactors >= 1 && l->nactors <= LESSON_MAX_ACTORS);
	assert_true(l->nhosts >= 0 && l->nhosts <= LESSON_MAX_HOSTS);
	for (int a = 0; a < l->nactors; a++) {
		const LessonActor *ac = &l->actors[a];
		assert_true(ac->nsteps >= 1 && ac->nsteps <= LESSON_MAX_STEPS);
		assert_true(l->nhosts ? ac->host >= 0 && ac->host < l->nhosts : ac->host == -1);
		for (int i = 0; i < ac->nsteps; i++) {
			const LessonStep *st = &ac->steps[i];
			assert_non_null(st->source);
			if (st->op == OP_LOOP || st->op == OP_REPEAT || st->op == OP_END) {
				assert_true(st->match >= 0 && st->match < ac->nsteps);
				assert_int_equal(ac->steps[st->match].match, i);
			}
			if (st->op == OP_POLL || st->op == OP_SELECT) {
				assert_true(st->nsocks >= 1);
				for (int k = 0; k < st->nsocks; k++)
					assert_non_null(st->socks[k]);
			}
			if (st->data.src == DATA_BYTES)
				assert_true(st->data.len >= 1 && st->data.len <= 16777216);
			if (st->question) {
				assert_true(st->question->nchoices >= 2);
				assert_true(st->question->answer >= 0 &&
					    st->question->answer < st->question->nchoices);
			}
		}
	}
	lesson_free(l);
}

/* ---- the real lessons ------------------------------------------------ */

static void test_echo_lesson(void **state)
{
	(void)state;
	need_root();
	Lesson *l = lesson_load("lessons/01-echo.lesson", err, sizeof err);
	if (!l)
		fail_msg("%s", err);
	assert_string_equal(l->name, "echo");
	assert_string_equal(l->title, "Echo server and client");
	assert_non_null(l->about);
	assert_int_equal(l->nactors, 2);
	assert_int_equal(lesson_actor_index(l, "server"), 0);
	assert_int_equal(lesson_actor_index(l, "client"), 1);

	static const LessonOp server[] = {
		OP_SOCKET, OP_BIND, OP_LISTEN, OP_ACCEPT, OP_PRINT, OP_LOOP, OP_RECV,
		OP_BREAK_IF_EMPTY, OP_SENDALL, OP_END, OP_CLOSE, OP_CLOSE
	};
	static const LessonOp client[] = {
		OP_SOCKET, OP_CONNECT, OP_SENDALL, OP_RECV, OP_CLOSE, OP_PRINT
	};
	assert_int_equal(l->actors[0].nsteps, 12);
	for (int i = 0; i < 12; i++)
		assert_int_equal(step(l, 0, i)->op, server[i]);
	assert_int_equal(l->actors[1].nsteps, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(step(l, 1, i)->op, client[i]);

	assert_int_equal(step(l, 0, 0)->family, AF_INET);
	assert_int_equal(step(l, 0, 0)->type, SOCK_STREAM);
	assert_string_equal(step(l, 0, 0)->as, "s");
	assert_string_equal(step(l, 0, 1)->host, "127.0.0.1");
	assert_int_equal(step(l, 0, 1)->port, 65432);
	assert_int_equal(step(l, 0, 2)->n, 1);
	assert_string_equal(step(l, 0, 3)->as, "conn");
	assert_string_equal(step(l, 0, 4)->data.text, "Connected by $peer");
	assert_int_equal(step(l, 0, 5)->match, 9);
	assert_int_equal(step(l, 0, 9)->match, 5);
	assert_int_equal(step(l, 0, 7)->match, 5);
	assert_int_equal(step(l, 0, 6)->n, 1024);
	assert_int_equal(step(l, 0, 8)->data.src, DATA_RECEIVED);
	assert_null(step(l, 0, 10)->on);
	assert_string_equal(step(l, 0, 11)->on, "s");
	assert_string_equal(step(l, 1, 2)->data.text, "Hello, world");
	assert_int_equal(step(l, 1, 2)->data.len, 12);

	int questions = 0;
	for (int a = 0; a < l->nactors; a++) {
		for (int i = 0; i < l->actors[a].nsteps; i++) {
			const LessonStep *st = step(l, a, i);
			if (!st->narration)
				fail_msg("step %d of %s has no narration", i, l->actors[a].name);
			questions += st->question != NULL;
		}
	}
	assert_true(questions >= 1 && questions <= 2);
	lesson_free(l);
}

/* An event loop: poll, then an if-ready block per socket; a break-if in
 * a block leaves the loop around it, and the block's end is its own. */
static void test_event_loop_steps(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H "actor a\n"
		"  socket AF_INET SOCK_STREAM\n"       /* 0 */
		"  accept as c\n"                      /* 1 */
		"  loop\n"                             /* 2 */
		"    poll s c\n"                       /* 3 */
		"    if-ready c\n"                     /* 4 */
		"      recv 100 on c\n"                /* 5 */
		"      break-if-contains \"\\r\\n\\r\\n\"\n"  /* 6 */
		"    end\n"                            /* 7 */
		"  end\n");                            /* 8 */
	const LessonStep *ready = step(l, 0, 4);
	assert_int_equal(ready->op, OP_IF_READY);
	assert_string_equal(ready->on, "c");
	assert_int_equal(ready->n, 3);
	assert_int_equal(ready->match, 7);
	assert_int_equal(step(l, 0, 7)->match, 4);
	const LessonStep *brk = step(l, 0, 6);
	assert_int_equal(brk->op, OP_BREAK_IF_CONTAINS);
	assert_int_equal(brk->data.len, 4);
	assert_memory_equal(brk->data.text, "\r\n\r\n", 4);
	assert_int_equal(brk->match, 2);
	assert_int_equal(step(l, 0, 2)->match, 8);
	assert_string_equal(lesson_op_name(OP_IF_READY), "if-ready");
	assert_string_equal(lesson_op_name(OP_BREAK_IF_CONTAINS), "break-if-contains");
	assert_false(lesson_op_is_call(OP_IF_READY));
	lesson_free(l);

	/* if-empty is a block too; a break-if in it leaves the loop around it. */
	l = parse_ok(H "actor a\n"
		"  socket AF_INET SOCK_STREAM\n"   /* 0 */
		"  loop\n"                         /* 1 */
		"    recv 9\n"                     /* 2 */
		"    if-empty\n"                   /* 3 */
		"      close\n"                    /* 4 */
		"      break-if-empty\n"           /* 5 */
		"    end\n"                        /* 6 */
		"  end\n");                        /* 7 */
	assert_int_equal(step(l, 0, 3)->op, OP_IF_EMPTY);
	assert_int_equal(step(l, 0, 3)->match, 6);
	assert_int_equal(step(l, 0, 5)->match, 1);
	lesson_free(l);
}

/* after ACTOR STEP [N] names another actor's step, which may come later
 * in the file: the n-th of that kind, by index. */
static void test_after_step(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H
		"actor server\n"
		"  socket AF_INET SOCK_STREAM\n"   /* 0 */
		"  after client send 2\n"          /* 1 */
		"  recv 100\n"                     /* 2 */
		"actor client\n"
		"  socket AF_INET SOCK_STREAM\n"   /* 0 */
		"  send \"a\"\n"                   /* 1 */
		"  send \"b\"\n"                   /* 2 */
		"  after server recv\n"            /* 3 */
		"  close\n");                      /* 4 */
	const LessonStep *a = step(l, 0, 1);
	assert_int_equal(a->op, OP_AFTER);
	assert_false(lesson_op_is_call(OP_AFTER));
	assert_int_equal(a->after_actor, 1);
	assert_int_equal(a->after_step, 2);
	assert_int_equal(step(l, 1, 3)->after_actor, 0);
	assert_int_equal(step(l, 1, 3)->after_step, 2);
	assert_string_equal(lesson_op_name(OP_AFTER), "after");
	assert_ptr_equal(lesson_after_of(l, 0, 2), a);
	assert_null(lesson_after_of(l, 0, 1));
	assert_null(lesson_after_of(l, 0, 0));
	assert_null(lesson_after_of(l, 2, 1));
	lesson_free(l);
}

static void test_chat_lesson(void **state)
{
	(void)state;
	need_root();
	Lesson *l = lesson_load("lessons/03-chat.lesson", err, sizeof err);
	if (!l)
		fail_msg("%s", err);
	assert_string_equal(l->name, "chat");
	assert_int_equal(step(l, 0, 1)->port, 5001);
	const LessonStep *up = step(l, 0, 9);
	assert_int_equal(up->op, OP_SEND);
	assert_int_equal(up->data.src, DATA_RECEIVED);
	assert_int_equal(up->data.upper, 1);

	const LessonStep *in = step(l, 1, 3);
	assert_int_equal(in->op, OP_INPUT);
	assert_string_equal(in->prompt, " ? ");
	assert_int_equal(in->nexamples, 3);
	assert_string_equal(in->examples[0], "hello");
	assert_string_equal(in->examples[1], "sockets are fun");
	assert_string_equal(in->examples[2], "q");
	const LessonStep *brk = step(l, 1, 4);
	assert_int_equal(brk->op, OP_BREAK_IF_INPUT);
	assert_int_equal(brk->data.src, DATA_TEXT);
	assert_string_equal(brk->data.text, "q");
	assert_int_equal(brk->match, 2);
	assert_int_equal(step(l, 1, 5)->data.src, DATA_INPUT);
	assert_int_equal(step(l, 1, 5)->data.upper, 0);
	for (int a = 0; a < l->nactors; a++)
		for (int i = 0; i < l->actors[a].nsteps; i++)
			assert_non_null(step(l, a, i)->narration);
	lesson_free(l);
}

static void test_udp_lesson(void **state)
{
	(void)state;
	need_root();
	Lesson *l = lesson_load("lessons/04-udp.lesson", err, sizeof err);
	if (!l)
		fail_msg("%s", err);
	assert_string_equal(l->name, "udp");
	for (int a = 0; a < 2; a++) {
		assert_int_equal(step(l, a, 0)->type, SOCK_DGRAM);
		for (int i = 0; i < l->actors[a].nsteps; i++) {
			LessonOp op = step(l, a, i)->op;
			assert_true(op != OP_LISTEN && op != OP_ACCEPT && op != OP_CONNECT);
			assert_non_null(step(l, a, i)->narration);
		}
	}
	const LessonStep *back = step(l, 0, 4);
	assert_int_equal(back->op, OP_SENDTO);
	assert_int_equal(back->to_peer, 1);
	assert_int_equal(back->data.src, DATA_RECEIVED);
	assert_null(back->host);
	const LessonStep *hello = step(l, 1, 1);
	assert_int_equal(hello->op, OP_SENDTO);
	assert_string_equal(hello->host, "127.0.0.1");
	assert_int_equal(hello->port, 65432);
	assert_int_equal(hello->to_peer, 0);
	assert_int_equal(step(l, 1, 2)->op, OP_RECVFROM);
	lesson_free(l);
}

/* ---- good input ------------------------------------------------------ */

static void test_every_step(void **state)
{
	(void)state;
	Lesson *l = parse_ok(
		"# comment\n"
		"   # indented comment\n"
		"title: All of it\n"
		"about: every step once\n"
		"\n"
		"actor a-1_x\n"
		"\tsocket AF_INET6 SOCK_STREAM as srv\n"
		"\tsetsockopt SOL_SOCKET SO_REUSEADDR 1\n"
		"\tsetsockopt IPPROTO_IPV6 IPV6_V6ONLY 0 on srv\n"
		"\tsetsockopt SOL_SOCKET SO_RCVTIMEO_MS 250\n"
		"\tbind ::1 0\n"
		"\tlisten\n"
		"\taccept as c on srv\n"
		"\taccept on srv as d\n"
		"\tsetsockopt IPPROTO_TCP TCP_NODELAY 1\n"
		"\trepeat 3\n"
		"\t\tloop\n"
		"\t\t\trecv 1048576 on c\n"
		"\t\t\tbreak-if-empty\n"
		"\t\tend\n"
		"\t\tbreak-if-input stop\n"
		"\tend\n"
		"\tsend \"\\x41\\0\\n\\t\\r\\\\\\\"\"\n"
		"\tshutdown SHUT_WR\n"
		"\tclose\n"
		"actor b\n"
		"  socket AF_UNIX SOCK_DGRAM\n"
		"  bind /tmp/x.sock\n"
		"  connect @abstract\n"
		"  sendto upper $input $peer\n"
		"  recvfrom 1\n"
		"  socket AF_INET SOCK_DGRAM as u\n"
		"  sendto \"\" 10.0.0.255 65535\n"
		"  input \"name? \" example alice \"bob smith\"\n"
		"  print \"hi $input\"\n");

	assert_string_equal(l->about, "every step once");
	assert_int_equal(lesson_actor_index(l, "a-1_x"), 0);
	assert_int_equal(lesson_actor_index(l, "b"), 1);
	assert_int_equal(lesson_actor_index(l, "c"), -1);

	const LessonStep *s = step(l, 0, 0);
	assert_int_equal(s->family, AF_INET6);
	assert_string_equal(s->as, "srv");
	assert_int_equal(s->line, 7);
	assert_int_equal(s->col, 2);
	assert_string_equal(s->source, "socket AF_INET6 SOCK_STREAM as srv");

	s = step(l, 0, 1);
	assert_int_equal(s->level, SOL_SOCKET);
	assert_int_equal(s->optname, SO_REUSEADDR);
	assert_int_equal(s->n, 1);
	s = step(l, 0, 2);
	assert_int_equal(s->level, IPPROTO_IPV6);
	assert_int_equal(s->optname, IPV6_V6ONLY);
	assert_string_equal(s->on, "srv");
	s = step(l, 0, 3);
	assert_int_equal(s->optname, SO_RCVTIMEO);
	assert_int_equal(s->n, 250);
	s = step(l, 0, 4);
	assert_string_equal(s->host, "::1");
	assert_int_equal(s->port, 0);
	assert_int_equal(step(l, 0, 5)->n, 5);
	assert_string_equal(step(l, 0, 6)->as, "c");
	assert_string_equal(step(l, 0, 6)->on, "srv");
	assert_string_equal(step(l, 0, 7)->as, "d");
	assert_string_equal(step(l, 0, 7)->on, "srv");
	s = step(l, 0, 8);
	assert_int_equal(s->level, IPPROTO_TCP);
	assert_int_equal(s->optname, TCP_NODELAY);

	/* repeat(9) loop(10) recv(11) break(12) end(13) break-if-input(14) end(15) */
	assert_int_equal(step(l, 0, 9)->n, 3);
	assert_int_equal(step(l, 0, 9)->match, 15);
	assert_int_equal(step(l, 0, 15)->match, 9);
	assert_int_equal(step(l, 0, 10)->match, 13);
	assert_int_equal(step(l, 0, 13)->match, 10);
	assert_int_equal(step(l, 0, 11)->n, 1048576);
	assert_int_equal(step(l, 0, 12)->match, 10);
	assert_int_equal(step(l, 0, 14)->match, 9);
	assert_string_equal(step(l, 0, 14)->data.text, "stop");
	assert_int_equal(step(l, 0, 11)->match, -1);

	s = step(l, 0, 16);
	assert_int_equal(s->data.src, DATA_TEXT);
	assert_int_equal(s->data.len, 7);
	assert_memory_equal(s->data.text, "A\0\n\t\r\\\"", 7);
	assert_int_equal(step(l, 0, 17)->n, SHUT_WR);
	assert_int_equal(step(l, 0, 18)->op, OP_CLOSE);

	s = step(l, 1, 1);
	assert_string_equal(s->host, "/tmp/x.sock");
	assert_int_equal(s->port, -1);
	assert_string_equal(step(l, 1, 2)->host, "@abstract");
	s = step(l, 1, 3);
	assert_int_equal(s->to_peer, 1);
	assert_int_equal(s->data.src, DATA_INPUT);
	assert_int_equal(s->data.upper, 1);
	assert_int_equal(step(l, 1, 4)->n, 1);
	s = step(l, 1, 6);
	assert_int_equal(s->data.len, 0);
	assert_non_null(s->data.text);
	assert_int_equal(s->port, 65535);
	s = step(l, 1, 7);
	assert_string_equal(s->prompt, "name? ");
	assert_int_equal(s->nexamples, 2);
	assert_string_equal(s->examples[0], "alice");
	assert_string_equal(s->examples[1], "bob smith");
	assert_string_equal(step(l, 1, 8)->data.text, "hi $input");
	lesson_free(l);
}

/* sleep MS: a real nanosleep() at the gate, on no socket; it may come
 * before any socket step. */
static void test_sleep_step(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H "actor a\n  sleep 250\n  > wait\n"
	                       "  socket AF_INET SOCK_STREAM\n"
	                       "  sleep 1\n  sleep 60000\n");
	const LessonStep *s = step(l, 0, 0);
	assert_int_equal(s->op, OP_SLEEP);
	assert_int_equal(s->n, 250);
	assert_int_equal(s->line, 3);
	assert_int_equal(s->col, 3);
	assert_string_equal(s->source, "sleep 250");
	assert_non_null(s->narration);
	assert_int_equal(step(l, 0, 1)->op, OP_SOCKET);
	assert_int_equal(step(l, 0, 2)->op, OP_SLEEP);
	assert_int_equal(step(l, 0, 2)->n, 1);
	assert_int_equal(step(l, 0, 3)->n, 60000);
	assert_true(lesson_op_is_call(OP_SLEEP));
	lesson_free(l);
}

/* getaddrinfo, gethostname, getsockname, getpeername, setblocking and
 * getsockopt: real calls; the last four use a socket, the first two none. */
static void test_lookup_steps(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H "actor a\n"
		"  getaddrinfo localhost 65432\n"
		"  getaddrinfo \"example.org\" 0 SOCK_DGRAM AF_INET6\n"
		"  getaddrinfo ::1 80 AF_UNSPEC\n"
		"  gethostname\n"
		"  socket AF_INET SOCK_STREAM as l\n"
		"  socket AF_INET SOCK_STREAM\n"
		"  getsockname on l\n"
		"  getpeername\n"
		"  setblocking 0\n"
		"  setblocking 1 on l\n"
		"  getsockopt SOL_SOCKET SO_ERROR\n"
		"  getsockopt SOL_SOCKET SO_TYPE on l\n"
		"  getsockopt IPPROTO_TCP TCP_NODELAY\n");
	const LessonStep *s = step(l, 0, 0);
	assert_int_equal(s->op, OP_GETADDRINFO);
	assert_string_equal(s->host, "localhost");
	assert_int_equal(s->port, 65432);
	assert_int_equal(s->family, AF_UNSPEC);
	assert_int_equal(s->type, 0);
	s = step(l, 0, 1);
	assert_string_equal(s->host, "example.org");
	assert_int_equal(s->port, 0);
	assert_int_equal(s->family, AF_INET6);
	assert_int_equal(s->type, SOCK_DGRAM);
	assert_string_equal(step(l, 0, 2)->host, "::1");
	assert_int_equal(step(l, 0, 2)->family, AF_UNSPEC);
	assert_int_equal(step(l, 0, 3)->op, OP_GETHOSTNAME);
	assert_null(step(l, 0, 3)->on);
	assert_int_equal(step(l, 0, 6)->op, OP_GETSOCKNAME);
	assert_string_equal(step(l, 0, 6)->on, "l");
	assert_int_equal(step(l, 0, 7)->op, OP_GETPEERNAME);
	assert_null(step(l, 0, 7)->on);
	assert_int_equal(step(l, 0, 8)->op, OP_SETBLOCKING);
	assert_int_equal(step(l, 0, 8)->n, 0);
	assert_int_equal(step(l, 0, 9)->n, 1);
	assert_string_equal(step(l, 0, 9)->on, "l");
	s = step(l, 0, 10);
	assert_int_equal(s->op, OP_GETSOCKOPT);
	assert_int_equal(s->level, SOL_SOCKET);
	assert_int_equal(s->optname, SO_ERROR);
	assert_int_equal(step(l, 0, 11)->optname, SO_TYPE);
	assert_string_equal(step(l, 0, 11)->on, "l");
	assert_int_equal(step(l, 0, 12)->level, IPPROTO_TCP);
	assert_int_equal(step(l, 0, 12)->optname, TCP_NODELAY);
	lesson_free(l);
}

/* poll and select: the sockets by name, "write" and a timeout. */
static void test_wait_steps(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H "actor a\n"
		"  socket AF_INET SOCK_STREAM as l\n"
		"  accept as c\n"
		"  poll l c\n"
		"  poll c write timeout 250\n"
		"  select c l timeout 0 write\n"
		"  select l\n");
	const LessonStep *s = step(l, 0, 2);
	assert_int_equal(s->op, OP_POLL);
	assert_int_equal(s->nsocks, 2);
	assert_string_equal(s->socks[0], "l");
	assert_string_equal(s->socks[1], "c");
	assert_int_equal(s->write, 0);
	assert_int_equal(s->timeout_ms, -1);
	assert_null(s->on);
	s = step(l, 0, 3);
	assert_int_equal(s->nsocks, 1);
	assert_int_equal(s->write, 1);
	assert_int_equal(s->timeout_ms, 250);
	s = step(l, 0, 4);
	assert_int_equal(s->op, OP_SELECT);
	assert_string_equal(s->socks[0], "c");
	assert_int_equal(s->write, 1);
	assert_int_equal(s->timeout_ms, 0);
	assert_int_equal(step(l, 0, 5)->timeout_ms, -1);
	lesson_free(l);
}

/* MSG_* flags after a send's or recv's arguments, before "on NAME"; and
 * DATA "bytes N". */
static void test_flags_and_bytes(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H "actor a\n"
		"  socket AF_INET SOCK_STREAM as c\n"
		"  recv 1024 MSG_PEEK\n"
		"  recv 10 MSG_WAITALL MSG_DONTWAIT on c\n"
		"  recvfrom 5 MSG_TRUNC\n"
		"  send \"x\" MSG_NOSIGNAL\n"
		"  sendall bytes 100000 MSG_DONTWAIT MSG_NOSIGNAL on c\n"
		"  sendto $received 10.0.0.1 9 MSG_DONTWAIT\n"
		"  send bytes 1\n"
		"  sendto bytes 16777216 $peer\n"
		"  recv 1024\n");
	assert_int_equal(step(l, 0, 1)->flags, MSG_PEEK);
	assert_int_equal(step(l, 0, 1)->n, 1024);
	assert_int_equal(step(l, 0, 2)->flags, MSG_WAITALL | MSG_DONTWAIT);
	assert_string_equal(step(l, 0, 2)->on, "c");
	assert_int_equal(step(l, 0, 3)->flags, MSG_TRUNC);
	assert_int_equal(step(l, 0, 4)->flags, MSG_NOSIGNAL);
	assert_string_equal(step(l, 0, 4)->data.text, "x");
	const LessonStep *s = step(l, 0, 5);
	assert_int_equal(s->flags, MSG_DONTWAIT | MSG_NOSIGNAL);
	assert_int_equal(s->data.src, DATA_BYTES);
	assert_int_equal(s->data.len, 100000);
	assert_null(s->data.text);
	s = step(l, 0, 6);
	assert_int_equal(s->flags, MSG_DONTWAIT);
	assert_string_equal(s->host, "10.0.0.1");
	assert_int_equal(s->port, 9);
	assert_int_equal(step(l, 0, 7)->data.len, 1);
	assert_int_equal(step(l, 0, 7)->flags, 0);
	assert_int_equal(step(l, 0, 8)->data.len, 16777216);
	assert_int_equal(step(l, 0, 8)->to_peer, 1);
	assert_int_equal(step(l, 0, 9)->flags, 0);
	lesson_free(l);
}

/* host lines, "actor NAME on HOST" and "dies SIGNAL". */
static void test_hosts_and_deaths(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H
		"host left 10.0.0.1/24\n"
		"host right 10.0.0.2/24\n"
		"actor a\n  print \"x\"\n"
		"actor b on right\n  print \"x\"\n"
		"actor c dies SIGPIPE on left\n  print \"x\"\n"
		"actor d on right dies SIGKILL\n  print \"x\"\n"
		"actor e dies SIGALRM\n  print \"x\"\n");
	assert_int_equal(l->nhosts, 2);
	assert_string_equal(l->hosts[0].name, "left");
	assert_string_equal(l->hosts[0].addr, "10.0.0.1");
	assert_int_equal(l->hosts[0].prefix, 24);
	assert_string_equal(l->hosts[1].addr, "10.0.0.2");
	assert_int_equal(l->actors[0].host, 0);
	assert_int_equal(l->actors[0].dies, 0);
	assert_int_equal(l->actors[1].host, 1);
	assert_int_equal(l->actors[2].host, 0);
	assert_int_equal(l->actors[2].dies, SIGPIPE);
	assert_int_equal(l->actors[3].host, 1);
	assert_int_equal(l->actors[3].dies, SIGKILL);
	assert_int_equal(l->actors[4].host, 0);
	assert_int_equal(l->actors[4].dies, SIGALRM);
	lesson_free(l);

	/* Without hosts, every actor is on the lesson's one network. */
	l = parse_ok(H "actor a dies SIGTERM\n  print \"x\"\nactor b\n  print \"x\"\n");
	assert_int_equal(l->nhosts, 0);
	assert_null(l->hosts);
	assert_int_equal(l->actors[0].host, -1);
	assert_int_equal(l->actors[0].dies, SIGTERM);
	assert_int_equal(l->actors[1].host, -1);
	lesson_free(l);

	/* One host is allowed; /30 is the smallest subnet with room for two. */
	l = parse_ok("host solo 192.168.7.6/30\n" H "actor a\n  print \"x\"\n");
	assert_int_equal(l->nhosts, 1);
	assert_int_equal(l->hosts[0].prefix, 30);
	assert_int_equal(l->actors[0].host, 0);
	lesson_free(l);
}

static void test_narration_and_questions(void **state)
{
	(void)state;
	Lesson *l = parse_ok(H
		"actor a\n"
		"  print \"x\"\n"
		"  >   First  part.  \n"
		"  >\n"
		"  > Second part.\n"
		"  ? What does \"recv\" [really] return?  [12] 0 blocks-forever\n"
		"  print \"y\"\n"
		"  ?Which one?[ \"5 bytes\" ] \"c\"\n");
	const LessonStep *s = step(l, 0, 0);
	assert_string_equal(s->narration, "First  part. Second part.");
	assert_non_null(s->question);
	assert_string_equal(s->question->text, "What does \"recv\" [really] return?");
	assert_int_equal(s->question->nchoices, 3);
	assert_int_equal(s->question->answer, 0);
	assert_string_equal(s->question->choices[0], "12");
	assert_string_equal(s->question->choices[1], "0");
	assert_string_equal(s->question->choices[2], "blocks-forever");
	s = step(l, 0, 1);
	assert_null(s->narration);
	assert_string_equal(s->question->text, "Which one?");
	assert_string_equal(s->question->choices[0], "5 bytes");
	assert_string_equal(s->question->choices[1], "c");
	assert_int_equal(s->question->answer, 0);
	lesson_free(l);
}

static void test_line_endings_and_bom(void **state)
{
	(void)state;
	Lesson *l = parse_ok("\xef\xbb\xbftitle: Caf\xc3\xa9 \"quoted\"\r\n"
			     "about: \"  spaced  \"\r\n"
			     "actor a\r\n  print \"x\"  \r\n  > n\r");
	assert_string_equal(l->title, "Caf\xc3\xa9 \"quoted\"");
	assert_string_equal(l->about, "  spaced  ");
	assert_string_equal(step(l, 0, 0)->source, "print \"x\"");
	assert_string_equal(step(l, 0, 0)->narration, "n");
	lesson_free(l);
}

static void test_names_from_paths(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "lessons/01-echo.lesson", "echo" },
		{ "12-a-b.lesson", "a-b" },
		{ "/x/y/echo.lesson", "echo" },
		{ "dir/plain", "plain" },
		{ "2024notes.lesson", "2024notes" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		Lesson *l = lesson_parse(cases[i][0], tiny, strlen(tiny), err, sizeof err);
		assert_non_null(l);
		assert_string_equal(l->path, cases[i][0]);
		assert_string_equal(l->name, cases[i][1]);
		lesson_free(l);
	}
}

static void test_ops(void **state)
{
	(void)state;
	assert_string_equal(lesson_op_name(OP_SOCKET), "socket");
	assert_string_equal(lesson_op_name(OP_SETSOCKOPT), "setsockopt");
	assert_string_equal(lesson_op_name(OP_SLEEP), "sleep");
	assert_string_equal(lesson_op_name(OP_GETADDRINFO), "getaddrinfo");
	assert_string_equal(lesson_op_name(OP_SELECT), "select");
	assert_string_equal(lesson_op_name(OP_BREAK_IF_EMPTY), "break-if-empty");
	assert_string_equal(lesson_op_name(OP_BREAK_IF_INPUT), "break-if-input");
	assert_string_equal(lesson_op_name(OP_COUNT_), "?");
	for (int op = 0; op < OP_COUNT_; op++) {
		assert_non_null(lesson_op_name((LessonOp)op));
		assert_int_equal(lesson_op_is_call((LessonOp)op), op <= OP_DUP);
		assert_int_equal(lesson_op_traced_only((LessonOp)op), op > OP_SELECT && op <= OP_DUP);
	}
	assert_true(lesson_op_sends(OP_WRITE) && lesson_op_sends(OP_SENDMSG) && lesson_op_sends(OP_SENDALL));
	assert_true(lesson_op_receives(OP_READ) && lesson_op_receives(OP_RECVMSG) && lesson_op_receives(OP_RECVFROM));
	assert_false(lesson_op_sends(OP_RECV) || lesson_op_receives(OP_SEND) || lesson_op_receives(OP_ACCEPT));
	/* A traced program's calls are no lesson steps. */
	char why[256];
	const char *text = "title: t\nactor a\n  socket AF_INET SOCK_STREAM\n  read 10\n";
	assert_null(lesson_parse("t.lesson", text, strlen(text), why, sizeof why));
	assert_string_equal(why, "t.lesson:4:3: unknown step 'read' (did you mean 'send'?)");
	lesson_free(NULL);
	assert_int_equal(lesson_actor_index(NULL, "a"), -1);
}

/* sockstep run's lesson: programs as actors, no steps, input lines. */
static void test_programs(void **state)
{
	(void)state;
	char *names[] = { "server", "client" };
	char *commands[] = { "python3 server.py", "./client" };
	Lesson *l = lesson_programs("your programs", names, commands, 2);
	assert_non_null(l);
	assert_int_equal(l->nactors, 2);
	assert_string_equal(l->actors[1].name, "client");
	assert_string_equal(l->actors[0].command, "python3 server.py");
	assert_int_equal(l->actors[0].nsteps, 0);
	assert_int_equal(l->actors[0].host, -1);
	assert_int_equal(lesson_add_input(l, 1, "hello"), 0);
	assert_int_equal(lesson_add_input(l, 1, "q"), 0);
	assert_int_equal(l->actors[1].ninputs, 2);
	assert_string_equal(l->actors[1].inputs[1], "q");
	assert_int_equal(l->actors[0].ninputs, 0);
	lesson_free(l);
}

/* ---- errors ---------------------------------------------------------- */

typedef struct {
	const char *text;
	const char *want;
} ErrCase;

#define A H "actor a\n"               /* steps start on line 3 */
#define S A "  socket AF_INET SOCK_STREAM\n"   /* ... and on line 4 */

static const ErrCase err_cases[] = {
	/* the file */
	{ "", "1:1: missing 'title: TEXT'" },
	{ H, "1:1: lesson has no actors (add 'actor NAME' and its steps)" },
	{ "title: T\x01\n", "1:9: control character 0x01 in lesson" },
	{ "title: caf\xe9\n", "1:11: invalid UTF-8 in lesson (save the file as UTF-8)" },
	{ "title: \xed\xa0\x80\n", "1:8: invalid UTF-8 in lesson (save the file as UTF-8)" },
	{ "title: a\rb\n", "1:9: control character 0x0d in lesson" },
	/* the header */
	{ "titel: x\n", "1:1: unknown header key 'titel' (did you mean 'title'?)" },
	{ "  colour: red\n", "1:3: unknown header key 'colour'" },
	{ H "title: b\n", "2:1: duplicate 'title:'" },
	{ "title:\n", "1:1: title: expected TEXT after 'title:'" },
	{ "title: \"a\" b\n", "1:12: unexpected 'b'" },
	{ "title: \"a\\0\"\n", "1:8: \\0 is not allowed in this text" },
	{ "title: \"a\n", "1:8: unterminated string" },
	{ H "socket AF_INET SOCK_STREAM\n", "2:1: 'socket' must come after an 'actor NAME' line" },
	{ H "hello world\n", "2:1: expected 'title: TEXT', 'about: TEXT', 'host NAME ADDRESS/PREFIX' or 'actor NAME'" },
	{ H "> narration\n", "2:1: '>' narration must follow a step" },
	{ "about: x\nactor a\n", "2:1: missing 'title: TEXT' before the first actor" },
	{ A "  print \"x\"\n  about: x\n", "4:3: 'about:' belongs in the header, before the first actor" },
	/* actors */
	{ H "actor\n", "2:1: actor: expected a NAME, as in actor server" },
	{ H "actor Server\n", "2:7: actor name 'Server' may only use a-z, 0-9, '_' and '-'" },
	{ H "actor \"a\"\n", "2:7: actor name must be a plain word" },
	{ H "actor a b\n", "2:9: unexpected 'b' (after the NAME an actor line may have 'on HOST' and 'dies SIGNAL')" },
	{ H "actor abcdefghijklmnopqrstuvwxyz0123456\n", "2:7: actor name is longer than 32 bytes" },
	{ A " print \"x\"\nactor a\n", "4:7: duplicate actor 'a'" },
	{ A, "2:1: actor 'a' has no steps" },
	{ A "actor b\n print \"x\"\n", "2:1: actor 'a' has no steps" },
	/* step names */
	{ A "  frobnicate\n", "3:3: unknown step 'frobnicate'" },
	{ A "  recieve 1024\n", "3:3: unknown step 'recieve' (did you mean 'recv'?)" },
	{ A "  receivefrom 1024\n", "3:3: unknown step 'receivefrom' (did you mean 'recvfrom'?)" },
	{ A "  Socket AF_INET SOCK_STREAM\n", "3:3: unknown step 'Socket' (did you mean 'socket'?)" },
	{ A "  sendal \"x\"\n", "3:3: unknown step 'sendal' (did you mean 'sendall'?)" },
	{ A "  breakifempty\n", "3:3: unknown step 'breakifempty' (did you mean 'break-if-empty'?)" },
	{ A "  \"print\"\n", "3:3: expected a step, not a \"string\"" },
	/* tokens */
	{ A "  print \"abc\n", "3:9: unterminated string" },
	{ A "  print \"abc\\\n", "3:9: unterminated string" },
	{ A "  print \"a\\qb\"\n", "3:11: unknown escape '\\q' (use \\n \\t \\r \\0 \\\\ \\\" or \\xNN)" },
	{ A "  print \"a\\x4\"\n", "3:11: \\x needs two hex digits, as in \\x41" },
	{ A "  print \"a\\xg1\"\n", "3:11: \\x needs two hex digits, as in \\x41" },
	{ A "  print \"a\"b\n", "3:12: expected a space after the closing quote" },
	/* socket */
	{ A "  socket\n", "3:3: socket: expected FAMILY TYPE, as in socket AF_INET SOCK_STREAM" },
	{ A "  socket AF_INET\n", "3:10: socket: expected FAMILY TYPE, as in socket AF_INET SOCK_STREAM" },
	{ A "  socket AF_INETT SOCK_STREAM\n", "3:10: unknown family 'AF_INETT'" },
	{ A "  socket AF_INET SOCK_RAW\n", "3:18: unknown type 'SOCK_RAW'" },
	{ A "  socket AF_INET SOCK_STREAM tcp\n", "3:30: unexpected 'tcp'" },
	{ A "  socket AF_INET SOCK_STREAM as\n", "3:30: as: expected a NAME for the new socket" },
	{ A "  socket AF_INET SOCK_STREAM as Big\n", "3:33: socket name 'Big' may only use a-z, 0-9, '_' and '-'" },
	{ A "  socket AF_INET SOCK_STREAM as x as y\n", "3:35: 'as' given twice" },
	{ A "  socket AF_INET SOCK_STREAM on x\n", "3:30: unexpected 'on'" },
	/* addresses */
	{ S "  bind\n", "4:3: bind: expected HOST PORT or a /path" },
	{ S "  bind 65432\n", "4:8: bind: expected HOST PORT or a /path" },
	{ S "  bind 127.0.0.1 x\n", "4:18: port must be 0..65535" },
	{ S "  bind 127.0.0.1 65536\n", "4:18: port must be 0..65535" },
	{ S "  bind 127.0.0.1 -1\n", "4:18: port must be 0..65535" },
	{ S "  bind 256.0.0.1 80\n", "4:8: '256.0.0.1' is not a numeric IPv4 or IPv6 address (such as 127.0.0.1 or ::1)" },
	{ S "  bind \"127.0.0.1\" 80\n", "4:8: '\"127.0.0.1\"' is not a numeric IPv4 or IPv6 address (such as 127.0.0.1 or ::1)" },
	{ S "  bind 127.0.0.1 80 x\n", "4:21: unexpected 'x'" },
	{ S "  bind $peer\n", "4:8: bind: expected HOST PORT or a /path" },
	{ S "  bind ::1 80\n", "4:8: '::1' is an IPv6 address, but socket 's' is AF_INET" },
	{ S "  bind /x\n", "4:8: a path needs an AF_UNIX socket, but 's' is AF_INET" },
	{ A "  socket AF_INET6 SOCK_DGRAM as v6\n  connect 10.0.0.1 80\n",
	  "4:11: '10.0.0.1' is an IPv4 address, but socket 'v6' is AF_INET6 (write ::ffff:10.0.0.1)" },
	{ A "  socket AF_UNIX SOCK_STREAM\n  bind 127.0.0.1 80\n", "4:8: socket 's' is AF_UNIX: it needs a /path or @name" },
	{ A "  socket AF_UNIX SOCK_STREAM\n  bind /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  "4:8: path is longer than 107 bytes" },
	{ S "  connect\n", "4:3: connect: expected HOST PORT, a /path or $peer" },
	{ S "  connect $peer 80\n", "4:17: unexpected '80'" },
	/* listen, recv, shutdown */
	{ S "  listen 5000\n", "4:10: listen: backlog must be 0..4096" },
	{ S "  listen 1 2\n", "4:12: unexpected '2'" },
	{ S "  recv\n", "4:3: recv: expected a size, as in recv 1024" },
	{ S "  recv 0\n", "4:8: recv: size must be 1..1048576" },
	{ S "  recv 1048577\n", "4:8: recv: size must be 1..1048576" },
	{ S "  recvfrom 99999999999999\n", "4:12: recvfrom: size must be 1..1048576" },
	{ S "  recv 10 20\n", "4:11: unexpected '20'" },
	{ S "  shutdown\n", "4:3: shutdown: expected SHUT_RD, SHUT_WR or SHUT_RDWR" },
	{ S "  shutdown SHUT_ALL\n", "4:12: shutdown: expected SHUT_RD, SHUT_WR or SHUT_RDWR" },
	{ S "  close now\n", "4:9: unexpected 'now'" },
	/* sleep */
	{ A "  sleep\n", "3:3: sleep: milliseconds must be 1..60000" },
	{ A "  sleep 0\n", "3:9: sleep: milliseconds must be 1..60000" },
	{ A "  sleep 60001\n", "3:9: sleep: milliseconds must be 1..60000" },
	{ A "  sleep -5\n", "3:9: sleep: milliseconds must be 1..60000" },
	{ A "  sleep \"250\"\n", "3:9: sleep: milliseconds must be 1..60000" },
	{ A "  sleep 250 ms\n", "3:13: unexpected 'ms'" },
	{ A "  sleep 250 on s\n", "3:13: unexpected 'on'" },
	{ S "  accept x\n", "4:10: unexpected 'x'" },
	/* data */
	{ S "  send\n", "4:3: send: expected DATA: a \"quoted string\", $received, $input, upper $received or bytes N" },
	{ S "  sendall hello\n", "4:11: sendall: expected DATA: a \"quoted string\", $received, $input, upper $received or bytes N" },
	{ S "  send upper\n", "4:8: upper: expected $received or $input" },
	{ S "  send upper \"x\"\n", "4:14: upper: expected $received or $input" },
	{ S "  send \"a\" \"b\"\n", "4:12: unexpected '\"b\"'" },
	/* A token in an error is shown as written: not '?' for "\n". */
	{ S "  send $input \"\\n\"\n", "4:15: unexpected '\"\\n\"'" },
	/* A variable inside a send's quotes would go out as its letters. */
	{ S "  send \"$input\\n\"\n", "4:9: send: $input is not filled in inside quotes (only print does that): "
				   "send $input sends it; to send the characters, write \\x24input" },
	{ S "  sendall \"got: $received\"\n", "4:17: sendall: $received is not filled in inside quotes (only print "
					"does that): sendall $received sends it; to send the characters, write \\x24received" },
	{ S "  send $received $input\n", "4:18: unexpected '$input'" },
	{ S "  sendto \"x\"\n", "4:10: sendto: expected HOST PORT, a /path or $peer after the data" },
	{ S "  sendto \"x\" 1.2.3.4\n", "4:14: sendto: expected HOST PORT, a /path or $peer" },
	{ S "  sendto\n", "4:3: sendto: expected DATA: a \"quoted string\", $received, $input, upper $received or bytes N" },
	/* setsockopt */
	{ S "  setsockopt SOL_SOCKET SO_REUSEADDR\n", "4:14: setsockopt: expected LEVEL OPTION VALUE, as in setsockopt SOL_SOCKET SO_REUSEADDR 1" },
	{ S "  setsockopt\n", "4:3: setsockopt: expected LEVEL OPTION VALUE, as in setsockopt SOL_SOCKET SO_REUSEADDR 1" },
	{ S "  setsockopt SOL_TCP TCP_NODELAY 1\n", "4:14: unknown level 'SOL_TCP'" },
	{ S "  setsockopt SOL_SOCKET SO_LINGER 1\n", "4:25: unknown option 'SO_LINGER'" },
	{ S "  setsockopt IPPROTO_TCP SO_KEEPALIVE 1\n", "4:26: SO_KEEPALIVE is an option of SOL_SOCKET, not IPPROTO_TCP" },
	{ S "  setsockopt SOL_SOCKET SO_RCVBUF big\n", "4:35: setsockopt: VALUE must be a whole number (0..2147483647)" },
	{ S "  setsockopt SOL_SOCKET SO_RCVBUF 2147483648\n", "4:35: setsockopt: VALUE must be a whole number (0..2147483647)" },
	{ S "  setsockopt SOL_SOCKET SO_RCVBUF 1 2\n", "4:37: unexpected '2'" },
	/* print, input */
	{ A "  print\n", "3:3: print: expected a \"quoted string\"" },
	{ A "  print hello\n", "3:9: print: expected a \"quoted string\"" },
	{ A "  print \"a\" \"b\"\n", "3:13: unexpected '\"b\"'" },
	{ A "  print \"x\" on s\n", "3:13: unexpected 'on'" },
	{ A "  input\n", "3:3: input: expected a \"PROMPT\" in quotes" },
	{ A "  input name\n", "3:9: input: expected a \"PROMPT\" in quotes" },
	{ A "  input \"p\"\n", "3:9: input: expected 'example TEXT...' after the prompt" },
	{ A "  input \"p\" examples a\n", "3:13: input: expected 'example TEXT...' after the prompt" },
	{ A "  input \"p\" example\n", "3:13: input: expected at least one example TEXT after 'example'" },
	{ A "  input \"p\" example a \"b\\0\"\n", "3:23: \\0 is not allowed in this text" },
	{ A "  input \"p\\0\" example a\n", "3:9: \\0 is not allowed in this text" },
	/* loops */
	{ A "  repeat\n", "3:3: repeat: count must be 1..1000000" },
	{ A "  repeat 0\n  end\n", "3:10: repeat: count must be 1..1000000" },
	{ A "  repeat 1000001\n  end\n", "3:10: repeat: count must be 1..1000000" },
	{ A "  repeat 2 3\n", "3:12: unexpected '3'" },
	{ A "  loop forever\n", "3:8: unexpected 'forever'" },
	{ A "  loop\n    print \"x\"\n", "3:3: 'loop' without 'end'" },
	{ A "  loop\n    repeat 2\n      sleep 1\n    end\n    loop\n", "7:5: 'loop' without 'end'" },
	{ A "  repeat 2\n  print \"x\"\nactor b\n  print \"y\"\n", "3:3: 'repeat' without 'end'" },
	{ A "  end\n", "3:3: 'end' without 'loop' or 'repeat'" },
	/* a loop must stop at the gate: one that makes no call would spin */
	{ A "  loop\n  end\n", "3:3: 'loop' makes no call before its 'end': it would run without ever "
	  "stopping (put a socket call or a sleep in it)" },
	{ A "  loop\n    print \"x\"\n  end\n", "3:3: 'loop' makes no call before its 'end': it would "
	  "run without ever stopping (put a socket call or a sleep in it)" },
	{ A "  loop\n    input \"? \" example \"q\"\n    print \"got it\"\n    break-if-input q\n  end\n", "3:3: 'loop' makes no "
	  "call before its 'end': it would run without ever stopping (put a socket call or a sleep in it)" },
	{ A "  repeat 1000\n    print \"x\"\n  end\n", "3:3: 'repeat' makes no call before its 'end': "
	  "it would run without ever stopping (put a socket call or a sleep in it)" },
	{ S "  loop\n    send \"x\"\n    repeat 3\n      print \"y\"\n    end\n  end\n", "6:5: 'repeat' "
	  "makes no call before its 'end': it would run without ever stopping (put a socket call or a sleep in it)" },
	{ A "  print \"a\"\n  loop\n    print \"b\"\n  end\n  sleep 1\n", "4:3: 'loop' makes no call "
	  "before its 'end': it would run without ever stopping (put a socket call or a sleep in it)" },
	{ A "  loop\n  end now\n", "4:7: unexpected 'now'" },
	{ A "  break-if-empty\n", "3:3: break-if-empty outside a loop" },
	{ A "  loop\n  sleep 1\n  end\n  break-if-input q\n", "6:3: break-if-input outside a loop" },
	{ A "  loop\n  break-if-input\n  end\n", "4:3: break-if-input: expected the TEXT that ends the loop" },
	{ A "  loop\n  break-if-input a b\n  end\n", "4:20: unexpected 'b'" },
	/* event loops: break-if-contains and if-ready */
	{ S "  loop\n  recv 9\n  break-if-contains\n  end\n", "6:3: break-if-contains: expected the TEXT that "
	  "ends the loop, as in break-if-contains \"\\r\\n\\r\\n\"" },
	{ S "  loop\n  recv 9\n  break-if-contains \"\"\n  end\n", "6:21: break-if-contains: expected the TEXT "
	  "that ends the loop, as in break-if-contains \"\\r\\n\\r\\n\"" },
	{ S "  recv 9\n  break-if-contains x\n", "5:3: break-if-contains outside a loop" },
	{ S "  if-ready s\n  end\n", "4:12: if-ready: no poll or select before it says what is ready (put 'poll s ...' first)" },
	{ S "  socket AF_INET SOCK_STREAM as t\n  poll s\n  if-ready t\n  end\n",
	  "6:12: if-ready: 't' is not one of the sockets the poll on line 5 waits on (s)" },
	{ S "  poll s\n  if-ready\n  end\n", "5:3: if-ready: expected the NAME of a socket a poll or select waits on" },
	{ S "  poll s\n  if-ready s x\n  end\n", "5:14: unexpected 'x'" },
	{ S "  poll s\n  if-ready s\n  recv 9\n", "5:3: 'if-ready' without 'end'" },
	{ S "  poll s\n  if-ready s\n  break-if-empty\n  end\n", "6:3: break-if-empty outside a loop" },
	{ S "  recv 9\n  if-empty\n  print \"x\"\n", "5:3: 'if-empty' without 'end'" },
	{ S "  recv 9\n  if-empty x\n  end\n", "5:12: unexpected 'x'" },
	/* ordering: after ACTOR STEP [N] */
	{ S "  after\n  recv 9\n", "4:3: after: expected an ACTOR and its STEP, as in after client send" },
	{ S "  after b\n  recv 9\n", "4:9: after: expected an ACTOR and its STEP, as in after client send" },
	{ S "  after b frob\n  recv 9\n", "4:11: after: 'frob' is not a call (name one, as in after client send)" },
	{ S "  after b print\n  recv 9\n", "4:11: after: 'print' is not a call (name one, as in after client send)" },
	{ S "  after b send 0\n  recv 9\n", "4:16: after: N (which of the actor's send steps) must be 1..512" },
	{ S "  after b send 1 x\n  recv 9\n", "4:18: unexpected 'x'" },
	{ S "  after B send\n  recv 9\n", "4:9: actor name 'B' may only use a-z, 0-9, '_' and '-'" },
	{ S "  after c send\n  recv 9\nactor b\n  print \"x\"\n", "4:9: after: no actor named 'c' in this lesson" },
	{ S "  after a send\n  recv 9\n", "4:9: after: 'a' is this actor: its own steps run in order already" },
	{ S "  after b send\nactor b\n  print \"x\"\n", "4:3: after: must come just before the call it holds back" },
	{ S "  after b send\n  print \"x\"\n  recv 9\nactor b\n  print \"x\"\n",
	  "4:3: after: must come just before the call it holds back" },
	{ S "  after b send 2\n  recv 9\nactor b\n  socket AF_INET SOCK_STREAM\n  send \"x\"\n",
	  "4:9: after: 'b' has no send step number 2" },
	{ A "  loop\n  break-if-empty now\n  end\n", "4:18: unexpected 'now'" },
	/* sockets by name */
	{ A "  recv 10\n", "3:3: recv: no socket yet (a 'socket' step must come first)" },
	{ A "  accept\n", "3:3: accept: no socket yet (a 'socket' step must come first)" },
	{ A "  close on s\n", "3:12: no socket named 's' here (this actor has none yet)" },
	{ S "  accept\n  close on\n", "5:9: on: expected the NAME of a socket" },
	{ S "  accept as c\n  close on x\n", "5:12: no socket named 'x' here (this actor has: s, c)" },
	{ S "  close on \"s\"\n", "4:12: no socket named '\"s\"' here (this actor has: s)" },
	{ S "  close on s on s\n", "4:14: 'on' given twice" },
	{ S "  accept as c on s as d\n", "4:20: 'as' given twice" },
	{ A "  socket AF_INET SOCK_STREAM as x\nactor b\n  close on x\n", "5:12: no socket named 'x' here (this actor has none yet)" },
	/* hosts */
	{ "host\n", "1:1: host: expected NAME ADDRESS/PREFIX, as in host a 10.0.0.1/24" },
	{ "host a\n", "1:6: host: expected NAME ADDRESS/PREFIX, as in host a 10.0.0.1/24" },
	{ "host A 10.0.0.1/24\n", "1:6: host name 'A' may only use a-z, 0-9, '_' and '-'" },
	{ "host a 10.0.0.1/24 x\n", "1:20: unexpected 'x'" },
	{ "host a 10.0.0.1\n", "1:8: host: expected ADDRESS/PREFIX, as in 10.0.0.1/24" },
	{ "host a \"10.0.0.1/24\"\n", "1:8: host: expected ADDRESS/PREFIX, as in 10.0.0.1/24" },
	{ "host a 10.0.0/24\n", "1:8: '10.0.0' is not a numeric IPv4 address (such as 10.0.0.1)" },
	{ "host a ::1/64\n", "1:8: '::1' is not a numeric IPv4 address (such as 10.0.0.1)" },
	{ "host a 10.0.0.1/31\n", "1:17: host: PREFIX must be 1..30 (24 is usual)" },
	{ "host a 10.0.0.1/0\n", "1:17: host: PREFIX must be 1..30 (24 is usual)" },
	{ "host a 10.0.0.1/\n", "1:17: host: PREFIX must be 1..30 (24 is usual)" },
	{ "host a 10.0.0.1/24x\n", "1:17: host: PREFIX must be 1..30 (24 is usual)" },
	{ "host a 127.0.0.2/8\n", "1:8: host: 127.0.0.2 cannot be used on a link (try a private address such as 10.0.0.1)" },
	{ "host a 224.0.0.1/24\n", "1:8: host: 224.0.0.1 cannot be used on a link (try a private address such as 10.0.0.1)" },
	{ "host a 10.0.0.0/24\n", "1:8: host: 10.0.0.0 is the network address of its /24 subnet; pick another" },
	{ "host a 10.0.0.255/24\n", "1:8: host: 10.0.0.255 is the broadcast address of its /24 subnet; pick another" },
	{ "host a 10.0.0.1/24\nhost a 10.0.0.2/24\n", "2:6: duplicate host 'a'" },
	{ "host a 10.0.0.1/24\nhost b 10.0.0.1/24\n", "2:8: host: 10.0.0.1 is host 'a''s address already" },
	{ "host a 10.0.0.1/24\nhost b 10.0.0.2/16\n", "2:8: host: /16 differs from host 'a''s /24 (the hosts share one link and one subnet)" },
	{ "host a 10.0.0.1/24\nhost b 10.0.1.2/24\n", "2:8: host: not in host 'a''s subnet 10.0.0.1/24 (the hosts share one link)" },
	{ "host a 10.0.0.1/24\nhost b 10.0.0.2/24\nhost c 10.0.0.3/24\n", "3:1: more than 2 hosts" },
	{ A "  print \"x\"\nhost a 10.0.0.1/24\n", "4:1: 'host' lines belong in the header, before the first actor" },
	{ H "actor a on\n", "2:9: on: expected the NAME of a host" },
	{ H "actor a on x\n", "2:12: no host named 'x' (add a 'host x ADDRESS/PREFIX' line to the header)" },
	{ "host p 10.0.0.1/24\nhost q 10.0.0.2/24\n" H "actor a on x\n", "4:12: no host named 'x' (this lesson has: p, q)" },
	{ "host p 10.0.0.1/24\n" H "actor a on p on p\n", "3:14: 'on' given twice" },
	{ H "actor a dies\n", "2:9: dies: expected a SIGNAL, as in dies SIGPIPE" },
	{ H "actor a dies PIPE\n", "2:14: unknown signal 'PIPE' (such as SIGPIPE, SIGKILL or SIGTERM)" },
	{ H "actor a dies SIGFOO\n", "2:14: unknown signal 'SIGFOO' (such as SIGPIPE, SIGKILL or SIGTERM)" },
	{ H "actor a dies SIGCHLD\n", "2:14: SIGCHLD does not end a process" },
	{ H "actor a dies SIGPIPE dies SIGKILL\n", "2:22: 'dies' given twice" },
	{ H "actor a dies SIGPIPE on\n", "2:22: on: expected the NAME of a host" },
	/* getaddrinfo, gethostname, setblocking, getsockopt */
	{ A "  getaddrinfo\n", "3:3: getaddrinfo: expected HOST PORT, as in getaddrinfo localhost 65432" },
	{ A "  getaddrinfo localhost\n", "3:15: getaddrinfo: expected HOST PORT, as in getaddrinfo localhost 65432" },
	{ A "  getaddrinfo localhost http\n", "3:25: port must be 0..65535" },
	{ A "  getaddrinfo \"\" 80\n", "3:15: getaddrinfo: HOST must be 1..253 bytes" },
	{ A "  getaddrinfo \"a\\0\" 80\n", "3:15: \\0 is not allowed in this text" },
	{ A "  getaddrinfo localhost 80 AF_UNIX\n", "3:28: getaddrinfo: expected AF_INET, AF_INET6, AF_UNSPEC, SOCK_STREAM or SOCK_DGRAM (each at most once), not 'AF_UNIX'" },
	{ A "  getaddrinfo localhost 80 AF_INET AF_INET6\n", "3:36: getaddrinfo: expected AF_INET, AF_INET6, AF_UNSPEC, SOCK_STREAM or SOCK_DGRAM (each at most once), not 'AF_INET6'" },
	{ A "  getaddrinfo localhost 80 on s\n", "3:28: getaddrinfo: expected AF_INET, AF_INET6, AF_UNSPEC, SOCK_STREAM or SOCK_DGRAM (each at most once), not 'on'" },
	{ A "  gethostname now\n", "3:15: unexpected 'now'" },
	{ A "  getsockname\n", "3:3: getsockname: no socket yet (a 'socket' step must come first)" },
	{ S "  getpeername on x\n", "4:18: no socket named 'x' here (this actor has: s)" },
	{ S "  setblocking\n", "4:3: setblocking: expected 0 (calls return at once) or 1 (calls wait)" },
	{ S "  setblocking 2\n", "4:15: setblocking: expected 0 (calls return at once) or 1 (calls wait)" },
	{ S "  setblocking false\n", "4:15: setblocking: expected 0 (calls return at once) or 1 (calls wait)" },
	{ S "  getsockopt SOL_SOCKET\n", "4:14: getsockopt: expected LEVEL OPTION, as in getsockopt SOL_SOCKET SO_ERROR" },
	{ S "  getsockopt SOL_SOCKET SO_ERROR 1\n", "4:34: unexpected '1'" },
	{ S "  getsockopt IPPROTO_TCP SO_TYPE\n", "4:26: SO_TYPE is an option of SOL_SOCKET, not IPPROTO_TCP" },
	{ S "  setsockopt SOL_SOCKET SO_ERROR 0\n", "4:25: SO_ERROR can only be read: use getsockopt" },
	/* poll, select */
	{ S "  poll\n", "4:3: poll: expected the NAMEs of the sockets to wait on, as in poll s conn" },
	{ S "  select write\n", "4:10: select: expected the NAMEs of the sockets to wait on, as in select s conn" },
	{ S "  poll x\n", "4:8: no socket named 'x' here (this actor has: s)" },
	{ A "  poll x\n", "3:8: no socket named 'x' here (this actor has none yet)" },
	{ S "  poll s s\n", "4:10: 's' given twice" },
	{ S "  poll s write write\n", "4:16: unexpected 'write'" },
	{ S "  poll s timeout\n", "4:10: timeout: milliseconds must be 0..60000" },
	{ S "  poll s timeout -1\n", "4:18: timeout: milliseconds must be 0..60000" },
	{ S "  poll s timeout 60001\n", "4:18: timeout: milliseconds must be 0..60000" },
	{ S "  poll s timeout 5 timeout 6\n", "4:20: unexpected 'timeout'" },
	{ S "  poll s write s\n", "4:16: unexpected 's'" },
	{ S "  select s on s\n", "4:12: no socket named 'on' here (this actor has: s)" },
	/* flags and bytes */
	{ S "  recv 10 MSG_OOB\n", "4:11: unknown flag 'MSG_OOB' (sockstep knows MSG_NOSIGNAL, MSG_DONTWAIT, MSG_WAITALL, MSG_PEEK and MSG_TRUNC)" },
	{ S "  recv 10 MSG_NOSIGNAL\n", "4:11: MSG_NOSIGNAL is a flag for send, sendall and sendto, not recv" },
	{ S "  sendall \"x\" MSG_PEEK\n", "4:15: MSG_PEEK is a flag for recv and recvfrom, not sendall" },
	{ S "  recv 10 MSG_PEEK MSG_PEEK\n", "4:20: 'MSG_PEEK' given twice" },
	{ S "  recv MSG_PEEK\n", "4:8: recv: size must be 1..1048576" },
	{ S "  recv 10 MSG_PEEK 20\n", "4:11: MSG_PEEK: flags go last, after the other words (before 'on NAME')" },
	{ S "  sendto \"x\" MSG_DONTWAIT 10.0.0.1 9\n", "4:14: MSG_DONTWAIT: flags go last, after the other words (before 'on NAME')" },
	{ S "  recv 10 on s MSG_PEEK\n", "4:11: unexpected 'on'" },
	{ S "  send \"x\" \"MSG_PEEK\"\n", "4:12: unexpected '\"MSG_PEEK\"'" },
	{ S "  send bytes\n", "4:8: bytes: expected a count 1..16777216, as in bytes 100000" },
	{ S "  send bytes 0\n", "4:14: bytes: expected a count 1..16777216, as in bytes 100000" },
	{ S "  send bytes 16777217\n", "4:14: bytes: expected a count 1..16777216, as in bytes 100000" },
	{ S "  send bytes 10 20\n", "4:17: unexpected '20'" },
	{ S "  send upper bytes 10\n", "4:14: upper: expected $received or $input" },
	/* narration and questions */
	{ A "  > too early\n", "3:3: '>' narration must follow a step" },
	{ A "  ? too early? [a] b\n", "3:3: '?' question must follow a step" },
	{ A " print \"x\"\n ? Q? [1] b\n ? R? [1] b\n", "5:2: this step already has a question" },
	{ A " print \"x\"\n ? no question mark [a] b\n", "4:2: question: the question must end with '?'" },
	{ A " print \"x\"\n ?  ? [a] b\n", "4:2: question: expected the question text before the '?'" },
	{ A " print \"x\"\n ? Q? [a]\n", "4:6: question: expected at least 2 choices after the '?'" },
	{ A " print \"x\"\n ? Q?\n", "4:6: question: expected at least 2 choices after the '?'" },
	{ A " print \"x\"\n ? Q? a b\n", "4:7: question: put the right answer in [brackets]" },
	{ A " print \"x\"\n ? Q? [a] [b]\n", "4:11: question: only one choice can be the [answer]" },
	{ A " print \"x\"\n ? Q? [a b\n", "4:7: question: expected ']' to close this choice" },
	/* An answer no run can check is refused as the lesson loads, at the
	 * answer on the '?' line. */
	{ A " print \"x\"\n ? Did it work? [yes] no\n", "4:17: question: the answer [yes] cannot be checked against a run: "
	  "give a number, an errno name, \"blocks\" or \"does not block\", packet flags (SYN, SYN/ACK, ACK) or "
	  "\"none\", a signal name, the bytes received (\"HELLO\", upper $input) or len $input" },
	{ A " print \"x\"\n ? Q? [a\n", "4:7: question: expected ']' to close this choice" },
	{ A " print \"x\"\n ? Q? [] b\n", "4:7: question: empty choice" },
	{ A " print \"x\"\n ? Q? \"\" [b]\n", "4:7: question: empty choice" },
	{ A " print \"x\"\n ? Q? [\"a\"]x b\n", "4:12: question: expected a space between choices" },
	{ A " print \"x\"\n ? Q? \"a\\0\" [b]\n", "4:7: \\0 is not allowed in this text" },
	{ A " print \"x\"\n ? Q? \"a [b]\n", "4:7: unterminated string" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
		char want[1024];
		snprintf(want, sizeof want, "t.lesson:%s", err_cases[i].want);
		Lesson *l = parse(err_cases[i].text);
		if (l) {
			lesson_free(l);
			fail_msg("case %zu parsed, expected: %s", i, want);
		}
		if (strcmp(err, want) != 0)
			fail_msg("case %zu\n  got:  %s\n  want: %s", i, err, want);
	}
}

static void test_too_many_actors(void **state)
{
	(void)state;
	char text[1024] = H;
	for (int i = 0; i < LESSON_MAX_ACTORS + 1; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "actor a%d\n  print \"x\"\n", i);
	assert_null(parse(text));
	assert_string_equal(err, "t.lesson:18:1: more than 8 actors");
}

/* Loops nest as deep as the actor's loop stack (LESSON_MAX_DEPTH): one
 * more is refused where it opens, not by the actor dying in the run. */
static void test_too_deep(void **state)
{
	(void)state;
	char text[4096] = A;
	for (int i = 0; i < LESSON_MAX_DEPTH; i++)
		strcat(text, "  loop\n");
	strcat(text, "  sleep 1\n");
	for (int i = 0; i < LESSON_MAX_DEPTH; i++)
		strcat(text, "  end\n");
	Lesson *l = parse(text);
	assert_non_null(l);
	lesson_free(l);
	strcpy(text, A);
	for (int i = 0; i < LESSON_MAX_DEPTH + 1; i++)
		strcat(text, "  repeat 2\n");
	assert_null(parse(text));
	char want[200];
	snprintf(want, sizeof want, "t.lesson:%d:3: 'repeat' nested too deep: loops and repeats nest at most "
		 "%d deep", 3 + LESSON_MAX_DEPTH, LESSON_MAX_DEPTH);
	assert_string_equal(err, want);
}

/* An actor has LESSON_MAX_SOCKETS socket names; a name used again is the
 * same one (its socket replaced), and the one past the last is refused
 * where it is given, not dropped by the actor (whose bind then failed). */
static void test_too_many_sockets(void **state)
{
	(void)state;
	char text[4096] = A;
	for (int i = 0; i < LESSON_MAX_SOCKETS; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "  socket AF_INET SOCK_DGRAM as u%d\n", i);
	strcat(text, "  socket AF_INET SOCK_DGRAM as u0\n  socket AF_INET SOCK_DGRAM as u15\n");
	Lesson *l = parse(text);
	assert_non_null(l);
	lesson_free(l);
	strcat(text, "  socket AF_INET SOCK_DGRAM as extra\n");
	assert_null(parse(text));
	char want[200];
	snprintf(want, sizeof want, "t.lesson:%d:32: 'extra' would be this actor's socket name number %d: an "
		 "actor has at most %d (name a socket again to reuse its name)", 3 + LESSON_MAX_SOCKETS + 2,
		 LESSON_MAX_SOCKETS + 1, LESSON_MAX_SOCKETS);
	assert_string_equal(err, want);
	/* The default names count too: accept without 'as' names "conn". */
	strcpy(text, A);
	for (int i = 0; i < LESSON_MAX_SOCKETS - 1; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "  socket AF_INET SOCK_STREAM as t%d\n", i);
	strcat(text, "  listen 1\n  accept\n  accept as more\n");
	assert_null(parse(text));
	snprintf(want, sizeof want, "t.lesson:%d:13: 'more' would be this actor's socket name number %d: an "
		 "actor has at most %d (name a socket again to reuse its name)", 3 + LESSON_MAX_SOCKETS + 1,
		 LESSON_MAX_SOCKETS + 1, LESSON_MAX_SOCKETS);
	assert_string_equal(err, want);
}

static void test_too_many_steps(void **state)
{
	(void)state;
	size_t cap = 64 + (LESSON_MAX_STEPS + 1) * 12;
	char *text = malloc(cap);
	assert_non_null(text);
	strcpy(text, A);
	for (int i = 0; i < LESSON_MAX_STEPS; i++)
		strcat(text, "  print \"\"\n");
	Lesson *l = parse(text);
	assert_non_null(l);
	assert_int_equal(l->actors[0].nsteps, LESSON_MAX_STEPS);
	lesson_free(l);
	strcat(text, "  print \"\"\n");
	assert_null(parse(text));
	assert_string_equal(err, "t.lesson:515:3: actor 'a' has more than 512 steps");
	free(text);
}

static void test_too_many_words(void **state)
{
	(void)state;
	char text[1024] = A "  input \"p\" example";
	/* input, "p" and example are 3 of the 256 words. */
	for (int i = 0; i < 253; i++)
		strcat(text, " x");
	Lesson *l = parse(text);
	assert_non_null(l);
	assert_int_equal(step(l, 0, 0)->nexamples, 253);
	lesson_free(l);
	strcat(text, " y");
	assert_null(parse(text));
	assert_string_equal(err, "t.lesson:3:527: too many words on one line (at most 256)");
}

static void test_nul_byte(void **state)
{
	(void)state;
	static const char text[] = A "  cl\0se\n";
	assert_null(parse_len(text, sizeof text - 1));
	assert_string_equal(err, "t.lesson:3:5: NUL byte in lesson");
	/* Even inside a string: a NUL is written \0. */
	static const char text2[] = A "  print \"a\0\"\n";
	assert_null(parse_len(text2, sizeof text2 - 1));
	assert_string_equal(err, "t.lesson:3:11: NUL byte in lesson");
}

static void test_long_line(void **state)
{
	(void)state;
	size_t n = 4096;
	char *text = malloc(64 + n + 16);
	assert_non_null(text);
	strcpy(text, A "  print \"");
	size_t at = strlen(text);
	/* Exactly 4096 bytes on the line is allowed ... */
	memset(text + at, 'x', n - 10);
	strcpy(text + at + n - 10, "\"\n");
	Lesson *l = parse(text);
	assert_non_null(l);
	assert_int_equal(step(l, 0, 0)->data.len, n - 10);
	lesson_free(l);
	/* ... one more is not. */
	memset(text + at, 'x', n - 9);
	strcpy(text + at + n - 9, "\"\n");
	assert_null(parse(text));
	assert_string_equal(err, "t.lesson:3:1: line is longer than 4096 bytes");
	free(text);
}

static void test_file_too_big(void **state)
{
	(void)state;
	size_t n = (1 << 20) + 1;
	char *text = malloc(n);
	assert_non_null(text);
	memset(text, '\n', n);
	assert_null(parse_len(text, n));
	assert_string_equal(err, "t.lesson:1:1: lesson is larger than 1 MiB");
	/* 1 MiB exactly is fine as far as size goes. */
	assert_null(parse_len(text, n - 1));
	assert_string_equal(err, "t.lesson:1:1: missing 'title: TEXT'");
	free(text);
}

static void test_error_buffer(void **state)
{
	(void)state;
	/* No buffer, or a tiny one: still no crash, and no overflow. */
	assert_null(lesson_parse("t.lesson", "bogus", 5, NULL, 0));
	char small[8];
	memset(small, 'z', sizeof small);
	assert_null(lesson_parse("t.lesson", "bogus", 5, small, 6));
	assert_int_equal(small[5], '\0');
	assert_int_equal(small[6], 'z');
	assert_null(lesson_parse(NULL, NULL, 0, err, sizeof err));
	assert_string_equal(err, "(lesson):1:1: missing 'title: TEXT'");
	Lesson *l = lesson_parse("t.lesson", tiny, strlen(tiny), NULL, 0);
	assert_non_null(l);
	lesson_free(l);
}

static void test_load_errors(void **state)
{
	(void)state;
	assert_null(lesson_load("no/such/file.lesson", err, sizeof err));
	assert_string_equal(err, "no/such/file.lesson: cannot open: No such file or directory");
	assert_null(lesson_load(".", err, sizeof err));
	assert_string_equal(err, ".: cannot read: Is a directory");
	assert_null(lesson_load("no/such/file.lesson", NULL, 0));
}

/* Each tests/bad/X.lesson must fail with the line in X.expect. */
static void test_bad_lessons(void **state)
{
	(void)state;
	need_root();
	DIR *d = opendir("tests/bad");
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len <= 7 || strcmp(de->d_name + len - 7, ".lesson") != 0)
			continue;
		char path[512], expect_path[512], want[1024] = "";
		snprintf(path, sizeof path, "tests/bad/%s", de->d_name);
		snprintf(expect_path, sizeof expect_path, "tests/bad/%.*s.expect", (int)(len - 7), de->d_name);
		FILE *f = fopen(expect_path, "r");
		if (!f)
			fail_msg("%s has no .expect file", path);
		if (!fgets(want, sizeof want, f))
			want[0] = '\0';
		fclose(f);
		want[strcspn(want, "\n")] = '\0';
		Lesson *l = lesson_load(path, err, sizeof err);
		if (l) {
			lesson_free(l);
			fail_msg("%s parsed", path);
		}
		if (strcmp(err, want) != 0)
			fail_msg("%s\n  got:  %s\n  want: %s", path, err, want);
		n++;
	}
	closedir(d);
	assert_true(n >= 15);
}

/* ---- robustness ------------------------------------------------------ */

static void test_random_bytes(void **state)
{
	(void)state;
	char buf[512];
	for (int round = 0; round < 20000; round++) {
		size_t n = rnd() % sizeof buf;
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)rnd();
		check_result(parse_len(buf, n));
	}
}

/* Random lines from lesson words get much further than random bytes. */
static void test_random_words(void **state)
{
	(void)state;
	static const char *const words[] = {
		"title:", "about:", "actor", "a", "b", "socket", "AF_INET", "AF_INET6", "AF_UNIX",
		"SOCK_STREAM", "SOCK_DGRAM", "bind", "connect", "listen", "accept", "send", "sendall",
		"recv", "sendto", "recvfrom", "shutdown", "SHUT_RD", "close", "setsockopt",
		"SOL_SOCKET", "SO_REUSEADDR", "print", "input", "example", "loop", "repeat", "end",
		"break-if-empty", "break-if-input", "break-if-contains", "if-ready", "if-empty", "after", "on", "as", "s", "conn", "upper", "$received",
		"$input", "$peer", "127.0.0.1", "::1", "/p", "@a", "0", "1", "1024", "65432", "99999",
		"\"x\"", "\"\\x4", "\"", "\\", ">", "?", "[", "]", "[a]", "\"q?\"", "#", "\t", ":",
		"getaddrinfo", "localhost", "AF_UNSPEC", "gethostname", "getsockname", "getpeername",
		"setblocking", "getsockopt", "SO_ERROR", "SO_TYPE", "poll", "select", "write", "timeout",
		"MSG_PEEK", "MSG_NOSIGNAL", "MSG_TRUNC", "MSG_X", "bytes", "host", "10.0.0.1/24",
		"10.0.0.2/24", "dies", "SIGPIPE",
	};
	enum { NW = sizeof words / sizeof words[0] };
	char *buf = malloc(1 << 14);
	assert_non_null(buf);
	for (int round = 0; round < 20000; round++) {
		size_t o = (size_t)sprintf(buf, "title: T\n%sactor a%s\n",
					   round % 3 ? "" : "host h 10.0.0.1/24\n", round % 5 ? "" : " on h");
		int lines = (int)(rnd() % 24);
		for (int i = 0; i < lines && o < (1 << 14) - 400; i++) {
			int nw = (int)(rnd() % 6);
			for (int w = 0; w < nw; w++)
				o += (size_t)sprintf(buf + o, "%s%s", w ? " " : "  ", words[rnd() % NW]);
			buf[o++] = '\n';
		}
		check_result(parse_len(buf, o));
	}
	free(buf);
}

static void test_real_lessons_cut_and_mutated(void **state)
{
	(void)state;
	need_root();
	static const char *const files[] = {
		"lessons/01-echo.lesson", "lessons/03-chat.lesson", "lessons/04-udp.lesson"
	};
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t len = 0;
		char *text = slurp(files[f], &len);
		assert_non_null(text);
		Lesson *whole = parse_len(text, len);
		if (!whole)
			fail_msg("%s: %s", files[f], err);
		lesson_free(whole);
		/* Every prefix, in a buffer of exactly that size so ASan sees
		 * any read past the end. */
		for (size_t n = 0; n <= len; n++) {
			char *cut = malloc(n ? n : 1);
			assert_non_null(cut);
			memcpy(cut, text, n);
			check_result(parse_len(cut, n));
			free(cut);
		}
		/* Random byte changes. */
		char *m = malloc(len ? len : 1);
		assert_non_null(m);
		for (int round = 0; round < 3000; round++) {
			memcpy(m, text, len);
			int edits = 1 + (int)(rnd() % 4);
			for (int e = 0; e < edits && len; e++)
				m[rnd() % len] = (char)(rnd() % 4 ? " \n\"\\[]?>#x0"[rnd() % 11] : (char)rnd());
			check_result(parse_len(m, len));
		}
		free(m);
		free(text);
	}
}

/* ---- catalog --------------------------------------------------------- */

static char tmpdir[256];

static void put_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int catalog_setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/sockstep-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	put_file("01-echo.lesson", "title: Echo\nabout: Echo it.\nactor a\n  print \"x\"\n");
	put_file("02-chat.lesson", "title: Chat\nactor a\n  print \"x\"\n");
	put_file("03-broken.lesson", "title: Broken\nactor a\n  recieve 1\n");
	put_file("notes.txt", "not a lesson\n");
	put_file("intro.lesson", "title: Intro\nactor a\n  print \"x\"\n");
	char sub[512];
	snprintf(sub, sizeof sub, "%s/04-dir.lesson", tmpdir);
	mkdir(sub, 0700);
	setenv("SOCKSTEP_LESSONS", tmpdir, 1);
	return 0;
}

static int catalog_teardown(void **state)
{
	(void)state;
	static const char *const files[] = {
		"01-echo.lesson", "02-chat.lesson", "03-broken.lesson", "notes.txt", "intro.lesson"
	};
	char path[512];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/04-dir.lesson", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
	unsetenv("SOCKSTEP_LESSONS");
	return 0;
}

static void expect_find(const char *arg, const char *file)
{
	char path[4096], want[512];
	if (catalog_find(arg, path, sizeof path) != 0)
		fail_msg("catalog_find(\"%s\") found nothing", arg);
	snprintf(want, sizeof want, "%s/%s", tmpdir, file);
	assert_string_equal(path, want);
}

static void test_catalog_find(void **state)
{
	(void)state;
	expect_find("echo", "01-echo.lesson");
	expect_find("1", "01-echo.lesson");
	expect_find("01", "01-echo.lesson");
	expect_find("2", "02-chat.lesson");
	expect_find("01-echo", "01-echo.lesson");
	expect_find("01-echo.lesson", "01-echo.lesson");
	expect_find("intro", "intro.lesson");
	expect_find("broken", "03-broken.lesson");   /* finding is not parsing */

	char path[4096];
	assert_int_equal(catalog_find("nope", path, sizeof path), -1);
	assert_int_equal(catalog_find("9", path, sizeof path), -1);
	assert_int_equal(catalog_find("dir", path, sizeof path), -1);   /* a directory */
	assert_int_equal(catalog_find("", path, sizeof path), -1);
	assert_int_equal(catalog_find(NULL, path, sizeof path), -1);
	assert_int_equal(catalog_find("echo", path, 4), -1);            /* does not fit */

	/* An existing file is taken as given. */
	char given[512];
	snprintf(given, sizeof given, "%s/notes.txt", tmpdir);
	assert_int_equal(catalog_find(given, path, sizeof path), 0);
	assert_string_equal(path, given);
}

static void test_catalog_list(void **state)
{
	(void)state;
	CatalogEntry *v = NULL;
	int n = catalog_list(&v);
	assert_int_equal(n, 3);   /* not the broken one, the .txt or the directory */
	assert_string_equal(v[0].name, "echo");
	assert_int_equal(v[0].number, 1);
	assert_string_equal(v[0].title, "Echo");
	assert_string_equal(v[0].about, "Echo it.");
	assert_string_equal(v[1].name, "chat");
	assert_int_equal(v[1].number, 2);
	assert_string_equal(v[1].about, "");
	assert_string_equal(v[2].name, "intro");
	assert_int_equal(v[2].number, -1);
	char want[512];
	snprintf(want, sizeof want, "%s/01-echo.lesson", tmpdir);
	assert_string_equal(v[0].path, want);
	free(v);
}

static void test_catalog_real_lessons(void **state)
{
	(void)state;
	need_root();
	setenv("SOCKSTEP_LESSONS", "lessons", 1);
	CatalogEntry *v = NULL;
	int n = catalog_list(&v);
	assert_true(n >= 3);
	/* The course starts with the echo, and its numbers only go up: the
	 * order a student works through it. */
	assert_string_equal(v[0].name, "echo");
	for (int i = 1; i < n; i++)
		assert_true(v[i].number > v[i - 1].number);
	free(v);
	char path[4096];
	assert_int_equal(catalog_find("udp", path, sizeof path), 0);
	assert_non_null(strstr(path, "-udp.lesson"));
	assert_int_equal(catalog_find("1", path, sizeof path), 0);
	assert_string_equal(path, "lessons/01-echo.lesson");
	setenv("SOCKSTEP_LESSONS", tmpdir, 1);
}

int main(void)
{
	find_root();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_lesson),
		cmocka_unit_test(test_chat_lesson),
		cmocka_unit_test(test_event_loop_steps),
		cmocka_unit_test(test_after_step),
		cmocka_unit_test(test_udp_lesson),
		cmocka_unit_test(test_every_step),
		cmocka_unit_test(test_sleep_step),
		cmocka_unit_test(test_lookup_steps),
		cmocka_unit_test(test_wait_steps),
		cmocka_unit_test(test_flags_and_bytes),
		cmocka_unit_test(test_hosts_and_deaths),
		cmocka_unit_test(test_narration_and_questions),
		cmocka_unit_test(test_line_endings_and_bom),
		cmocka_unit_test(test_names_from_paths),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_many_actors),
		cmocka_unit_test(test_too_many_steps),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_too_many_sockets),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_file_too_big),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_bad_lessons),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_random_words),
		cmocka_unit_test(test_real_lessons_cut_and_mutated),
		cmocka_unit_test(test_catalog_find),
		cmocka_unit_test(test_catalog_list),
		cmocka_unit_test(test_catalog_real_lessons),
	};
	/* The group setup makes a scratch lesson directory for the catalog tests. */
	return cmocka_run_group_tests(tests, catalog_setup, catalog_teardown);
}
