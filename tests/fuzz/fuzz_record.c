/* fuzz_record.c - libFuzzer target: a recording read back, and shown.
 * The reader must never crash, hang or leak, and must place every refusal
 * (file:line); and whatever it accepts, every view must be able to draw,
 * at every moment, forward and back: the reader's checks are what stand
 * between a crafted file and the views' indexes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model/engine.h"
#include "model/playback.h"
#include "model/replay.h"
#include "views/codegen.h"
#include "views/frame.h"
#include "views/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MOMENTS_SHOWN = 40 };

static void draw(Run *e, int w, int h, int code)
{
	ScreenState s;
	Code *prog[LESSON_MAX_ACTORS] = { 0 };
	const Lesson *l = run_lesson(e);
	screen_state_init(&s);
	s.unicode = code;
	s.next = run_finished(e) ? -1 : run_next(e);
	s.code.on = code;
	for (int i = 0; code && i < l->nactors; i++)
		s.code.prog[i] = prog[i] = codegen_make(l, i, CODE_C);
	Frame *f = frame_new(w, h);
	if (f)
		screen_render(e, &s, f);
	s.pane = SCREEN_PANE_SOCKETS;
	if (f)
		screen_render(e, &s, f);
	s.pane = SCREEN_PANE_PACKETS;
	if (f)
		screen_render(e, &s, f);
	frame_free(f);
	for (int i = 0; i < LESSON_MAX_ACTORS; i++)
		codegen_free(prog[i]);
}

/* The engine reads a file: the bytes go to one in memory. */
static Run *open_bytes(const uint8_t *data, size_t size, char *err, size_t errlen)
{
	char path[64];
	int fd = memfd_create("fuzz-record", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	Run *e = playback_open(path, err, errlen);
	close(fd);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024] = "";
	/* The reader from memory, and as the engine opens a file. */
	Replay *r = replay_parse("fuzz.jsonl", (const char *)data, size, err, sizeof err);
	if (!r && strncmp(err, "fuzz.jsonl:", 11) != 0)
		abort();  /* a refusal without a place is a bug */
	replay_free(r);
	Run *e = open_bytes(data, size, err, sizeof err);
	if (!e)
		return 0;
	for (int m = 0; m < MOMENTS_SHOWN; m++) {
		draw(e, 80, 24, 0);
		draw(e, 160, 48, m == 0);
		if (run_step(e, -1, NULL) < 0)
			break;
	}
	char gerr[256];
	if (run_goto(e, run_steps_done(e) / 2, gerr, sizeof gerr) == 0)
		draw(e, 80, 24, 0);
	run_goto(e, 0, gerr, sizeof gerr);
	draw(e, 80, 24, 0);
	run_free(e);
	return 0;
}
