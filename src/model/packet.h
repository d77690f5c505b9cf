/* packet.h - one captured frame, decoded: IPv4/IPv6, TCP/UDP.
 *
 * Model layer, pure: bytes in, fields out, so it is unit tested on saved
 * frames and fuzzed. A frame that is cut short or makes no sense is marked
 * malformed with a reason; nothing past caplen is ever read. */
#ifndef SOCKSTEP_PACKET_H
#define SOCKSTEP_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum {
	PKT_FIN = 0x01, PKT_SYN = 0x02, PKT_RST = 0x04, PKT_PSH = 0x08,
	PKT_ACK = 0x10, PKT_URG = 0x20, PKT_ECE = 0x40, PKT_CWR = 0x80
};

/* Link types we read (the pcap DLT_ numbers). */
enum { PKT_LINK_NULL = 0, PKT_LINK_EN10MB = 1, PKT_LINK_RAW = 12, PKT_LINK_LINUX_SLL = 113,
       PKT_LINK_RAW_IP = 101 };

typedef struct {
	const char *malformed;            /* NULL, or why the frame could not be read */
	int ipver;                        /* 4 or 6; 0 for other frames */
	int proto;                        /* IPPROTO_TCP, IPPROTO_UDP, or another number */
	struct sockaddr_storage src, dst; /* with ports */
	socklen_t addrlen;
	uint8_t flags;                    /* TCP */
	uint32_t seq, ack;                /* TCP, absolute */
	uint16_t window;                  /* TCP, as sent (not scaled) */
	uint16_t mss;                     /* TCP option, 0 if absent */
	int wscale;                       /* TCP option, -1 if absent */
	int sack_ok;                      /* TCP option */
	size_t payload_off, payload_len;  /* within the frame; len counts bytes captured */
	size_t wire_payload;              /* payload length the IP header says */
} Packet;

/* Decode frame (caplen bytes captured) of the given link type into p.
 * Returns 0 for a TCP or UDP segment, -1 otherwise (p->malformed says why
 * when the frame is broken rather than just not TCP/UDP). */
int packet_decode(const uint8_t *frame, size_t caplen, int link, Packet *p);

/* "SYN", "SYN,ACK", "FIN,ACK", "RST" ...; "none" for no flags. */
void packet_flags(uint8_t flags, char *buf, size_t cap);

#endif
