/* sockpane.h - the socket pane: every socket of the lesson, as the kernel
 * reports it, and what just changed.
 *
 * View layer (see screen.h). One row per socket, in the manner of ss:
 *
 *     Owner   Proto Local            Peer             State       Recv-Q Send-Q
 *   * server  tcp   127.0.0.1:65432  *                LISTEN      queue 1/1
 *   * client  tcp   127.0.0.1:41234  127.0.0.1:65432  ESTABLISHED      0      0
 *
 * The rows are the kernel's table as last read (run_kernel); "kernel"
 * owns a socket no process holds (TIME_WAIT, a connection waiting in an
 * accept queue). What changed comes from the timeline's EV_STATE events: a
 * socket the last step changed is marked "*" until the next step; for
 * SOCKPANE_FLASH_MS after a change its row is highlighted, and a socket
 * that went away stays that long as a dim "gone" row, then disappears. The
 * time is the controller's (ScreenState.now_ns): the view stays a function
 * of what it is given, and tests choose the moment. */
#ifndef SOCKSTEP_SOCKPANE_H
#define SOCKSTEP_SOCKPANE_H

#include <stdint.h>

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

enum { SOCKPANE_FLASH_MS = 1500 };

/* Sockets the pane lists at now_ns (gone ones still fading included). */
int sockpane_count(const Run *e, uint64_t now_ns);

/* A header row, then the sockets, in (x, y, w, h). When they do not all
 * fit, the ones the last step changed are kept. Returns how many are shown. */
int sockpane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

/* When the next highlight or fading row ends (ns), or 0: none is showing. */
uint64_t sockpane_due(const Run *e, uint64_t now_ns);

#endif
