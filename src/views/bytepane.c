/* bytepane.c - sends and receives in hex and ASCII (see bytepane.h). */
#include "views/bytepane.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "model/packet.h"
#include "views/bytes.h"
#include "views/calltext.h"
#include "views/glyphs.h"
#include "views/links.h"

/* The segments (or datagrams) that carried one send, as captured while
 * the call ran: "carried by 1 segment: PSH,ACK len=12". */
typedef struct {
	int n, udp;
	char list[160];
} CarriedList;

/* Where to find them: the timeline between the call (from) and its return
 * (to), the sender's packets. Only a message on screen is decoded and
 * written out; the pane walks every message of the run at each frame. */
typedef struct {
	size_t from, to;
	int any;             /* a packet came while the call ran */
} Carried;

/* Bytes per hex line (the classic hexdump width: fits 80 columns with its
 * ASCII), and at most how many lines one message gets before "... more". */
enum { HEX_WIDTH = 16, HEX_MAX_LINES = 16, INDENT = 2 };

/* Where the lines of the pane go: only lines from..from+count-1 are drawn. */
typedef struct {
	Frame *f;
	int x, y, w;
	int from, count;
	int line;            /* lines walked so far */
	int messages;
	const Glyphs *g;
} Walk;

static int visible(const Walk *wk)
{
	return wk->f && wk->line >= wk->from && wk->line < wk->from + wk->count;
}

/* A packet the sender sent while its send ran: note its flags and length. */
static void carried_add(CarriedList *c, const Event *pkt)
{
	Packet p;
	char flags[48], one[64];
	if (packet_decode(pkt->data, pkt->len, (int)pkt->arg[0], &p) < 0 || p.wire_payload == 0)
		return;
	c->udp = p.proto == IPPROTO_UDP;
	if (c->udp)
		snprintf(one, sizeof one, "UDP len=%zu", p.wire_payload);
	else {
		packet_flags(p.flags, flags, sizeof flags);
		snprintf(one, sizeof one, "%s len=%zu", flags, p.wire_payload);
	}
	size_t n = strlen(c->list);
	if (n + 1 < sizeof c->list)
		snprintf(c->list + n, sizeof c->list - n, "%s%s", c->n ? ", " : "", one);
	c->n++;
}

static void carried_text(const Run *e, int actor, const Carried *c, char *buf, size_t cap)
{
	CarriedList l = { 0 };
	const Timeline *t = run_timeline(e);
	for (size_t k = c->from + 1; c->any && k < c->to; k++) {
		const Event *ev = timeline_get(t, k);
		if (ev->kind == EV_PACKET && ev->actor == actor)
			carried_add(&l, ev);
	}
	if (l.n == 0) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, cap, "  carried by %d %s%s: %s", l.n, l.udp ? "datagram" : "segment", l.n == 1 ? "" : "s",
		 l.list);
}

static void header(Walk *wk, const Run *e, const Event *call, const Event *ret, Link link, const Carried *c)
{
	if (visible(wk)) {
		char text[512], ctext[48];
		int me = ret->actor, peer = link.kind == LINK_RECV ? link.from : link.to;
		const RunActor *ma = run_actor(e, me), *pa = run_actor(e, peer);
		const char *mine = ma ? ma->name : "?";
		const char *theirs = pa ? pa->name : "?";
		int sent = link.kind != LINK_RECV;
		/* Only the call's name and descriptor: the bytes are right below. */
		snprintf(ctext, sizeof ctext, "%s(%d)", call->op == OP_SPLICE_RECV ? "splice"
			 : lesson_op_name((LessonOp)call->op), call->fd);
		if (!sent && ret->ret == 0)
			snprintf(text, sizeof text, "%s <- %s  0 B  %s: end of stream, the peer closed", mine, theirs, ctext);
		else
			snprintf(text, sizeof text, "%s %s %s  %zu B  %s", mine, sent ? "->" : "<-", theirs,
				 calltext_moved(ret), ctext);
		int y = wk->y + wk->line - wk->from;
		int n = frame_put_fit(wk->f, wk->x, y, text, (Role)(ROLE_ACTOR0 + me % 8), wk->w, wk->g->ell);
		char carried[256];
		carried_text(e, me, c, carried, sizeof carried);
		frame_put_fit(wk->f, wk->x + n, y, carried, ROLE_ARROW, wk->w - n, wk->g->ell);
	}
	wk->line++;
}

static void hex(Walk *wk, const uint8_t *p, size_t len, uint64_t total)
{
	size_t lines = bytes_line_count(len, HEX_WIDTH);
	for (size_t k = 0; k < lines && k < HEX_MAX_LINES; k++, wk->line++) {
		if (!visible(wk))
			continue;
		char text[160];
		size_t off = k * HEX_WIDTH;
		int y = wk->y + wk->line - wk->from, x = wk->x + INDENT;
		bytes_line(p + off, len - off, off, HEX_WIDTH, text, sizeof text);
		frame_put(wk->f, x, y, text, ROLE_HEX, wk->w - INDENT);
		frame_paint(wk->f, x, y, 4, ROLE_DIM);
		/* bytes_line: "0000 " then " xx" per byte, two blanks, the ASCII. */
		int ascii = 5 + 3 * HEX_WIDTH + 2;
		frame_paint(wk->f, x + ascii, y, HEX_WIDTH, ROLE_ASCII);
	}
	size_t shown = len < HEX_MAX_LINES * HEX_WIDTH ? len : HEX_MAX_LINES * HEX_WIDTH;
	if (total <= shown)
		return;
	if (visible(wk)) {
		char text[96];
		snprintf(text, sizeof text, "... %llu more bytes", (unsigned long long)(total - shown));
		frame_put(wk->f, wk->x + INDENT, wk->y + wk->line - wk->from, text, ROLE_DIM, wk->w - INDENT);
	}
	wk->line++;
}

/* One send or recv that moved bytes (or a recv that saw the end). */
static void message(Walk *wk, const Run *e, const Event *call, const Event *ret, Link link, const Carried *c)
{
	int sent = lesson_op_sends((LessonOp)call->op);
	int got = lesson_op_receives((LessonOp)call->op);
	if ((!sent && !got) || ret->ret < 0 || (sent && ret->ret == 0))
		return;
	wk->messages++;
	header(wk, e, call, ret, sent ? (Link){ LINK_DATA, call->actor, link.to } : link, sent ? c : &(Carried){ 0 });
	if (sent)
		hex(wk, call->data, call->len < calltext_moved(ret) ? call->len : calltext_moved(ret), calltext_moved(ret));
	else
		hex(wk, ret->data, ret->len, ret->total);
}

static void walk(const Run *e, Walk *wk)
{
	const Timeline *t = run_timeline(e);
	const Event *call[LESSON_MAX_ACTORS] = { 0 };
	Link sent_to[LESSON_MAX_ACTORS];
	Carried carried[LESSON_MAX_ACTORS];
	Links lk;
	int n = run_actor_count(e);
	links_init(&lk, n);
	for (int a = 0; a < n; a++)
		links_owner(&lk, a, run_actor_owner(e, a));
	const Link *known = links_of(e);
	for (size_t k = 0; k < timeline_count(t); k++) {
		const Event *ev = timeline_get(t, k);
		Link link = known ? known[k] : links_feed(&lk, ev);
		if (ev->actor < 0 || ev->actor >= n)
			continue;
		if (ev->kind == EV_CALL) {
			call[ev->actor] = ev;
			sent_to[ev->actor] = link;
			carried[ev->actor] = (Carried){ .from = k };
		} else if (ev->kind == EV_PACKET && call[ev->actor]) {
			carried[ev->actor].any = 1;
		} else if (ev->kind == EV_RETURN && call[ev->actor] && call[ev->actor]->seq == ev->call_seq) {
			carried[ev->actor].to = k;
			message(wk, e, call[ev->actor], ev, link.kind == LINK_RECV ? link : sent_to[ev->actor],
				&carried[ev->actor]);
			call[ev->actor] = NULL;
		}
	}
}

int bytepane_lines(const Run *e, int *messages)
{
	/* Asked several times a frame (the heading, the scroll's bound, the
	 * pane), and at every frame of an animation: counted once for each
	 * state of the timeline. */
	static uint64_t counted;
	static Walk wk;
	uint64_t now = timeline_changes(run_timeline(e));
	if (now != counted) {
		wk = (Walk){ 0 };
		walk(e, &wk);
		counted = now;
	}
	if (messages)
		*messages = wk.messages;
	return wk.line;
}

void bytepane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	int total = bytepane_lines(e, NULL);
	if (total == 0) {
		frame_wrap(f, x + 1, y, w - 2, h, "No bytes have moved yet. Every send and recv will show "
			   "here, in hex and ASCII, tagged with who sent it to whom.", ROLE_DIM);
		return;
	}
	int scroll = s->byte_scroll < total - h ? s->byte_scroll : total - h;
	if (scroll < 0)
		scroll = 0;
	int from = total - h - scroll;
	if (from < 0)
		from = 0;
	Walk wk = { .f = f, .x = x + 1, .y = y, .w = w - 2, .from = from, .count = h,
		    .g = glyphs_get(s->unicode) };
	walk(e, &wk);
}
