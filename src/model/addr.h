/* addr.h - socket addresses to and from the text a lesson and a screen use.
 * Model layer; shared by the actor (building addresses, $peer) and the views. */
#ifndef SOCKSTEP_ADDR_H
#define SOCKSTEP_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* Build an address of family from a numeric host and a port, or (AF_UNIX)
 * a path; "@name" is an abstract name, private to the network namespace.
 * Returns 0, or -1 when host is not an address of that family. */
int addr_make(int family, const char *host, int port, struct sockaddr_storage *ss, socklen_t *len);

/* "127.0.0.1:65432", "[::1]:65432", "/tmp/s", "@name", "(unnamed)". */
void addr_format(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t cap);

/* "AF_INET", "SOCK_STREAM", ... for the numbers a lesson uses; "?" otherwise. */
const char *addr_family_name(int family);
const char *addr_type_name(int type);

#endif
