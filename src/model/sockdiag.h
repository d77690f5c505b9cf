/* sockdiag.h - every socket of the lesson's network, as the kernel reports it.
 *
 * Model layer. Asks the kernel's own interface, netlink sock_diag (inet_diag
 * for TCP and UDP over IPv4 and IPv6, unix_diag for AF_UNIX), in the current
 * network namespace. Sockets without a descriptor (TIME_WAIT) show too. */
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

void sockdiag_free(SockList *list);

/* "LISTEN", "ESTABLISHED", "TIME_WAIT" ...; for UDP "UNCONN" / "CONNECTED". */
const char *sockdiag_state_name(const SockInfo *s);

/* Do a and b describe the same socket (protocol and both addresses)? */
int sockdiag_same(const SockInfo *a, const SockInfo *b);

#endif
