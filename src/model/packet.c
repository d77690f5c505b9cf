/* packet.c - frame decoding (see packet.h).
 *
 * Every header is checked against the bytes captured before a field is read;
 * lengths the headers claim are believed only as far as the capture goes. */
#include "model/packet.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(Packet *p, const char *why)
{
	p->malformed = why;
	return -1;
}

static void set_port(Packet *p, uint16_t sport, uint16_t dport)
{
	if (p->ipver == 4) {
		((struct sockaddr_in *)&p->src)->sin_port = htons(sport);
		((struct sockaddr_in *)&p->dst)->sin_port = htons(dport);
	} else {
		((struct sockaddr_in6 *)&p->src)->sin6_port = htons(sport);
		((struct sockaddr_in6 *)&p->dst)->sin6_port = htons(dport);
	}
}

static void tcp_options(const uint8_t *o, size_t n, Packet *p)
{
	size_t i = 0;
	while (i < n) {
		uint8_t kind = o[i];
		if (kind == 0)
			return;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			return;  /* a broken option list ends the options, not the packet */
		uint8_t len = o[i + 1];
		if (kind == 2 && len == 4)
			p->mss = be16(o + i + 2);
		else if (kind == 3 && len == 3)
			p->wscale = o[i + 2];
		else if (kind == 4 && len == 2)
			p->sack_ok = 1;
		i += len;
	}
}

static int transport(const uint8_t *f, size_t off, size_t end, size_t wire_end, Packet *p)
{
	if (p->proto == IPPROTO_UDP) {
		if (end - off < 8)
			return fail(p, "UDP header cut short");
		uint16_t ulen = be16(f + off + 4);
		if (ulen < 8)
			return fail(p, "UDP length below 8");
		set_port(p, be16(f + off), be16(f + off + 2));
		p->payload_off = off + 8;
		p->wire_payload = (size_t)ulen - 8;
		p->payload_len = end - p->payload_off < p->wire_payload ? end - p->payload_off : p->wire_payload;
		return 0;
	}
	if (p->proto != IPPROTO_TCP)
		return -1;
	if (end - off < 20)
		return fail(p, "TCP header cut short");
	size_t hl = (size_t)(f[off + 12] >> 4) * 4;
	if (hl < 20)
		return fail(p, "TCP header length below 20");
	if (end - off < hl)
		return fail(p, "TCP options cut short");
	set_port(p, be16(f + off), be16(f + off + 2));
	p->seq = be32(f + off + 4);
	p->ack = be32(f + off + 8);
	p->flags = f[off + 13];
	p->window = be16(f + off + 14);
	tcp_options(f + off + 20, hl - 20, p);
	p->payload_off = off + hl;
	p->wire_payload = wire_end > off + hl ? wire_end - off - hl : 0;
	p->payload_len = end - p->payload_off < p->wire_payload ? end - p->payload_off : p->wire_payload;
	return 0;
}

static int ipv4(const uint8_t *f, size_t off, size_t caplen, Packet *p)
{
	if (caplen - off < 20)
		return fail(p, "IPv4 header cut short");
	size_t ihl = (size_t)(f[off] & 0x0f) * 4;
	size_t total = be16(f + off + 2);
	if (ihl < 20 || total < ihl)
		return fail(p, "IPv4 header lengths make no sense");
	if (caplen - off < ihl)
		return fail(p, "IPv4 options cut short");
	if ((be16(f + off + 6) & 0x1fff) != 0)
		return fail(p, "IPv4 fragment");
	p->ipver = 4;
	p->proto = f[off + 9];
	struct sockaddr_in *s = (struct sockaddr_in *)&p->src, *d = (struct sockaddr_in *)&p->dst;
	s->sin_family = d->sin_family = AF_INET;
	memcpy(&s->sin_addr, f + off + 12, 4);
	memcpy(&d->sin_addr, f + off + 16, 4);
	p->addrlen = sizeof *s;
	size_t end = off + total < caplen ? off + total : caplen;
	return transport(f, off + ihl, end, off + total, p);
}

static int ipv6(const uint8_t *f, size_t off, size_t caplen, Packet *p)
{
	if (caplen - off < 40)
		return fail(p, "IPv6 header cut short");
	size_t plen = be16(f + off + 4);
	p->ipver = 6;
	p->proto = f[off + 6];
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&p->src, *d = (struct sockaddr_in6 *)&p->dst;
	s->sin6_family = d->sin6_family = AF_INET6;
	memcpy(&s->sin6_addr, f + off + 8, 16);
	memcpy(&d->sin6_addr, f + off + 24, 16);
	p->addrlen = sizeof *s;
	size_t end = off + 40 + plen < caplen ? off + 40 + plen : caplen;
	return transport(f, off + 40, end, off + 40 + plen, p);
}

static int by_version(const uint8_t *f, size_t off, size_t caplen, Packet *p)
{
	if (off >= caplen)
		return fail(p, "no IP header");
	int v = f[off] >> 4;
	if (v == 4)
		return ipv4(f, off, caplen, p);
	if (v == 6)
		return ipv6(f, off, caplen, p);
	return fail(p, "not IPv4 or IPv6");
}

static int by_ethertype(const uint8_t *f, size_t off, size_t caplen, uint16_t type, Packet *p)
{
	if (type == 0x0800 || type == 0x86dd)
		return by_version(f, off, caplen, p);
	return -1;  /* ARP and the like: not ours, not broken */
}

int packet_decode(const uint8_t *f, size_t caplen, int link, Packet *p)
{
	memset(p, 0, sizeof *p);
	p->wscale = -1;
	switch (link) {
	case PKT_LINK_EN10MB:
		if (caplen < 14)
			return fail(p, "Ethernet header cut short");
		return by_ethertype(f, 14, caplen, be16(f + 12), p);
	case PKT_LINK_LINUX_SLL:
		if (caplen < 16)
			return fail(p, "SLL header cut short");
		return by_ethertype(f, 16, caplen, be16(f + 14), p);
	case PKT_LINK_NULL:
		if (caplen < 4)
			return fail(p, "loopback header cut short");
		return by_version(f, 4, caplen, p);
	case PKT_LINK_RAW:
	case PKT_LINK_RAW_IP:
		return by_version(f, 0, caplen, p);
	default:
		return fail(p, "unknown link type");
	}
}

void packet_flags(uint8_t flags, char *buf, size_t cap)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ PKT_SYN, "SYN" }, { PKT_FIN, "FIN" }, { PKT_RST, "RST" }, { PKT_PSH, "PSH" },
		{ PKT_ACK, "ACK" }, { PKT_URG, "URG" }, { PKT_ECE, "ECE" }, { PKT_CWR, "CWR" },
	};
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].bit))
			continue;
		int n = snprintf(buf + o, cap - o, "%s%s", o ? "," : "", names[i].name);
		if (n < 0 || (size_t)n >= cap - o)
			break;
		o += (size_t)n;
	}
	if (o == 0)
		snprintf(buf, cap, "none");
}
