/* picker.c - the lesson menu (see picker.h).
 *
 * View layer. One line per lesson: number, title, the finished mark with
 * the score, the start of its summary; under the list, the picked lesson's
 * whole summary, where a student reads what it is about before opening it.
 * The list scrolls to keep the picked line in sight. */
#include "views/picker.h"

#include <stdio.h>
#include <string.h>

#include "views/glyphs.h"
#include "views/keys.h"
#include "views/screen.h"

/* A summary squeezed into fewer columns than ABOUT_MIN is left to the box
 * under the list. */
enum { MARK_W = 8, ABOUT_ROWS = 3, ABOUT_MIN = 16 };

void picker_mark(const PickerState *p, int i, char *buf, size_t cap)
{
	const ProgressEntry *pe = p->progress && i >= 0 && i < p->n ? progress_find(p->progress, p->lessons[i].name)
								      : NULL;
	const char *tick = glyphs_get(p->unicode)->mark_ok;
	if (!pe)
		snprintf(buf, cap, "%s", "");
	else if (pe->asked > 0)
		snprintf(buf, cap, "%s%d/%d", tick, pe->score, pe->asked);
	else
		snprintf(buf, cap, "%sdone", tick);
}

/* Rows of the list: all but the title, the summary box, status and keys. */
static int list_rows(int h)
{
	int rows = h - 1 - 1 - (1 + ABOUT_ROWS) - 2;
	return rows > 1 ? rows : 1;
}

int picker_page(int w, int h)
{
	(void)w;
	return list_rows(h);
}

static int finished_count(const PickerState *p)
{
	int n = 0;
	for (int i = 0; i < p->n; i++)
		n += p->progress && progress_find(p->progress, p->lessons[i].name) != NULL;
	return n;
}

static void title_bar(const PickerState *p, Frame *f)
{
	const Glyphs *g = glyphs_get(p->unicode);
	char left[128], right[64];
	frame_fill(f, 0, 0, f->w, " ", ROLE_TITLE);
	snprintf(left, sizeof left, " sockstep %s lessons", g->dot);
	snprintf(right, sizeof right, "%d of %d finished ", finished_count(p), p->n);
	int rw = frame_width(right);
	frame_put(f, 0, 0, left, ROLE_TITLE, f->w - rw - 1);
	if (p->n)
		frame_put(f, f->w - rw, 0, right, ROLE_TITLE, rw);
}

/* Columns for the titles: the longest one, as far as the line allows. */
static int title_width(const PickerState *p, int w)
{
	int tw = 0, room = w - 8 - 1 - MARK_W - 1;
	for (int i = 0; i < p->n; i++)
		if (frame_width(p->lessons[i].title) > tw)
			tw = frame_width(p->lessons[i].title);
	return tw < room ? tw : room;
}

static void lesson_line(const PickerState *p, Frame *f, int i, int y, int tw)
{
	const Glyphs *g = glyphs_get(p->unicode);
	const CatalogEntry *c = &p->lessons[i];
	int sel = i == p->selected;
	char num[16], mark[32];
	Role base = sel ? ROLE_SELECTED : ROLE_NORMAL;
	if (sel)
		frame_fill(f, 0, y, f->w, " ", base);
	frame_put(f, 1, y, sel ? g->mark_next : "", base, 3);
	if (c->number >= 0)
		snprintf(num, sizeof num, "%02d", c->number);
	else
		snprintf(num, sizeof num, "--");
	frame_put(f, 4, y, num, base, 3);
	frame_put_fit(f, 8, y, c->title, base, tw, g->ell);
	picker_mark(p, i, mark, sizeof mark);
	int mx = 8 + tw + 1;
	frame_put(f, mx, y, mark, sel ? base : ROLE_OK, MARK_W);
	int ax = mx + MARK_W + 1;
	if (ax + ABOUT_MIN < f->w)
		frame_put_fit(f, ax, y, c->about, sel ? base : ROLE_DIM, f->w - 1 - ax, g->ell);
}

/* The picked lesson, in full: "03 chat", its finished mark, its summary. */
static void about_box(const PickerState *p, Frame *f, int y)
{
	const Glyphs *g = glyphs_get(p->unicode);
	const CatalogEntry *c = &p->lessons[p->selected];
	char head[256], mark[32], text[512];
	frame_fill(f, 0, y, f->w, g->hline, ROLE_BORDER);
	picker_mark(p, p->selected, mark, sizeof mark);
	snprintf(head, sizeof head, " %s%s%s ", c->name, *mark ? "  finished " : "", mark);
	frame_put(f, 2, y, head, ROLE_BORDER, f->w - 4);
	snprintf(text, sizeof text, "%s%s%s", c->title, *c->about ? ": " : "", c->about);
	frame_wrap(f, 1, y + 1, f->w - 2, ABOUT_ROWS, text, ROLE_NARRATION);
}

static void key_bar(Frame *f, int y)
{
	KeysHint h[8];
	keys_bar_draw(f, y, h, keys_bar(KEYS_BAR_MENU, h, 8));
}

static void no_lessons(Frame *f)
{
	frame_wrap(f, 2, 3, f->w - 4, f->h - 6,
		   "No lessons found. sockstep looks in $SOCKSTEP_LESSONS, in lessons/ next to the program, "
		   "and in the installed lesson directory. Start it with a lesson file instead: sockstep FILE.",
		   ROLE_NOTICE);
}

/* The invitation under the list, in the words that fit whole. */
static const char *pick_line(int w)
{
	static const char *const lines[] = {
		"Pick a lesson: each one runs a real server and client, one call per key.",
		"Pick a lesson: a real server and client, one call per key.",
		"Pick a lesson.",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (frame_width(lines[i]) <= w)
			return lines[i];
	return "";
}

void picker_render(const PickerState *p, Frame *f)
{
	frame_clear(f);
	if (f->w < SCREEN_MIN_W || f->h < SCREEN_MIN_H) {
		char text[128];
		snprintf(text, sizeof text, "terminal too small: %dx%d; sockstep needs %dx%d", f->w, f->h,
			 SCREEN_MIN_W, SCREEN_MIN_H);
		frame_wrap(f, 0, f->h / 2, f->w, f->h, text, ROLE_NOTICE);
		return;
	}
	title_bar(p, f);
	int rows = list_rows(f->h), y0 = 2;
	if (p->n <= 0) {
		no_lessons(f);
	} else {
		/* Keep the picked line in sight, a line of context below it when there is one. */
		int top = p->selected - rows + 2;
		if (top > p->n - rows)
			top = p->n - rows;
		if (top < 0)
			top = 0;
		int tw = title_width(p, f->w);
		for (int i = top; i < p->n && i < top + rows; i++)
			lesson_line(p, f, i, y0 + i - top, tw);
		/* The summary right under a short list, not across the empty rows. */
		about_box(p, f, y0 + (p->n < rows ? p->n + 1 : rows));
	}
	int sy = f->h - 2;
	if (p->status)
		frame_put_fit(f, 1, sy, p->status, p->status_error ? ROLE_ERROR : ROLE_NOTICE, f->w - 2,
			      glyphs_get(p->unicode)->ell);
	else if (p->n > 0)
		frame_put(f, 1, sy, pick_line(f->w - 2), ROLE_DIM, f->w - 2);
	key_bar(f, f->h - 1);
}
