/* kerneltext.h - packets and socket states as one line of text.
 *
 * View layer, shared by --plain and the TUI's packet and socket panes:
 *   TCP [SYN,ACK] seq=0 ack=1 win=65483 len=0
 *   tcp 127.0.0.1:41234 -> 127.0.0.1:65432  new -> ESTABLISHED */
#ifndef SOCKSTEP_KERNELTEXT_H
#define SOCKSTEP_KERNELTEXT_H

#include <stddef.h>

#include "model/timeline.h"

/* An EV_PACKET: protocol, flags, relative seq/ack, window, payload length;
 * "malformed: why" for a frame that could not be read. */
void kerneltext_packet(const Event *ev, char *buf, size_t cap);

/* An EV_PACKET as the short label of an arrow: "SYN", "SYN,ACK",
 * "PSH,ACK 12B", "UDP 12B"; "malformed" for a frame that could not be read. */
void kerneltext_label(const Event *ev, char *buf, size_t cap);

/* Is the packet event a bare TCP ACK (no data, no SYN, FIN or RST)? The
 * flow draws it at once rather than animating it: it only acknowledges
 * the segment whose arrow has just arrived. */
int kerneltext_bare_ack(const Event *ev);

/* An EV_STATE: protocol, addresses, old and new state, queues. */
void kerneltext_state(const Event *ev, char *buf, size_t cap);

/* "LISTEN", "TIME_WAIT", ... for a TCP state; "UNCONN"/"CONNECTED" for datagrams. */
const char *kerneltext_state_name(int state, int type);

#endif
