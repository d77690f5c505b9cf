/* flow.c - the flow diagram and the console strip (see flow.h).
 *
 * View layer. The diagram is rebuilt from the timeline on every frame: a
 * lesson makes at most a few thousand events, and building from scratch
 * keeps the view a plain function of the model, with no state to go stale
 * across a restart.
 *
 * Arrows: where packets are captured, each packet is an arrow of its own
 * (SYN, SYN,ACK, ACK beside a connect()), starting on the row of the call
 * during which it was seen, and a call on an IP socket draws no arrow of
 * its own: the packets say what it sent, and a call that sent none (a
 * close() after a reset) shows none. Without a capture, or on a socket
 * whose traffic never reaches the wire (AF_UNIX), a call keeps the arrow
 * links.c works out for it: connect, bytes sent, close. */
#include "views/flow.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "model/breaks.h"
#include "model/packet.h"
#include "views/calltext.h"
#include "views/glyphs.h"
#include "views/kerneltext.h"
#include "views/links.h"

typedef enum { ITEM_CALL, ITEM_INPUT, ITEM_EXIT, ITEM_NOTE, ITEM_PENDING, ITEM_PACKET } ItemKind;

typedef struct {
	ItemKind kind;
	int actor;           /* -1: a note of sockstep's own, across every column */
	int row;
	int until;           /* CALL: the row its return came at, -1 while it runs */
	const Event *ev;     /* NULL for a pending input */
	const Event *ret;    /* CALL: its EV_RETURN once there */
	Link link;           /* PACKET: from sender to receiver (-1: the kernel) */
	int npackets;        /* CALL: packets it sent or got, drawn as arrows */
	int by_packets;      /* CALL: its packets are captured, it draws no arrow itself */
} Item;

typedef struct {
	Item *items;
	int n;
	int rows;            /* rows the diagram needs */
	int current;         /* the item of the call that ran last, or -1 */
	int capture;         /* packets are captured in this run */
	int family[LESSON_MAX_ACTORS][LINKS_MAX_FD];  /* each descriptor's address family, 0 unknown */
	int owner[LESSON_MAX_ACTORS];   /* the program's first actor: a thread shares its descriptors */
	Event pending[LESSON_MAX_ACTORS];
} Flow;

typedef struct {
	int n;               /* actors */
	int cx[LESSON_MAX_ACTORS];  /* each actor's column; -1: folded away */
	int cw;              /* column width */
	int fold;            /* the actor the fold column shows, -1: no fold */
	int folded;          /* how many actors share the fold column */
	int fold_at;         /* ... and which of them fold is (from 0) */
} Columns;

/* A column narrower than this cuts even short calls' names ("setsocko… =
 * 0"): more actors than fit at this width share the last column. */
enum { FOLD_MIN_CW = 22 };

static int gap_of(int cols, int w)
{
	int gap = cols > 2 ? 6 : 7 + (w > 80 ? (w - 80) / 5 : 0);
	return gap > 30 ? 30 : gap;
}

static int width_of(int cols, int w)
{
	return (w - 1 - gap_of(cols, w) * (cols - 1)) / cols;
}

/* The columns n actors get across w, at least two. */
static int columns_fit(int n, int w)
{
	int cols = n < 1 ? 1 : n;
	while (cols > 2 && width_of(cols, w) < FOLD_MIN_CW)
		cols--;
	return cols;
}

int flow_folded(const Run *e, int w)
{
	int n = run_actor_count(e), cols = columns_fit(n, w);
	return cols < n ? n - cols + 1 : 0;
}

/* Defined after columns(), which it asks. */
static void columns(const Run *e, const ScreenState *s, int n, int x, int w, Columns *c);

int flow_fold_shown(const Run *e, const ScreenState *s, int w)
{
	Columns c;
	columns(e, s, run_actor_count(e), 0, w, &c);
	return c.fold;
}

/* The actor of the newest call or input, or -1. */
static int last_actor(const Run *e)
{
	const Timeline *t = run_timeline(e);
	for (size_t k = timeline_count(t); k-- > 0;) {
		const Event *ev = timeline_get(t, k);
		if ((ev->kind == EV_CALL || ev->kind == EV_INPUT) && ev->actor >= 0)
			return ev->actor;
	}
	return -1;
}

/* Which of the actors from first on the fold shows: the picked one, else
 * the one whose step just ran, else the one that runs next -- the fold
 * follows what happens -- else the first of them. */
static int fold_pick(const Run *e, const ScreenState *s, int first, int n)
{
	int last = last_actor(e);
	if (s->selected >= first && s->selected < n)
		return s->selected;
	if (last >= first && last < n)
		return last;
	if (s->next >= first && s->next < n)
		return s->next;
	return first;
}

/* Columns for the actors across w: a gap between them wide enough for an
 * arrow with its label; wide terminals get wider gaps and columns. When
 * more actors than fit, the last column is a fold: it shows one of the
 * actors that did not fit (fold_pick), and its heading says which of how
 * many ("2/3"). */
static void columns(const Run *e, const ScreenState *s, int n, int x, int w, Columns *c)
{
	int cols = columns_fit(n, w);
	c->n = n < 1 ? 1 : n;
	c->cw = width_of(cols, w);
	c->fold = -1;
	c->folded = c->fold_at = 0;
	if (cols < c->n) {
		c->folded = c->n - cols + 1;
		c->fold = fold_pick(e, s, cols - 1, c->n);
		c->fold_at = c->fold - (cols - 1);
	}
	for (int i = 0, col = 0; i < c->n; i++) {
		c->cx[i] = -1;
		if (c->fold >= 0 && i >= cols - 1 && i != c->fold)
			continue;
		c->cx[i] = x + 1 + col++ * (c->cw + gap_of(cols, w));
	}
}

static int shown(const Columns *c, int a)
{
	return a >= 0 && a < c->n && c->cx[a] >= 0;
}

/* The actor whose column is right of a's, or -1. */
static int right_of(const Columns *c, int a)
{
	for (int i = a + 1; i < c->n; i++)
		if (shown(c, i))
			return i;
	return -1;
}

static Role actor_role(int i)
{
	return (Role)(ROLE_ACTOR0 + (i >= 0 ? i % 8 : 0));
}

void flow_pending_event(const RunActor *a, int actor, Event *ev)
{
	const GateRecord *r = &a->pending;
	memset(ev, 0, sizeof *ev);
	ev->kind = EV_CALL;
	ev->actor = actor;
	ev->step = r->step;
	ev->op = r->op;
	ev->fd = r->fd;
	memcpy(ev->arg, r->arg, sizeof ev->arg);
	ev->total = r->total;
	ev->addr = r->addr;
	ev->addrlen = r->addrlen;
	ev->data = (uint8_t *)r->data;
	ev->len = r->len;
}

static const char *sig_name(int sig)
{
	const char *name = sigabbrev_np(sig);
	return name ? name : "?";
}

void flow_actor_state(const Run *e, int i, char *buf, size_t cap)
{
	const RunActor *a = run_actor(e, i);
	const Timeline *t = run_timeline(e);
	const Event *call = NULL;
	for (size_t k = timeline_count(t); k-- > 0 && a->state == ACTOR_BLOCKED;) {
		const Event *ev = timeline_get(t, k);
		if (ev->seq == a->call_seq) {
			call = ev;
			break;
		}
	}
	switch (a->state) {
	case ACTOR_STARTING: snprintf(buf, cap, "starting"); break;
	case ACTOR_READY: snprintf(buf, cap, "%s", a->idle ? "polling" : "ready"); break;
	case ACTOR_INPUT: snprintf(buf, cap, "wants input"); break;
	case ACTOR_RUNNING: snprintf(buf, cap, "running"); break;
	case ACTOR_BLOCKED:
		snprintf(buf, cap, "blocked in %s", call ? lesson_op_name((LessonOp)call->op) : "a call");
		break;
	case ACTOR_DONE:
		/* Done with a signal: a server stopped at the end of the run. */
		snprintf(buf, cap, "%s", WIFSIGNALED(a->status) ? "stopped: run over" : "done");
		break;
	case ACTOR_DEAD:
		/* sigabbrev_np gives "KILL"; the name students look up is SIGKILL. */
		if (WIFSIGNALED(a->status))
			snprintf(buf, cap, "killed by SIG%s", sig_name(WTERMSIG(a->status)));
		else
			snprintf(buf, cap, "exited %d", WEXITSTATUS(a->status));
		break;
	}
}

/* Put an item for actor a (-1: every column) on the first row allowed. */
static int place(int *next_free, int nactors, int *last, int a)
{
	int r = *last;
	for (int i = 0; i < nactors; i++)
		if ((a < 0 || i == a) && next_free[i] > r)
			r = next_free[i];
	for (int i = 0; i < nactors; i++)
		if (a < 0 || i == a)
			next_free[i] = r + 1;
	*last = r;
	return r;
}

/* The call item that was running when a packet was seen: the newest call
 * not yet returned. */
static Item *running_call(Flow *fl, const int *open, int nactors)
{
	Item *best = NULL;
	for (int a = 0; a < nactors; a++)
		if (open[a] >= 0 && (!best || fl->items[open[a]].ev->seq > best->ev->seq))
			best = &fl->items[open[a]];
	return best;
}

static int same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port && memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
	}
	return 0;
}

/* Neither end of a packet is known (a connect() refused: its socket was
 * gone before the kernel view could see whose port it was). The call it
 * came in still tells its direction: towards the address the call named
 * is out of the caller, from it is in. */
static void guess_direction(const Item *call, const Event *ev, Link *link)
{
	Packet p;
	if (!call || !call->ev->addrlen || packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) < 0)
		return;
	if (same_endpoint(&p.dst, &call->ev->addr))
		link->from = call->actor;
	else if (same_endpoint(&p.src, &call->ev->addr))
		link->to = call->actor;
}

/* A packet becomes an arrow between its sender's and receiver's columns.
 * The first packet of a call goes on the call's own row when the arrow
 * runs to the left of the call's text and the columns it crosses are free
 * there (else the text beside it -- the call's own, or an accept() that
 * returned -- would leave no room for its label); the others go below.
 * The columns it crosses take no other item on its row, so time still
 * reads downwards. One end unknown (the kernel answering for no process):
 * the arrow is a stub beside the known actor, or beside the running call's
 * actor when neither end is known. */
static void place_packet(Flow *fl, const Event *ev, int *next_free, int n, int *last, const int *open)
{
	int a = ev->actor < n ? ev->actor : -1, b = ev->peer_actor < n ? ev->peer_actor : -1;
	Item *call = running_call(fl, open, n);
	int known = a >= 0 ? a : b >= 0 ? b : call ? call->actor : -1;
	if (known < 0 || (a >= 0 && a == b))
		return;
	int lo = known, hi = known;
	if (a >= 0 && b >= 0) {
		lo = a < b ? a : b;
		hi = a < b ? b : a;
	}
	int mine = call && (call->actor == a || call->actor == b || (a < 0 && b < 0));
	/* A stub needs the room after the call's text: it goes below the call. */
	int r = *last, beside = mine && a >= 0 && b >= 0 && call->actor == hi && call->npackets == 0 &&
				call->row == *last;
	for (int i = lo; i <= hi && beside; i++)
		beside = i == call->actor || next_free[i] <= call->row;
	if (!beside)
		for (int i = lo; i <= hi; i++)
			r = next_free[i] > r ? next_free[i] : r;
	for (int i = lo; i <= hi; i++)
		next_free[i] = r + 1 > next_free[i] ? r + 1 : next_free[i];
	*last = r;
	if (mine)
		call->npackets++;
	Link link = { LINK_NONE, a, b };
	if (a < 0 && b < 0)
		guess_direction(call, ev, &link);
	fl->items[fl->n++] = (Item){ .kind = ITEM_PACKET, .actor = known, .row = r, .until = -1, .ev = ev,
				     .link = link };
}

static int abnormal_exit(const Run *e, const Event *ev)
{
	const RunActor *a = run_actor(e, ev->actor);
	return WIFSIGNALED(ev->status) || WEXITSTATUS(ev->status) != 0 || (a && a->state != ACTOR_DONE);
}

/* A descriptor's family: its actor's, else its program's first actor's
 * (a thread uses the listener the program made). */
static int family_of(const Flow *fl, int a, int fd)
{
	if (fd < 0 || fd >= LINKS_MAX_FD)
		return 0;
	return fl->family[a][fd] ? fl->family[a][fd] : fl->family[fl->owner[a]][fd];
}

/* A socket() or accept() returned: remember what family its descriptor is. */
static void learn_family(Flow *fl, int a, const Event *call, const Event *ret)
{
	if (ret->ret < 0 || ret->ret >= LINKS_MAX_FD)
		return;
	if (call->op == OP_SOCKET)
		fl->family[a][ret->ret] = (int)call->arg[0];
	else if (call->op == OP_ACCEPT)
		fl->family[a][ret->ret] = family_of(fl, a, call->fd);
}

static int on_ip(const Flow *fl, int a, int fd)
{
	int f = family_of(fl, a, fd);
	return f == AF_INET || f == AF_INET6;
}

/* Is the event about an actor the fold hides (c NULL: none is hidden)?
 * A packet is when either end is. */
static int hidden(const Columns *c, const Event *ev, int n)
{
	if (!c)
		return 0;
	int a = ev->actor >= 0 && ev->actor < n ? ev->actor : -1;
	int b = ev->kind == EV_PACKET && ev->peer_actor >= 0 && ev->peer_actor < n ? ev->peer_actor : -1;
	return (a >= 0 && !shown(c, a)) || (b >= 0 && !shown(c, b));
}

/* The diagram's items; c: the columns, whose folded actors it leaves out
 * (NULL: every actor). */
static int flow_build(const Run *e, const Columns *c, Flow *fl)
{
	const Timeline *t = run_timeline(e);
	int n = run_actor_count(e);
	int next_free[LESSON_MAX_ACTORS] = { 0 }, open[LESSON_MAX_ACTORS], last = 0;
	Links lk;
	links_init(&lk, n);
	memset(fl, 0, sizeof *fl);
	for (int a = 0; a < n; a++) {
		int o = run_actor_owner(e, a);
		links_owner(&lk, a, o);
		fl->owner[a] = o >= 0 && o < LESSON_MAX_ACTORS ? o : a;
	}
	fl->current = -1;
	fl->capture = run_kernel(e) && !strstr(run_kernel_note(e), "capture");
	fl->items = calloc(timeline_count(t) + (size_t)n + 1, sizeof *fl->items);
	if (!fl->items)
		return -1;
	for (int i = 0; i < LESSON_MAX_ACTORS; i++)
		open[i] = -1;
	const Link *known = links_of(e);
	for (size_t k = 0; k < timeline_count(t); k++) {
		const Event *ev = timeline_get(t, k);
		Link link = known ? known[k] : links_feed(&lk, ev);
		if (hidden(c, ev, n))
			continue;
		int a = ev->actor >= 0 && ev->actor < n ? ev->actor : -1;
		Item it = { .actor = a, .ev = ev, .link = link, .until = -1 };
		if (ev->kind == EV_RETURN) {
			if (a >= 0 && open[a] >= 0) {
				learn_family(fl, a, fl->items[open[a]].ev, ev);
				fl->items[open[a]].ret = ev;
				fl->items[open[a]].until = last;
				open[a] = -1;
			}
			continue;
		}
		if (ev->kind == EV_PACKET) {
			place_packet(fl, ev, next_free, n, &last, open);
			continue;
		}
		/* Console lines have their own strip; socket states are the socket
		 * pane's business; a normal exit shows in the heading. */
		if (ev->kind != EV_CALL && ev->kind != EV_INPUT && ev->kind != EV_EXIT && ev->kind != EV_NOTE)
			continue;
		if (ev->kind == EV_EXIT && (a < 0 || !abnormal_exit(e, ev)))
			continue;
		if ((ev->kind == EV_CALL || ev->kind == EV_INPUT) && a < 0)
			continue;
		it.kind = ev->kind == EV_CALL ? ITEM_CALL : ev->kind == EV_INPUT ? ITEM_INPUT
			: ev->kind == EV_EXIT ? ITEM_EXIT : ITEM_NOTE;
		it.row = place(next_free, n, &last, a);
		if (it.kind == ITEM_CALL) {
			open[a] = fl->n;
			it.by_packets = fl->capture && on_ip(fl, a, ev->fd);
		}
		if (it.kind == ITEM_CALL || it.kind == ITEM_INPUT)
			fl->current = fl->n;
		fl->items[fl->n++] = it;
	}
	/* What each actor will do next, below what it did. */
	for (int a = 0; a < n; a++) {
		const RunActor *ea = run_actor(e, a);
		if ((ea->state != ACTOR_READY && ea->state != ACTOR_INPUT) || (c && !shown(c, a)))
			continue;
		Item it = { .kind = ITEM_PENDING, .actor = a, .until = -1 };
		if (ea->state == ACTOR_READY) {
			flow_pending_event(ea, a, &fl->pending[a]);
			it.ev = &fl->pending[a];
		}
		it.row = place(next_free, n, &last, a);
		fl->items[fl->n++] = it;
	}
	for (int a = 0; a < n; a++)
		if (next_free[a] > fl->rows)
			fl->rows = next_free[a];
	return 0;
}

/* A result without its words in parentheses: "-1 ECONNREFUSED", "0". */
static void short_result(const Event *ret, char *buf, size_t cap)
{
	calltext_result(ret, 0, buf, cap);
	char *words = strstr(buf, " (");
	if (words)
		*words = '\0';
}

/* The call's first quoted string (and the "..." after it when it was
 * cut) replaced by the ellipsis glyph: "sendall(3, …, 12)". */
static void drop_string(char *c, size_t cap, const char *ell)
{
	char *q = strchr(c, '"'), *p = q ? q + 1 : NULL;
	while (p && *p && *p != '"')
		p += p[0] == '\\' && p[1] ? 2 : 1;
	if (!p || *p != '"')
		return;
	p++;
	if (strncmp(p, "...", 3) == 0)
		p += 3;
	char rest[512];
	snprintf(rest, sizeof rest, "%s", p);
	snprintf(q, cap - (size_t)(q - c), "%s%s", ell, rest);
}

/* The call with its arguments cut to fit cw columns before its end
 * (") = -1 EPIPE" and the tail), which stays whole: "send(3, ""..., 5,
 * MSG_NO…) = -1 EPIPE". When not even the name and its parenthesis fit,
 * the name is cut: "setso… = 0". Returns 1 when the name stayed whole. */
static int cut_arguments(const char *mark, const char *c, const char *end, int cw, const char *ell, char *buf,
			 size_t cap)
{
	size_t len = strlen(c);
	int keep = cw - frame_width(mark) - frame_width(end) - frame_width(ell);
	const char *open = strchr(c, '(');
	int least = open ? (int)(open - c) + 1 : 0, whole = keep >= least;
	int shut = len > 0 && c[len - 1] == ')';
	len -= (size_t)shut;
	/* All of it fits once no ellipsis takes a column. */
	if (frame_width(mark) + frame_width(c) - shut + frame_width(end) <= cw) {
		snprintf(buf, cap, "%s%.*s%s", mark, (int)len, c, end);
		return 1;
	}
	if (!whole) {
		end++;   /* its ')' */
		keep = cw - frame_width(mark) - frame_width(end) - frame_width(ell);
		keep = keep > 1 ? keep : 1;
	}
	/* keep characters of the call, counted as frame_width counts them. */
	size_t bytes = 0;
	for (int n = 0; n < keep && bytes < len; n++) {
		bytes++;
		while (bytes < len && ((unsigned char)c[bytes] & 0xc0) == 0x80)
			bytes++;
	}
	snprintf(buf, cap, "%s%.*s%s%s", mark, (int)bytes, c, bytes < len || !whole ? ell : "", end);
	return whole;
}

/* "connect(3, 127.0.0.1:65432) = 0", made to fit cw columns if it can:
 * first the call's detail in the result goes (the peer's address), then
 * bytes of the quoted data, then the result's words ("(Connection
 * refused)") and the quoted data itself, and last the ends of the
 * arguments -- never the result: a call line is there to say how the
 * call returned. A call of a task beyond the columns, shown in its
 * program's, starts with the task's mark: "[pid 1234] ". Returns 0 when
 * even the call's name had to be cut for the result to fit. */
static int call_line(const Event *call, const Event *ret, int cw, const char *tail, const char *ell, char *buf,
		     size_t cap)
{
	static const size_t maxstr[] = { 32, 16, 8, 5 };
	char c[512], r[256], mark[48] = "", end[320];
	if (call->text)
		snprintf(mark, sizeof mark, "[%s] ", call->text);
	for (int detail = 1; detail >= 0; detail--) {
		for (size_t i = 0; i < sizeof maxstr / sizeof maxstr[0]; i++) {
			calltext_call(call, maxstr[i], c, sizeof c);
			if (ret)
				calltext_result(ret, detail, r, sizeof r);
			snprintf(buf, cap, "%s%s%s%s%s", mark, c, ret ? " = " : "", ret ? r : "", tail);
			if (frame_width(buf) <= cw)
				return 1;
		}
	}
	/* Before any argument is cut, the terser spelling (an option without
	 * its level), whole. */
	calltext_call_terse(call, c, sizeof c);
	if (ret)
		calltext_result(ret, 0, r, sizeof r);
	snprintf(buf, cap, "%s%s%s%s%s", mark, c, ret ? " = " : "", ret ? r : "", tail);
	if (frame_width(buf) <= cw)
		return 1;
	if (call->op != OP_SETSOCKOPT && call->op != OP_GETSOCKOPT)
		calltext_call(call, 0, c, sizeof c);
	drop_string(c, sizeof c, ell);
	if (ret)
		short_result(ret, r, sizeof r);
	snprintf(end, sizeof end, ")%s%s%s", ret ? " = " : "", ret ? r : "", tail);
	return cut_arguments(mark, c, end, cw, ell, buf, cap);
}

static const char *lifeless_tail(const Run *e, const Item *it)
{
	const RunActor *a = run_actor(e, it->actor);
	if (!a)
		return " ...";
	if (a->state == ACTOR_BLOCKED && a->call_seq == it->ev->seq)
		return " ... blocked";
	if (a->state == ACTOR_DEAD)
		return " ... never returned";
	return " ...";
}

/* Does this item draw the next call of an actor that has a breakpoint on it? */
static int pending_break(const Run *e, const ScreenState *s, const Item *it)
{
	return it->kind == ITEM_PENDING && breaks_hit(&s->breaks, e, it->actor);
}

/* The marker and text of one item, and its role. A returned call whose
 * name and result do not fit its column's cw may take up to wide columns
 * (the next column, free on its row), and *used says which it took. */
static Role item_text(const Run *e, const ScreenState *s, const Item *it, int cw, int wide, int *used, char *buf,
		      size_t cap)
{
	*used = cw;
	const Glyphs *g = glyphs_get(s->unicode);
	const char *next = pending_break(e, s, it) ? g->mark_break : g->mark_next;
	const RunActor *a = run_actor(e, it->actor);
	char text[1024];
	int mw = frame_width(g->mark_ok);
	switch (it->kind) {
	case ITEM_CALL:
		if (!it->ret) {
			/* Its marker says it has not returned: in a narrow
			 * column the words that say so again give way. */
			if (!call_line(it->ev, NULL, cw - mw, lifeless_tail(e, it), g->ell, text, sizeof text))
				call_line(it->ev, NULL, cw - mw, "", g->ell, text, sizeof text);
			snprintf(buf, cap, "%s%s", g->mark_run, text);
			return a && a->state == ACTOR_DEAD ? ROLE_ERROR : ROLE_BLOCKED;
		}
		if (!call_line(it->ev, it->ret, cw - mw, "", g->ell, text, sizeof text) && wide > cw) {
			call_line(it->ev, it->ret, wide - mw, "", g->ell, text, sizeof text);
			*used = wide;
		}
		if (it->ret->ret < 0 && calltext_interrupted(it->ret->err)) {
			/* A wait a signal cut short: no failure, the kernel restarts it. */
			snprintf(buf, cap, "%s%s", g->mark_run, text);
			return ROLE_BLOCKED;
		}
		snprintf(buf, cap, "%s%s", it->ret->ret < 0 ? g->mark_fail : g->mark_ok, text);
		return it->ret->ret < 0 ? ROLE_ERROR : actor_role(it->actor);
	case ITEM_INPUT:
		calltext_quote((const unsigned char *)it->ev->text, strlen(it->ev->text), text, 200);
		snprintf(buf, cap, "%sinput \"%s\"", g->mark_ok, text);
		return ROLE_INPUT;
	case ITEM_PENDING:
		if (it->ev) {
			call_line(it->ev, NULL, cw - mw, "", g->ell, text, sizeof text);
			snprintf(buf, cap, "%s%s", next, text);
		} else {
			const LessonStep *st = run_lesson_step(e, it->actor);
			snprintf(buf, cap, "%sinput%s%s%s", next, st && st->prompt ? " \"" : " (type a line)",
				 st && st->prompt ? st->prompt : "", st && st->prompt ? "\"" : "");
		}
		return ROLE_PENDING;
	case ITEM_EXIT:
		if (WIFSIGNALED(it->ev->status))
			snprintf(buf, cap, "%s+++ killed by SIG%s +++", g->mark_fail, sig_name(WTERMSIG(it->ev->status)));
		else
			snprintf(buf, cap, "%s+++ exited %d before its end +++", g->mark_fail, WEXITSTATUS(it->ev->status));
		return ROLE_ERROR;
	case ITEM_NOTE:
		snprintf(buf, cap, "-- %s", it->ev->text ? it->ev->text : "");
		return ROLE_NOTICE;
	case ITEM_PACKET:
		break;   /* an arrow, not text */
	}
	return ROLE_NORMAL;
}

static void draw_heading(const Run *e, const ScreenState *s, Frame *f, const Columns *c, int i, int y)
{
	const RunActor *a = run_actor(e, i);
	char name[128], state[96], text[320], pid[48] = "";
	size_t k;
	if (!shown(c, i))
		return;
	for (k = 0; a->name[k] && k < 63; k++)
		name[k] = (char)toupper((unsigned char)a->name[k]);
	name[k] = '\0';
	/* The fold column: which of the actors sharing it this is ("2/3"). */
	if (i == c->fold)
		snprintf(name + k, sizeof name - k, " %d/%d", c->fold_at + 1, c->folded);
	/* On a lesson with hosts the column says which machine the actor is
	 * on, as the socket pane's addresses do: "SERVER on b". It stays when
	 * the column narrows; the pid goes first. */
	const Lesson *l = run_lesson(e);
	int h = i < l->nactors ? l->actors[i].host : -1;
	k = strlen(name);
	if (l->nhosts > 0 && h >= 0 && h < l->nhosts)
		snprintf(name + k, sizeof name - k, " on %s", l->hosts[h].name);
	flow_actor_state(e, i, state, sizeof state);
	/* A program's column names its process or thread as ps and strace do:
	 * the kernel's name for it, and its id. */
	if (a->program > 0)
		snprintf(pid, sizeof pid, "  %s%spid %d", a->comm, *a->comm ? " " : "", (int)a->program);
	snprintf(text, sizeof text, "%s%s  %s%s", name, pid, state, s->next == i ? " (next)" : "");
	/* A narrow column keeps the actor's state, which changes, before its
	 * pid, which does not: first the gap after the pid narrows, then the
	 * pid goes. */
	if (frame_width(text) > c->cw) {
		snprintf(text, sizeof text, "%s%s %s%s", name, pid, state, s->next == i ? " (next)" : "");
		if (frame_width(text) > c->cw)
			snprintf(text, sizeof text, "%s %s%s", name, state, s->next == i ? " (next)" : "");
	}
	Role role = i == s->selected ? ROLE_SELECTED : a->state == ACTOR_DEAD ? ROLE_ERROR : actor_role(i);
	if (i == s->selected)
		frame_fill(f, c->cx[i] - 1, y, c->cw + 1, " ", role);
	frame_put_fit(f, c->cx[i], y, text, role, c->cw, glyphs_get(s->unicode)->ell);
}

static const char *arrow_label(const Item *it, char *buf, size_t cap)
{
	if (it->kind == ITEM_PACKET) {
		kerneltext_label(it->ev, buf, cap);
		return buf;
	}
	if (it->link.kind == LINK_CONNECT)
		return "connect";
	if (it->link.kind == LINK_CLOSE)
		return it->ev->op == OP_SHUTDOWN ? "shutdown" : "close";
	uint64_t n = it->ret && it->ret->ret >= 0 ? (uint64_t)it->ret->ret : it->ev->total;
	snprintf(buf, cap, "%llu B", (unsigned long long)n);
	return buf;
}

/* How far an arrow has travelled: pos of len frames; len 0: all the way. */
typedef struct {
	int pos, len;
} Progress;

/* An arrow from column a to column b on row y: in the gap between them and
 * over the blank end of the left column. While it is being animated, only
 * the part that has travelled is drawn. */
static void draw_arrow(const ScreenState *s, Frame *f, const Columns *c, int a, int b, const char *label, int y,
		       Progress pr)
{
	const Glyphs *g = glyphs_get(s->unicode);
	if (!shown(c, a) || !shown(c, b) || a == b)
		return;
	int left = a < b ? a : b, right = a < b ? b : a, rightward = a < b;
	int L = c->cx[left] + c->cw, R = c->cx[right] - 2;
	while (L - 2 > c->cx[left] + 3 && frame_blank(f, L - 1, y) && frame_blank(f, L - 2, y))
		L--;
	/* Keep a blank between the left column's text and the arrow. */
	while (L <= R && !frame_blank(f, L - 1, y))
		L++;
	int len = R - L + 1;
	if (len < 3)
		return;
	/* The label in the middle, a line of two either side; of one on a
	 * short arrow, rather than no label. */
	int lw = frame_width(label);
	int lstart = lw + 4 <= len ? (len - lw) / 2 : lw + 2 <= len ? 1 : -1;
	int shown = len;
	if (pr.len > 0)
		shown = 1 + (len - 1) * pr.pos / pr.len;
	for (int k = 0; k < shown; k++) {
		/* k counts from the source end; p is the position from the left. */
		int p = rightward ? k : len - 1 - k;
		int x = L + p;
		char ch[8];
		const char *glyph = g->hline;
		if (k == shown - 1)
			glyph = rightward ? g->head_r : g->head_l;
		else if (lstart >= 0 && p >= lstart && p < lstart + lw)
			glyph = NULL;   /* the label shows as the arrow passes it: written once */
		if (!glyph) {
			/* One character of the label (ASCII: byte counts and words). */
			ch[0] = label[p - lstart];
			ch[1] = '\0';
			glyph = ch;
		}
		if (frame_blank(f, x, y))
			frame_put(f, x, y, glyph, ROLE_ARROW, 1);
	}
}

/* A packet with the kernel at one end (or both: we only know the call it
 * came during): a short arrow right after the actor's text on row y,
 * "──SYN──▶ kernel" going out, "◀─RST,ACK── kernel" coming in. */
static void draw_stub(const ScreenState *s, Frame *f, const Columns *c, const Item *it, const char *label,
		      int y)
{
	const Glyphs *g = glyphs_get(s->unicode);
	int a = it->actor, out = it->link.from == a, in = it->link.to == a;
	if (!shown(c, a))
		return;
	int end = c->cx[a] + c->cw, next = right_of(c, a);
	if (next >= 0)
		end = c->cx[next] - 2;
	else if (end > f->w)
		end = f->w;
	int x = c->cx[a] + c->cw;
	while (x > c->cx[a] && frame_blank(f, x - 1, y))
		x--;
	x = x > c->cx[a] ? x + 1 : c->cx[a] + 3;
	const char *parts[48];
	int n = 0;
	char ch[32][2];
	parts[n++] = in ? g->head_l : g->hline;
	parts[n++] = g->hline;
	for (int i = 0; label[i] && i < 32; i++) {
		ch[i][0] = label[i];
		ch[i][1] = '\0';
		parts[n++] = ch[i];
	}
	parts[n++] = g->hline;
	parts[n++] = out ? g->head_r : g->hline;
	if (x + n + 7 > end)
		return;   /* no room: the packet pane still lists it */
	for (int i = 0; i < n; i++)
		if (frame_blank(f, x + i, y))
			frame_put(f, x + i, y, parts[i], ROLE_ARROW, 1);
	frame_put(f, x + n + 1, y, "kernel", ROLE_DIM, 6);
}

/* The dotted line down an actor's column while it waits in a call. */
static void draw_wait(const ScreenState *s, Frame *f, const Columns *c, const Item *it, int first, int y0, int h, int rows)
{
	int end = it->until >= 0 ? it->until : rows - 1;
	for (int r = it->row + 1; r <= end; r++) {
		int y = y0 + r - first;
		if (r < first || y >= y0 + h)
			continue;
		if (frame_blank(f, c->cx[it->actor], y))
			frame_put(f, c->cx[it->actor], y, glyphs_get(s->unicode)->wait, ROLE_DIM, 1);
	}
}

/* Did the call fail without sending anything (a sendto() refused with
 * ENOTCONN)? A connect() in progress has sent its SYN. */
static int failed_call(const Item *it)
{
	return it->ret && it->ret->ret < 0 && it->ret->err != EINPROGRESS;
}

/* Does this item draw an arrow: a packet, or a call whose packets we did
 * not see, and which did not fail? */
static int has_arrow(const Item *it)
{
	if (it->kind == ITEM_PACKET)
		return 1;
	return it->kind == ITEM_CALL && links_is_arrow(it->link.kind) && it->link.to >= 0 && it->npackets == 0 &&
	       !it->by_packets && !failed_call(it);
}

/* Does the arrow travel across the gap in frames? A bare ACK does not: it
 * appears whole once the arrows before it have arrived. That keeps a step's
 * animation to what carries meaning, and its terminal output small (a
 * frame costs some 50 bytes of escapes, whatever it moves). */
static int travels(const Item *it)
{
	return has_arrow(it) && !(it->kind == ITEM_PACKET && kerneltext_bare_ack(it->ev));
}

/* The arrows being animated (those from s->anim_seq on) travel one after
 * another, each for an equal share of the animation: the SYN first, then
 * the SYN,ACK; the ACK after them appears when the SYN,ACK has arrived.
 * index counts the travelling arrows before it. */
static Progress progress(const ScreenState *s, const Item *it, int index, int count)
{
	if (!s->anim_seq || it->ev->seq < s->anim_seq || s->anim_len <= 0 || count <= 0 ||
	    s->anim_pos >= s->anim_len)
		return (Progress){ 0, 0 };
	int per = s->anim_len / count > 0 ? s->anim_len / count : 1;
	int pos = s->anim_pos - index * per;
	if (!travels(it))
		return (Progress){ pos < 0 ? -1 : 0, 0 };
	if (pos >= per)
		return (Progress){ 0, 0 };
	return (Progress){ pos < 0 ? -1 : pos, per };
}

static void draw_arrows(const ScreenState *s, Frame *f, const Columns *c, const Flow *fl, int first, int y0, int body)
{
	int count = 0, index = 0;
	for (int k = 0; k < fl->n; k++)
		count += travels(&fl->items[k]) && s->anim_seq && fl->items[k].ev->seq >= s->anim_seq;
	for (int k = 0; k < fl->n; k++) {
		const Item *it = &fl->items[k];
		if (!has_arrow(it))
			continue;
		Progress pr = progress(s, it, index, count);
		index += travels(it) && s->anim_seq && it->ev->seq >= s->anim_seq;
		if (it->row < first || it->row >= first + body || pr.pos < 0)
			continue;
		char buf[48];
		const char *label = arrow_label(it, buf, sizeof buf);
		int y = y0 + it->row - first;
		if (it->kind == ITEM_PACKET && (it->link.from < 0 || it->link.to < 0))
			draw_stub(s, f, c, it, label, y);
		else
			draw_arrow(s, f, c, it->link.from, it->link.to, label, y, pr);
	}
}

/* Which column of which row has something in it: an item, or an arrow
 * crossing it (rows * n cells, 1 busy). NULL when out of memory: then
 * no text takes its neighbour's room. */
static unsigned char *busy_cells(const Flow *fl, int n)
{
	unsigned char *busy = calloc((size_t)fl->rows * (size_t)n + 1, 1);
	for (int k = 0; busy && k < fl->n; k++) {
		const Item *it = &fl->items[k];
		int lo = it->actor, hi = it->actor;
		if (it->actor < 0) {
			lo = 0;
			hi = n - 1;
		} else if (it->kind == ITEM_PACKET && it->link.from >= 0 && it->link.to >= 0) {
			lo = it->link.from < it->link.to ? it->link.from : it->link.to;
			hi = it->link.from < it->link.to ? it->link.to : it->link.from;
		}
		for (int i = lo; i <= hi && i < n && it->row < fl->rows; i++)
			busy[it->row * n + i] = 1;
		/* A waiting call's dotted line: no neighbour's text covers it. */
		if (it->kind == ITEM_CALL && it->ev->blocked && it->actor >= 0 && it->actor < n) {
			int end = it->until >= 0 ? it->until : fl->rows - 1;
			for (int r = it->row + 1; r <= end && r < fl->rows; r++)
				busy[r * n + it->actor] = 1;
		}
	}
	return busy;
}

void flow_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	Flow fl;
	Columns c;
	const Glyphs *g = glyphs_get(s->unicode);
	int n = run_actor_count(e);
	columns(e, s, n, x, w, &c);
	for (int i = 0; i < n; i++)
		draw_heading(e, s, f, &c, i, y);
	if (h < 2 || flow_build(e, &c, &fl) < 0)
		return;
	int body = h - 1, y0 = y + 1;
	int first = fl.rows > body ? fl.rows - body : 0;
	unsigned char *busy = busy_cells(&fl, n);
	for (int k = 0; k < fl.n; k++) {
		const Item *it = &fl.items[k];
		if (it->row < first || it->row >= first + body || it->kind == ITEM_PACKET)
			continue;
		char text[1100];
		int a = it->actor, iw = a < 0 ? w - 2 : c.cw;
		int nb = a >= 0 ? right_of(&c, a) : -1;
		int wide = nb >= 0 && busy && !busy[it->row * n + nb] ? c.cx[nb] + c.cw - c.cx[a] : iw;
		Role role = item_text(e, s, it, a < 0 ? w : c.cw, wide, &iw, text, sizeof text);
		int ix = a < 0 ? x + 1 : c.cx[a];
		if (a < 0)
			iw = w - 2;
		int yy = y0 + it->row - first;
		frame_put_fit(f, ix, yy, text, role, iw, g->ell);
		if (pending_break(e, s, it)) {
			/* The breakpoint's marker stands out like an error's. */
			frame_paint(f, ix, yy, frame_width(g->mark_break) - 1, ROLE_ERROR);
		} else if (k == fl.current) {
			frame_paint(f, ix, yy, frame_width(text) < iw ? frame_width(text) : iw, ROLE_CURRENT);
		} else if (it->kind == ITEM_CALL && it->ret && it->ret->ret >= 0) {
			/* The "ok" marker in its own colour; the call in the actor's. */
			frame_paint(f, ix, yy, frame_width(g->mark_ok) - 1, ROLE_OK);
		}
	}
	/* The arrows before the dotted lines of waiting calls: an arrow
	 * crossing a waiting column keeps its label whole. */
	draw_arrows(s, f, &c, &fl, first, y0, body);
	for (int k = 0; k < fl.n; k++)
		if (fl.items[k].kind == ITEM_CALL && fl.items[k].ev->blocked)
			draw_wait(s, f, &c, &fl.items[k], first, y0, body, fl.rows);
	free(busy);
	free(fl.items);
}

void flow_console(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h)
{
	Columns c;
	const Timeline *t = run_timeline(e);
	int n = run_actor_count(e);
	columns(e, s, n, x, w, &c);
	for (int a = 0; a < n; a++) {
		if (!shown(&c, a))
			continue;
		/* The last h lines of this actor, oldest first. */
		const Event *lines[16];
		int got = 0;
		for (size_t k = timeline_count(t); k-- > 0 && got < h && got < 16;) {
			const Event *ev = timeline_get(t, k);
			if (ev->kind == EV_PRINT && ev->actor == a)
				lines[got++] = ev;
		}
		frame_put(f, c.cx[a], y, "console:", ROLE_DIM, c.cw);
		if (got == 0)
			frame_put(f, c.cx[a] + 9, y, "-", ROLE_DIM, c.cw - 9);
		for (int i = 0; i < got; i++) {
			const Event *ev = lines[got - 1 - i];
			char shown[512];
			if (ev->ret > 0)   /* the count of the lines not kept */
				calltext_dropped(ev, shown, sizeof shown);
			else
				calltext_console(ev->text ? ev->text : "", s->unicode ? " \u23ce " : " \\n ", shown,
						 sizeof shown);
			frame_put_fit(f, c.cx[a] + 9, y + i, shown,
				      ev->ret > 0 ? ROLE_DIM : ROLE_CONSOLE, c.cw - 9, glyphs_get(s->unicode)->ell);
		}
	}
}

int flow_rows(const Run *e, const ScreenState *s, int w)
{
	Flow fl;
	Columns c;
	columns(e, s, run_actor_count(e), 0, w, &c);
	if (flow_build(e, &c, &fl) < 0)
		return 1;
	free(fl.items);
	return 1 + fl.rows;
}

uint64_t flow_arrow_since(const Run *e, size_t from, int *count)
{
	const Timeline *t = run_timeline(e);
	Flow fl;
	uint64_t seq = 0;
	*count = 0;
	if (from >= timeline_count(t) || flow_build(e, NULL, &fl) < 0)
		return 0;
	uint64_t since = timeline_get(t, from)->seq;
	for (int k = 0; k < fl.n; k++) {
		const Item *it = &fl.items[k];
		if (!has_arrow(it) || it->ev->seq < since)
			continue;
		if (!seq)
			seq = it->ev->seq;
		*count += travels(it);
	}
	free(fl.items);
	return *count ? seq : 0;
}
