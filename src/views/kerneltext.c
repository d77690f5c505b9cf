/* kerneltext.c - packets and socket states as text (see kerneltext.h). */
#include "views/kerneltext.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "model/addr.h"
#include "model/packet.h"
#include "model/sockdiag.h"

const char *kerneltext_state_name(int state, int type)
{
	SockInfo s = { .state = state, .type = type };
	return sockdiag_state_name(&s);
}

void kerneltext_packet(const Event *ev, char *buf, size_t cap)
{
	Packet p;
	char flags[48];
	if (packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) < 0) {
		snprintf(buf, cap, "malformed: %s (%llu bytes)", p.malformed ? p.malformed : "not IP",
			 (unsigned long long)ev->total);
		return;
	}
	if (p.proto == IPPROTO_UDP) {
		snprintf(buf, cap, "UDP len=%zu", p.wire_payload);
		return;
	}
	packet_flags(p.flags, flags, sizeof flags);
	int n = snprintf(buf, cap, "TCP [%s] seq=%lld", flags, (long long)ev->arg[1]);
	if (n > 0 && (size_t)n < cap && (p.flags & PKT_ACK))
		n += snprintf(buf + n, cap - (size_t)n, " ack=%lld", (long long)ev->arg[2]);
	if (n > 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, " win=%u len=%zu", ev->window, p.wire_payload);
}

void kerneltext_label(const Event *ev, char *buf, size_t cap)
{
	Packet p;
	char flags[48];
	if (packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) < 0) {
		snprintf(buf, cap, "malformed");
		return;
	}
	if (p.proto == IPPROTO_UDP) {
		snprintf(buf, cap, "UDP %zuB", p.wire_payload);
		return;
	}
	packet_flags(p.flags, flags, sizeof flags);
	/* Only segments that carry data say how much: the handshake's and the
	 * close's segments are known by their flags alone. */
	if (p.wire_payload)
		snprintf(buf, cap, "%s %zuB", flags, p.wire_payload);
	else
		snprintf(buf, cap, "%s", flags);
}

int kerneltext_bare_ack(const Event *ev)
{
	Packet p;
	if (packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) < 0)
		return 0;
	return p.proto == IPPROTO_TCP && p.flags == PKT_ACK && p.wire_payload == 0;
}

void kerneltext_state(const Event *ev, char *buf, size_t cap)
{
	char local[160], peer[160], queues[64] = "";
	const char *proto = ev->proto == IPPROTO_TCP ? "tcp" : ev->proto == IPPROTO_UDP ? "udp" : "unix";
	addr_format(&ev->addr, ev->addrlen, local, sizeof local);
	addr_format(&ev->peer, ev->peerlen, peer, sizeof peer);
	int connected = ev->peerlen && strcmp(peer, "0.0.0.0:0") != 0 && strcmp(peer, "[::]:0") != 0
			&& strcmp(peer, "(unnamed)") != 0;
	const char *from = ev->old_state < 0 ? "new" : kerneltext_state_name(ev->old_state, ev->type);
	const char *to = ev->state < 0 ? "gone" : kerneltext_state_name(ev->state, ev->type);
	if (ev->state == SOCK_LISTEN && ev->type == SOCK_STREAM)
		snprintf(queues, sizeof queues, "  queue %u/%u", ev->rq, ev->wq);
	else if (ev->state >= 0 && (ev->rq || ev->wq))
		snprintf(queues, sizeof queues, "  recv-q %u send-q %u", ev->rq, ev->wq);
	if (ev->state == ev->old_state)
		snprintf(buf, cap, "%s %s%s%s  %s%s", proto, local, connected ? " -> " : "",
			 connected ? peer : "", to, queues);
	else
		snprintf(buf, cap, "%s %s%s%s  %s -> %s%s", proto, local, connected ? " -> " : "",
			 connected ? peer : "", from, to, queues);
}
