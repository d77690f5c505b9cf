/* cast.c - the screen as an asciicast v2 file (see cast.h).
 *
 * Each frame is compared with the last one cell by cell, as curses does
 * for the terminal; only the changed cells are written, each run of them
 * after one cursor move, and the colours only change where a cell's role
 * does. So a step costs the cast about what it costs the terminal. The
 * sequences are plain ANSI (ECMA-48 CUP, ED, SGR and DECTCEM), which every
 * player's terminal emulator knows. A frame's text goes out as one event
 * line, whole, so a cast cut short by a crash still plays. */
#include "ui/cast.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/jsonl.h"

struct cast {
	FILE *f;
	char *path;
	int w, h;
	FrameCell *prev;       /* the frame the player's screen shows */
	int full;              /* paint every cell with the next frame */
	char sgr[ROLE_COUNT_][48];
	double t0;
	JsonlOut text;          /* the escape sequences of the frame being cast */
	JsonlOut line;          /* the event line */
	int failed;             /* the errno that stopped the cast, or 0 */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Cast *cast_open(const char *path, char *err, size_t errlen)
{
	Cast *c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		free(c);
		return NULL;
	}
	c->f = fopen(path, "we");
	if (!c->f) {
		snprintf(err, errlen, "cannot write the cast %s: %s", path, strerror(errno));
		free(c->path);
		free(c);
		return NULL;
	}
	c->full = 1;
	return c;
}

/* A theme colour as SGR parameters: 30-37 and 90-97 for the foreground,
 * 40-47 and 100-107 for the background; the default needs none (after 0). */
static int colour(char *buf, size_t cap, int c, int base)
{
	if (c < 0)
		return 0;
	return snprintf(buf, cap, ";%d", c < 8 ? base + c : base + 60 + (c - 8));
}

/* The SGR sequence of each role, made once: the same choices curses.c
 * makes (a role with its own background is not also reversed). */
static void make_styles(Cast *c, const Theme *theme, int no_color)
{
	for (int r = 0; r < ROLE_COUNT_; r++) {
		const ThemeStyle *st = &theme->role[r];
		char *s = c->sgr[r];
		size_t cap = sizeof c->sgr[r];
		int n = snprintf(s, cap, "\x1b[0");
		if (st->attrs & THEME_BOLD)
			n += snprintf(s + n, cap - (size_t)n, ";1");
		if (st->attrs & THEME_DIM)
			n += snprintf(s + n, cap - (size_t)n, ";2");
		if (st->attrs & THEME_UNDERLINE)
			n += snprintf(s + n, cap - (size_t)n, ";4");
		if ((st->attrs & THEME_REVERSE) && (no_color || st->bg < 0))
			n += snprintf(s + n, cap - (size_t)n, ";7");
		if (!no_color) {
			n += colour(s + n, cap - (size_t)n, st->fg, 30);
			n += colour(s + n, cap - (size_t)n, st->bg, 40);
		}
		snprintf(s + n, cap - (size_t)n, "m");
	}
}

static void put_line(Cast *c)
{
	if (c->failed)
		return;
	if (c->line.failed)
		c->failed = ENOMEM;
	else if (fwrite(c->line.buf, 1, c->line.len, c->f) != c->line.len || fputc('\n', c->f) == EOF ||
		 fflush(c->f) == EOF)
		c->failed = errno ? errno : EIO;
}

void cast_begin(Cast *c, int w, int h, const Theme *theme, int no_color)
{
	const char *term = getenv("TERM");
	c->w = w;
	c->h = h;
	c->t0 = now_s();
	make_styles(c, theme, no_color);
	jsonl_out_reset(&c->line);
	jsonl_begin_object(&c->line);
	jsonl_key(&c->line, "version");
	jsonl_int(&c->line, 2);
	jsonl_key(&c->line, "width");
	jsonl_int(&c->line, w);
	jsonl_key(&c->line, "height");
	jsonl_int(&c->line, h);
	jsonl_key(&c->line, "timestamp");
	jsonl_int(&c->line, (int64_t)time(NULL));
	jsonl_key(&c->line, "title");
	jsonl_cstring(&c->line, "sockstep");
	jsonl_key(&c->line, "env");
	jsonl_begin_object(&c->line);
	jsonl_key(&c->line, "TERM");
	jsonl_cstring(&c->line, term && jsonl_utf8(term, strlen(term)) ? term : "xterm-256color");
	jsonl_end_object(&c->line);
	jsonl_end_object(&c->line);
	put_line(c);
}

void cast_repaint(Cast *c)
{
	c->full = 1;
}

/* One event line: [seconds, kind, data]; data is the frame's text. */
static void put_event(Cast *c, const char *kind, const char *data, size_t len)
{
	jsonl_out_reset(&c->line);
	jsonl_begin_array(&c->line);
	jsonl_fixed(&c->line, now_s() - c->t0, 6);
	jsonl_cstring(&c->line, kind);
	jsonl_string(&c->line, data, len);
	jsonl_end_array(&c->line);
	put_line(c);
}

static void out(Cast *c, const char *s)
{
	jsonl_raw(&c->text, s, strlen(s));
}

/* The screen has a new size: the player's terminal follows (an "r"
 * event), and everything is painted on a cleared screen. */
static int resized(Cast *c, const Frame *f)
{
	char size[32];
	FrameCell *cells = calloc((size_t)f->w * (size_t)f->h, sizeof *cells);
	if (!cells)
		return -1;
	free(c->prev);
	c->prev = cells;
	if (c->w != f->w || c->h != f->h) {
		snprintf(size, sizeof size, "%dx%d", f->w, f->h);
		put_event(c, "r", size, strlen(size));
	}
	c->w = f->w;
	c->h = f->h;
	c->full = 1;
	return 0;
}

static int same(const FrameCell *a, const FrameCell *b)
{
	return a->role == b->role && strcmp(a->ch, b->ch) == 0;
}

void cast_frame(Cast *c, const Frame *f)
{
	char move[32];
	if (c->failed || f->w <= 0 || f->h <= 0)
		return;
	if ((!c->prev || c->w != f->w || c->h != f->h) && resized(c, f) < 0) {
		c->failed = ENOMEM;
		return;
	}
	jsonl_out_reset(&c->text);
	if (c->full)
		out(c, "\x1b[0m\x1b[H\x1b[2J");
	int role = -1, cx = -1, cy = -1;
	for (int y = 0; y < f->h; y++) {
		for (int x = 0; x < f->w; x++) {
			const FrameCell *cell = &f->cells[y * f->w + x];
			FrameCell *old = &c->prev[y * f->w + x];
			if (!c->full && same(cell, old))
				continue;
			if (cx != x || cy != y) {
				snprintf(move, sizeof move, "\x1b[%d;%dH", y + 1, x + 1);
				out(c, move);
			}
			int r = cell->role < ROLE_COUNT_ ? cell->role : ROLE_NORMAL;
			if (r != role)
				out(c, c->sgr[r]);
			role = r;
			out(c, cell->ch[0] ? cell->ch : " ");
			*old = *cell;
			cx = x + 1;
			cy = y;
		}
	}
	if (role >= 0)
		out(c, "\x1b[0m");
	if (f->cursor_x >= 0 && f->cursor_y >= 0) {
		snprintf(move, sizeof move, "\x1b[%d;%dH\x1b[?25h", f->cursor_y + 1, f->cursor_x + 1);
		out(c, move);
	} else {
		out(c, "\x1b[?25l");
	}
	c->full = 0;
	if (c->text.failed) {
		c->failed = ENOMEM;
		return;
	}
	put_event(c, "o", c->text.buf, c->text.len);
}

int cast_close(Cast *c)
{
	if (!c)
		return 0;
	static const char tail[] = "\x1b[0m\x1b[?25h";
	if (c->prev)
		put_event(c, "o", tail, sizeof tail - 1);
	int failed = c->failed;
	if (fclose(c->f) == EOF && !failed)
		failed = errno ? errno : EIO;
	jsonl_out_free(&c->text);
	jsonl_out_free(&c->line);
	free(c->prev);
	free(c->path);
	free(c);
	errno = failed;
	return failed ? -1 : 0;
}

/* ---- the tee backend ---------------------------------------------------- */

static const Ui *inner;
static Cast *tee;
static char tee_error[400];  /* cast_tee_error */

static int tee_start(const UiOptions *opt, char *err, size_t errlen)
{
	int w, h;
	if (inner->start(opt, err, errlen) < 0)
		return -1;
	inner->size(&w, &h);
	cast_begin(tee, w, h, opt->theme, opt->no_color);
	return 0;
}

static void tee_size(int *w, int *h)
{
	inner->size(w, h);
}

static void tee_resize(void)
{
	inner->resize();
}

static void tee_draw(const Frame *f)
{
	inner->draw(f);
	if (tee)
		cast_frame(tee, f);
}

static void tee_redraw(void)
{
	inner->redraw();
	if (tee)
		cast_repaint(tee);
}

static int tee_key(void)
{
	return inner->key();
}

static int tee_fd(void)
{
	return inner->fd();
}

static void tee_end(void)
{
	inner->end();
	char path[300];
	snprintf(path, sizeof path, "%s", tee ? tee->path : "");
	if (cast_close(tee) < 0)
		snprintf(tee_error, sizeof tee_error, "cannot write the cast %s: %s", path, strerror(errno));
	tee = NULL;
}

static void tee_panic(void)
{
	/* The file has every frame already, line by line. */
	inner->panic();
}

static const Ui ui_cast = {
	.name = "cast",
	.start = tee_start,
	.size = tee_size,
	.resize = tee_resize,
	.draw = tee_draw,
	.redraw = tee_redraw,
	.key = tee_key,
	.fd = tee_fd,
	.end = tee_end,
	.panic = tee_panic,
};

const Ui *cast_tee(const Ui *backend, const char *path, char *err, size_t errlen)
{
	if (tee) {
		snprintf(err, errlen, "one cast at a time");
		return NULL;
	}
	if (!(tee = cast_open(path, err, errlen)))
		return NULL;
	inner = backend;
	return &ui_cast;
}

const char *cast_tee_error(void)
{
	return tee_error[0] ? tee_error : NULL;
}
