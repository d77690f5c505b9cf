/* kernel.c - packets and socket states as timeline events (see kernel.h).
 *
 * The table is read whole (a sock_diag dump of each kind, and the socket
 * inodes behind each actor's descriptors) only when something new may
 * exist: after a call that makes, takes or ends a socket or a descriptor
 * (kernel_invalidate), when the actors change, and when a packet that
 * makes or ends a connection went by. Every other look asks the kernel
 * about each socket it knows, by exact lookup: a dump walks the kernel's
 * hash tables, shared by every namespace of the host, and costs a
 * millisecond or more on a big one; a lookup costs the same anywhere. A
 * lookup that finds any socket changed (its state, its inode, a
 * listener's queue) or gone has the table read whole at once, so what is
 * shown is what a dump would show. */
#include "model/kernel.h"

#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/actor.h"
#include "model/capture.h"
#include "model/lesson.h"
#include "model/packet.h"

enum { MAX_FLOWS = 64, MAX_INODES = 256, MAX_KNOWN = 128, PACKET_KEEP = 256 };

/* When an update read the table whole: not at all (each socket was looked
 * up), before the packets, or among them (a packet called for it). */
enum { READ_NOT, READ_BEFORE_PACKETS, READ_AMONG_PACKETS };

/* The first sequence number seen in each direction of a TCP connection, so
 * numbers can be shown relative to it, as Wireshark does. */
typedef struct {
	struct sockaddr_storage src, dst;
	uint32_t isn;
	int wscale;            /* from this side's SYN; -1 when it sent none */
} Flow;

struct kernel {
	Capture *cap;
	int link;
	int diag;
	int diag2;             /* the second host's namespace, or -1 */
	SockList now, before;
	int *owner, *owner_before;
	size_t owner_cap;
	Flow flows[MAX_FLOWS];
	int nflows;
	Timeline *t;           /* during kernel_update */
	int private_ns;        /* everything on this network is the lesson's */
	unsigned kinds;        /* SOCKDIAG_*: the kinds of socket to list */
	struct { struct sockaddr_storage local; int owner; } known[MAX_KNOWN];
	int nknown;
	/* The connections the run's processes held, by their exact 4-tuple:
	 * outside a private namespace a TIME_WAIT (which no descriptor holds)
	 * is the run's only when it is one of these. */
	struct { struct sockaddr_storage local, peer; int owner; } held[MAX_KNOWN];
	int nheld;
	struct { struct sockaddr_storage peer; int set; } expect[LESSON_MAX_ACTORS];
	Event *pending;        /* state changes being sorted, during report_changes */
	size_t *npending;
	char pcap_error[300];  /* --pcap's file cannot be had or written: why */
	int stale;             /* the next update reads the table whole (see the top) */
	pid_t pids[LESSON_MAX_ACTORS];  /* whose descriptors the table was read with */
	int npids;
	/* During kernel_update: its actors, whether the table could be read,
	 * and when it was read whole (READ_*). */
	const pid_t *look_pids;
	int look_n;
	int have;
	int read;
	unsigned char *ask;    /* one SOCKDIAG_* per socket, for sockdiag_lookup */
	size_t ask_cap;
};

static int grow_owners(Kernel *k);
static void shaken(Kernel *k, const Packet *p);

Kernel *kernel_open(int private_ns, const char *dev, unsigned kinds, const char *pcap_path,
		    char *note, size_t cap)
{
	char why[256];
	Kernel *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->private_ns = private_ns;
	k->kinds = kinds;
	k->diag2 = -1;
	k->stale = 1;
	note[0] = '\0';
	k->diag = sockdiag_open();
	k->cap = capture_open(dev, why, sizeof why);
	if (!k->cap) {
		snprintf(note, cap, "%s", why);
	} else {
		k->link = capture_link(k->cap);
		if (pcap_path && capture_save(k->cap, pcap_path, why, sizeof why) < 0)
			snprintf(note, cap, "%s", why);
	}
	if (pcap_path && note[0])
		snprintf(k->pcap_error, sizeof k->pcap_error, "%s", why);
	if (k->diag < 0)
		snprintf(note + strlen(note), cap - strlen(note), "%sno socket table", note[0] ? "; " : "");
	return k;
}

void kernel_close(Kernel *k)
{
	if (!k)
		return;
	capture_close(k->cap);
	if (k->diag >= 0)
		close(k->diag);
	if (k->diag2 >= 0)
		close(k->diag2);
	sockdiag_free(&k->now);
	sockdiag_free(&k->before);
	free(k->owner);
	free(k->owner_before);
	free(k->ask);
	free(k);
}

const char *kernel_output_error(const Kernel *k)
{
	const char *late = k ? capture_error(k->cap) : NULL;
	if (!k || (!k->pcap_error[0] && !late))
		return NULL;
	return k->pcap_error[0] ? k->pcap_error : late;
}

void kernel_add_namespace(Kernel *k, int diag_fd)
{
	if (k->diag2 >= 0)
		close(k->diag2);
	k->diag2 = diag_fd;
}

void kernel_invalidate(Kernel *k)
{
	if (k)
		k->stale = 1;
}

int kernel_fd(const Kernel *k)
{
	return k->cap ? capture_fd(k->cap) : -1;
}

const SockList *kernel_sockets(const Kernel *k)
{
	return &k->now;
}

int kernel_owner(const Kernel *k, size_t i)
{
	return i < k->now.n ? k->owner[i] : -1;
}

Kernel *kernel_restored(void)
{
	Kernel *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->diag = k->diag2 = -1;
	return k;
}

/* Room for n sockets in l. */
static int reserve(SockList *l, size_t n)
{
	if (n <= l->cap)
		return 0;
	SockInfo *grown = realloc(l->v, n * sizeof *grown);
	if (!grown)
		return -1;
	l->v = grown;
	l->cap = n;
	return 0;
}

int kernel_restore(Kernel *k, const SockInfo *v, const int *owner, size_t n)
{
	k->now.n = 0;
	if (reserve(&k->now, n) < 0)
		return -1;
	k->now.n = n;
	if (grow_owners(k) < 0) {
		k->now.n = 0;
		return -1;
	}
	if (n) {
		memcpy(k->now.v, v, n * sizeof *v);
		memcpy(k->owner, owner, n * sizeof *owner);
	}
	return 0;
}

static int same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	size_t n = a->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	return memcmp(a, b, n) == 0;
}

void kernel_expect(Kernel *k, int actor, const struct sockaddr_storage *peer)
{
	if (actor < 0 || actor >= LESSON_MAX_ACTORS)
		return;
	k->expect[actor].peer = *peer;
	k->expect[actor].set = 1;
}

/* The actor that said it would talk to a, or -1. */
static int expected(const Kernel *k, const struct sockaddr_storage *a)
{
	for (int i = 0; i < LESSON_MAX_ACTORS; i++)
		if (k->expect[i].set && same_addr(&k->expect[i].peer, a))
			return i;
	return -1;
}

/* Does a socket bound to local receive for address a? Exactly, or as a
 * wildcard (0.0.0.0 or ::) with the same port. */
static int serves(const struct sockaddr_storage *local, const struct sockaddr_storage *a)
{
	if (same_addr(local, a))
		return 1;
	if (local->ss_family != a->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *l = (const void *)local, *x = (const void *)a;
		return l->sin_addr.s_addr == htonl(INADDR_ANY) && l->sin_port == x->sin_port;
	}
	const struct sockaddr_in6 *l = (const void *)local, *x = (const void *)a;
	return IN6_IS_ADDR_UNSPECIFIED(&l->sin6_addr) && l->sin6_port == x->sin6_port;
}

/* The actor whose socket has this local address, or -1 (the kernel itself,
 * answering for a port nobody holds). Only the table's first known_owners
 * rows have their owner: while a read is being sorted out, the rest are
 * the kernel's new rows, whose owners are not known yet. */
static int actor_at(const Kernel *k, const struct sockaddr_storage *a, size_t known_owners)
{
	for (size_t i = 0; i < known_owners; i++)
		if (k->owner[i] >= 0 && serves(&k->now.v[i].local, a))
			return k->owner[i];
	for (int i = 0; i < k->nknown; i++)
		if (serves(&k->known[i].local, a))
			return k->known[i].owner;
	return -1;
}

/* Remember who held each address, so that a packet read after its socket
 * has gone (the last FIN of a close) is still put to the right actor. */
static void learn(Kernel *k, const SockInfo *s, int owner)
{
	if (owner < 0 || s->family == AF_UNIX)
		return;
	for (int i = 0; i < k->nknown; i++) {
		if (same_addr(&k->known[i].local, &s->local)) {
			k->known[i].owner = owner;
			return;
		}
	}
	if (k->nknown < MAX_KNOWN) {
		k->known[k->nknown].local = s->local;
		k->known[k->nknown++].owner = owner;
	}
}

/* Remember a connection an actor holds, by both its addresses. */
static void learn_held(Kernel *k, const SockInfo *s, int owner)
{
	if (owner < 0 || s->family == AF_UNIX || s->peerlen == 0 || s->state == SOCK_TIME_WAIT)
		return;
	for (int i = 0; i < k->nheld; i++) {
		if (same_addr(&k->held[i].local, &s->local) && same_addr(&k->held[i].peer, &s->peer)) {
			k->held[i].owner = owner;
			return;
		}
	}
	int i = k->nheld < MAX_KNOWN ? k->nheld++ : MAX_KNOWN - 1;  /* full: the last is replaced */
	k->held[i].local = s->local;
	k->held[i].peer = s->peer;
	k->held[i].owner = owner;
}

/* The actor that held the connection a TIME_WAIT is what is left of, or -1. */
static int held_by(const Kernel *k, const SockInfo *s)
{
	for (int i = 0; i < k->nheld; i++)
		if (same_addr(&k->held[i].local, &s->local) && same_addr(&k->held[i].peer, &s->peer))
			return k->held[i].owner;
	return -1;
}

/* The flow of one direction of p (from_src: src to dst), made on first
 * sight when it is the sender's; NULL for an unseen receiving side. */
static Flow *flow_of(Kernel *k, const Packet *p, int from_src)
{
	const struct sockaddr_storage *s = from_src ? &p->src : &p->dst;
	const struct sockaddr_storage *d = from_src ? &p->dst : &p->src;
	for (int i = 0; i < k->nflows; i++)
		if (same_addr(&k->flows[i].src, s) && same_addr(&k->flows[i].dst, d))
			return &k->flows[i];
	if (!from_src)
		return NULL;
	Flow *f = &k->flows[k->nflows < MAX_FLOWS ? k->nflows++ : MAX_FLOWS - 1];
	f->src = *s;
	f->dst = *d;
	f->isn = p->seq;
	f->wscale = (p->flags & PKT_SYN) ? p->wscale : -1;
	return f;
}

static void on_packet(void *ctx, uint64_t ts, const uint8_t *frame, size_t caplen, size_t len)
{
	Kernel *k = ctx;
	Packet p;
	(void)ts;
	Event ev = { .kind = EV_PACKET, .actor = -1, .peer_actor = -1, .step = -1 };
	ev.arg[0] = k->link;
	ev.data = (uint8_t *)frame;
	/* The headers and the start of the payload: what the packet views
	 * decode and show. The bytes themselves are shown with the send and
	 * recv that moved them, and --pcap keeps whole frames; so a lesson that
	 * moves a gigabyte keeps a few hundred bytes a segment, not 4 KiB. */
	ev.len = caplen < PACKET_KEEP ? caplen : PACKET_KEEP;
	ev.total = len;
	if (packet_decode(frame, caplen, k->link, &p) == 0) {
		if (p.proto == IPPROTO_TCP && (p.flags & (PKT_SYN | PKT_FIN | PKT_RST)))
			shaken(k, &p);
		ev.actor = actor_at(k, &p.src, k->now.n);
		ev.peer_actor = actor_at(k, &p.dst, k->now.n);
		if (ev.actor < 0 && ev.peer_actor < 0)
			ev.actor = expected(k, &p.dst);
		if (ev.peer_actor < 0 && ev.actor < 0)
			ev.peer_actor = expected(k, &p.src);
		if (!k->private_ns && ev.actor < 0 && ev.peer_actor < 0)
			return;  /* the host's traffic, not the lesson's */
		if (p.proto == IPPROTO_TCP) {
			Flow *mine = flow_of(k, &p, 1), *theirs = flow_of(k, &p, 0);
			ev.arg[1] = (uint32_t)(p.seq - mine->isn);
			ev.arg[2] = (p.flags & PKT_ACK) && theirs ? (uint32_t)(p.ack - theirs->isn) : 0;
			/* Window scaling holds only when both SYNs offered it, and
			 * never applies to the SYNs themselves (RFC 7323). */
			int scaled = !(p.flags & PKT_SYN) && theirs && mine->wscale >= 0 && theirs->wscale >= 0;
			ev.window = scaled ? (uint32_t)p.window << mine->wscale : p.window;
		}
	} else if (!p.malformed) {
		return;  /* not IP: nothing a lesson did */
	}
	timeline_add(k->t, &ev);
}

/* inode -> actor, from the symlinks of each actor's descriptors. */
static int read_inodes(const pid_t *pids, int n, uint32_t *ino, int *who, int max)
{
	int count = 0;
	for (int a = 0; a < n; a++) {
		char dir[64], path[320], target[64];
		if (pids[a] <= 0)
			continue;
		snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pids[a]);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d)) && count < max) {
			/* "." and ".." are no descriptors (a readlink of them fails);
			 * the gate is sockstep's own channel, not the lesson's. */
			if (de->d_name[0] < '0' || de->d_name[0] > '9' || atoi(de->d_name) == ACTOR_GATE_FD)
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			ssize_t r = readlink(path, target, sizeof target - 1);
			if (r <= 0)
				continue;
			target[r] = '\0';
			unsigned long v;
			if (sscanf(target, "socket:[%lu]", &v) == 1) {
				ino[count] = (uint32_t)v;
				who[count++] = a;
			}
		}
		closedir(d);
	}
	return count;
}

static int previous(const Kernel *k, const SockInfo *s)
{
	for (size_t i = 0; i < k->before.n; i++)
		if (sockdiag_same(&k->before.v[i], s))
			return (int)i;
	return -1;
}

static void state_event(Kernel *k, const SockInfo *s, int owner, int state, int old)
{
	Event ev = { .kind = EV_STATE, .actor = owner, .step = -1, .state = state, .old_state = old };
	ev.addr = s->local;
	ev.addrlen = s->locallen;
	ev.peer = s->peer;
	ev.peerlen = s->peerlen;
	ev.proto = s->proto;
	ev.type = s->type;
	ev.rq = s->rqueue;
	ev.wq = s->wqueue;
	if (*k->npending < 64)
		k->pending[(*k->npending)++] = ev;
}

static int grow_owners(Kernel *k)
{
	if (k->now.n <= k->owner_cap)
		return 0;
	size_t cap = k->now.n * 2;
	int *a = realloc(k->owner, cap * sizeof *a);
	if (!a)
		return -1;
	k->owner = a;
	int *b = realloc(k->owner_before, cap * sizeof *b);
	if (!b)
		return -1;
	k->owner_before = b;
	k->owner_cap = cap;
	return 0;
}

/* The AF_UNIX sockets of sockstep's own gates are not the lesson's. */
static int ours(const SockInfo *s, const uint32_t *ino, int nino)
{
	if (s->family != AF_UNIX)
		return 1;
	for (int i = 0; i < nino; i++)
		if (ino[i] == s->inode)
			return 1;
	return 0;
}

/* The actor holding s: by the inode of one of its descriptors, else
 * whoever held it in the last snapshot (a socket just closed, a
 * TIME_WAIT seen before); -1 when neither. */
static int first_owner(const Kernel *k, const SockInfo *s, const uint32_t *ino, const int *who, int nino)
{
	for (int j = 0; j < nino && s->inode; j++)
		if (ino[j] == s->inode)
			return who[j];
	int prev = previous(k, s);
	return prev >= 0 ? k->owner_before[prev] : -1;
}

/* A TIME_WAIT first seen after its process has gone: no descriptor holds
 * it. In a private namespace every socket is the lesson's, so it is
 * whoever holds or held its address; on the host's loopback only one of
 * the run's own connections, by its exact 4-tuple, for any other program
 * may have left one on the same port. */
static int time_wait_owner(const Kernel *k, const SockInfo *s)
{
	if (!k->private_ns)
		return held_by(k, s);
	for (size_t i = 0; i < k->now.n; i++)
		if (k->owner[i] >= 0 && serves(&k->now.v[i].local, &s->local))
			return k->owner[i];
	for (int i = 0; i < k->nknown; i++)
		if (serves(&k->known[i].local, &s->local))
			return k->known[i].owner;
	return -1;
}

/* The table as last read becomes the one before; now is read next. */
static void turn(Kernel *k)
{
	SockList swap = k->before;
	k->before = k->now;
	k->now = swap;
	int *oswap = k->owner_before;
	k->owner_before = k->owner;
	k->owner = oswap;
	k->now.n = 0;
}

/* Are these the actors whose descriptors the table was last read with? A
 * process started, ended or replaced may hold other sockets. */
static int same_actors(const Kernel *k, const pid_t *pids, int n)
{
	if (n != k->npids)
		return 0;
	for (int i = 0; i < n; i++)
		if (pids[i] != k->pids[i])
			return 0;
	return 1;
}

/* Read the whole table (now) and work out who owns each socket; the
 * changes are reported by report_changes, after the packets that caused
 * them. */
static int read_all(Kernel *k, const pid_t *pids, int n)
{
	uint32_t ino[MAX_INODES];
	int who[MAX_INODES];
	k->now.n = 0;
	k->stale = 1;   /* until it has been read */
	if (k->diag < 0)
		return -1;
	if (sockdiag_snapshot(k->diag, &k->now, k->kinds) < 0 ||
	    (k->diag2 >= 0 && sockdiag_snapshot(k->diag2, &k->now, k->kinds) < 0) || grow_owners(k) < 0) {
		k->now.n = 0;
		return -1;
	}
	int nino = read_inodes(pids, n, ino, who, MAX_INODES);
	/* Every owner is written before any is read (time_wait_owner reads
	 * them): a socket the host holds must never borrow a stale one. */
	for (size_t i = 0; i < k->now.n; i++)
		k->owner[i] = first_owner(k, &k->now.v[i], ino, who, nino);
	for (size_t i = 0; i < k->now.n; i++)
		if (k->owner[i] < 0 && k->now.v[i].state == SOCK_TIME_WAIT)
			k->owner[i] = time_wait_owner(k, &k->now.v[i]);
	size_t keep = 0;
	for (size_t i = 0; i < k->now.n; i++) {
		SockInfo s = k->now.v[i];
		int owner = k->owner[i];
		/* An owner is one of the actors read, or none: a view indexes the
		 * run's actors with it. */
		if (owner >= n)
			owner = -1;
		if (!ours(&s, ino, nino) || (!k->private_ns && owner < 0))
			continue;
		learn(k, &s, owner);
		learn_held(k, &s, owner);
		k->now.v[keep] = s;
		k->owner[keep++] = owner;
	}
	k->now.n = keep;
	/* More actors than are kept here (none, since the engine has no more
	 * columns) would have the table read whole every time. */
	k->stale = n > LESSON_MAX_ACTORS;
	k->npids = n;
	if (!k->stale)
		memcpy(k->pids, pids, (size_t)n * sizeof *pids);
	return 0;
}

/* A TCP socket only bound (CLOSE) is in no table a lookup reads. Only its
 * own process changes it (listen, connect, close: calls after which the
 * table is read whole, kernel_invalidate), so it is kept as it was. */
static int askable(const SockInfo *s)
{
	return s->family == AF_UNIX || s->proto != IPPROTO_TCP || s->state != SOCK_CLOSE;
}

/* Has a socket changed beyond its queues, from was to is? A listener's
 * queue counts: a connection more in it is a socket more in the table. */
static int changed(const SockInfo *was, const SockInfo *is)
{
	return !sockdiag_same(was, is) || was->state != is->state || was->inode != is->inode ||
	       (is->state == SOCK_LISTEN && (was->rqueue != is->rqueue || was->wqueue != is->wqueue));
}

/* Ask again about each socket of the table before, by exact lookup: 0 when
 * every one is as it was but for its queues (now holds them, with their
 * owners), -1 when anything changed or could not be asked: then the table
 * must be read whole. */
static int read_known(Kernel *k)
{
	size_t n = k->before.n;
	if (k->diag < 0 || reserve(&k->now, n) < 0)
		return -1;
	k->now.n = n;
	if (grow_owners(k) < 0)
		return -1;
	if (n > k->ask_cap) {
		unsigned char *grown = realloc(k->ask, n);
		if (!grown)
			return -1;
		k->ask = grown;
		k->ask_cap = n;
	}
	if (n) {
		memcpy(k->now.v, k->before.v, n * sizeof *k->now.v);
		memcpy(k->owner, k->owner_before, n * sizeof *k->owner);
	}
	for (size_t i = 0; i < n; i++)
		k->ask[i] = askable(&k->now.v[i]) ? SOCKDIAG_ASK : SOCKDIAG_SKIP;
	if (sockdiag_lookup(k->diag, k->now.v, k->ask, n) < 0)
		return -1;
	if (k->diag2 >= 0) {
		/* Not in this namespace: perhaps in the second host's. */
		for (size_t i = 0; i < n; i++)
			if (k->ask[i] == SOCKDIAG_GONE && askable(&k->now.v[i]))
				k->ask[i] = SOCKDIAG_ASK;
		if (sockdiag_lookup(k->diag2, k->now.v, k->ask, n) < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (k->ask[i] == SOCKDIAG_GONE || changed(&k->before.v[i], &k->now.v[i]))
			return -1;
	return 0;
}

/* The kernel lists sockets in hash order; report them in a stable one (by
 * owner, then address) so the same run reads the same every time. */
static int by_owner_then_address(const void *pa, const void *pb)
{
	const Event *a = pa, *b = pb;
	unsigned oa = (unsigned)a->actor, ob = (unsigned)b->actor;  /* -1 (kernel) last */
	if (oa != ob)
		return oa < ob ? -1 : 1;
	int c = memcmp(&a->addr, &b->addr, sizeof a->addr);
	return c ? c : memcmp(&a->peer, &b->peer, sizeof a->peer);
}

static void report_changes(Kernel *k)
{
	Event pending[64];
	size_t n = 0;
	k->pending = pending;
	k->npending = &n;
	for (size_t i = 0; i < k->now.n; i++) {
		const SockInfo *s = &k->now.v[i];
		int prev = previous(k, s);
		if (prev < 0)
			state_event(k, s, k->owner[i], s->state, -1);
		else if (k->before.v[prev].state != s->state ||
			 (s->state == SOCK_LISTEN && k->before.v[prev].rqueue != s->rqueue))
			state_event(k, s, k->owner[i], s->state, k->before.v[prev].state);
	}
	for (size_t i = 0; i < k->before.n; i++) {
		size_t j = 0;
		while (j < k->now.n && !sockdiag_same(&k->now.v[j], &k->before.v[i]))
			j++;
		if (j == k->now.n)
			state_event(k, &k->before.v[i], k->owner_before[i], -1, k->before.v[i].state);
	}
	qsort(pending, n, sizeof pending[0], by_owner_then_address);
	for (size_t i = 0; i < n; i++)
		timeline_add(k->t, &pending[i]);
	k->pending = NULL;
}

/* A packet that begins or ends one of the run's connections (SYN, FIN,
 * RST) may bring a socket no call told of (kernel_invalidate): a client
 * from outside, the SYN of a connect() that blocks. The table is read
 * whole before the packet is put to an actor, as it was when every look
 * read it whole; if it was read whole before the packets already, it is
 * read again at the next look, since this packet may have come after. */
static void shaken(Kernel *k, const Packet *p)
{
	if (k->read == READ_AMONG_PACKETS || !k->look_pids)
		return;
	if (!k->private_ns && actor_at(k, &p->src, k->now.n) < 0 && actor_at(k, &p->dst, k->now.n) < 0 &&
	    expected(k, &p->dst) < 0 && expected(k, &p->src) < 0)
		return;  /* the host's traffic, not the lesson's */
	if (k->read == READ_BEFORE_PACKETS) {
		k->stale = 1;
		return;
	}
	k->have = read_all(k, k->look_pids, k->look_n) == 0;
	k->read = READ_AMONG_PACKETS;
}

void kernel_update(Kernel *k, Timeline *t, const pid_t *pids, int n)
{
	k->t = t;
	k->look_pids = pids;
	k->look_n = n;
	/* Sockets first, so each packet can be put to the actor that sent it
	 * (a client's port is only known once connect() has picked it); then the
	 * packets; then the state changes, which the packets caused. */
	if (!same_actors(k, pids, n))
		k->stale = 1;
	turn(k);
	k->have = 1;
	k->read = READ_NOT;
	if (k->stale || read_known(k) < 0) {
		k->have = read_all(k, pids, n) == 0;
		k->read = READ_BEFORE_PACKETS;
	}
	if (k->cap)
		capture_read(k->cap, on_packet, k);
	if (k->have)
		report_changes(k);
	k->t = NULL;
	k->look_pids = NULL;
}
