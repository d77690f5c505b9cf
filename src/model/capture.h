/* capture.h - the packets on the lesson's loopback, read with libpcap.
 *
 * Model layer. Opened after sockstep has entered the lesson's network
 * namespace, so "lo" is the lesson's own loopback and nothing else's. The
 * descriptor joins the engine's poll set; packets are handed over as they
 * arrive, and can be written to a pcap file at the same time. */
#ifndef SOCKSTEP_CAPTURE_H
#define SOCKSTEP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

typedef struct capture Capture;

typedef void (*CaptureFn)(void *ctx, uint64_t ts_ns, const uint8_t *frame, size_t caplen, size_t len);

/* Start capturing on dev. Returns NULL with the reason in why. */
Capture *capture_open(const char *dev, char *why, size_t cap);
void capture_close(Capture *c);

/* A descriptor that polls readable when packets wait, or -1. */
int capture_fd(const Capture *c);

/* The pcap link type (PKT_LINK_* in packet.h). */
int capture_link(const Capture *c);

/* Also write every packet read to a pcap file. Returns 0, or -1 with why. */
int capture_save(Capture *c, const char *path, char *why, size_t cap);

/* Why the pcap file could not be written (and stopped growing), or NULL. */
const char *capture_error(const Capture *c);

/* Hand every packet waiting now to fn. Returns how many, or -1. */
int capture_read(Capture *c, CaptureFn fn, void *ctx);

#endif
