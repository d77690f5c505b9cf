/* codepane.c - the actors' programs beside or instead of the flow (see
 * codepane.h).
 *
 * View layer. The highlighted line follows the actor: the call it is
 * stopped before (its marker is the flow's "next" one), or the call it is
 * blocked in. Each column scrolls so that line sits a third of the way
 * down, where the eye finds it and the lines before it give the context.
 * A line with a breakpoint carries the breakpoint's marker, as in the flow. */
#include "views/codepane.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "model/breaks.h"
#include "views/flow.h"
#include "views/glyphs.h"

/* Narrower columns than this cut too much code to read: one actor then. */
enum { MIN_COL_W = 30, NUMBERS_W = 44, GAP = 2 };

const char *codepane_lang_name(CodeLang lang)
{
	return lang == CODE_C ? "C" : "Python";
}

int codepane_line(const Run *e, const Code *prog, int actor)
{
	const RunActor *a = run_actor(e, actor);
	if (!prog || !a || a->step < 0 || a->step >= prog->nsteps)
		return -1;
	if (a->state == ACTOR_DONE || a->state == ACTOR_DEAD || a->state == ACTOR_STARTING)
		return -1;
	return prog->step_line[a->step];
}

/* A line of code with tabs as spaces (frame cells take one character). */
static void expand(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	for (; *in && o + 5 < cap; in++) {
		if (*in == '\t') {
			do
				out[o++] = ' ';
			while (o % 4 && o + 1 < cap);
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

/* Leading blanks of a line (tabs as expand() makes them); -1 for a blank line. */
static int indent_of(const char *line)
{
	int n = 0;
	for (; *line == ' ' || *line == '\t'; line++)
		n = *line == '\t' ? (n / 4 + 1) * 4 : n + 1;
	return *line ? n : -1;
}

static void heading(const Run *e, const ScreenState *s, Frame *f, int i, int x, int y, int w, int single)
{
	const RunActor *a = run_actor(e, i);
	char name[64], text[320];
	size_t k;
	for (k = 0; a->name[k] && k < sizeof name - 1; k++)
		name[k] = (char)toupper((unsigned char)a->name[k]);
	name[k] = '\0';
	char state[96];
	flow_actor_state(e, i, state, sizeof state);
	snprintf(text, sizeof text, "%s %s %s  %s%s%s", name, glyphs_get(s->unicode)->dot,
		 codepane_lang_name(s->code.lang), state, s->next == i ? " (next)" : "",
		 single ? "  tab: another actor" : "");
	Role role = i == s->selected && !single ? ROLE_SELECTED : (Role)(ROLE_ACTOR0 + i % 8);
	if (role == ROLE_SELECTED)
		frame_fill(f, x - 1, y, w + 1, " ", role);
	frame_put_fit(f, x, y, text, role, w, glyphs_get(s->unicode)->ell);
}

/* Is line ln the line of a step of actor i that has a breakpoint? */
static int break_line(const Run *e, const ScreenState *s, const Code *prog, int i, int ln)
{
	for (int k = 0; k < prog->nsteps; k++)
		if (prog->step_line[k] == ln && breaks_on(&s->breaks, run_lesson(e), i, k))
			return 1;
	return 0;
}

static void column(const Run *e, const ScreenState *s, Frame *f, int i, int x, int y, int w, int h, int single)
{
	const Glyphs *g = glyphs_get(s->unicode);
	const Code *prog = s->code.prog[i];
	heading(e, s, f, i, x, y, w, single);
	if (!prog) {
		frame_put(f, x, y + 1, "(no program)", ROLE_DIM, w);
		return;
	}
	int body = h - 1, hl = codepane_line(e, prog, i);
	int first = hl >= 0 ? hl - body / 3 : 0;
	if (first > prog->nlines - body)
		first = prog->nlines - body;
	if (first < 0)
		first = 0;
	const RunActor *a = run_actor(e, i);
	int waiting = a->state == ACTOR_RUNNING || a->state == ACTOR_BLOCKED;
	int numbers = w >= NUMBERS_W, mw = frame_width(g->mark_next);
	/* The lines shown lose the indentation they all share: a narrow
	 * column keeps its columns for code, and relative indentation (which
	 * Python reads) stays as it is. */
	int cut = -1;
	for (int r = 0; r < body && first + r < prog->nlines; r++) {
		int in = indent_of(prog->lines[first + r]);
		if (in >= 0 && (cut < 0 || in < cut))
			cut = in;
	}
	if (cut < 0)
		cut = 0;
	for (int r = 0; r < body && first + r < prog->nlines; r++) {
		int ln = first + r, yy = y + 1 + r, cx = x;
		char text[1024];
		if (numbers) {
			char num[16];
			snprintf(num, sizeof num, "%3d ", ln + 1);
			cx += frame_put(f, cx, yy, num, ROLE_DIM, 4);
		}
		int here = ln == hl, brk = break_line(e, s, prog, i, ln);
		const char *mark = here ? (waiting ? g->mark_run : brk ? g->mark_break : g->mark_next)
					: brk ? g->mark_break : "";
		frame_put(f, cx, yy, mark, ROLE_NORMAL, mw);
		cx += mw;
		expand(prog->lines[ln], text, sizeof text);
		int skip = (int)strspn(text, " ");
		skip = skip < cut ? skip : cut;
		Role role = here ? (waiting ? ROLE_BLOCKED : ROLE_PENDING) : ROLE_NORMAL;
		int n = frame_put_fit(f, cx, yy, text + skip, role, x + w - cx, g->ell);
		if (here)
			frame_paint(f, cx - mw, yy, n + mw, role);
		if (brk)
			frame_paint(f, cx - mw, yy, frame_width(g->mark_break) - 1, ROLE_ERROR);
	}
}

void codepane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	int n = run_actor_count(e);
	if (n < 1 || h < 1)
		return;
	int cw = (w - 1 - GAP * (n - 1)) / n;
	if (cw < MIN_COL_W) {
		int i = s->selected >= 0 && s->selected < n ? s->selected : 0;
		column(e, s, f, i, x + 1, y, w - 2, h, 1);
		return;
	}
	for (int i = 0; i < n; i++)
		column(e, s, f, i, x + 1 + i * (cw + GAP), y, cw, h, 0);
}
