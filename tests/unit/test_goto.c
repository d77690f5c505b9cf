/* test_goto.c - going back: engine_goto gives the screen that going
 * forward gave.
 *
 * For every lesson in lessons/, a real run is stepped to its end as
 * --plain steps it (the scheduler, and a wait where only a blocked call
 * can move), and the whole screen is rendered at every step, just before
 * the next step is taken. Then, from the end, engine_goto goes back to
 * step k -- a fresh run, the same steps again -- and the screen must read
 * the same, up to what differs between any two runs: process ids and
 * ephemeral ports. Last it goes forward again, from step 0 to the end.
 *
 * Twice over. Without the kernel's view, the screen must be exactly the
 * same: calls, results, bytes, consoles, narration, the arrows of the
 * calls. With it, the packets and the socket table come from the kernel,
 * which decides some things by its own timing, as the golden --plain
 * tests say: when a pure ACK goes, whether the socket table was read
 * before or after a FIN's ACK or a reset was taken in, and so which actor
 * a last packet is put to. So that pass leaves out the socket pane's rows
 * and "*" marks, and a lesson that differs there is run a second time:
 * going back must give the same screen, as its forward run did, in one of
 * two tries (a mistake of engine_goto's differs every time).
 *
 * Without the kernel's view every k of a lesson is checked when it has at
 * most ALL_STEPS steps, else ALL_STEPS steps spread over it, the first and
 * the last included; where going back takes long because the lesson waits
 * in real time (a sleep, a timeout), SLOW_STEPS of them; with the kernel's
 * view, KERNEL_STEPS. SOCKSTEP_GOTO_ALL=1 checks every k, both ways. Also
 * the history itself: a different step forgets the steps after it, the
 * same one keeps them, engine_restart forgets them all, and a line the
 * student typed is typed again. Fixture from the
 * repository root; lesson names as arguments check only those lessons
 * ("history": only the history's own tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/catalog.h"
#include "model/engine.h"
#include "model/lesson.h"
#include "views/frame.h"
#include "views/screen.h"

/* A frame big enough for every pane at once (screen.c: 156x36). */
enum {
	W = 160, H = 48, MAX_STEPS = 400, STUCK_MS = 10000, IDLE_MS = 20,
	ALL_STEPS = 16, SLOW_STEPS = 3, SLOW_MS = 1000, KERNEL_STEPS = 4, TRIES = 2,
};

typedef struct {
	char path[4096];
	char name[64];
	int kernel;            /* with the kernel's view */
} LessonCase;

/* A non-blocking send of 2 MB: how TCP cuts it into segments, and when it
 * ACKs them, differs from one run to the next; this lesson is compared
 * without the kernel's view only (its calls, results and bytes are). */
static const char *const cut_by_tcp[] = { "sendall" };

/* The screen as text, what differs between two runs masked: an actor's
 * pid (whether the heading still shows it depends on when the exit of an
 * actor that ran its last step is read), and a port of the kernel's
 * ephemeral range (32768-60999). Runs of blanks count as one, so the
 * heading lines up either way. */
static char *masked(char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	assert_non_null(out);
	for (const char *p = text; *p;) {
		if (strncmp(p, "  pid ", 6) == 0 && isdigit((unsigned char)p[6])) {
			for (p += 6; isdigit((unsigned char)*p); p++)
				;
			continue;
		}
		if (*p == ' ' && o > out && o[-1] == ' ') {
			p++;
			continue;
		}
		if (isdigit((unsigned char)*p) && (p == text || !isdigit((unsigned char)p[-1]))) {
			char *end;
			long v = strtol(p, &end, 10);
			if (end - p == 5 && v >= 32768 && v <= 60999) {
				memcpy(o, "#####", 5);
				o += 5;
				p = end;
				continue;
			}
		}
		*o++ = *p++;
	}
	*o = '\0';
	free(text);
	return out;
}

/* Replace every from in text (which owns it) by to, no longer than from. */
static char *replace_all(char *text, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	char *o = text;
	for (const char *p = text; *p;) {
		if (strncmp(p, from, fl) == 0) {
			memmove(o, to, tl);
			o += tl;
			p += fl;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return text;
}

/* What the kernel decides by its own timing, left out. The socket table is
 * read at moments: whether a socket's FIN had been ACKed, or a reset taken
 * in, when it was read differs from one run to the next (the golden
 * --plain tests leave socket states out for the same reason), and with it
 * whether a change came with the last step or just after it (the "*"
 * marks, which the packet pane has too). So the socket pane's rows are not
 * compared; its place on screen, and everything else, is. */
static char *kernel_timing(char *text)
{
	static const char bar[] = "\xe2\x94\x82";                          /* "│" */
	static const char sockets_rule[] = "\xe2\x94\xac\xe2\x94\x80\xe2\x94\x80 sockets";  /* "┬── sockets" */
	static const char packets_rule[] = "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 packets";  /* "├── packets" */
	char *out = malloc(strlen(text) + 1), *o = out;
	assert_non_null(out);
	int sockets = 0;
	for (char *line = text; *line;) {
		char *eol = line + strcspn(line, "\n"), *p;
		size_t keep = (size_t)(eol - line);
		if (strstr(line, packets_rule) && strstr(line, packets_rule) < eol) {
			sockets = 0;
		} else if ((p = strstr(line, sockets_rule)) && p < eol) {
			sockets = 1;
			keep = (size_t)(p - line) + strlen(sockets_rule);
		} else if (sockets && (p = strstr(line, bar)) && p < eol) {
			keep = (size_t)(p - line) + strlen(bar);
		}
		memcpy(o, line, keep);
		o += keep;
		if (*eol)
			*o++ = '\n';
		line = *eol ? eol + 1 : eol;
	}
	*o = '\0';
	free(text);
	return replace_all(out, "\xe2\x94\x82 * ", "\xe2\x94\x82 ");   /* the packets' "*" marks */
}

/* The title's "step 5/12" and its bar say how far the run has gone, which
 * going back does not change: only "step 5" is compared. */
static char *step_only(char *text)
{
	char *eol = strchr(text, '\n'), *step = NULL;
	for (char *p = strstr(text, " step "); p && p < eol; p = strstr(p + 1, " step "))
		step = p;
	char *slash = step ? strchr(step, '/') : NULL;
	if (slash && slash < eol)
		memmove(slash, eol, strlen(eol) + 1);
	return text;
}

static char *screen_text(Run *e, int kernel)
{
	ScreenState s;
	screen_state_init(&s);
	s.unicode = 1;
	s.next = run_finished(e) ? -1 : run_next(e);
	Frame *f = frame_new(W, H);
	assert_non_null(f);
	screen_render(e, &s, f);
	char *text = frame_text(f);
	frame_free(f);
	assert_non_null(text);
	text = step_only(masked(text));
	return kernel ? kernel_timing(text) : text;
}

/* Read what the actors and the kernel report for ms, as the TUI's loop
 * does while the student looks at the screen: a packet that reaches the
 * capture a moment after its call is then in before the next step. */
static long now_ms(void);

static void idle(Run *e, int ms)
{
	long end = now_ms() + ms;
	for (;;) {
		long left = end - now_ms();
		if (left <= 0)
			return;
		struct pollfd pfd[RUN_POLLFDS_MAX];
		int n = run_pollfds(e, pfd, RUN_POLLFDS_MAX);
		if (poll(pfd, (nfds_t)n, (int)left) > 0)
			run_handle(e, pfd, n);
	}
}

/* The first line where a and b differ, both printed, for the failure. */
static void show_difference(const char *name, int k, const char *a, const char *b)
{
	for (int line = 1;; line++) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		if (la != lb || strncmp(a, b, la) != 0) {
			print_error("%s, step %d, line %d:\n  forward: %.*s\n  back:    %.*s\n", name, k, line, (int)la,
				    a, (int)lb, b);
			return;
		}
		if (!a[la] || !b[lb])
			return;
		a += la + 1;
		b += lb + 1;
	}
}

/* With SOCKSTEP_GOTO_DUMP=DIR, both screens go to files there, to compare. */
static void dump(const char *name, int k, const char *forward, const char *back)
{
	const char *dir = getenv("SOCKSTEP_GOTO_DUMP");
	char path[4096];
	for (int i = 0; dir && i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s-%d.%s", dir, name, k, i ? "back" : "forward");
		FILE *f = fopen(path, "w");
		if (f) {
			fputs(i ? back : forward, f);
			fclose(f);
		}
	}
}

/* Is k one of count steps spread over 0..n (all of them when count is 0)? */
static int chosen(int k, int n, int count)
{
	const char *all = getenv("SOCKSTEP_GOTO_ALL");
	if ((all && *all == '1') || count == 0 || n < count)
		return 1;
	for (int i = 0; i < count; i++)
		if (k == (int)((long)n * i / (count - 1)))
			return 1;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

typedef struct {
	const LessonCase *c;
	Run *e;
	char *forward[MAX_STEPS + 1];
	int n;                 /* steps of the run */
	int waited;            /* it went on by itself after its last step */
	int bad, checked;
	long first_ms;         /* how long the first going back took */
} Fixture;

/* Go to step k and compare. */
static void check_at(Fixture *r, int k)
{
	char err[512];
	long t0 = now_ms();
	int rc = run_goto(r->e, k, err, sizeof err);
	if (!r->checked++)
		r->first_ms = now_ms() - t0;
	if (rc < 0) {
		print_error("%s: going to step %d: %s\n", r->c->name, k, err);
		r->bad++;
		return;
	}
	assert_int_equal(run_steps_done(r->e), k);
	/* At the furthest step the forward run went on waiting for blocked
	 * calls to return by themselves (a sleep ending); so does this one. */
	while (k == run_steps_reached(r->e) && run_wait(r->e, STUCK_MS))
		;
	if (r->c->kernel)
		idle(r->e, IDLE_MS);
	char *back = screen_text(r->e, r->c->kernel);
	if (strcmp(back, r->forward[k]) != 0 || getenv("SOCKSTEP_GOTO_SHOW")) {
		show_difference(r->c->name, k, r->forward[k], back);
		dump(r->c->name, k, r->forward[k], back);
		r->bad++;
	}
	free(back);
}

/* Step the lesson to its end, the screen of every step kept. */
static void forward(Fixture *r)
{
	for (;;) {
		if (r->c->kernel)
			idle(r->e, IDLE_MS);
		free(r->forward[r->n]);
		r->forward[r->n] = screen_text(r->e, r->c->kernel);
		if (run_step(r->e, -1, NULL) >= 0) {
			assert_true(++r->n <= MAX_STEPS);
			r->waited = 0;
			continue;
		}
		if (!run_wait(r->e, STUCK_MS))
			break;
		r->waited = 1;
	}
	assert_int_equal(run_steps_reached(r->e), r->n);
}

/* One try at a lesson: forward, then back to the chosen steps, then
 * forward again. Returns how many screens differed. */
static int try_lesson(const LessonCase *c)
{
	char err[512];
	Lesson *l = lesson_load(c->path, err, sizeof err);
	assert_non_null(l);
	EngineOptions eo = { .settle_ms = 50, .no_kernel = !c->kernel };
	Fixture *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->c = c;
	r->e = engine_new(l, &eo);
	assert_non_null(r->e);
	assert_int_equal(run_start(r->e, err, sizeof err), 0);
	forward(r);
	int count = c->kernel ? KERNEL_STEPS : ALL_STEPS;
	for (int k = r->n - 1; k >= 0; k--) {
		if (!chosen(k, r->n, count))
			continue;
		check_at(r, k);
		/* A lesson that waits in real time takes that time at every
		 * going back: fewer steps of it, spread the same way. */
		if (r->checked == 1 && r->first_ms > SLOW_MS && count > SLOW_STEPS)
			count = SLOW_STEPS;
		assert_int_equal(run_steps_reached(r->e), r->n);
	}
	/* And forward again, over every step, to the end. Where the run went
	 * on by itself after its last step (a sleep ending), it did so in real
	 * time, which a quick run again does not keep: it must reach the end,
	 * the moments of what came after may differ. */
	if (!r->waited) {
		check_at(r, r->n);
	} else {
		assert_int_equal(run_goto(r->e, r->n, err, sizeof err), 0);
		while (run_wait(r->e, STUCK_MS))
			;
		assert_true(run_finished(r->e));
	}
	print_message("%s%s: %d steps, went to %d of them (the first took %ld ms): %d differ\n", c->name,
		      c->kernel ? " (kernel view)" : "", r->n, r->checked, r->first_ms, r->bad);
	int bad = r->bad;
	for (int k = 0; k <= r->n; k++)
		free(r->forward[k]);
	run_free(r->e);
	free(r);
	lesson_free(l);
	return bad;
}

static void test_lesson(void **state)
{
	const LessonCase *c = *state;
	int bad = try_lesson(c);
	/* The kernel's timing, and with the kernel view off a slow machine (a
	 * sanitizer build under load), can make one try differ: once more. A
	 * real difference differs every time. */
	for (int t = 1; bad && t < TRIES; t++) {
		print_message("%s: the timing differed; once more\n", c->name);
		bad = try_lesson(c);
	}
	assert_int_equal(bad, 0);
}

/* The history: the same step keeps what lies ahead, another forgets it. */
static void test_history(void **state)
{
	(void)state;
	char err[512];
	Lesson *l = lesson_load("lessons/01-echo.lesson", err, sizeof err);
	assert_non_null(l);
	EngineOptions eo = { .settle_ms = 50 };
	Run *e = engine_new(l, &eo);
	assert_non_null(e);
	assert_int_equal(run_start(e, err, sizeof err), 0);
	for (int i = 0; i < 6; i++)
		assert_true(run_step(e, -1, NULL) >= 0);
	assert_int_equal(run_steps_reached(e), 6);
	assert_int_equal(run_goto(e, 7, err, sizeof err), -1);
	assert_non_null(strstr(err, "as far as step 6"));
	assert_int_equal(run_goto(e, 2, err, sizeof err), 0);
	assert_int_equal(run_steps_done(e), 2);
	assert_int_equal(run_steps_reached(e), 6);
	/* The server's listen again, as before: the steps ahead stay. */
	assert_int_equal(run_step(e, 0, NULL), 0);
	assert_int_equal(run_steps_reached(e), 6);
	assert_int_equal(run_goto(e, 6, err, sizeof err), 0);
	assert_int_equal(run_steps_done(e), 6);
	/* Back to 3, then the server's accept by hand where the scheduler
	 * ran the client's socket: a different run from here on. */
	assert_int_equal(run_goto(e, 3, err, sizeof err), 0);
	assert_int_equal(run_step(e, 0, NULL), 0);
	assert_int_equal(run_actor(e, 0)->state, ACTOR_BLOCKED);
	assert_int_equal(run_steps_reached(e), 4);
	assert_int_equal(run_goto(e, 2, err, sizeof err), 0);
	assert_int_equal(run_goto(e, 4, err, sizeof err), 0);
	assert_int_equal(run_actor(e, 0)->state, ACTOR_BLOCKED);
	assert_int_equal(run_restart(e, err, sizeof err), 0);
	assert_int_equal(run_steps_reached(e), 0);
	run_free(e);
	lesson_free(l);
}

/* The text of the last EV_INPUT, or NULL. */
static const char *last_input(Run *e)
{
	const Timeline *t = run_timeline(e);
	for (size_t k = timeline_count(t); k-- > 0;)
		if (timeline_get(t, k)->kind == EV_INPUT)
			return timeline_get(t, k)->text;
	return NULL;
}

/* A line the student typed is given again, and an example stays an
 * example: the next one is the same as it was the first time. */
static void test_typed_lines(void **state)
{
	(void)state;
	char err[512];
	Lesson *l = lesson_load("lessons/03-chat.lesson", err, sizeof err);
	assert_non_null(l);
	EngineOptions eo = { .settle_ms = 50, .no_kernel = 1 };
	Run *e = engine_new(l, &eo);
	assert_non_null(e);
	assert_int_equal(run_start(e, err, sizeof err), 0);
	int typed = -1, example = -1;
	for (int i = 0; i < 40 && example < 0; i++) {
		int a = run_next(e);
		assert_true(a >= 0);
		int input = run_actor(e, a)->state == ACTOR_INPUT;
		assert_int_equal(run_step(e, a, input && typed < 0 ? "typed by hand" : NULL), a);
		if (input && typed < 0)
			typed = run_steps_done(e);
		else if (input)
			example = run_steps_done(e);
	}
	assert_true(typed > 0 && example > typed);
	assert_string_equal(last_input(e), "hello");   /* the first example: the line before was typed */
	assert_int_equal(run_goto(e, typed, err, sizeof err), 0);
	assert_string_equal(last_input(e), "typed by hand");
	assert_int_equal(run_goto(e, example, err, sizeof err), 0);
	assert_string_equal(last_input(e), "hello");
	/* A different line from there forgets the steps after it. */
	assert_int_equal(run_goto(e, typed - 1, err, sizeof err), 0);
	int a = run_next(e);
	assert_int_equal(run_actor(e, a)->state, ACTOR_INPUT);
	assert_int_equal(run_step(e, a, "another line"), a);
	assert_int_equal(run_steps_reached(e), typed);
	run_free(e);
	lesson_free(l);
}

/* Is lesson name one of those named on the command line (none: all)? */
static int wanted(const char *name, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return argc < 2;
}

int main(int argc, char **argv)
{
	CatalogEntry *list = NULL;
	setenv("SOCKSTEP_LESSONS", "lessons", 0);
	int n = catalog_list(&list);
	if (n <= 0) {
		fprintf(stderr, "test_goto: no lessons (run from the repository root)\n");
		return 1;
	}
	LessonCase *cases = calloc(2 * (size_t)n, sizeof *cases);
	struct CMUnitTest *tests = calloc(2 * (size_t)n + 2, sizeof *tests);
	char(*names)[128] = calloc(2 * (size_t)n, sizeof *names);
	if (!cases || !tests || !names)
		return 1;
	size_t ntests = 0, ncases = 0;
	if (wanted("history", argc, argv)) {
		tests[ntests++] = (struct CMUnitTest)cmocka_unit_test(test_history);
		tests[ntests++] = (struct CMUnitTest)cmocka_unit_test(test_typed_lines);
	}
	for (int kernel = 0; kernel < 2; kernel++) {
		for (int i = 0; i < n; i++) {
			int cut = 0;
			for (size_t k = 0; k < sizeof cut_by_tcp / sizeof cut_by_tcp[0]; k++)
				cut |= strcmp(list[i].name, cut_by_tcp[k]) == 0;
			if (!wanted(list[i].name, argc, argv) || (kernel && cut))
				continue;
			LessonCase *c = &cases[ncases];
			snprintf(c->path, sizeof c->path, "%s", list[i].path);
			snprintf(c->name, sizeof c->name, "%s", list[i].name);
			c->kernel = kernel;
			snprintf(names[ncases], sizeof names[ncases], kernel ? "back to steps of %s, the kernel's view"
					     : "back to every step of %s", list[i].name);
			tests[ntests++] = (struct CMUnitTest){ names[ncases], test_lesson, NULL, NULL, c };
			ncases++;
		}
	}
	int failed = _cmocka_run_group_tests("going back to a step", tests, ntests, NULL, NULL);
	free(list);
	free(cases);
	free(tests);
	free(names);
	return failed ? 1 : 0;
}
