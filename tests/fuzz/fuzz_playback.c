/* fuzz_playback.c - libFuzzer target: a recording replayed in every mode
 * a student can replay it in. Whatever the reader accepts must print
 * with replay --plain, --narrate and --step (plain.c, as main runs it,
 * the student pressing Enter and then the input ending), and draw as the
 * screen's frames at a few sizes, every pane, going forward step by step,
 * back to the middle and to the start (run_goto), with no terminal. A
 * crash, a leak or undefined behaviour (the fuzz build has ASan and
 * UBSan) is a bug of the reader's checks or of a view that trusts them.
 * fuzz_record.c holds the reader's refusals to their place. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model/playback.h"
#include "ui/plain.h"
#include "views/frame.h"
#include "views/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MOMENTS_SHOWN = 24, ENTERS = 16 };

/* The transcript and the prompts go nowhere: only not crashing counts. */
static FILE *sink(void)
{
	static FILE *f;
	if (!f && !(f = fopen("/dev/null", "we")))
		abort();
	return f;
}

/* The bytes as a file, opened as replay opens one. */
static Run *open_bytes(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	int fd = memfd_create("fuzz-playback", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	Run *e = playback_open(path, err, sizeof err);
	close(fd);
	return e;
}

/* --step's student: Enter a few times, then the input ends. */
static int enters(void)
{
	int p[2];
	char nl[ENTERS];
	if (pipe(p) < 0)
		abort();
	memset(nl, '\n', sizeof nl);
	if (write(p[1], nl, sizeof nl) != (ssize_t)sizeof nl)
		abort();
	close(p[1]);
	return p[0];
}

static void plain_modes(const uint8_t *data, size_t size)
{
	for (int mode = 0; mode < 3; mode++) {
		Run *e = open_bytes(data, size);
		if (!e)
			return;  /* refused: fuzz_record checks how */
		PlainOptions o = { .narrate = mode == 1, .step = mode == 2, .in = -1, .prompt = sink() };
		if (o.step)
			o.in = enters();
		plain_run_with(e, &o, sink());
		if (o.in >= 0)
			close(o.in);
		run_free(e);
	}
}

static void draw(Run *e, int w, int h, int unicode)
{
	static const ScreenPane panes[] = { SCREEN_PANE_BYTES, SCREEN_PANE_SOCKETS, SCREEN_PANE_PACKETS };
	ScreenState s;
	screen_state_init(&s);
	s.unicode = unicode;
	s.next = run_finished(e) ? -1 : run_next(e);
	s.score = 1;
	s.asked = 2;
	Frame *f = frame_new(w, h);
	if (!f)
		abort();
	for (size_t i = 0; i < sizeof panes / sizeof panes[0]; i++) {
		s.pane = panes[i];
		screen_render(e, &s, f);
	}
	frame_free(f);
}

static void draw_sizes(Run *e, int m)
{
	draw(e, 80, 24, m & 1);
	draw(e, 200, 60, !(m & 1));
	draw(e, 20, 10, 0);  /* too small: the notice */
}

static void tui_frames(const uint8_t *data, size_t size)
{
	char err[256];
	Run *e = open_bytes(data, size);
	if (!e)
		return;
	if (run_start(e, err, sizeof err) < 0) {
		run_free(e);
		return;
	}
	for (int m = 0; m < MOMENTS_SHOWN; m++) {
		draw_sizes(e, m);
		if (run_step(e, -1, NULL) < 0)
			break;
	}
	int reached = run_steps_reached(e);
	if (run_goto(e, reached / 2, err, sizeof err) == 0)
		draw_sizes(e, 0);
	if (run_goto(e, 0, err, sizeof err) == 0)
		draw_sizes(e, 1);
	if (run_goto(e, reached, err, sizeof err) == 0)
		draw_sizes(e, 0);
	run_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	plain_modes(data, size);
	tui_frames(data, size);
	return 0;
}
