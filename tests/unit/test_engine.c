/* test_engine.c - the engine with real actor processes: blocking calls really
 * block and are released by the peer's call, stepping one actor moves only
 * that actor, and no child outlives the engine. Runs lessons/01-echo.lesson
 * from the repository root, as tests/run.sh does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/engine.h"
#include "model/lesson.h"

enum { SERVER = 0, CLIENT = 1 };

typedef struct {
	Lesson *lesson;
	Run *engine;
} Fixture;

static int setup(void **state)
{
	static Fixture f;
	char err[512];
	f.lesson = lesson_load("lessons/01-echo.lesson", err, sizeof err);
	if (!f.lesson) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	EngineOptions opt = { .settle_ms = 200 };
	f.engine = engine_new(f.lesson, &opt);
	if (!f.engine || run_start(f.engine, err, sizeof err) < 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	Fixture *f = *state;
	run_free(f->engine);
	lesson_free(f->lesson);
	return 0;
}

/* The last event of a kind from an actor, or NULL. */
static const Event *last(Run *e, EventKind kind, int actor)
{
	const Timeline *t = run_timeline(e);
	for (size_t i = timeline_count(t); i-- > 0;) {
		const Event *ev = timeline_get(t, i);
		if (ev->kind == kind && ev->actor == actor)
			return ev;
	}
	return NULL;
}

static void test_accept_blocks_until_connect(void **state)
{
	Fixture *f = *state;
	Run *e = f->engine;
	/* socket, bind, listen, accept: all on the server, by hand. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(run_step(e, SERVER, NULL), SERVER);
	assert_int_equal(run_actor(e, SERVER)->state, ACTOR_BLOCKED);
	assert_int_equal(last(e, EV_CALL, SERVER)->op, OP_ACCEPT);
	assert_true(last(e, EV_CALL, SERVER)->blocked);
	/* The client's socket() does not release it... */
	assert_int_equal(run_step(e, CLIENT, NULL), CLIENT);
	assert_int_equal(run_actor(e, SERVER)->state, ACTOR_BLOCKED);
	/* ...its connect() does: accept returns a new descriptor. */
	assert_int_equal(run_step(e, CLIENT, NULL), CLIENT);
	const Event *ret = last(e, EV_RETURN, SERVER);
	assert_non_null(ret);
	assert_int_equal(ret->op, OP_ACCEPT);
	assert_true(ret->ret > 3);
	assert_int_equal(run_actor(e, SERVER)->state, ACTOR_READY);
	assert_int_equal(run_actor(e, SERVER)->pending.op, OP_RECV);
}

static void test_scheduler_runs_to_the_end(void **state)
{
	Fixture *f = *state;
	Run *e = f->engine;
	int steps = 0;
	while (!run_finished(e) && steps < 100) {
		assert_true(run_step(e, -1, NULL) >= 0);
		steps++;
	}
	run_drain(e, 2000);
	assert_true(run_succeeded(e));
	/* The server received the client's 12 bytes, for real. */
	const Timeline *t = run_timeline(e);
	int seen = 0;
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		if (ev->kind == EV_RETURN && ev->actor == SERVER && ev->op == OP_RECV && ev->ret == 12) {
			assert_memory_equal(ev->data, "Hello, world", 12);
			seen = 1;
		}
	}
	assert_true(seen);
	assert_int_equal(run_steps_done(e), steps);
}

static void test_stepping_one_actor_leaves_the_other(void **state)
{
	Fixture *f = *state;
	Run *e = f->engine;
	assert_int_equal(run_step(e, CLIENT, NULL), CLIENT);
	assert_int_equal(run_actor(e, SERVER)->state, ACTOR_READY);
	assert_int_equal(run_actor(e, SERVER)->pending.op, OP_SOCKET);
	/* The client's connect fails: nobody listens yet. A real ECONNREFUSED. */
	assert_int_equal(run_step(e, CLIENT, NULL), CLIENT);
	const Event *ret = last(e, EV_RETURN, CLIENT);
	assert_int_equal(ret->op, OP_CONNECT);
	assert_int_equal(ret->ret, -1);
	assert_int_equal(ret->err, ECONNREFUSED);
}

static int count_children(void)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", getpid(), getpid());
	FILE *fp = fopen(path, "r");
	int n = 0, pid;
	if (!fp)
		return -1;
	while (fscanf(fp, "%d", &pid) == 1)
		n++;
	fclose(fp);
	return n;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* Resident memory of this process in KiB, from the kernel. */
static long rss_kib(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (fp && fgets(line, sizeof line, fp))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (fp)
		fclose(fp);
	return kib;
}

/* 300 restarts in one process: no growth in descriptors, children or memory. */
static void test_restart_leaves_nothing_behind(void **state)
{
	Fixture *f = *state;
	Run *e = f->engine;
	char err[256];
	int fds = count_fds();
	long rss = 0;
	assert_int_equal(count_children(), 2);
	for (int i = 0; i < 300; i++) {
		if (i == 30)
			rss = rss_kib();  /* after the allocator has warmed up */
		run_step(e, -1, NULL);
		assert_int_equal(run_restart(e, err, sizeof err), 0);
	}
	assert_int_equal(count_fds(), fds);
#ifndef __SANITIZE_ADDRESS__
	/* AddressSanitizer holds freed memory in quarantine, so resident memory
	 * grows by design there; its leak checker covers that build instead. */
	if (rss_kib() - rss > 2048)
		fail_msg("resident memory grew from %ld to %ld KiB over 270 restarts", rss, rss_kib());
#else
	(void)rss;
#endif
	assert_int_equal(count_children(), 2);
	run_stop(e);
	assert_int_equal(count_children(), 0);
}

/* Descriptors this test process had before any engine existed (whatever
 * the shell that ran it left open): not the engine's to answer for. */
static char inherited[1024];

static void note_inherited(void)
{
	for (int fd = 0; fd < 1024; fd++)
		inherited[fd] = fcntl(fd, F_GETFD) >= 0;
}

/* Nothing of sockstep's may leak into an actor or a program it runs: every
 * descriptor the engine holds (gates, capture, socket table) is close-on-exec. */
static void test_every_descriptor_is_close_on_exec(void **state)
{
	(void)state;
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	int checked = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);
		if (de->d_name[0] == '.' || fd < 3 || fd == dirfd(d) || (fd < 1024 && inherited[fd]))
			continue;
		int flags = fcntl(fd, F_GETFD);
		if (!(flags & FD_CLOEXEC))
			fail_msg("descriptor %d is not close-on-exec", fd);
		checked++;
	}
	closedir(d);
	assert_true(checked >= 2);  /* at least the two gates */
}

static void test_killed_actor_is_reported(void **state)
{
	Fixture *f = *state;
	Run *e = f->engine;
	pid_t pid = run_actor(e, CLIENT)->pid;
	assert_int_equal(kill(pid, SIGKILL), 0);
	/* The gate reads EOF: the engine collects the child and says how it died. */
	run_drain(e, 10);
	for (int i = 0; i < 50 && run_actor(e, CLIENT)->state != ACTOR_DEAD; i++) {
		struct pollfd p[8];
		int n = run_pollfds(e, p, 8);
		if (poll(p, (nfds_t)n, 100) > 0)
			run_handle(e, p, n);
	}
	assert_int_equal(run_actor(e, CLIENT)->state, ACTOR_DEAD);
	const Event *ev = last(e, EV_EXIT, CLIENT);
	assert_non_null(ev);
	assert_true(WIFSIGNALED(ev->status));
	assert_int_equal(WTERMSIG(ev->status), SIGKILL);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
}

/* Regression: an actor whose last call returned by itself (a sleep, a
 * timeout) and which then exited was reaped (SIGCHLD) with the call's
 * result and its end still unread on its gate, and showed as "exited 0
 * before its end". The reap reads them first. */
static void test_reap_reads_what_the_actor_left(void **state)
{
	(void)state;
	static const char text[] = "title: t\n\nactor a\n  sleep 1500\n";
	char err[512];
	Lesson *l = lesson_parse("t.lesson", text, sizeof text - 1, err, sizeof err);
	assert_non_null(l);
	EngineOptions opt = { .settle_ms = 200 };
	Run *e = engine_new(l, &opt);
	assert_non_null(e);
	assert_int_equal(run_start(e, err, sizeof err), 0);
	pid_t pid = run_actor(e, 0)->pid;
	assert_int_equal(run_step(e, 0, NULL), 0);
	assert_int_equal(run_actor(e, 0)->state, ACTOR_BLOCKED);
	/* The sleep returns and the actor exits by itself; wait for that
	 * without reaping it, so its records are still on the gate. */
	siginfo_t si;
	memset(&si, 0, sizeof si);
	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
	run_reap(e);
	assert_int_equal(run_actor(e, 0)->state, ACTOR_DONE);
	assert_non_null(last(e, EV_RETURN, 0));
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	run_free(e);
	lesson_free(l);
}

int main(void)
{
	note_inherited();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accept_blocks_until_connect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scheduler_runs_to_the_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stepping_one_actor_leaves_the_other, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_leaves_nothing_behind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_actor_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_descriptor_is_close_on_exec, setup, teardown),
		cmocka_unit_test(test_reap_reads_what_the_actor_left),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
