/* sockpane.c - the socket table (see sockpane.h).
 *
 * View layer. Rebuilt on every frame from the kernel's table and the
 * timeline, like the other views: a lesson has a handful of sockets, and
 * no state kept here can go stale across a restart. */
#include "views/sockpane.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "model/addr.h"
#include "model/kernel.h"
#include "views/glyphs.h"
#include "views/kerneltext.h"

enum { MAX_ROWS = 128, ADDR_MAX = 80, OWNER_W_MAX = 10 };

typedef struct {
	int owner;                 /* actor, or -1: the kernel */
	int proto, type;
	char local[ADDR_MAX], peer[ADDR_MAX];
	int state;                 /* -1: gone */
	uint32_t rq, wq;
	int marked;                /* the last step changed it */
	int flash;                 /* it changed less than SOCKPANE_FLASH_MS ago */
} Row;

typedef struct {
	Row v[MAX_ROWS];
	int n;
} Rows;

static const uint64_t FLASH_NS = (uint64_t)SOCKPANE_FLASH_MS * 1000000u;

/* A peer that is no peer: a listener's or an unconnected socket's. */
static void peer_text(const struct sockaddr_storage *ss, uint32_t len, char *buf, size_t cap)
{
	addr_format(ss, len, buf, cap);
	if (len == 0 || strcmp(buf, "0.0.0.0:0") == 0 || strcmp(buf, "[::]:0") == 0 ||
	    strcmp(buf, "(unnamed)") == 0)
		snprintf(buf, cap, "*");
}

static int same_socket(const Row *r, const Event *ev)
{
	char local[ADDR_MAX], peer[ADDR_MAX];
	if (r->proto != ev->proto || r->type != ev->type)
		return 0;
	addr_format(&ev->addr, ev->addrlen, local, sizeof local);
	peer_text(&ev->peer, ev->peerlen, peer, sizeof peer);
	return strcmp(r->local, local) == 0 && strcmp(r->peer, peer) == 0;
}

/* Timeline index of the step that ran last (a call or an input), or 0. */
static size_t last_step(const Timeline *t)
{
	for (size_t k = timeline_count(t); k-- > 0;) {
		const Event *ev = timeline_get(t, k);
		if ((ev->kind == EV_CALL || ev->kind == EV_INPUT) && ev->actor >= 0)
			return k;
	}
	return 0;
}

static int recent(const Event *ev, uint64_t now_ns)
{
	return now_ns && ev->when_ns <= now_ns && now_ns - ev->when_ns < FLASH_NS;
}

static void add_live(Rows *rs, const SockInfo *si, int owner)
{
	if (rs->n == MAX_ROWS)
		return;
	Row *r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->owner = owner;
	r->proto = si->proto;
	r->type = si->type;
	addr_format(&si->local, si->locallen, r->local, sizeof r->local);
	peer_text(&si->peer, si->peerlen, r->peer, sizeof r->peer);
	r->state = si->state;
	r->rq = si->rqueue;
	r->wq = si->wqueue;
}

static void add_gone(Rows *rs, const Event *ev)
{
	for (int i = 0; i < rs->n; i++)
		if (same_socket(&rs->v[i], ev))
			return;   /* the same address is in use again */
	if (rs->n == MAX_ROWS)
		return;
	Row *r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->owner = ev->actor;
	r->proto = ev->proto;
	r->type = ev->type;
	addr_format(&ev->addr, ev->addrlen, r->local, sizeof r->local);
	peer_text(&ev->peer, ev->peerlen, r->peer, sizeof r->peer);
	r->state = -1;
}

/* Kernel last, then by address: the order the kernel reports changes in,
 * so a row stays where it is while its state changes. */
static int before(const Row *a, const Row *b)
{
	unsigned oa = (unsigned)a->owner, ob = (unsigned)b->owner;
	if (oa != ob)
		return oa < ob;
	int c = strcmp(a->local, b->local);
	return c ? c < 0 : strcmp(a->peer, b->peer) < 0;
}

static void sort_rows(Rows *rs)
{
	for (int i = 1; i < rs->n; i++) {
		Row r = rs->v[i];
		int j = i;
		for (; j > 0 && before(&r, &rs->v[j - 1]); j--)
			rs->v[j] = rs->v[j - 1];
		rs->v[j] = r;
	}
}

/* The rows at now_ns: the kernel's table, the sockets that went away
 * lately, and what changed. Returns -1 when there is no table at all. */
static int build(const Run *e, uint64_t now_ns, Rows *rs)
{
	const struct kernel *k = run_kernel(e);
	const Timeline *t = run_timeline(e);
	rs->n = 0;
	if (!k)
		return -1;
	const SockList *list = kernel_sockets(k);
	for (size_t i = 0; i < list->n; i++)
		add_live(rs, &list->v[i], kernel_owner(k, i));
	size_t step = last_step(t);
	for (size_t i = timeline_count(t); i-- > 0;) {
		const Event *ev = timeline_get(t, i);
		if (i < step && !recent(ev, now_ns))
			break;
		if (ev->kind != EV_STATE)
			continue;
		if (ev->state < 0 && recent(ev, now_ns))
			add_gone(rs, ev);
		for (int r = 0; r < rs->n; r++) {
			if (!same_socket(&rs->v[r], ev))
				continue;
			rs->v[r].marked |= i > step;
			rs->v[r].flash |= recent(ev, now_ns);
		}
	}
	sort_rows(rs);
	return 0;
}

int sockpane_count(const Run *e, uint64_t now_ns)
{
	static Rows rs;   /* large; views run on one thread */
	build(e, now_ns, &rs);
	return rs.n;
}

uint64_t sockpane_due(const Run *e, uint64_t now_ns)
{
	const Timeline *t = run_timeline(e);
	uint64_t due = 0;
	if (!run_kernel(e))
		return 0;
	for (size_t i = timeline_count(t); i-- > 0;) {
		const Event *ev = timeline_get(t, i);
		if (!recent(ev, now_ns))
			break;   /* events are in time order: all older ones are done */
		if (ev->kind == EV_STATE && (due == 0 || ev->when_ns + FLASH_NS < due))
			due = ev->when_ns + FLASH_NS;
	}
	return due;
}

/* Column widths for the rows at inner width w. */
typedef struct {
	int owner, proto, addr, state;
} Widths;

static Widths widths(const Run *e, const Rows *rs, int w)
{
	Widths c = { 6, 6, 9, 12 };
	for (int i = 0; i < run_actor_count(e); i++) {
		int n = frame_width(run_actor(e, i)->name);
		c.owner = n > c.owner ? (n < OWNER_W_MAX ? n : OWNER_W_MAX) : c.owner;
	}
	int longest = 9;
	for (int i = 0; i < rs->n; i++) {
		int a = frame_width(rs->v[i].local), b = frame_width(rs->v[i].peer);
		longest = a > longest ? a : longest;
		longest = b > longest ? b : longest;
	}
	/* marker 2, owner + 1, proto, state, 13 for the queues, 2 blanks after each address */
	int room = (w - 2 - (c.owner + 1) - c.proto - c.state - 13 - 4) / 2;
	c.addr = longest + 1 < room ? longest + 1 : room;
	if (c.addr < 8)
		c.addr = 8;
	return c;
}

static Role owner_role(int owner)
{
	return owner >= 0 ? (Role)(ROLE_ACTOR0 + owner % 8) : ROLE_NORMAL;
}

static void draw_header(Frame *f, const Widths *c, int x, int y, int w)
{
	char text[256];
	snprintf(text, sizeof text, "  %-*s %-*s%-*s  %-*s  %-*sRecv-Q Send-Q", c->owner, "Owner", c->proto,
		 "Proto", c->addr, "Local", c->addr, "Peer", c->state, "State");
	frame_put(f, x, y, text, ROLE_BORDER, w);
}

/* Has this TCP socket had its peer's FIN (in the states after one)? */
static int fin_received(const Row *r)
{
	return r->proto == IPPROTO_TCP &&
	       (r->state == SOCK_CLOSE_WAIT || r->state == SOCK_LAST_ACK || r->state == SOCK_CLOSING);
}

/* The two queues as the kernel counts them, in words that say what waits.
 * A TCP Recv-Q is sequence numbers not yet read, and the peer's FIN takes
 * one of them until recv() returns 0 for it: "0+FIN" says no byte waits,
 * only the end of the stream. An AF_UNIX socket's Send-Q is the memory its
 * sent buffers hold ("768" for 5 bytes), not bytes: its bytes wait in the
 * peer's Recv-Q, and its Send-Q shows as "-". */
static void queues_text(const Row *r, char *buf, size_t cap)
{
	char rq[24], wq[24];
	if (fin_received(r) && r->rq > 0)
		snprintf(rq, sizeof rq, "%u+FIN", r->rq - 1);
	else
		snprintf(rq, sizeof rq, "%u", r->rq);
	if (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)
		snprintf(wq, sizeof wq, "-");
	else
		snprintf(wq, sizeof wq, "%u", r->wq);
	snprintf(buf, cap, "%6s %6s", rq, wq);
}

static void draw_row(const Run *e, const ScreenState *s, Frame *f, const Widths *c, const Row *r, int x, int y, int w)
{
	const Glyphs *g = glyphs_get(s->unicode);
	const char *proto = r->proto == IPPROTO_TCP ? "tcp" : r->proto == IPPROTO_UDP ? "udp" : "unix";
	const char *owner = r->owner >= 0 && r->owner < run_actor_count(e) ? run_actor(e, r->owner)->name : "kernel";
	const char *state = r->state < 0 ? "gone" : kerneltext_state_name(r->state, r->type);
	char queues[48];
	if (r->state == SOCK_LISTEN && r->type == SOCK_STREAM)
		snprintf(queues, sizeof queues, "queue %u/%u", r->rq, r->wq);
	else if (r->state < 0)
		queues[0] = '\0';
	else
		queues_text(r, queues, sizeof queues);
	Role base = r->state < 0 ? ROLE_DIM : ROLE_NORMAL;
	int end = x + w, p = x;
	frame_put(f, p, y, r->marked ? "*" : " ", ROLE_NOTICE, end - p);
	p += 2;
	frame_put_fit(f, p, y, owner, r->state < 0 ? ROLE_DIM : owner_role(r->owner), c->owner, g->ell);
	p += c->owner + 1;
	frame_put(f, p, y, proto, base, end - p);
	p += c->proto;
	frame_put_fit(f, p, y, r->local, base, c->addr, g->ell);
	p += c->addr + 2;
	frame_put_fit(f, p, y, r->peer, base, c->addr, g->ell);
	p += c->addr + 2;
	frame_put(f, p, y, state, base, end - p);
	p += c->state;
	if (p < end)
		frame_put(f, p, y, queues, base, end - p);
	if (r->flash && r->state >= 0)
		frame_paint(f, x + 2, y, w - 2, ROLE_CURRENT);
}

/* Which rows to show in h: all when they fit; else the changed ones first,
 * then the others, each kept in its place in the order. */
static void choose(const Rows *rs, int h, int *show)
{
	int left = h;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < rs->n; i++) {
			int wanted = rs->v[i].marked || rs->v[i].flash || rs->v[i].state < 0;
			if ((pass == 0) == wanted && left > 0) {
				show[i] = 1;
				left--;
			}
		}
}

/* Has the kernel reported any socket in this run (its first state)? */
static int any_socket_seen(const Run *e)
{
	const Timeline *t = run_timeline(e);
	for (size_t i = 0; i < timeline_count(t); i++)
		if (timeline_get(t, i)->kind == EV_STATE)
			return 1;
	return 0;
}

int sockpane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	static Rows rs;
	int show[MAX_ROWS] = { 0 };
	if (build(e, s->now_ns, &rs) < 0) {
		char text[400];
		const char *note = run_kernel_note(e);
		snprintf(text, sizeof text, "No socket table in this run%s%s.", *note ? ": " : "", note);
		frame_wrap(f, x + 1, y, w - 2, h, text, ROLE_DIM);
		return 0;
	}
	if (rs.n == 0 && any_socket_seen(e)) {
		frame_wrap(f, x + 1, y, w - 2, h, "No sockets now: every socket of this run has closed or been reset, "
			   "and the kernel holds none of them any more.", ROLE_DIM);
		return 0;
	}
	if (rs.n == 0) {
		frame_wrap(f, x + 1, y, w - 2, h, "No sockets yet. Each socket of the lesson will show here as "
			   "the kernel reports it: who holds it, its addresses, its TCP state and its queues.", ROLE_DIM);
		return 0;
	}
	Widths c = widths(e, &rs, w - 2);
	draw_header(f, &c, x + 1, y, w - 2);
	choose(&rs, h - 1, show);
	int row = 1;
	for (int i = 0; i < rs.n; i++)
		if (show[i])
			draw_row(e, s, f, &c, &rs.v[i], x + 1, y + row++, w - 2);
	return row - 1;
}
