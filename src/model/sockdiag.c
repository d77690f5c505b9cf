/* sockdiag.c - socket states from netlink sock_diag (see sockdiag.h).
 *
 * One dump request per family and protocol, or one exact request per socket;
 * the answers are inet_diag_msg or unix_diag_msg records. We read the
 * kernel's structures, never the text of /proc/net/tcp. */
#include "model/sockdiag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

/* Exact lookups sent in one message: their answers fit the socket's receive
 * buffer many times over. */
enum { LOOKUP_BATCH = 32 };

/* Each request has a number of its own, which its answers carry: an answer
 * left over from a request that failed half way is never taken for one of
 * the next. */
static uint32_t last_seq;

int sockdiag_open(void)
{
	return socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
}

void sockdiag_free(SockList *list)
{
	free(list->v);
	memset(list, 0, sizeof *list);
}

static SockInfo *push(SockList *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		SockInfo *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	SockInfo *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	return s;
}

static void inet_addr(int family, const __be32 *a, __be16 port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		in->sin_port = port;
		memcpy(&in->sin_addr, a, 4);
		*len = sizeof *in;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = port;
		memcpy(&in6->sin6_addr, a, 16);
		*len = sizeof *in6;
	}
}

static int add_inet(SockList *l, const struct inet_diag_msg *m, int proto)
{
	SockInfo *s = push(l);
	if (!s)
		return -1;
	s->family = m->idiag_family;
	s->proto = proto;
	s->type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	s->state = m->idiag_state;
	inet_addr(m->idiag_family, m->id.idiag_src, m->id.idiag_sport, &s->local, &s->locallen);
	inet_addr(m->idiag_family, m->id.idiag_dst, m->id.idiag_dport, &s->peer, &s->peerlen);
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	s->inode = m->idiag_inode;
	memcpy(s->cookie, m->id.idiag_cookie, sizeof s->cookie);
	s->ifindex = m->id.idiag_if;
	return 0;
}

static void unix_name(struct rtattr *a, SockInfo *s)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&s->local;
	size_t n = RTA_PAYLOAD(a);
	if (n > sizeof un->sun_path)
		n = sizeof un->sun_path;
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path, RTA_DATA(a), n);
	s->locallen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

static int add_unix(SockList *l, struct unix_diag_msg *m, size_t len)
{
	SockInfo *s = push(l);
	if (!s)
		return -1;
	s->family = AF_UNIX;
	s->type = m->udiag_type;
	s->state = m->udiag_state;
	s->inode = m->udiag_ino;
	memcpy(s->cookie, m->udiag_cookie, sizeof s->cookie);
	s->locallen = sizeof(sa_family_t);
	s->local.ss_family = AF_UNIX;
	unsigned int rem = (unsigned int)(len - NLMSG_ALIGN(sizeof *m));
	for (struct rtattr *a = (struct rtattr *)((char *)m + NLMSG_ALIGN(sizeof *m));
	     RTA_OK(a, rem); a = RTA_NEXT(a, rem)) {
		if (a->rta_type == UNIX_DIAG_NAME)
			unix_name(a, s);
		else if (a->rta_type == UNIX_DIAG_RQLEN && RTA_PAYLOAD(a) >= (int)sizeof(struct unix_diag_rqlen)) {
			const struct unix_diag_rqlen *q = RTA_DATA(a);
			s->rqueue = q->udiag_rqueue;
			s->wqueue = q->udiag_wqueue;
		}
	}
	return 0;
}

static int dump(int fd, SockList *l, int family, int proto)
{
	struct {
		struct nlmsghdr nlh;
		union {
			struct inet_diag_req_v2 inet;
			struct unix_diag_req unix;
		} r;
	} req;
	memset(&req, 0, sizeof req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = ++last_seq;
	if (family == AF_UNIX) {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof req.r.unix);
		req.r.unix.sdiag_family = AF_UNIX;
		req.r.unix.udiag_states = ~0u;
		req.r.unix.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN;
	} else {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof req.r.inet);
		req.r.inet.sdiag_family = (uint8_t)family;
		req.r.inet.sdiag_protocol = (uint8_t)proto;
		req.r.inet.idiag_states = ~0u;
	}
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	if (sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&nl, sizeof nl) < 0)
		return -1;
	long buf[8192 / sizeof(long)];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		size_t len = (size_t)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != req.nlh.nlmsg_seq)
				continue;  /* an earlier request's */
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				errno = h->nlmsg_len >= NLMSG_LENGTH(sizeof *e) ? -e->error : EPROTO;
				return -1;
			}
			int rc;
			if (family == AF_UNIX) {
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
					continue;
				rc = add_unix(l, NLMSG_DATA(h), h->nlmsg_len - NLMSG_HDRLEN);
			} else {
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
					continue;
				rc = add_inet(l, NLMSG_DATA(h), proto);
			}
			if (rc < 0)
				return -1;
		}
	}
}

/* An inet address and port as inet_diag's id holds them. */
static void inet_id(const struct sockaddr_storage *ss, __be32 addr[4], __be16 *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		memcpy(addr, &in->sin_addr, 4);
		*port = in->sin_port;
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		memcpy(addr, &in6->sin6_addr, 16);
		*port = in6->sin6_port;
	}
}

/* The request for socket s alone, without NLM_F_DUMP: by its addresses
 * (inet) or its inode (AF_UNIX), with its cookie, so that only that very
 * socket answers. Written to out; returns its aligned length. */
static size_t exact_request(const SockInfo *s, uint32_t seq, void *out)
{
	struct nlmsghdr *h = out;
	memset(h, 0, NLMSG_SPACE(sizeof(struct inet_diag_req_v2)));
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = seq;
	if (s->family == AF_UNIX) {
		struct unix_diag_req *u = NLMSG_DATA(h);
		h->nlmsg_len = NLMSG_LENGTH(sizeof *u);
		u->sdiag_family = AF_UNIX;
		u->udiag_states = ~0u;
		u->udiag_ino = s->inode;
		u->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN;
		memcpy(u->udiag_cookie, s->cookie, sizeof u->udiag_cookie);
		return NLMSG_ALIGN(h->nlmsg_len);
	}
	struct inet_diag_req_v2 *r = NLMSG_DATA(h);
	h->nlmsg_len = NLMSG_LENGTH(sizeof *r);
	r->sdiag_family = (uint8_t)s->family;
	r->sdiag_protocol = (uint8_t)s->proto;
	r->idiag_states = ~0u;
	/* UDP's lookup takes the two ends the other way round from TCP's
	 * (the kernel's udp_dump_one: "src and dst are swapped for historical
	 * reasons"): the socket's own address goes in dst. */
	int udp = s->proto == IPPROTO_UDP;
	inet_id(&s->local, udp ? r->id.idiag_dst : r->id.idiag_src, udp ? &r->id.idiag_dport : &r->id.idiag_sport);
	inet_id(&s->peer, udp ? r->id.idiag_src : r->id.idiag_dst, udp ? &r->id.idiag_sport : &r->id.idiag_dport);
	r->id.idiag_if = s->ifindex;
	memcpy(r->id.idiag_cookie, s->cookie, sizeof r->id.idiag_cookie);
	return NLMSG_ALIGN(h->nlmsg_len);
}

/* One answer to a batch whose requests were numbered first..first+m-1 and
 * asked about v[at[0]]..v[at[m-1]]. Returns 1 when it answered one of
 * them, 0 for anything else, -1 for an error other than "no such socket". */
static int take_answer(const struct nlmsghdr *h, uint32_t first, const size_t *at, size_t m, SockInfo *v,
		       unsigned char *ask)
{
	uint32_t k = h->nlmsg_seq - first;
	if (k >= m || ask[at[k]] != SOCKDIAG_ASK)
		return 0;
	SockInfo *s = &v[at[k]];
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		int err = h->nlmsg_len >= NLMSG_LENGTH(sizeof *e) ? -e->error : EPROTO;
		/* A socket not found, or found with another cookie (ESTALE for
		 * AF_UNIX and UDP): that socket is no more. */
		if (err != ENOENT && err != ESTALE) {
			errno = err;
			return -1;
		}
		ask[at[k]] = SOCKDIAG_GONE;
		return 1;
	}
	SockInfo got;
	SockList one = { .v = &got, .cap = 1 };
	int rc = -1;
	if (s->family == AF_UNIX && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct unix_diag_msg)))
		rc = add_unix(&one, NLMSG_DATA(h), h->nlmsg_len - NLMSG_HDRLEN);
	else if (s->family != AF_UNIX && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
		rc = add_inet(&one, NLMSG_DATA(h), s->proto);
	if (rc < 0) {
		errno = EPROTO;
		return -1;
	}
	*s = got;
	ask[at[k]] = SOCKDIAG_FOUND;
	return 1;
}

/* Send the m requests in req at once and read their m answers. The kernel
 * answers each request while it reads it, inside the send: once the send
 * returns every answer waits already, so one still missing is lost (a full
 * buffer), not late. */
static int lookup_batch(int fd, const void *req, size_t len, uint32_t first, const size_t *at, size_t m,
			SockInfo *v, unsigned char *ask)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	if (sendto(fd, req, len, 0, (struct sockaddr *)&nl, sizeof nl) < 0)
		return -1;
	long buf[8192 / sizeof(long)];
	size_t left = m;
	while (left) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPROTO;
			return -1;
		}
		size_t rest = (size_t)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, rest); h = NLMSG_NEXT(h, rest)) {
			int rc = take_answer(h, first, at, m, v, ask);
			if (rc < 0)
				return -1;
			left -= (size_t)rc;
		}
	}
	return 0;
}

/* Whatever a failed batch left unread goes, so that it fills no buffer. */
static void drain(int fd)
{
	long buf[8192 / sizeof(long)];
	int saved = errno;
	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0 || errno == EINTR)
		;
	errno = saved;
}

int sockdiag_lookup(int fd, SockInfo *v, unsigned char *ask, size_t n)
{
	union {
		struct nlmsghdr h;
		char space[NLMSG_SPACE(sizeof(struct inet_diag_req_v2))];
	} req[LOOKUP_BATCH];
	size_t at[LOOKUP_BATCH];
	for (size_t i = 0; i < n;) {
		size_t m = 0, len = 0;
		uint32_t first = last_seq + 1;
		for (; i < n && m < LOOKUP_BATCH; i++) {
			if (ask[i] != SOCKDIAG_ASK)
				continue;
			/* A TCP socket only bound is in no table a lookup reads, and
			 * a socket without an inode has none to be found by. */
			int tcp_bound = v[i].family != AF_UNIX && v[i].proto == IPPROTO_TCP && v[i].state == SOCK_CLOSE;
			if (tcp_bound || (v[i].family == AF_UNIX && !v[i].inode)) {
				ask[i] = SOCKDIAG_GONE;
				continue;
			}
			at[m] = i;
			len += exact_request(&v[i], ++last_seq, (char *)req + len);
			m++;
		}
		if (m && lookup_batch(fd, req, len, first, at, m, v, ask) < 0) {
			drain(fd);
			return -1;
		}
	}
	return 0;
}

int sockdiag_snapshot(int fd, SockList *list, unsigned mask)
{
	static const struct { unsigned kind; int family, proto; } q[] = {
		{ SOCKDIAG_TCP4, AF_INET, IPPROTO_TCP }, { SOCKDIAG_TCP6, AF_INET6, IPPROTO_TCP },
		{ SOCKDIAG_UDP4, AF_INET, IPPROTO_UDP }, { SOCKDIAG_UDP6, AF_INET6, IPPROTO_UDP },
		{ SOCKDIAG_UNIX, AF_UNIX, 0 },
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		if (!(mask & q[i].kind))
			continue;
		/* A kernel without a diag module for one family still answers the others. */
		if (dump(fd, list, q[i].family, q[i].proto) < 0 && errno != ENOENT && errno != EINVAL
		    && errno != EOPNOTSUPP)
			return -1;
	}
	return 0;
}

const char *sockdiag_state_name(const SockInfo *s)
{
	static const char *tcp[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
		"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	};
	if (s->type == SOCK_DGRAM)
		return s->state == SOCK_ESTABLISHED ? "CONNECTED" : "UNCONN";
	if (s->state < 0 || s->state >= (int)(sizeof tcp / sizeof tcp[0]))
		return "?";
	return tcp[s->state];
}

int sockdiag_same(const SockInfo *a, const SockInfo *b)
{
	if (a->family != b->family || a->proto != b->proto || a->type != b->type)
		return 0;
	if (a->family == AF_UNIX)
		return a->inode == b->inode;
	return a->locallen == b->locallen && memcmp(&a->local, &b->local, a->locallen) == 0 &&
	       a->peerlen == b->peerlen && memcmp(&a->peer, &b->peer, a->peerlen) == 0;
}
