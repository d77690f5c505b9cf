/* screen.h - the whole TUI screen, laid out into a Frame.
 *
 * View layer. screen_render reads the run (actors, timeline, lesson) and
 * the controller's UI state, and draws title bar (with the step the run
 * stands at among the steps it reached, as a bar), flow diagram, console
 * strip, byte pane, narration, status line and key bar -- or, in presenter
 * mode, the flow and the bytes large and the narration last; or the help
 * overlay, or a plain notice when the terminal is too small. It never
 * changes the model: it reads the run through a const pointer (run.h).
 * Used by tui.c, and by the unit tests, which render real runs without a
 * terminal. */
#ifndef SOCKSTEP_SCREEN_H
#define SOCKSTEP_SCREEN_H

#include <stdint.h>

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

/* The smallest terminal drawn (a projector's large font gives about 60x20),
 * and the size from which the normal layout applies; between the two the
 * layout is compact: the flow and the narration first, a pane only in the
 * rows they leave. */
enum { SCREEN_MIN_W = 60, SCREEN_MIN_H = 20, SCREEN_FULL_W = 80, SCREEN_FULL_H = 24 };


void screen_state_init(ScreenState *s);

/* Draw everything into f (its size is the terminal's). */
void screen_render(const Run *e, const ScreenState *s, Frame *f);

/* The largest byte_scroll / help_scroll that still shows something, at w x h. */
int screen_byte_scroll_max(const Run *e, int w, int h);
int screen_help_scroll_max(int w, int h);

/* The largest packet_scroll that still fills the packet pane at w x h
 * (as if shown, on a small terminal). */
int screen_packet_scroll_max(const Run *e, int w, int h);

/* Lines the byte pane scrolls by on PgUp/PgDn at w x h. */
int screen_byte_page(int w, int h);

/* Does a w x h terminal show every pane at once (so k has nothing to cycle)? */
int screen_all_panes(int w, int h);

/* "bytes", "sockets", "packets". */
const char *screen_pane_name(ScreenPane p);

/* The monotonic time (ns) at which something on screen changes by itself
 * (a highlighted socket row goes back to normal, a closed one disappears),
 * or 0 when nothing will: the controller redraws then, and only then. */
uint64_t screen_due(const Run *e, uint64_t now_ns);

#endif
