/* sockdiag.c - socket states from netlink sock_diag (see sockdiag.h).
 *
 * One dump request per family and protocol; the answers are inet_diag_msg
 * or unix_diag_msg records. We read the kernel's structures, never the text
 * of /proc/net/tcp. */
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
