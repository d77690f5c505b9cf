/* addr.c - socket addresses as text (see addr.h). */
#include "model/addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

int addr_make(int family, const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof *in;
		return inet_pton(AF_INET, host, &in->sin_addr) == 1 ? 0 : -1;
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof *in6;
		return inet_pton(AF_INET6, host, &in6->sin6_addr) == 1 ? 0 : -1;
	}
	if (family == AF_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;
		size_t n = strlen(host);
		if (n == 0 || n >= sizeof un->sun_path)
			return -1;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, host, n);
		/* An abstract name starts with a NUL byte instead of '@'. */
		if (host[0] == '@')
			un->sun_path[0] = '\0';
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (host[0] == '@' ? 0 : 1));
		return 0;
	}
	return -1;
}

void addr_format(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t cap)
{
	char host[INET6_ADDRSTRLEN];
	if (len < sizeof(sa_family_t)) {
		snprintf(buf, cap, "(unnamed)");
		return;
	}
	if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		snprintf(buf, cap, "%s:%u", host, ntohs(in->sin_port));
		return;
	}
	if (ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		snprintf(buf, cap, "[%s]:%u", host, ntohs(in6->sin6_port));
		return;
	}
	if (ss->ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)ss;
		size_t n = len - offsetof(struct sockaddr_un, sun_path);
		if (n == 0) {
			snprintf(buf, cap, "(unnamed)");
		} else if (un->sun_path[0] == '\0') {
			snprintf(buf, cap, "@%.*s", (int)(n - 1), un->sun_path + 1);
		} else {
			snprintf(buf, cap, "%.*s", (int)strnlen(un->sun_path, n), un->sun_path);
		}
		return;
	}
	snprintf(buf, cap, "(family %d)", ss->ss_family);
}

const char *addr_family_name(int family)
{
	switch (family) {
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_UNIX: return "AF_UNIX";
	default: return "?";
	}
}

const char *addr_type_name(int type)
{
	switch (type) {
	case SOCK_STREAM: return "SOCK_STREAM";
	case SOCK_DGRAM: return "SOCK_DGRAM";
	default: return "?";
	}
}
