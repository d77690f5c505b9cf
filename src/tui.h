/* tui.h - the interactive screen: the controller and its event loop.
 *
 * Application layer. Owns the loop that polls the terminal, the actors'
 * gates, signals and the animation timer; turns keys into engine actions;
 * asks the views for a frame and a backend (ui.h) to draw it. */
#ifndef SOCKSTEP_TUI_H
#define SOCKSTEP_TUI_H

#include "model/engine.h"

typedef struct {
	const char *theme;     /* "default" or "contrast" */
	int autoplay;          /* start with autoplay on */
	int no_color;          /* --no-color or NO_COLOR set */
} TuiOptions;

/* Run the TUI on an engine that has not been started. Returns the process
 * exit status (0 normally; 1 when the terminal is unusable; 130/143/129
 * after SIGINT/SIGTERM/SIGHUP). The terminal is restored on every path. */
int tui_run(Engine *e, const TuiOptions *opt);

#endif
