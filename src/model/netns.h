/* netns.h - a private network for each run of a lesson.
 *
 * Model layer. sockstep moves itself into a fresh network namespace before
 * it forks a lesson's actors, so the ports a lesson names are exactly the
 * ports used, and two runs on one machine never meet. An unprivileged user
 * gets one through a user namespace that maps them to root inside it only:
 * nobody gains a privilege outside. */
#ifndef SOCKSTEP_NETNS_H
#define SOCKSTEP_NETNS_H

#include <stddef.h>

/* Enter a new, empty network namespace and bring its loopback up.
 * Returns 0, or -1 with the reason in why (then nothing changed). */
int netns_enter(char *why, size_t cap);

/* Two hosts on one virtual Ethernet link. After netns_enter: make a second
 * namespace with its loopback up, join it to this one with a veth pair whose
 * ends are both called eth0, and give each end its address (IPv4, with the
 * prefix length). This process stays in the first namespace, "host a";
 * *other receives a descriptor of the second, "host b", for setns().
 * Returns 0, or -1 with the reason in why. */
int netns_link(const char *addr_a, const char *addr_b, int prefix, int *other, char *why, size_t cap);

/* Give this process (and what it forks) a host name of its own, in a new
 * UTS namespace, so a lesson's gethostname() shows the lesson's host and
 * not the machine's. Returns 0 or -1 (then the machine's name stays). */
int netns_hostname(const char *name);

/* Move this process into the namespace ns (an actor on host b). 0 or -1. */
int netns_join(int ns);

/* Open a sock_diag socket inside the namespace ns (a descriptor from
 * netns_link), then come back. Returns the socket or -1. */
int netns_diag_socket(int ns);

#endif
