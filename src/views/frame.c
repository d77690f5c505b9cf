/* frame.c - the cell grid the views draw into (see frame.h).
 *
 * View layer. Everything here is plain memory: no terminal, so a frame can
 * be rendered and inspected by tests exactly as a student would see it. */
#include "views/frame.h"

#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"

static const char *const role_names[ROLE_COUNT_] = {
	[ROLE_NORMAL] = "normal", [ROLE_TITLE] = "title", [ROLE_BORDER] = "border",
	[ROLE_ACTOR0] = "actor0", [ROLE_ACTOR1] = "actor1", [ROLE_ACTOR2] = "actor2",
	[ROLE_ACTOR3] = "actor3", [ROLE_ACTOR4] = "actor4", [ROLE_ACTOR5] = "actor5",
	[ROLE_ACTOR6] = "actor6", [ROLE_ACTOR7] = "actor7", [ROLE_CURRENT] = "current",
	[ROLE_BLOCKED] = "blocked", [ROLE_PENDING] = "pending", [ROLE_ERROR] = "error",
	[ROLE_OK] = "ok", [ROLE_DIM] = "dim", [ROLE_ARROW] = "arrow", [ROLE_HEX] = "hex",
	[ROLE_ASCII] = "ascii", [ROLE_KEY] = "key", [ROLE_NOTICE] = "notice",
	[ROLE_NARRATION] = "narration", [ROLE_SELECTED] = "selected",
	[ROLE_CONSOLE] = "console", [ROLE_INPUT] = "input",
};

const char *frame_role_name(Role role)
{
	return role >= 0 && role < ROLE_COUNT_ ? role_names[role] : "?";
}

int frame_role_find(const char *name)
{
	for (int i = 0; i < ROLE_COUNT_; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

Frame *frame_new(int w, int h)
{
	Frame *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	if (frame_resize(f, w, h) < 0) {
		free(f);
		return NULL;
	}
	return f;
}

void frame_free(Frame *f)
{
	if (!f)
		return;
	free(f->cells);
	free(f);
}

int frame_resize(Frame *f, int w, int h)
{
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	/* One spare cell so that a 0x0 frame still owns a valid pointer. */
	FrameCell *c = calloc((size_t)w * (size_t)h + 1, sizeof *c);
	if (!c)
		return -1;
	free(f->cells);
	f->cells = c;
	f->w = w;
	f->h = h;
	frame_clear(f);
	return 0;
}

void frame_clear(Frame *f)
{
	for (int i = 0; i < f->w * f->h; i++) {
		f->cells[i].ch[0] = ' ';
		f->cells[i].ch[1] = '\0';
		f->cells[i].role = ROLE_NORMAL;
	}
	f->cursor_x = -1;
	f->cursor_y = -1;
}

static FrameCell *cell_at(Frame *f, int x, int y)
{
	if (x < 0 || y < 0 || x >= f->w || y >= f->h)
		return NULL;
	return &f->cells[y * f->w + x];
}

/* Copy one character from *s into c (if c is not NULL) and advance *s. */
static void take_char(const char **s, FrameCell *c, Role role)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n = utf8_char_len(*s);
	if (c) {
		if (n) {
			memcpy(c->ch, p, n);
			c->ch[n] = '\0';
		} else {
			strcpy(c->ch, p[0] == '\t' ? " " : "?");
		}
		c->role = (uint8_t)role;
	}
	/* An invalid sequence counts as one byte: the next one may start a good character. */
	*s += n ? n : 1;
}

int frame_put(Frame *f, int x, int y, const char *text, Role role, int maxw)
{
	int col = 0;
	if (!text || y < 0 || y >= f->h)
		return 0;
	if (maxw < 0 || maxw > f->w - x)
		maxw = f->w - x;
	while (*text && col < maxw) {
		take_char(&text, cell_at(f, x + col, y), role);
		col++;
	}
	return col;
}

int frame_width(const char *text)
{
	int n = 0;
	while (text && *text) {
		take_char(&text, NULL, ROLE_NORMAL);
		n++;
	}
	return n;
}

int frame_put_fit(Frame *f, int x, int y, const char *text, Role role, int maxw, const char *ell)
{
	if (maxw <= 0)
		return 0;
	if (frame_width(text) <= maxw)
		return frame_put(f, x, y, text, role, maxw);
	int n = frame_put(f, x, y, text, role, maxw - 1);
	return n + frame_put(f, x + n, y, ell, role, 1);
}

void frame_fill(Frame *f, int x, int y, int w, const char *ch, Role role)
{
	for (int i = 0; i < w; i++)
		frame_put(f, x + i, y, ch, role, 1);
}

void frame_paint(Frame *f, int x, int y, int w, Role role)
{
	for (int i = 0; i < w; i++) {
		FrameCell *c = cell_at(f, x + i, y);
		if (c)
			c->role = (uint8_t)role;
	}
}

const FrameCell *frame_cell(const Frame *f, int x, int y)
{
	return cell_at((Frame *)f, x, y);
}

int frame_blank(const Frame *f, int x, int y)
{
	const FrameCell *c = frame_cell(f, x, y);
	return !c || strcmp(c->ch, " ") == 0;
}

size_t frame_row_text(const Frame *f, int y, char *buf, size_t cap)
{
	size_t o = 0, end = 0;
	if (cap == 0)
		return 0;
	for (int x = 0; y >= 0 && y < f->h && x < f->w; x++) {
		const char *ch = f->cells[y * f->w + x].ch;
		size_t n = strlen(ch);
		if (o + n >= cap)
			break;
		memcpy(buf + o, ch, n);
		o += n;
		if (strcmp(ch, " ") != 0)
			end = o;
	}
	buf[end] = '\0';
	return end;
}

char *frame_text(const Frame *f)
{
	size_t line = (size_t)f->w * 4 + 1;
	char *out = malloc(line * (size_t)f->h + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (int y = 0; y < f->h; y++) {
		o += frame_row_text(f, y, out + o, line);
		out[o++] = '\n';
	}
	out[o] = '\0';
	return out;
}

/* Bytes of the first n characters of text (fewer if it is shorter). */
static size_t char_bytes(const char *text, int n)
{
	const char *p = text;
	while (*p && n-- > 0)
		take_char(&p, NULL, ROLE_NORMAL);
	return (size_t)(p - text);
}

int frame_wrap(Frame *f, int x, int y, int w, int maxrows, const char *text, Role role)
{
	return frame_wrap_from(f, x, y, w, 0, maxrows, text, role);
}

int frame_wrap_from(Frame *f, int x, int y, int w, int skip, int maxrows, const char *text, Role role)
{
	int rows = 0;
	if (w <= 0 || !text)
		return 0;
	while (*text) {
		char line[1024];
		/* Take as many whole words as fit in w columns. */
		size_t fit = 0, i = 0;
		int cols = 0;
		while (text[i] && text[i] != '\n' && cols <= w) {
			if (text[i] == ' ' && cols <= w)
				fit = i;
			i += char_bytes(text + i, 1);
			cols++;
		}
		if (cols <= w && (!text[i] || text[i] == '\n'))
			fit = i;
		else if (fit == 0)
			fit = char_bytes(text, w);
		if (fit >= sizeof line)
			fit = char_bytes(text, (int)(sizeof line / 4) - 1);
		memcpy(line, text, fit);
		line[fit] = '\0';
		if (f && rows >= skip && rows - skip < maxrows)
			frame_put(f, x, y + rows - skip, line, role, w);
		rows++;
		text += fit;
		while (*text == ' ')
			text++;
		if (*text == '\n')
			text++;
	}
	return rows;
}
