/* theme.h - how each role of a frame looks: colours and attributes.
 *
 * View layer: text in, a table out; no curses. A theme is a small text file
 * (assets/themes/NAME.theme, compiled in), one role per line:
 *
 *     # role     fg        bg        attributes
 *     current    black     cyan      reverse,bold
 *
 * Colours: default black red green yellow blue magenta cyan white, and
 * bright-red etc. Attributes: bold reverse underline dim, joined by commas,
 * or "-" for none. Roles a theme does not name look like "normal". The
 * attributes alone must keep a screen readable: without colours (NO_COLOR,
 * --no-color, a monochrome terminal) the backend uses only them. With
 * colours, "reverse" is dropped from a role that has its own background:
 * the background already marks it, and reversing would swap the two. */
#ifndef SOCKSTEP_THEME_H
#define SOCKSTEP_THEME_H

#include <stddef.h>

#include "views/frame.h"

enum { THEME_COLOR_DEFAULT = -1 };   /* the terminal's own colour */

enum {
	THEME_BOLD = 1,
	THEME_REVERSE = 2,
	THEME_UNDERLINE = 4,
	THEME_DIM = 8
};

typedef struct {
	int fg, bg;   /* 0..15 (8..15: bright), or THEME_COLOR_DEFAULT */
	int attrs;    /* THEME_BOLD | ... */
} ThemeStyle;

typedef struct {
	ThemeStyle role[ROLE_COUNT_];
} Theme;

/* Parse a theme. Returns 0, or -1 with "line N: message" in err. */
int theme_parse(const char *text, Theme *t, char *err, size_t errlen);

/* The compiled-in text of the theme called name ("default", "contrast"), or NULL. */
const char *theme_text(const char *name);

#endif
