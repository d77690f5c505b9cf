/* kernel.h - what the kernel holds between the calls: packets and sockets.
 *
 * Model layer. Joins the packet capture (capture.h) and the socket table
 * (sockdiag.h) and turns what they show into timeline events: EV_PACKET
 * for each packet on the lesson's loopback, EV_STATE for each socket that
 * appears, changes state or goes. Which actor a socket belongs to is read
 * from the kernel too: the socket inodes behind each actor's descriptors. */
#ifndef SOCKSTEP_KERNEL_H
#define SOCKSTEP_KERNEL_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "model/sockdiag.h"
#include "model/timeline.h"

typedef struct kernel Kernel;

/* Open the capture and the socket table in the current network namespace.
 * Outside a private namespace (private_ns 0) only the sockets of the
 * lesson's actors, and packets to or from them, are reported.
 * kinds (SOCKDIAG_* in sockdiag.h) are the kinds of socket the lesson makes.
 * Packets are captured on dev ("lo", or "eth0" between two hosts);
 * pcap_path, if not NULL, receives every packet. What cannot be had is said
 * in note (empty when everything works); the rest still works. NULL only
 * when out of memory. */
Kernel *kernel_open(int private_ns, const char *dev, unsigned kinds, const char *pcap_path,
		    char *note, size_t cap);

/* Also list the sockets of another namespace (a second host), through a
 * sock_diag socket opened there; the kernel view owns it from now on. */
void kernel_add_namespace(Kernel *k, int diag_fd);
void kernel_close(Kernel *k);

/* Why the pcap file (kernel_open's pcap_path) was not written whole, or
 * NULL: it could not be made, or a write failed (a full disk). */
const char *kernel_output_error(const Kernel *k);

/* Actor is about to connect or send to peer. A packet between peer and a
 * port no socket table shows (a refused connect's socket is gone before the
 * table is read) is then put to that actor. */
void kernel_expect(Kernel *k, int actor, const struct sockaddr_storage *peer);

/* Something new may exist: a call made, took, passed or ended a socket or
 * a descriptor (socket, accept, connect, close...), or a process began or
 * ended. The next kernel_update reads the whole table and the actors'
 * descriptors again; the others ask the kernel only about the sockets
 * already known, one exact lookup each, whose cost does not grow with the
 * host (a dump's does). k may be NULL (no kernel view): nothing then. */
void kernel_invalidate(Kernel *k);

/* The capture's descriptor for the caller's poll set, or -1. */
int kernel_fd(const Kernel *k);

/* Add to t every packet seen and every socket change since the last call.
 * pids[i] is actor i's process (0 once it is gone); when they are not the
 * last call's, the table is read whole. */
void kernel_update(Kernel *k, Timeline *t, const pid_t *pids, int n);

/* The sockets as last seen, and which actor owns each (-1: none). */
const SockList *kernel_sockets(const Kernel *k);
int kernel_owner(const Kernel *k, size_t i);

/* A kernel view that looks at nothing: a replay's, whose table is the one a
 * recording kept (kernel_restore). NULL when out of memory. */
Kernel *kernel_restored(void);

/* Make the table n sockets, with their owners. Returns 0, or -1 when out of
 * memory (the table is then empty). */
int kernel_restore(Kernel *k, const SockInfo *v, const int *owner, size_t n);

#endif
