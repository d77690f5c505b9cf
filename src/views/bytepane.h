/* bytepane.h - the byte pane: every send and recv, tagged and in hex.
 *
 * View layer (see screen.h). Each message is a header line, "client ->
 * server  12 B  sendall(3)" (or "server <- client ..." for the receiving
 * side), then hex and ASCII lines; the newest message is at the bottom and
 * the pane scrolls back through older ones. */
#ifndef SOCKSTEP_BYTEPANE_H
#define SOCKSTEP_BYTEPANE_H

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

/* Lines the whole pane holds, and the messages in it (may be NULL). */
int bytepane_lines(const Run *e, int *messages);

/* Draw into (x, y, w, h), scrolled back s->byte_scroll lines from the newest. */
void bytepane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

#endif
