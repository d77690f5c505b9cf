/* calltext.c - calls and results as text (see calltext.h). */
#include "views/calltext.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "model/addr.h"
#include "model/lesson.h"

const char *calltext_errno_name(int err)
{
	const char *name = strerrorname_np(err);
	return name ? name : "E?";
}

size_t calltext_quote(const unsigned char *p, size_t n, char *buf, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char tmp[5];
		unsigned char c = p[i];
		switch (c) {
		case '\n': strcpy(tmp, "\\n"); break;
		case '\r': strcpy(tmp, "\\r"); break;
		case '\t': strcpy(tmp, "\\t"); break;
		case '"': strcpy(tmp, "\\\""); break;
		case '\\': strcpy(tmp, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				tmp[0] = (char)c;
				tmp[1] = '\0';
			} else {
				snprintf(tmp, sizeof tmp, "\\x%02x", c);
			}
		}
		size_t t = strlen(tmp);
		if (o + t >= cap)
			break;
		memcpy(buf + o, tmp, t);
		o += t;
	}
	buf[o] = '\0';
	return o;
}

static const char *how_name(long how)
{
	return how == SHUT_RD ? "SHUT_RD" : how == SHUT_WR ? "SHUT_WR" : how == SHUT_RDWR ? "SHUT_RDWR" : "?";
}

static const char *level_name(long level)
{
	return level == SOL_SOCKET ? "SOL_SOCKET" : level == IPPROTO_TCP ? "IPPROTO_TCP"
	       : level == IPPROTO_IPV6 ? "IPPROTO_IPV6" : "?";
}

static const char *option_name(long level, long opt)
{
	if (level == IPPROTO_TCP)
		return opt == TCP_NODELAY ? "TCP_NODELAY" : "?";
	if (level == IPPROTO_IPV6)
		return opt == IPV6_V6ONLY ? "IPV6_V6ONLY" : "?";
	switch (opt) {
	case SO_REUSEADDR: return "SO_REUSEADDR";
	case SO_REUSEPORT: return "SO_REUSEPORT";
	case SO_KEEPALIVE: return "SO_KEEPALIVE";
	case SO_RCVBUF: return "SO_RCVBUF";
	case SO_SNDBUF: return "SO_SNDBUF";
	case SO_BROADCAST: return "SO_BROADCAST";
	case SO_RCVTIMEO: return "SO_RCVTIMEO_MS";
	default: return "?";
	}
}

/* "Hello, world" (or "Hello, w"... when longer than maxstr). */
static void quoted(const Event *ev, size_t maxstr, char *buf, size_t cap)
{
	char q[512];
	size_t n = ev->len < maxstr ? ev->len : maxstr;
	if (n > 120)
		n = 120;
	calltext_quote(ev->data, n, q, sizeof q);
	snprintf(buf, cap, "\"%s\"%s", q, ev->total > n ? "..." : "");
}

void calltext_call(const Event *ev, size_t maxstr, char *buf, size_t cap)
{
	char addr[160], data[640];
	const char *name = lesson_op_name((LessonOp)ev->op);
	addr_format(&ev->addr, ev->addrlen, addr, sizeof addr);
	switch (ev->op) {
	case OP_SOCKET:
		snprintf(buf, cap, "socket(%s, %s)", addr_family_name((int)ev->arg[0]),
			 addr_type_name((int)ev->arg[1]));
		break;
	case OP_BIND:
	case OP_CONNECT:
		snprintf(buf, cap, "%s(%d, %s)", name, ev->fd, addr);
		break;
	case OP_LISTEN:
	case OP_RECV:
	case OP_RECVFROM:
		snprintf(buf, cap, "%s(%d, %lld)", name, ev->fd, (long long)ev->arg[0]);
		break;
	case OP_SEND:
	case OP_SENDALL:
		quoted(ev, maxstr, data, sizeof data);
		snprintf(buf, cap, "%s(%d, %s, %llu)", name, ev->fd, data, (unsigned long long)ev->total);
		break;
	case OP_SENDTO:
		quoted(ev, maxstr, data, sizeof data);
		snprintf(buf, cap, "sendto(%d, %s, %llu, %s)", ev->fd, data,
			 (unsigned long long)ev->total, addr);
		break;
	case OP_SHUTDOWN:
		snprintf(buf, cap, "shutdown(%d, %s)", ev->fd, how_name(ev->arg[0]));
		break;
	case OP_SLEEP:
		snprintf(buf, cap, "sleep(%lld ms)", (long long)ev->arg[0]);
		break;
	case OP_SETSOCKOPT:
		snprintf(buf, cap, "setsockopt(%d, %s, %s, %lld)", ev->fd, level_name(ev->arg[0]),
			 option_name(ev->arg[0], ev->arg[1]), (long long)ev->arg[2]);
		break;
	default:
		snprintf(buf, cap, "%s(%d)", name, ev->fd);
	}
}

void calltext_result(const Event *ev, int detail, char *buf, size_t cap)
{
	if (ev->ret < 0) {
		snprintf(buf, cap, "-1 %s (%s)", calltext_errno_name(ev->err), strerror(ev->err));
		return;
	}
	char addr[160];
	addr_format(&ev->addr, ev->addrlen, addr, sizeof addr);
	if (detail && ev->addrlen && (ev->op == OP_ACCEPT || ev->op == OP_RECVFROM))
		snprintf(buf, cap, "%lld from %s", (long long)ev->ret, addr);
	else if (detail && ev->addrlen && ev->op == OP_CONNECT)
		snprintf(buf, cap, "%lld as %s", (long long)ev->ret, addr);
	else
		snprintf(buf, cap, "%lld", (long long)ev->ret);
}
