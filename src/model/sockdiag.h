/* sockdiag.h - every socket of the lesson's network, as the kernel reports it.
 *
 * Model layer. Asks the kernel's own interface, netlink sock_diag (inet_diag
 * for TCP and UDP over IPv4 and IPv6, unix_diag for AF_UNIX), in the current
 * network namespace. Sockets without a descriptor (TIME_WAIT) show too.
 *
 * Two ways to ask: a dump (sockdiag_snapshot) lists every socket, and walks
 * the kernel's whole hash tables to do so, which are shared by every network
 * namespace of the host: it costs more the bigger and busier the host is. An
 * exact lookup (sockdiag_lookup) asks about one socket already known, by its
 * addresses and cookie, and costs the same on any host. */
#ifndef SOCKSTEP_SOCKDIAG_H
#define SOCKSTEP_SOCKDIAG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* TCP states, as the kernel numbers them (include/net/tcp_states.h). */
enum {
	SOCK_ESTABLISHED = 1, SOCK_SYN_SENT, SOCK_SYN_RECV, SOCK_FIN_WAIT1, SOCK_FIN_WAIT2,
	SOCK_TIME_WAIT, SOCK_CLOSE, SOCK_CLOSE_WAIT, SOCK_LAST_ACK, SOCK_LISTEN, SOCK_CLOSING
};

typedef struct {
	int family;                         /* AF_INET, AF_INET6, AF_UNIX */
	int proto;                          /* IPPROTO_TCP, IPPROTO_UDP; 0 for AF_UNIX */
	int type;                           /* AF_UNIX: SOCK_STREAM or SOCK_DGRAM */
	int state;                          /* SOCK_* above */
	struct sockaddr_storage local, peer;
	socklen_t locallen, peerlen;
	uint32_t rqueue, wqueue;            /* LISTEN: accept queue and backlog */
	uint32_t inode;                     /* 0 when no descriptor holds it */
	/* How the kernel finds this very socket again (sockdiag_lookup): its
	 * cookie, unique for the kernel's lifetime, and the device it is bound
	 * to (0: none). Neither is shown nor recorded. */
	uint32_t cookie[2];
	uint32_t ifindex;
} SockInfo;

typedef struct {
	SockInfo *v;
	size_t n, cap;
} SockList;

/* Open a sock_diag socket in the current network namespace; -1 on error. */
int sockdiag_open(void);

/* Which kinds of socket to ask about: one netlink dump each, so a lesson
 * asks only about the kinds it makes. */
enum {
	SOCKDIAG_TCP4 = 1, SOCKDIAG_TCP6 = 2, SOCKDIAG_UDP4 = 4, SOCKDIAG_UDP6 = 8, SOCKDIAG_UNIX = 16,
	SOCKDIAG_ALL = 31
};

/* Add every socket of the kinds in mask in fd's namespace now to list
 * (which the caller empties first, by setting n to 0). Returns 0, or -1
 * with errno set. */
int sockdiag_snapshot(int fd, SockList *list, unsigned mask);

/* What sockdiag_lookup is to do with each socket, and what it found. */
enum { SOCKDIAG_SKIP, SOCKDIAG_ASK, SOCKDIAG_FOUND, SOCKDIAG_GONE };

/* Ask fd's namespace again about each socket v[i] whose ask[i] is
 * SOCKDIAG_ASK, one exact lookup each (all sent at once): ask[i] becomes
 * SOCKDIAG_FOUND and v[i] what the kernel holds now (its state, queues and
 * inode; a connection become a TIME_WAIT keeps its cookie, and is found so),
 * or SOCKDIAG_GONE when that socket is no more: closed, or another has its
 * addresses now (the cookie is asked too). The rest are left as they are. A
 * TCP socket only bound (CLOSE), in no table a lookup reads, is always GONE.
 * Returns 0, or -1 with errno set when not every answer could be read (a
 * dump then tells). */
int sockdiag_lookup(int fd, SockInfo *v, unsigned char *ask, size_t n);

void sockdiag_free(SockList *list);

/* "LISTEN", "ESTABLISHED", "TIME_WAIT" ...; for UDP "UNCONN" / "CONNECTED". */
const char *sockdiag_state_name(const SockInfo *s);

/* Do a and b describe the same socket (protocol and both addresses)? */
int sockdiag_same(const SockInfo *a, const SockInfo *b);

#endif
