/* links.h - which actor talks to which: the peers of connections and datagrams.
 *
 * View layer. The timeline says what each actor did with its own sockets;
 * to draw an arrow from the client's connect() to the server, or to tag bytes
 * "client -> server", a view has to work out who is at the other end. Fed
 * the events in order, Links follows addresses and descriptors: connect()
 * reaches whoever bound the address; accept() pairs with the connect() that
 * got the address it reports (or the oldest one waiting); send() on a
 * connected descriptor reaches its peer; a datagram reaches whoever bound,
 * or was seen sending from, its address. With two actors an unknown peer is
 * simply the other one -- but not for a connect() to a path no actor bound,
 * which is another program's (nscd's). Pure bookkeeping: no allocation, no
 * I/O. */
#ifndef SOCKSTEP_LINKS_H
#define SOCKSTEP_LINKS_H

#include <stdint.h>
#include <sys/socket.h>

#include "model/lesson.h"
#include "model/run.h"
#include "model/timeline.h"

typedef enum {
	LINK_NONE,
	LINK_CONNECT,   /* EV_CALL connect: from asks to -- an arrow */
	LINK_DATA,      /* EV_CALL send/sendall/sendto: bytes from -> to -- an arrow */
	LINK_CLOSE,     /* EV_CALL close/shutdown of a connection -- an arrow */
	LINK_RECV       /* EV_RETURN recv/recvfrom: bytes that came from -> to (no arrow) */
} LinkKind;

typedef struct {
	LinkKind kind;
	int from, to;   /* actors; to (or from, for LINK_RECV) is -1 when unknown */
} Link;

enum { LINKS_MAX_FD = 64, LINKS_MAX_ADDRS = 32, LINKS_MAX_CONNS = 32 };

typedef struct {
	struct sockaddr_storage addr;
	uint32_t len;
	int actor;
} LinksAddr;

typedef struct {
	int actor, fd, to;   /* a connect() by actor on fd, towards to */
	LinksAddr local;     /* the address it got (len 0 until it returns) */
	int accepted;        /* an accept() has taken it */
} LinksConn;

typedef struct {
	int nactors;
	int peer[LESSON_MAX_ACTORS][LINKS_MAX_FD];   /* connected descriptor -> actor, or -1 */
	LinksAddr addrs[LINKS_MAX_ADDRS];            /* addresses known to belong to an actor */
	int naddrs;
	LinksConn conns[LINKS_MAX_CONNS];
	int nconns;
	int last_sender[LESSON_MAX_ACTORS];          /* who last sent a datagram to each actor */
	int owner[LESSON_MAX_ACTORS];                /* the program's first actor (itself for most) */
} Links;

void links_init(Links *l, int nactors);

/* Actor a is a later thread or process of owner's program (run_actor_owner):
 * a descriptor it did not connect or accept itself is owner's, shared by a
 * thread or inherited across fork(), and so is its peer. */
void links_owner(Links *l, int a, int owner);

/* Feed the next event of the timeline (in order); returns the link it makes. */
Link links_feed(Links *l, const Event *ev);

/* The link of each event of e's timeline, by index (links_feed of every
 * event from the first, with e's actors and their owners): worked out once
 * and extended as events are put in, since the views that need it are
 * drawn at every frame. Valid until the timeline changes again; NULL when
 * out of memory. */
const Link *links_of(const Run *e);

/* Does this link draw an arrow between columns? */
int links_is_arrow(LinkKind kind);

#endif
