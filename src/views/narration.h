/* narration.h - the narration pane: what the step that just ran did, the
 * question of the step to come, and what runs next.
 *
 * View layer (see screen.h). The words are the lesson's; this view only
 * picks which step's words to show and says what comes next. */
#ifndef SOCKSTEP_NARRATION_H
#define SOCKSTEP_NARRATION_H

#include <stddef.h>
#include <stdint.h>

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

void narration_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

/* The rows narration_draw needs at width w to show all it has to say:
 * the lesson's words (their rows also in *text_rows when not NULL), the
 * question to come, and the line of what runs next. */
int narration_rows(const Run *e, const ScreenState *s, int w, int *text_rows);

/* Words longer than the h rows narration_draw is given come in pages:
 * the page shown (from 0) and, in *pages, how many there are (1: all of
 * the words fit). */
int narration_page(const Run *e, const ScreenState *s, int w, int h, int *pages);

/* The step the words are about (its event's seq; 0 before the first):
 * a page turned belongs to it, and the next step starts at page one. */
uint64_t narration_moment(const Run *e);

/* "server accept(3)", or "client input": what stepping actor a would run. */
void narration_next(const Run *e, int a, char *buf, size_t cap);

/* What the pane says of a step (ev: its EV_CALL or EV_INPUT) once it has
 * run: "server: " and the lesson's narration, or, for a step without one,
 * "server ran: " and the step as the lesson writes it; for a traced
 * program's call, what the call does (explain.h). Also what --plain
 * --narrate prints. */
void narration_step(const Run *e, const Event *ev, char *buf, size_t cap);

/* "server is blocked in recv(4, 1024)" for every blocked actor, joined
 * with "; " -- why a finished lesson got stuck. Empty when none is. */
void narration_stuck(const Run *e, char *buf, size_t cap);

/* While no actor can be stepped and one waits for its time (run_waiting):
 * "server sleeps in sleep(500 ms): it wakes by itself when its time is
 * up", or for a call with a timeout, that it returns when a socket is
 * ready or its time is up. Returns 0, buf empty, when no actor waits so. */
int narration_waiting(const Run *e, char *buf, size_t cap);

/* The run in a word, for the title: "finished" (every actor ended as the
 * lesson says), "stuck" (no actor can ever move), "sleeping" or "waiting
 * for a timer" (none can be stepped until a time is up); "" otherwise. */
const char *narration_run_word(const Run *e);

#endif
