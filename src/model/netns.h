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

#endif
