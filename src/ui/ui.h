/* ui.h - a screen backend: a small table of functions (vis style).
 *
 * Terminal backends layer. The controller (tui.c) draws through this table
 * only, so it never sees curses: it hands over a Frame, and gets back keys
 * as Unicode code points or the UI_KEY_* values (views/keys.h). ui_curses is the one
 * implementation the TUI uses; --plain output does not draw frames at all
 * (ui/plain.h), and tests render frames without any backend. */
#ifndef SOCKSTEP_UI_H
#define SOCKSTEP_UI_H

#include <stddef.h>

#include "views/frame.h"
#include "views/keys.h"
#include "views/theme.h"

typedef struct {
	const Theme *theme;
	int no_color;              /* attributes only, whatever the terminal can do */
} UiOptions;

typedef struct {
	const char *name;
	/* Take over the terminal. Returns 0, or -1 with a message in err. The
	 * caller has installed its signal handlers before: the backend keeps them. */
	int (*start)(const UiOptions *opt, char *err, size_t errlen);
	/* The terminal's size now. */
	void (*size)(int *w, int *h);
	/* The terminal was resized (SIGWINCH): learn the new size. */
	void (*resize)(void);
	/* Show the frame; only cells that changed reach the terminal. */
	void (*draw)(const Frame *f);
	/* Repaint everything on the next draw (Ctrl-L, a garbled screen). */
	void (*redraw)(void);
	/* The next key, or UI_KEY_NONE when none is waiting: never blocks. */
	int (*key)(void);
	/* The descriptor to poll for keys. */
	int (*fd)(void);
	/* Give the terminal back as it was. Runs once, however often it is called. */
	void (*end)(void);
	/* The same from a fatal signal handler: async-signal-safe calls only. */
	void (*panic)(void);
} Ui;

extern const Ui ui_curses;

#endif
