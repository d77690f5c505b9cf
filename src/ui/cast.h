/* cast.h - the screen as an asciicast v2 file (--cast FILE), for
 * `asciinema play FILE` and the asciinema web player.
 *
 * Terminal backends layer, no curses. A cast is a JSON header line (version
 * 2, width, height, timestamp), then one [seconds, "o", text] line per
 * frame drawn: the escape sequences that turn the previous frame into this
 * one on an ANSI terminal (cursor moves, SGR colours and attributes from
 * the theme, the changed cells), and [seconds, "r", "WxH"] when the
 * terminal is resized. The text is made from the frames themselves, the
 * same cells curses is given, so the cast shows what the student saw
 * whichever terminal they had; it is one more backend in front of the real
 * one (cast_tee), so the controller draws exactly as it always does. */
#ifndef SOCKSTEP_CAST_H
#define SOCKSTEP_CAST_H

#include <stddef.h>

#include "ui/ui.h"
#include "views/frame.h"
#include "views/theme.h"

typedef struct cast Cast;

/* Create path for a cast. Returns NULL with the reason in err. */
Cast *cast_open(const char *path, char *err, size_t errlen);

/* The screen is w x h and drawn with theme (no_color: attributes only):
 * write the header. The cast's clock starts now. */
void cast_begin(Cast *c, int w, int h, const Theme *theme, int no_color);

/* Frame f was drawn: append what changed since the last one. */
void cast_frame(Cast *c, const Frame *f);

/* Paint everything again with the next frame (the terminal was cleared). */
void cast_repaint(Cast *c);

/* Finish the file (the terminal's attributes and cursor back to normal).
 * Returns 0, or -1 with errno when something could not be written (the
 * first failure: the file ends there). */
int cast_close(Cast *c);

/* A backend that draws through inner and writes every frame to path: the
 * file is created now, so a path that cannot be written is refused before
 * the terminal is taken over. Returns NULL with the reason in err. One
 * cast at a time (a backend is a table of plain functions). */
const Ui *cast_tee(const Ui *inner, const char *path, char *err, size_t errlen);

/* Why the tee's cast was not written whole, once it has ended (the
 * backend's end), or NULL: the controller says so and fails. */
const char *cast_tee_error(void);

#endif
