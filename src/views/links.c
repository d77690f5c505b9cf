/* links.c - who is at the other end of each call (see links.h). */
#include "views/links.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

void links_init(Links *l, int nactors)
{
	memset(l, 0, sizeof *l);
	l->nactors = nactors;
	for (int a = 0; a < LESSON_MAX_ACTORS; a++) {
		l->last_sender[a] = -1;
		l->owner[a] = a;
		for (int fd = 0; fd < LINKS_MAX_FD; fd++)
			l->peer[a][fd] = -1;
	}
}

void links_owner(Links *l, int a, int owner)
{
	if (a >= 0 && a < LESSON_MAX_ACTORS && owner >= 0 && owner < LESSON_MAX_ACTORS)
		l->owner[a] = owner;
}

int links_is_arrow(LinkKind kind)
{
	return kind == LINK_CONNECT || kind == LINK_DATA || kind == LINK_CLOSE;
}

/* With two actors, whoever is not a is the only one it can be talking to. */
static int other(const Links *l, int a)
{
	return l->nactors == 2 && (a == 0 || a == 1) ? 1 - a : -1;
}

static int *peer_slot(Links *l, int actor, int fd)
{
	if (actor < 0 || actor >= LESSON_MAX_ACTORS || fd < 0 || fd >= LINKS_MAX_FD)
		return NULL;
	return &l->peer[actor][fd];
}

/* The peer of actor's descriptor fd: its own, else its program's first
 * actor's (a thread shares the descriptor, a child inherited it). */
static int peer_of(Links *l, int actor, int fd)
{
	int *slot = peer_slot(l, actor, fd);
	if (slot && *slot >= 0)
		return *slot;
	int owner = actor >= 0 && actor < LESSON_MAX_ACTORS ? l->owner[actor] : -1;
	slot = owner != actor ? peer_slot(l, owner, fd) : NULL;
	return slot ? *slot : -1;
}

/* Does the address a reach the address b, which belongs to a socket? A
 * socket bound to the wildcard address (0.0.0.0, ::) gets every address of
 * the machine on its port. */
static int reaches(const struct sockaddr_storage *a, uint32_t alen,
		   const struct sockaddr_storage *b, uint32_t blen)
{
	if (alen == 0 || blen == 0 || a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port &&
		       (x->sin_addr.s_addr == y->sin_addr.s_addr || y->sin_addr.s_addr == htonl(INADDR_ANY));
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       (memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0 ||
			memcmp(&y->sin6_addr, &in6addr_any, sizeof y->sin6_addr) == 0);
	}
	if (a->ss_family == AF_UNIX) {
		size_t off = offsetof(struct sockaddr_un, sun_path);
		return alen == blen && alen > off && memcmp((const char *)a + off, (const char *)b + off, alen - off) == 0;
	}
	return 0;
}

static int owner(const Links *l, const struct sockaddr_storage *addr, uint32_t len)
{
	for (int i = l->naddrs - 1; i >= 0; i--)
		if (reaches(addr, len, &l->addrs[i].addr, l->addrs[i].len))
			return l->addrs[i].actor;
	return -1;
}

static void learn(Links *l, int actor, const struct sockaddr_storage *addr, uint32_t len)
{
	if (len == 0 || len > sizeof *addr || actor < 0)
		return;
	if (l->naddrs == LINKS_MAX_ADDRS) {
		/* Forget the oldest: recent addresses are the ones still in use. */
		memmove(&l->addrs[0], &l->addrs[1], sizeof l->addrs[0] * (LINKS_MAX_ADDRS - 1));
		l->naddrs--;
	}
	LinksAddr *a = &l->addrs[l->naddrs++];
	a->addr = *addr;
	a->len = len;
	a->actor = actor;
}

static int known_or_other(const Links *l, int peer, int actor)
{
	return peer >= 0 ? peer : other(l, actor);
}

static Link on_connect(Links *l, const Event *ev)
{
	int to = owner(l, &ev->addr, ev->addrlen);
	/* A path no actor bound is another program's (the C library's own
	 * connect() to nscd): no actor of the run is at its other end. */
	if (to < 0 && ev->addr.ss_family != AF_UNIX)
		to = other(l, ev->actor);
	if (l->nconns == LINKS_MAX_CONNS) {
		memmove(&l->conns[0], &l->conns[1], sizeof l->conns[0] * (LINKS_MAX_CONNS - 1));
		l->nconns--;
	}
	l->conns[l->nconns++] = (LinksConn){ .actor = ev->actor, .fd = ev->fd, .to = to };
	return (Link){ LINK_CONNECT, ev->actor, to };
}

static void on_connected(Links *l, const Event *ev)
{
	for (int i = l->nconns - 1; i >= 0; i--) {
		LinksConn *c = &l->conns[i];
		if (c->actor != ev->actor || c->fd != ev->fd || c->local.len)
			continue;
		c->local.addr = ev->addr;
		c->local.len = ev->addrlen;
		learn(l, ev->actor, &ev->addr, ev->addrlen);
		int *slot = peer_slot(l, ev->actor, ev->fd);
		if (slot)
			*slot = c->to;
		return;
	}
}

/* Was a connect() towards to made to actor a: a itself, or its program
 * (a thread accepting on the listener its first actor bound)? */
static int towards(const Links *l, int to, int a)
{
	return to == a || (to >= 0 && a >= 0 && a < LESSON_MAX_ACTORS && to == l->owner[a]);
}

/* accept() returned: pair it with the connect() whose address it reports,
 * or else the oldest connect() towards this actor not yet accepted (the
 * kernel's accept queue is first in, first out). */
static void on_accepted(Links *l, const Event *ev)
{
	LinksConn *pick = NULL;
	for (int i = 0; i < l->nconns && !pick; i++) {
		LinksConn *c = &l->conns[i];
		if (towards(l, c->to, ev->actor) && !c->accepted && c->local.len &&
		    reaches(&ev->addr, ev->addrlen, &c->local.addr, c->local.len))
			pick = c;
	}
	for (int i = 0; i < l->nconns && !pick; i++)
		if (towards(l, l->conns[i].to, ev->actor) && !l->conns[i].accepted)
			pick = &l->conns[i];
	int peer = pick ? pick->actor : other(l, ev->actor);
	if (pick) {
		/* The connecting end talks to whoever accepted: a thread of
		 * the server, maybe, not the actor that bound. */
		int *theirs = peer_slot(l, pick->actor, pick->fd);
		if (theirs && pick->local.len)
			*theirs = ev->actor;
		pick->accepted = 1;
	}
	int *slot = peer_slot(l, ev->actor, (int)ev->ret);
	if (slot)
		*slot = peer;
}

static Link on_sendto(Links *l, const Event *ev)
{
	int to = known_or_other(l, owner(l, &ev->addr, ev->addrlen), ev->actor);
	if (to >= 0 && to < LESSON_MAX_ACTORS)
		l->last_sender[to] = ev->actor;
	return (Link){ LINK_DATA, ev->actor, to };
}

/* A datagram arrived from ev->addr: whoever sent to us last was there. */
static Link on_recvfrom(Links *l, const Event *ev)
{
	int from = owner(l, &ev->addr, ev->addrlen);
	if (from < 0 && ev->actor >= 0 && ev->actor < LESSON_MAX_ACTORS)
		from = l->last_sender[ev->actor];
	if (from >= 0 && owner(l, &ev->addr, ev->addrlen) < 0)
		learn(l, from, &ev->addr, ev->addrlen);
	return (Link){ LINK_RECV, known_or_other(l, from, ev->actor), ev->actor };
}

static Link on_call(Links *l, const Event *ev)
{
	int *slot = peer_slot(l, ev->actor, ev->fd);
	int peer = peer_of(l, ev->actor, ev->fd);
	switch (ev->op) {
	case OP_BIND:
		learn(l, ev->actor, &ev->addr, ev->addrlen);
		break;
	case OP_CONNECT:
		return on_connect(l, ev);
	case OP_SEND:
	case OP_SENDALL:
	case OP_WRITE:
	case OP_WRITEV:
	case OP_SENDFILE:
	case OP_SPLICE:
		return (Link){ LINK_DATA, ev->actor, known_or_other(l, peer, ev->actor) };
	case OP_SENDMSG:
	case OP_SENDMMSG:
		if (ev->addrlen)
			return on_sendto(l, ev);
		return (Link){ LINK_DATA, ev->actor, known_or_other(l, peer, ev->actor) };
	case OP_SENDTO:
		return on_sendto(l, ev);
	case OP_SHUTDOWN:
		if (peer >= 0)
			return (Link){ LINK_CLOSE, ev->actor, peer };
		break;
	case OP_CLOSE:
		if (slot)
			*slot = -1;
		if (peer >= 0)
			return (Link){ LINK_CLOSE, ev->actor, peer };
		break;
	default:
		break;
	}
	return (Link){ LINK_NONE, ev->actor, -1 };
}

static Link on_return(Links *l, const Event *ev)
{
	if (ev->ret < 0)
		return (Link){ LINK_NONE, ev->actor, -1 };
	switch (ev->op) {
	case OP_CONNECT:
		on_connected(l, ev);
		break;
	case OP_ACCEPT:
		on_accepted(l, ev);
		break;
	case OP_RECV:
	case OP_READ:
	case OP_READV:
	case OP_SPLICE_RECV:
		return (Link){ LINK_RECV, known_or_other(l, peer_of(l, ev->actor, ev->fd), ev->actor), ev->actor };
	case OP_RECVMSG:
	case OP_RECVMMSG:
		if (!ev->addrlen)
			return (Link){ LINK_RECV, known_or_other(l, peer_of(l, ev->actor, ev->fd), ev->actor), ev->actor };
		return on_recvfrom(l, ev);
	case OP_RECVFROM:
		return on_recvfrom(l, ev);
	default:
		break;
	}
	return (Link){ LINK_NONE, ev->actor, -1 };
}

Link links_feed(Links *l, const Event *ev)
{
	if (ev->actor < 0 || ev->actor >= l->nactors)
		return (Link){ LINK_NONE, -1, -1 };
	if (ev->kind == EV_CALL)
		return on_call(l, ev);
	if (ev->kind == EV_RETURN)
		return on_return(l, ev);
	return (Link){ LINK_NONE, ev->actor, -1 };
}

/* links_of's memory: the links of the first n events of the timeline that
 * had moved at tick moved, for these actors and owners, and the state after
 * them. One run is drawn at a time; another timeline, one whose events
 * moved, or a new thread's column starts again. */
static struct {
	uint64_t moved;
	int nactors;
	int owner[LESSON_MAX_ACTORS];
	Links state;
	Link *link;
	size_t n, cap;
} known;

const Link *links_of(const Run *e)
{
	const Timeline *t = run_timeline(e);
	int nactors = run_actor_count(e), owner[LESSON_MAX_ACTORS] = { 0 };
	for (int a = 0; a < nactors && a < LESSON_MAX_ACTORS; a++)
		owner[a] = run_actor_owner(e, a);
	size_t count = timeline_count(t);
	if (known.moved != timeline_moved(t) || known.nactors != nactors || known.n > count ||
	    memcmp(known.owner, owner, sizeof owner) != 0) {
		known.moved = timeline_moved(t);
		known.nactors = nactors;
		memcpy(known.owner, owner, sizeof owner);
		known.n = 0;
		links_init(&known.state, nactors);
		for (int a = 0; a < nactors && a < LESSON_MAX_ACTORS; a++)
			links_owner(&known.state, a, owner[a]);
	}
	if (count > known.cap) {
		size_t cap = known.cap ? known.cap : 256;
		while (cap < count)
			cap *= 2;
		Link *grown = realloc(known.link, cap * sizeof *grown);
		if (!grown) {
			known.moved = 0;   /* start again next time */
			return NULL;
		}
		known.link = grown;
		known.cap = cap;
	}
	for (; known.n < count; known.n++)
		known.link[known.n] = links_feed(&known.state, timeline_get(t, known.n));
	return known.link;
}
