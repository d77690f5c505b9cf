/* packetpane.h - the packet pane: the packets the lesson's calls made.
 *
 * View layer (see screen.h). One line a packet, oldest first, newest at the
 * bottom: sender -> receiver, then the packet as --plain writes it, and
 * the call during which it was seen:
 *
 *   * client -> server  TCP [SYN] seq=0 win=65495 len=0        client connect()
 *
 * "*" marks the packets of the last step; "kernel" is the kernel answering
 * for no process; a frame that could not be read is marked "!!". */
#ifndef SOCKSTEP_PACKETPANE_H
#define SOCKSTEP_PACKETPANE_H

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

/* Packets seen so far. */
int packetpane_count(const Run *e);

/* The largest scroll (packets back from the newest) that fills h rows. */
int packetpane_scroll_max(const Run *e, int h);

/* The newest h packets into (x, y, w, h), or s->packet_scroll older. */
void packetpane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

#endif
