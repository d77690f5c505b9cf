/* tui.h - the interactive screen: the lesson menu, and a lesson stepped
 * one call per key.
 *
 * Application layer. Owns the loop that polls the terminal, the actors'
 * gates, signals and the animation timer; turns keys into engine actions;
 * asks the views for a frame and a backend (ui.h) to draw it. It loads the
 * lessons and makes and frees their engines itself: from the menu a student
 * opens one lesson after another in one sitting, and each finished one is
 * recorded in the progress file (model/progress.h). */
#ifndef SOCKSTEP_TUI_H
#define SOCKSTEP_TUI_H

#include "model/engine.h"

typedef struct {
	const char *lesson;    /* a lesson file to open at once, or NULL: the menu */
	Lesson *programs;      /* sockstep run: the programs' lesson (lesson_programs),
	                          opened at once; the TUI takes it over */
	const char *theme;     /* "default" or "contrast" */
	int autoplay;          /* every lesson starts with autoplay on */
	int no_color;          /* --no-color or NO_COLOR set */
	int present;           /* --present: start in presenter mode */
	EngineOptions engine;  /* how each lesson's engine runs */
	const char *replay;    /* a recording to show instead (sockstep replay FILE) */
	const char *cast;      /* write the screen here as an asciicast (--cast) */
} TuiOptions;

/* Run the TUI until the student quits. Returns the process exit status: 0
 * normally; 1 when the terminal is unusable or the lesson given cannot
 * start; 2 when the lesson given does not parse (its message is printed
 * first, as file:line:col); 130/143/129 after SIGINT/SIGTERM/SIGHUP. The
 * terminal is restored, and every actor stopped, on every path. */
int tui_run(const TuiOptions *opt);

#endif
