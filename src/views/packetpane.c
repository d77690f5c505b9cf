/* packetpane.c - the packets, one line each (see packetpane.h). */
#include "views/packetpane.h"

#include <stdio.h>
#include <string.h>

#include "views/glyphs.h"
#include "views/kerneltext.h"

enum { MAX_LINES = 128 };

typedef struct {
	const Event *pkt;
	const Event *call;   /* the call running when it was seen, or NULL */
	int marked;          /* seen during or after the last step */
} Line;

int packetpane_count(const Run *e)
{
	const Timeline *t = run_timeline(e);
	int n = 0;
	for (size_t k = 0; k < timeline_count(t); k++)
		n += timeline_get(t, k)->kind == EV_PACKET;
	return n;
}

/* The newest call that has not returned yet, among each actor's open one. */
static const Event *running(const Event *const *open, int n)
{
	const Event *best = NULL;
	for (int a = 0; a < n; a++)
		if (open[a] && (!best || open[a]->seq > best->seq))
			best = open[a];
	return best;
}

int packetpane_scroll_max(const Run *e, int h)
{
	int max = packetpane_count(e) - h;
	return max > 0 ? max : 0;
}

/* The h packets that end skip packets before the newest into lines
 * (oldest first); returns how many. */
static int collect(const Run *e, Line *lines, int h, int skip)
{
	const Timeline *t = run_timeline(e);
	const Event *open[LESSON_MAX_ACTORS] = { 0 };
	int n = run_actor_count(e), got = 0, seen = 0;
	if (h > MAX_LINES)
		h = MAX_LINES;
	int last = packetpane_count(e) - skip, first = last - h;
	for (size_t k = 0; k < timeline_count(t) && h > 0; k++) {
		const Event *ev = timeline_get(t, k);
		int a = ev->actor;
		if (ev->kind == EV_CALL && a >= 0 && a < n)
			open[a] = ev;
		else if (ev->kind == EV_RETURN && a >= 0 && a < n && open[a] && open[a]->seq == ev->call_seq)
			open[a] = NULL;
		if ((ev->kind == EV_CALL || ev->kind == EV_INPUT) && a >= 0)
			for (int i = 0; i < got; i++)
				lines[i].marked = 0;   /* a new step: the older packets are not its own */
		if (ev->kind != EV_PACKET)
			continue;
		if (seen >= first && seen < last)
			lines[got++] = (Line){ ev, running(open, n), 1 };
		seen++;
	}
	return got;
}

static const char *who(const Run *e, int actor)
{
	return actor >= 0 && actor < run_actor_count(e) ? run_actor(e, actor)->name : "kernel";
}

static Role role_of(int actor)
{
	return actor >= 0 ? (Role)(ROLE_ACTOR0 + actor % 8) : ROLE_NORMAL;
}

static int name_width(const Run *e)
{
	int w = 6;   /* "kernel" */
	for (int i = 0; i < run_actor_count(e); i++) {
		int n = frame_width(run_actor(e, i)->name);
		w = n > w ? n : w;
	}
	return w < 10 ? w : 10;
}

/* "client connect()": the call a packet was seen in. */
static void context(const Run *e, const Line *l, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (l->call)
		snprintf(buf, cap, "%s %s()", who(e, l->call->actor), lesson_op_name((LessonOp)l->call->op));
}

/* Columns a line takes before its context. */
static int line_width(const Run *e, const Line *l)
{
	char text[512];
	kerneltext_packet(l->pkt, text, sizeof text);
	return 8 + 2 * name_width(e) + frame_width(text);
}

/* ctx_x: where the contexts start, or -1 when they are not shown. */
static void draw_line(const Run *e, const ScreenState *s, Frame *f, const Line *l, int x, int y, int w, int ctx_x)
{
	const Glyphs *g = glyphs_get(s->unicode);
	char text[512], ctx[96];
	int nw = name_width(e), end = x + w;
	kerneltext_packet(l->pkt, text, sizeof text);
	int bad = strncmp(text, "malformed", 9) == 0;
	frame_put(f, x, y, bad ? "!!" : l->marked ? "*" : " ", bad ? ROLE_ERROR : ROLE_NOTICE, 2);
	int p = x + 2 + bad;
	if (bad) {
		frame_put_fit(f, p, y, text, ROLE_ERROR, end - p, g->ell);
		return;
	}
	frame_put_fit(f, p, y, who(e, l->pkt->actor), role_of(l->pkt->actor), nw, g->ell);
	p += nw + 1;
	p += frame_put(f, p, y, "->", ROLE_ARROW, end - p) + 1;
	frame_put_fit(f, p, y, who(e, l->pkt->peer_actor), role_of(l->pkt->peer_actor), nw, g->ell);
	p += nw + 2;
	frame_put_fit(f, p, y, text, ROLE_NORMAL, end - p, g->ell);
	context(e, l, ctx, sizeof ctx);
	if (ctx_x >= 0)
		frame_put(f, x + ctx_x, y, ctx, ROLE_DIM, end - x - ctx_x);
}

void packetpane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	Line lines[MAX_LINES];
	int max = packetpane_scroll_max(e, h);
	int n = collect(e, lines, h, s->packet_scroll < max ? s->packet_scroll : max);
	if (n == 0) {
		const char *note = run_kernel_note(e);
		char text[400];
		if (strncmp(note, "no capture: ", 12) == 0)
			note += 12;   /* the sentence below says it already */
		if (!run_kernel(e) || strstr(run_kernel_note(e), "capture"))
			snprintf(text, sizeof text, "No packet capture in this run%s%s. The calls still run for real.",
				 *note ? ": " : "", note);
		else
			snprintf(text, sizeof text, "No packets yet. Every TCP segment and UDP datagram on the "
				 "lesson's loopback will show here, under the call that sent it.");
		frame_wrap(f, x + 1, y, w - 2, h, text, ROLE_DIM);
		return;
	}
	/* The call each packet came in, in a column of its own when every
	 * line has room for it; a context on some lines only would read as
	 * if the others had none. */
	int widest = 0, ctx_w = 0;
	for (int i = 0; i < n; i++) {
		char ctx[96];
		int lw = line_width(e, &lines[i]);
		context(e, &lines[i], ctx, sizeof ctx);
		widest = lw > widest ? lw : widest;
		ctx_w = frame_width(ctx) > ctx_w ? frame_width(ctx) : ctx_w;
	}
	int ctx_x = widest + 3 + ctx_w <= w - 2 ? widest + 3 : -1;
	for (int i = 0; i < n; i++)
		draw_line(e, s, f, &lines[i], x + 1, y + i, w - 2, ctx_x);
}
