/* procfd.h - what a descriptor of another process is, asked of the kernel.
 *
 * Model layer. sockstep holds none of its programs' descriptors: to ask
 * about one it takes a copy (pidfd_getfd), asks, and closes the copy at
 * once, since a copy kept would change what the program's close() does.
 * That takes the permission ptrace takes, which sockstep has over the
 * programs it runs. tid may be a thread: its descriptor table is asked. */
#ifndef SOCKSTEP_PROCFD_H
#define SOCKSTEP_PROCFD_H

#include <sys/types.h>

/* A copy of tid's descriptor fd, or -1. The caller closes it at once. */
int procfd_copy(pid_t tid, int fd);

/* Is fd a listening socket (SO_ACCEPTCONN)? 1 or 0; -1 when it cannot be
 * told (the process is gone, or fd is no socket). */
int procfd_listening(pid_t tid, int fd);

/* Would a read of fd find something now (poll, zero timeout)? For an epoll
 * descriptor: is any event of its set ready? 1 or 0; -1 when it cannot be
 * told. */
int procfd_readable(pid_t tid, int fd);

/* The descriptors in the epoll set epfd, from the kernel's account of it
 * (/proc/TID/fdinfo/EPFD, one "tfd:" line each): how many were written to
 * fds (at most max), or -1 when it cannot be read. */
int procfd_epoll_fds(pid_t tid, int epfd, int *fds, int max);

#endif
