/* screen.c - the layout of the whole screen (see screen.h).
 *
 * View layer. Splits the frame into bands -- title, flow, console, panes,
 * narration, status, keys -- gives the extra rows of a large terminal to the
 * bands that gain from them, and asks each view to draw its band. The panes
 * band holds the bytes, the socket table and the packets: one of them at a
 * time on a small terminal (k cycles), all three on a large one -- side by
 * side when it is wide enough for two 80-column tables, else stacked.
 * Presenter mode has a layout of its own: the flow and the bytes only. */
#include "views/screen.h"

#include <stdio.h>
#include <string.h>

#include "views/assets.h"
#include "views/bytepane.h"
#include "views/codepane.h"
#include "views/flow.h"
#include "views/glyphs.h"
#include "views/keys.h"
#include "views/narration.h"
#include "views/packetpane.h"
#include "views/quiz.h"
#include "views/sockpane.h"

/* Side by side needs two tables of about 77 columns (a hex line of 16 bytes
 * with its ASCII; the socket table with IPv4 addresses); stacked needs rows. */
enum { WIDE_W = 156, WIDE_H = 36, TALL_H = 40, HALF_W = 77 };

/* The code pane sits beside the flow from this width (two 2-actor tables of
 * about 75 columns); on a narrower terminal it takes the flow's place. */
enum { CODE_BESIDE_W = 150 };

/* The help overlay's text: 72 columns (inside its border and a margin of
 * two at 80), the keys in a column of 13. */
enum { HELP_TEXT_W = 72, HELP_KEYW = 13 };

typedef struct {
	ScreenPane what;
	int x, w;
	int rule, y, h;            /* its title rule's row, then h rows from y */
} PaneBox;

typedef struct {
	int flow_y, flow_h;        /* the headings row and the calls */
	int flow_w;                /* the flow's columns (the code pane's are right of it) */
	int code_x, code_w;        /* the code pane, in the flow's rows; code_w 0: none */
	int cons_y, cons_h;
	PaneBox pane[SCREEN_PANES];
	int npanes;
	int sep_x, sep_y, sep_h;   /* a line between panes side by side; sep_h 0: none */
	int narr_rule, narr_y, narr_h;
	int status_y, keys_y;
} Layout;

void screen_state_init(ScreenState *s)
{
	memset(s, 0, sizeof *s);
	s->selected = 0;
	s->next = -1;
	s->edit_actor = -1;
	s->speed = 3;
	s->speeds = 6;
	s->quiz.actor = s->quiz.step = s->quiz.choice = -1;
	breaks_clear(&s->breaks);
}

static int too_small(int w, int h)
{
	return w < SCREEN_MIN_W || h < SCREEN_MIN_H;
}

int screen_all_panes(int w, int h)
{
	return (w >= WIDE_W && h >= WIDE_H) || h >= TALL_H;
}

const char *screen_pane_name(ScreenPane p)
{
	static const char *const names[SCREEN_PANES] = { "bytes", "sockets", "packets" };
	return p >= 0 && p < SCREEN_PANES ? names[p] : "?";
}

static void pane_box(Layout *L, ScreenPane what, int x, int w, int rule, int rows)
{
	L->pane[L->npanes++] = (PaneBox){ what, x, w, rule, rule + 1, rows };
}

/* The panes band: band rows from y (each pane's rule included). */
static void layout_panes(int w, int h, ScreenPane shown, int y, int band, Layout *L)
{
	L->npanes = 0;
	L->sep_h = 0;
	if (w >= WIDE_W && h >= WIDE_H) {
		/* Bytes on the left; sockets over packets on the right. */
		int left = HALF_W + (w - WIDE_W) / 2, rows = band - 2;
		int socks = rows * 55 / 100;
		pane_box(L, SCREEN_PANE_BYTES, 0, left, y, band - 1);
		pane_box(L, SCREEN_PANE_SOCKETS, left + 1, w - left - 1, y, socks);
		pane_box(L, SCREEN_PANE_PACKETS, left + 1, w - left - 1, y + 1 + socks, rows - socks);
		L->sep_x = left;
		L->sep_y = y;
		L->sep_h = band;
	} else if (h >= TALL_H) {
		int rows = band - 3;
		int socks = rows * 4 / 10, pkts = rows * 3 / 10;
		pane_box(L, SCREEN_PANE_BYTES, 0, w, y, rows - socks - pkts);
		pane_box(L, SCREEN_PANE_SOCKETS, 0, w, y + 1 + rows - socks - pkts, socks);
		pane_box(L, SCREEN_PANE_PACKETS, 0, w, y + 2 + rows - pkts, pkts);
	} else {
		pane_box(L, shown, 0, w, y, band - 1);
	}
}

/* The flow keeps its headings and this many calls however much the
 * narration needs, and gives its rows beyond FLOW_KEEP_CALLS first. In
 * the compact layout it keeps fewer, the call just made and the one to
 * come: a projector's 20 rows must still hold the step's words. */
enum { FLOW_MIN_CALLS = 4, FLOW_KEEP_CALLS = 6, FLOW_MIN_CALLS_COMPACT = 2 };

/* Up to want rows from *from, leaving it least; returns those taken. */
static int take_rows(int want, int *from, int least)
{
	int spare = *from - least;
	int got = want < spare ? want : spare;
	got = got > 0 ? got : 0;
	*from -= got;
	return got;
}

/* The rows the narration band needs beyond its share (need: its rows
 * without the rule), taken from the older calls of the flow, then from
 * the panes -- the whole band: a table cut to a row teaches nothing --
 * and last from the flow again, down to its last few calls. The step's
 * own words are what teach it. */
static void give_way(int need, int min_calls, int *narr_h, int *band, int *flow_h)
{
	if (need <= *narr_h)
		return;
	int want = need - *narr_h, got = 0;
	got += take_rows(want - got, flow_h, 1 + FLOW_KEEP_CALLS);
	if (got < want) {
		int from_band = want - got < *band ? want - got : *band;
		/* A band of one row would be a rule over nothing: all of it goes. */
		if (*band - from_band < 2)
			from_band = *band;
		*band -= from_band;
		got += from_band;
	}
	got += take_rows(want - got, flow_h, 1 + min_calls);
	*narr_h += got;
}

/* Below 80x24 (a projector's large font) the flow keeps its headings and
 * FLOW_KEEP_CALLS calls and the narration its five rows; the one pane gets
 * what they leave, if that is a rule and two rows, else nothing. */
static int compact_band(int h)
{
	int band = h - 4 - 1 - 5 - (1 + FLOW_KEEP_CALLS);
	return band >= 3 ? band : 0;
}

/* At 80x24: 9 flow rows (headings + 8), 1 console, one pane of 4 rows, 5 of
 * narration (the lesson's words matter most). Extra rows go mostly to the
 * flow and the panes; a large terminal gives the panes more, as it shows
 * all three. Narration that needs more rows than its share (narr_min: the
 * step's words with the verdict and the question to come, or an open
 * question's prompt) takes them from the panes, then the flow (give_way). */
static void layout(int w, int h, ScreenPane shown, int narr_min, Layout *L)
{
	int extra = h - SCREEN_FULL_H;
	L->cons_h = 1 + (extra / 10 < 3 ? extra / 10 : 3);
	L->narr_h = 5 + (extra / 8 < 2 ? extra / 8 : 2);
	int band = 5 + extra * 3 / 10;
	if (w >= WIDE_W && h >= WIDE_H)
		band = 5 + extra / 2;
	else if (h >= TALL_H)
		band = 5 + extra * 6 / 10;
	else if (h < SCREEN_FULL_H)
		band = compact_band(h);
	L->flow_y = 1;
	L->flow_h = h - 4 - L->cons_h - band - L->narr_h;
	give_way(narr_min, h < SCREEN_FULL_H ? FLOW_MIN_CALLS_COMPACT : FLOW_MIN_CALLS, &L->narr_h, &band,
		 &L->flow_h);
	L->cons_y = L->flow_y + L->flow_h;
	if (band >= 2)
		layout_panes(w, h, shown, L->cons_y + L->cons_h, band, L);
	else
		L->npanes = L->sep_h = 0;
	L->narr_rule = L->cons_y + L->cons_h + band;
	L->narr_y = L->narr_rule + 1;
	L->status_y = L->narr_y + L->narr_h;
	L->keys_y = L->status_y + 1;
	L->flow_w = w;
	L->code_x = L->code_w = 0;
}

/* Where the code pane goes when it is shown: beside the flow, or over it. */
static void layout_code(int w, Layout *L)
{
	if (w >= CODE_BESIDE_W) {
		L->flow_w = w / 2;
		L->code_x = L->flow_w + 1;
		L->code_w = w - L->code_x;
	} else {
		L->flow_w = 0;
		L->code_x = 0;
		L->code_w = w;
	}
}

/* Presenter mode: for a projector, where the back row must read it. The
 * flow is drawn larger than in the normal layout: it gets the rows it
 * needs, and the bytes at most a third of them and only the rows the flow
 * leaves (none when that is less than a rule and three lines). The console
 * keeps one row (what the programs print is part of the story); sockets,
 * packets, code and the key bar give way. The narration comes last, above
 * the status line, where a presenter's audience reads on. */
static void layout_present(int w, int h, int narr_min, int flow_need, Layout *L)
{
	int extra = h - SCREEN_FULL_H;
	memset(L, 0, sizeof *L);
	L->narr_h = 4 + (extra / 8 < 3 ? extra / 8 : 3);
	int rest = h - 4 - L->narr_h;
	int bytes = rest * 35 / 100 + 1;   /* with its rule */
	if (bytes > rest - flow_need)
		bytes = rest - flow_need;
	if (bytes < 4)
		bytes = 0;
	L->flow_y = 1;
	L->flow_h = rest - bytes;
	/* Here the bytes give way to the narration before the flow does. */
	if (narr_min > L->narr_h && bytes > 0) {
		int got = narr_min - L->narr_h < bytes ? narr_min - L->narr_h : bytes;
		if (bytes - got < 4)
			got = bytes;
		bytes -= got;
		L->narr_h += got;
	}
	give_way(narr_min, h < SCREEN_FULL_H ? FLOW_MIN_CALLS_COMPACT : FLOW_MIN_CALLS, &L->narr_h, &bytes,
		 &L->flow_h);
	L->flow_w = w;
	L->cons_y = L->flow_y + L->flow_h;
	L->cons_h = 1;
	if (bytes >= 2)
		pane_box(L, SCREEN_PANE_BYTES, 0, w, L->cons_y + 1, bytes - 1);
	L->narr_rule = L->cons_y + 1 + bytes;
	L->narr_y = L->narr_rule + 1;
	L->status_y = L->narr_y + L->narr_h;
	L->keys_y = -1;
}

static const PaneBox *find_pane(const Layout *L, ScreenPane what)
{
	for (int i = 0; i < L->npanes; i++)
		if (L->pane[i].what == what)
			return &L->pane[i];
	return NULL;
}

/* "── title ─────── right ──" across w columns from x. */
static void rule(Frame *f, const Glyphs *g, int x, int w, int y, const char *title, const char *right)
{
	frame_fill(f, x, y, w, g->hline, ROLE_BORDER);
	char t[256];
	snprintf(t, sizeof t, " %s ", title);
	frame_put(f, x + 2, y, t, ROLE_BORDER, w - 4);
	if (right && *right) {
		snprintf(t, sizeof t, " %s ", right);
		int rw = frame_width(t);
		if (rw + frame_width(title) + 8 < w)
			frame_put(f, x + w - 2 - rw, y, t, ROLE_BORDER, rw);
	}
}

/* "step 5/12 ████░░░░░░": the step the run stands at, of the furthest it
 * has reached (b and g move between them), and the same as a bar, in two
 * shapes so that it reads without colour. */
static void timeline_text(const Run *e, const ScreenState *s, int w, char *buf, size_t cap)
{
	const Glyphs *g = glyphs_get(s->unicode);
	int k = run_steps_done(e), n = run_steps_reached(e);
	int o = n > 0 ? snprintf(buf, cap, "step %d/%d", k, n) : snprintf(buf, cap, "step %d", k);
	if (n <= 0 || o < 0 || (size_t)o >= cap)
		return;
	/* A recording's counts can be any int: the product is taken wide,
	 * and a count past the furthest fills the bar, no more. */
	int cells = w >= 120 ? 20 : 10;
	int64_t wide = (int64_t)k * cells / n;
	int done = wide > cells ? cells : (int)wide;
	o += snprintf(buf + o, cap - (size_t)o, " ");
	for (int i = 0; i < cells && (size_t)o + 4 < cap; i++)
		o += snprintf(buf + o, cap - (size_t)o, "%s", i < done ? g->bar_done : g->bar_ahead);
}

static void title_bar(const Run *e, const ScreenState *s, Frame *f)
{
	const Lesson *l = run_lesson(e);
	const Glyphs *g = glyphs_get(s->unicode);
	char left[512], right[256], when[160];
	frame_fill(f, 0, 0, f->w, " ", ROLE_TITLE);
	snprintf(left, sizeof left, " sockstep %s %s: %s", g->dot, l->name ? l->name : "?",
		 l->title ? l->title : "");
	char score[48] = "";
	if (s->asked > 0)
		snprintf(score, sizeof score, "score %d/%d %s ", s->score, s->asked, g->dot);
	timeline_text(e, s, f->w, when, sizeof when);
	const char *word = s->starting ? "starting" : narration_run_word(e);
	if (s->starting)
		when[0] = '\0';
	snprintf(right, sizeof right, "%s%s%s%s%s ", s->autoplay ? "autoplay " : "", word, *word ? " " : "",
		 score, when);
	int rw = frame_width(right);
	frame_put_fit(f, 0, 0, left, ROLE_TITLE, f->w - rw - 1, g->ell);
	frame_put(f, f->w - rw, 0, right, ROLE_TITLE, rw);
}

static void status_line(const Run *e, const ScreenState *s, Frame *f, int y)
{
	const Glyphs *g = glyphs_get(s->unicode);
	char text[1200], over[400];
	Role role = ROLE_DIM;
	if (s->editing) {
		const RunActor *a = run_actor(e, s->edit_actor);
		const LessonStep *st = a ? run_lesson_step(e, s->edit_actor) : NULL;
		const char *prompt = st ? st->prompt : NULL;
		/* The prompt as the actor's program prints it, then what is typed. */
		snprintf(text, sizeof text, "%s input (enter sends): ", a ? a->name : "?");
		int p = frame_put(f, 1, y, text, ROLE_NOTICE, f->w - 2);
		p += frame_put(f, 1 + p, y, prompt ? prompt : "", ROLE_CONSOLE, f->w - 2 - p);
		text[0] = '\0';
		int n = p;
		/* Show the end of a long line: that is where the student types. */
		const char *line = s->edit_text ? s->edit_text : "";
		int room = f->w - 3 - n, lw = frame_width(line);
		while (lw > room && *line) {
			line++;
			while ((*line & 0xc0) == 0x80)
				line++;
			lw--;
		}
		int m = frame_put(f, 1 + n, y, line, ROLE_INPUT, room);
		f->cursor_x = 1 + n + m;
		f->cursor_y = y;
		return;
	}
	if (s->prompt) {
		int p = frame_put(f, 1, y, s->prompt, ROLE_NOTICE, f->w - 2);
		int m = frame_put(f, 1 + p, y, s->prompt_text ? s->prompt_text : "", ROLE_INPUT, f->w - 2 - p);
		f->cursor_x = 1 + p + m;
		f->cursor_y = y;
		return;
	}
	if (s->status) {
		snprintf(text, sizeof text, "%s", s->status);
		role = s->status_error ? ROLE_ERROR : ROLE_NOTICE;
	} else if (s->starting) {
		snprintf(text, sizeof text, "starting the actors: their network, the packet capture, the processes");
		role = ROLE_NOTICE;
	} else if (s->quiz.open) {
		const LessonQuestion *q = quiz_question(run_lesson(e), s->quiz.actor, s->quiz.step);
		int n = q ? (q->nchoices < 9 ? q->nchoices : 9) : 1;
		snprintf(text, sizeof text, "your prediction: press %s%d %s esc: not now (the call waits)",
			 n > 1 ? "1-" : "", n, g->dot);
		role = ROLE_NOTICE;
	} else if (run_finished(e) && run_succeeded(e) && run_servers_over(e, over, sizeof over)) {
		snprintf(text, sizeof text, "%s. r restart, m menu, q quit", over);
		role = ROLE_OK;
	} else if (run_finished(e) && run_succeeded(e)) {
		char next[160] = "";
		if (s->next_lesson)
			snprintf(next, sizeof next, "n next lesson (%s), ", s->next_lesson);
		snprintf(text, sizeof text, "lesson finished: %sm menu, r restart, q quit", next);
		role = ROLE_OK;
	} else if (run_finished(e)) {
		char why[800];
		narration_stuck(e, why, sizeof why);
		snprintf(text, sizeof text, "stuck: %s. r restart, m menu, q quit", why[0] ? why : "no actor can run");
		role = ROLE_ERROR;
	} else if (narration_waiting(e, text, sizeof text)) {
		role = ROLE_NOTICE;
	} else if (s->autoplay) {
		snprintf(text, sizeof text, "autoplay on, speed %d of %d: + faster, - slower, a stops",
			 s->speed, s->speeds);
		role = ROLE_NOTICE;
	} else if (s->present) {
		snprintf(text, sizeof text, "PgDn or %s next %s PgUp or %s back %s g go to a step %s p the full screen "
			 "%s ? help", s->unicode ? "→" : "right", g->dot, s->unicode ? "←" : "left", g->dot, g->dot,
			 g->dot);
	} else {
		snprintf(text, sizeof text, "space runs the next call %s tab picks an actor, enter steps only it",
			 g->dot);
	}
	frame_put_fit(f, 1, y, text, role, f->w - 2, g->ell);
}

/* The key bar: the key table's hints for what is open (keys.h), with the
 * words that change -- the pane k shows next, what s turns the code pane
 * to, how many answers a question has. */
static void key_bar(const Run *e, const ScreenState *s, Frame *f, int y, int narr_pages, int folded)
{
	unsigned bar = KEYS_BAR_RUN;
	if (s->editing)
		bar = KEYS_BAR_EDIT;
	else if (s->prompt)
		bar = KEYS_BAR_GOTO;
	else if (s->help)
		bar = KEYS_BAR_HELP;
	else if (s->quiz.open)
		bar = KEYS_BAR_QUIZ;
	else if (run_finished(e) && run_succeeded(e) && s->next_lesson)
		bar = KEYS_BAR_OVER;   /* n leads on to the next lesson */
	KeysHint h[32];
	int n = keys_bar(bar, h, 32), k = 0;
	const LessonQuestion *q = quiz_question(run_lesson(e), s->quiz.actor, s->quiz.step);
	for (int i = 0; i < n; i++) {
		/* A terminal that shows every pane leaves k nothing to do. */
		if (h[i].cmd == KEYS_PANE && screen_all_panes(f->w, f->h))
			continue;
		/* w is named while the step's words have more pages, right
		 * after space: on a narrow bar the hints after it give way. */
		if ((h[i].cmd == KEYS_NARR_PAGE && narr_pages < 2) || (h[i].cmd == KEYS_FOLD && !folded))
			continue;
		if ((h[i].cmd == KEYS_NARR_PAGE || h[i].cmd == KEYS_FOLD) && k > 1) {
			KeysHint more = h[i];
			memmove(&h[2], &h[1], (size_t)(k - 1) * sizeof h[0]);
			h[1] = more;
			k++;
			continue;
		}
		if (h[i].cmd == KEYS_PANE)
			h[i].label = screen_pane_name((ScreenPane)((s->pane + 1) % SCREEN_PANES));
		if (h[i].cmd == KEYS_CODE && s->code.on)
			h[i].label = s->code.lang == CODE_PYTHON ? "C code" : "no code";
		if (h[i].cmd == KEYS_ANSWER && q && q->nchoices > 1)
			snprintf(h[i].key, sizeof h[i].key, "1-%d", q->nchoices < 9 ? q->nchoices : 9);
		else if (h[i].cmd == KEYS_ANSWER)
			snprintf(h[i].key, sizeof h[i].key, "1");
		h[k++] = h[i];
	}
	keys_bar_draw(f, y, h, k);
}

/* Does a help line, after its indent, hold two columns (a table row:
 * "ok, or a tick      the call returned")? */
static int help_columns(const char *line)
{
	const char *p = line + strspn(line, " "), *end = strchr(p, '\n');
	const char *two = strstr(p, "  ");
	return two && (!end || two < end);
}

/* The help's prose is written in lines for 72 columns: for fewer, the
 * lines of one paragraph (the same indent, no table row) become one, for
 * the overlay to wrap whole. */
static void help_join(char *text)
{
	char *prev = text;
	for (char *nl = strchr(text, '\n'); nl && nl[1]; nl = strchr(nl + 1, '\n')) {
		char *line = nl + 1;
		size_t pi = strspn(prev, " "), li = strspn(line, " ");
		int join = pi == li && prev[pi] != '\n' && line[li] != '\n' && line[li] &&
			   !help_columns(line) && !help_columns(prev);
		/* The line a table row ends stays apart from the next row. */
		*nl = join ? ' ' : '\n';
		if (join) {
			memmove(line, line + li, strlen(line + li) + 1);
			nl = line - 1;
			continue;
		}
		prev = line;
	}
}

/* The help: assets/help.txt, its "@keys" line replaced by the key table's
 * sections, written for tw columns (HELP_TEXT_W at most: the overlay's
 * inside at 80). Kept for the last width asked. */
static const char *help_text(int tw)
{
	static char text[24576];
	static int made_for;
	if (text[0] && made_for == tw)
		return text;
	made_for = tw;
	const char *at = strstr(asset_help_txt, "@keys\n");
	if (!at) {
		snprintf(text, sizeof text, "%s", asset_help_txt);
		return text;
	}
	int o = snprintf(text, sizeof text, "%.*s", (int)(at - asset_help_txt), asset_help_txt);
	o += (int)keys_help_all(0, HELP_KEYW, tw, text + o, sizeof text - (size_t)o);
	if ((size_t)o < sizeof text)
		snprintf(text + o, sizeof text - (size_t)o, "%s", at + strlen("@keys\n"));
	if (tw < HELP_TEXT_W)
		help_join(text);
	return text;
}

/* The help's box: its width at a terminal w columns wide, and the
 * columns of text inside it (a border and a margin of two either side). */
static int help_box_w(int w)
{
	return w - 2 < HELP_TEXT_W + 6 ? w - 2 : HELP_TEXT_W + 6;
}

/* One line of the help, wrapped to tw columns under its own indent (the
 * help's prose is written for 72 columns); draws from its row skip, at
 * most max rows, when f is not NULL. Returns the rows it takes. */
static int help_line(Frame *f, int x, int y, int tw, int skip, int max, const char *line)
{
	int indent = (int)strspn(line, " ");
	if (!line[indent])
		return 1;
	if (indent > tw / 2)
		indent = tw / 2;
	return frame_wrap_from(f, x + indent, y, tw - indent, skip, max, line + indent, ROLE_NORMAL);
}

/* Rows the whole help takes at tw columns. */
static int help_rows(int tw)
{
	int rows = 0;
	for (const char *p = help_text(tw); *p;) {
		size_t n = strcspn(p, "\n");
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		p += n + (p[n] == '\n');
		rows += help_line(NULL, 0, 0, tw, 0, 0, line);
	}
	return rows;
}

/* The help: a box of HELP_TEXT_W columns of text, a margin and the border
 * either side (78 columns: whole at 80), over a screen cleared but for its
 * title and key bar, so that nothing beneath shows through on a large
 * terminal; a narrower one wraps the text to its box. */
static void help_overlay(const ScreenState *s, Frame *f)
{
	const Glyphs *g = glyphs_get(s->unicode);
	const char *vline = s->unicode ? "│" : "|";
	int w = help_box_w(f->w), tw = w - 6;
	const char *text = help_text(tw);
	int lines = help_rows(tw);
	int h = f->h - 2 < lines + 2 ? f->h - 2 : lines + 2;
	int x0 = (f->w - w) / 2, y0 = (f->h - h) / 2;
	for (int y = 1; y < f->h - 1; y++)
		frame_fill(f, 0, y, f->w, " ", ROLE_NORMAL);
	frame_fill(f, x0, y0, w, g->hline, ROLE_BORDER);
	frame_fill(f, x0, y0 + h - 1, w, g->hline, ROLE_BORDER);
	for (int y = y0 + 1; y < y0 + h - 1; y++) {
		frame_put(f, x0, y, vline, ROLE_BORDER, 1);
		frame_put(f, x0 + w - 1, y, vline, ROLE_BORDER, 1);
	}
	frame_put(f, x0, y0, s->unicode ? "┌" : "+", ROLE_BORDER, 1);
	frame_put(f, x0 + w - 1, y0, s->unicode ? "┐" : "+", ROLE_BORDER, 1);
	frame_put(f, x0, y0 + h - 1, s->unicode ? "└" : "+", ROLE_BORDER, 1);
	frame_put(f, x0 + w - 1, y0 + h - 1, s->unicode ? "┘" : "+", ROLE_BORDER, 1);
	frame_put(f, x0 + 2, y0, " sockstep help ", ROLE_BORDER, w - 4);
	char close[32], scroll[32], foot[96];
	keys_names(keys_find(KEYS_HELP, 27), 2, " or ", close, sizeof close);
	keys_names(keys_find(KEYS_HELP, UI_KEY_UP), 2, "/", scroll, sizeof scroll);
	snprintf(foot, sizeof foot, " %s closes, %s scroll ", close, scroll);
	frame_put(f, x0 + 2, y0 + h - 1, foot, ROLE_BORDER, w - 4);
	int skip = s->help_scroll, row = 0;
	for (const char *p = text; *p && row < h - 2;) {
		size_t n = strcspn(p, "\n");
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		p += n + (p[n] == '\n');
		int rows = help_line(NULL, 0, 0, tw, 0, 0, line);
		if (skip >= rows) {
			skip -= rows;
			continue;
		}
		row += help_line(f, x0 + 3, y0 + 1 + row, tw, skip, h - 2 - row, line) - skip;
		skip = 0;
	}
}

static void small_notice(Frame *f)
{
	char text[128];
	snprintf(text, sizeof text, "terminal too small: %dx%d; sockstep needs %dx%d", f->w, f->h,
		 SCREEN_MIN_W, SCREEN_MIN_H);
	int tw = frame_width(text);
	int w = f->w > 2 ? f->w - 2 : f->w;
	int rows = frame_wrap(NULL, 0, 0, w, f->h, text, ROLE_NOTICE);
	int x = tw < w ? (f->w - tw) / 2 : (f->w - w) / 2;
	int y = f->h > rows ? (f->h - rows) / 2 : 0;
	frame_wrap(f, x, y, tw < w ? tw : w, f->h, text, ROLE_NOTICE);
}

/* The title and the hint on a pane's rule. */
static void pane_rule(const Run *e, const ScreenState *s, Frame *f, const PaneBox *p, int single)
{
	char title[96], right[128] = "", hint[48] = "";
	if (single)
		snprintf(hint, sizeof hint, "k: %s", screen_pane_name((ScreenPane)((p->what + 1) % SCREEN_PANES)));
	if (p->what == SCREEN_PANE_BYTES) {
		int messages = 0, total = bytepane_lines(e, &messages);
		if (s->byte_scroll > 0 && total > p->h)
			snprintf(right, sizeof right, "older bytes: PgDn or End for the newest");
		else if (total > p->h)
			snprintf(right, sizeof right, "PgUp/PgDn scroll%s%s", *hint ? "  " : "", hint);
		else
			snprintf(right, sizeof right, "%s", hint);
		snprintf(title, sizeof title, messages ? "bytes (%d message%s)" : "bytes", messages,
			 messages == 1 ? "" : "s");
	} else if (p->what == SCREEN_PANE_SOCKETS) {
		int n = sockpane_count(e, s->now_ns);
		if (n > p->h - 1 && p->h > 1)
			snprintf(title, sizeof title, "sockets (%d of %d shown)", p->h - 1, n);
		else
			snprintf(title, sizeof title, n ? "sockets (%d)" : "sockets", n);
		snprintf(right, sizeof right, "%s", hint);
	} else {
		int n = packetpane_count(e);
		snprintf(title, sizeof title, n ? "packets (%d)" : "packets", n);
		if (s->packet_scroll > 0 && n > p->h)
			snprintf(right, sizeof right, "older packets: PgDn or End for the newest");
		else if (n > p->h)
			snprintf(right, sizeof right, "PgUp/PgDn scroll%s%s", *hint ? "  " : "", hint);
		else
			snprintf(right, sizeof right, "%s", hint);
	}
	rule(f, glyphs_get(s->unicode), p->x, p->w, p->rule, title, right);
}

static void draw_pane(const Run *e, const ScreenState *s, Frame *f, const PaneBox *p, int single)
{
	pane_rule(e, s, f, p, single);
	if (p->what == SCREEN_PANE_BYTES)
		bytepane_draw(e, s, f, p->x, p->y, p->w, p->h);
	else if (p->what == SCREEN_PANE_SOCKETS)
		sockpane_draw(e, s, f, p->x, p->y, p->w, p->h);
	else
		packetpane_draw(e, s, f, p->x, p->y, p->w, p->h);
}

/* The line between panes side by side, joined to their rules. */
static void separator(const ScreenState *s, Frame *f, const Layout *L)
{
	if (L->sep_h <= 0)
		return;
	for (int y = L->sep_y; y < L->sep_y + L->sep_h; y++)
		frame_put(f, L->sep_x, y, s->unicode ? "│" : "|", ROLE_BORDER, 1);
	frame_put(f, L->sep_x, L->sep_y, s->unicode ? "┬" : "+", ROLE_BORDER, 1);
	for (int i = 0; i < L->npanes; i++)
		if (L->pane[i].x > L->sep_x && L->pane[i].rule > L->sep_y)
			frame_put(f, L->sep_x, L->pane[i].rule, s->unicode ? "├" : "+", ROLE_BORDER, 1);
}

/* The rows the narration band needs: an open question's prompt, or the
 * verdict of the one just answered with the step's words, the question
 * to come and what runs next. */
static int narration_need(const Run *e, const ScreenState *s, int w)
{
	if (s->quiz.open)
		return quiz_prompt_rows(e, &s->quiz, w);
	return quiz_draw_verdict(e, s, NULL, 0, 0, w, 999) + narration_rows(e, s, w, NULL);
}

/* The narration's band: the open question's prompt, or the verdict of the
 * one just answered above the lesson's words. The verdict never pushes
 * the words out: it gets the rows they and the line of what runs next
 * leave. */
static void narration_band(const Run *e, const ScreenState *s, Frame *f, const Layout *L)
{
	const Glyphs *g = glyphs_get(s->unicode);
	if (s->quiz.open) {
		rule(f, g, 0, f->w, L->narr_rule, "question: predict before the call runs", NULL);
		quiz_draw_prompt(e, s, f, 0, L->narr_y, f->w, L->narr_h);
		return;
	}
	int text = 0, pages;
	narration_rows(e, s, f->w, &text);
	int v = quiz_draw_verdict(e, s, f, 0, L->narr_y, f->w, L->narr_h - text - 1);
	int page = narration_page(e, s, f->w, L->narr_h - v, &pages);
	char more[64] = "";
	if (pages > 1)
		snprintf(more, sizeof more, "page %d/%d, w: %s", page + 1, pages, page + 1 < pages ? "more" : "first");
	rule(f, g, 0, f->w, L->narr_rule, "narration", more);
	narration_draw(e, s, f, 0, L->narr_y + v, f->w, L->narr_h - v);
}

/* The pages of the step's words in the narration band (1: they fit). */
static int narration_pages(const Run *e, const ScreenState *s, const Layout *L, int w)
{
	int text = 0, pages = 1;
	if (s->quiz.open)
		return 1;
	narration_rows(e, s, w, &text);
	int v = quiz_draw_verdict(e, s, NULL, 0, 0, w, L->narr_h - text - 1);
	narration_page(e, s, w, L->narr_h - v, &pages);
	return pages;
}

void screen_render(const Run *e, const ScreenState *s, Frame *f)
{
	frame_clear(f);
	if (too_small(f->w, f->h)) {
		small_notice(f);
		return;
	}
	Layout L;
	int narr_min = narration_need(e, s, f->w);
	if (s->present)
		layout_present(f->w, f->h, narr_min, flow_rows(e, s, f->w), &L);
	else
		layout(f->w, f->h, s->pane, narr_min, &L);
	if (s->code.on && !s->present)
		layout_code(f->w, &L);
	title_bar(e, s, f);
	if (L.flow_w > 0)
		flow_draw(e, s, f, 0, L.flow_y, L.flow_w, L.flow_h);
	if (L.code_w > 0) {
		codepane_draw(e, s, f, L.code_x, L.flow_y, L.code_w, L.flow_h);
		for (int y = L.flow_y; L.flow_w > 0 && y < L.flow_y + L.flow_h; y++)
			frame_put(f, L.flow_w, y, s->unicode ? "│" : "|", ROLE_BORDER, 1);
	}
	/* The console lines up under the flow's columns, wherever they are. */
	flow_console(e, s, f, 0, L.cons_y, L.flow_w > 0 ? L.flow_w : f->w, L.cons_h);

	/* k cycles the single pane; presenter mode has the bytes only. */
	for (int i = 0; i < L.npanes; i++)
		draw_pane(e, s, f, &L.pane[i], L.npanes == 1 && !s->present);
	separator(s, f, &L);

	narration_band(e, s, f, &L);
	status_line(e, s, f, L.status_y);
	if (L.keys_y >= 0)
		key_bar(e, s, f, L.keys_y, narration_pages(e, s, &L, f->w),
			L.flow_w > 0 ? flow_folded(e, L.flow_w) : 0);
	if (s->help) {
		f->cursor_x = f->cursor_y = -1;
		help_overlay(s, f);
	}
}

/* Rows of the byte pane at w x h (as if shown, on a small terminal). */
static int byte_rows(int w, int h)
{
	Layout L;
	layout(w, h, SCREEN_PANE_BYTES, 0, &L);
	const PaneBox *p = find_pane(&L, SCREEN_PANE_BYTES);
	return p ? p->h : 1;
}

int screen_packet_scroll_max(const Run *e, int w, int h)
{
	Layout L;
	if (too_small(w, h))
		return 0;
	layout(w, h, SCREEN_PANE_PACKETS, 0, &L);
	const PaneBox *p = find_pane(&L, SCREEN_PANE_PACKETS);
	return packetpane_scroll_max(e, p ? p->h : 1);
}

int screen_byte_scroll_max(const Run *e, int w, int h)
{
	if (too_small(w, h))
		return 0;
	int max = bytepane_lines(e, NULL) - byte_rows(w, h);
	return max > 0 ? max : 0;
}

int screen_byte_page(int w, int h)
{
	int rows = byte_rows(w, h);
	return rows > 2 ? rows - 1 : 1;
}

uint64_t screen_due(const Run *e, uint64_t now_ns)
{
	return sockpane_due(e, now_ns);
}

int screen_help_scroll_max(int w, int h)
{
	int max = help_rows(help_box_w(w) - 6) - (h - 4);
	return max > 0 ? max : 0;
}
