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

#include "model/breaks.h"
#include "model/run.h"
#include "views/codegen.h"
#include "views/frame.h"

enum { SCREEN_MIN_W = 80, SCREEN_MIN_H = 24 };

/* The panes under the flow diagram. A small terminal shows one of them at
 * a time (the k key cycles); a large one shows all three. */
typedef enum { SCREEN_PANE_BYTES, SCREEN_PANE_SOCKETS, SCREEN_PANE_PACKETS, SCREEN_PANES } ScreenPane;

/* A question the student answers before its step's call runs (the first
 * time that step runs): the prediction, then the verdict beside what really
 * happened. The controller fills it in; quiz.h draws it. */
typedef struct {
	int actor, step;      /* the step that asks; actor -1: no question */
	int open;             /* the prompt is up: the call has not run yet */
	int choice;           /* the student's pick (index in the choices), -1 none */
} ScreenQuiz;

/* The code pane: each actor's program (codegen.h), the line of its current
 * step highlighted. */
typedef struct {
	int on;               /* shown */
	CodeLang lang;
	const Code *prog[LESSON_MAX_ACTORS];  /* per actor; NULL: none to show */
} ScreenCode;

/* What the controller knows that the model does not. */
typedef struct {
	int unicode;          /* the terminal takes UTF-8: box lines, arrowheads */
	int selected;         /* actor picked with tab / arrows, -1 none */
	int next;             /* actor "next step" would run (run_next), -1 none */
	int next_answered;    /* its step's question was answered earlier in this run
	                         (before going back): it is not asked again */
	int autoplay;         /* autoplay is on */
	int speed, speeds;    /* autoplay speed, 1..speeds */
	int byte_scroll;      /* byte pane: lines scrolled back from the newest */
	ScreenPane pane;      /* the pane a small terminal shows */
	uint64_t now_ns;      /* monotonic time of the frame (the timeline's clock),
	                         for the socket pane's highlights; 0: none shown */
	int help;             /* the help overlay is open */
	int help_scroll;      /* its first line shown */
	int editing;          /* the line editor is open for edit_actor */
	int edit_actor;
	const char *edit_text;
	uint64_t anim_seq;    /* the EV_CALL whose arrow is travelling, 0 none */
	int anim_pos, anim_len;  /* it has gone anim_pos of anim_len frames */
	const char *status;   /* a one-off message for the status line, or NULL */
	int status_error;     /* ... and it reports a failure */
	ScreenQuiz quiz;      /* the question being asked or answered */
	int score, asked;     /* right answers of the questions counted so far */
	const char *next_lesson;  /* "03 chat": what n opens once the lesson is over, or NULL */
	ScreenCode code;
	Breaks breaks;        /* where autoplay and "continue" stop; marked in flow and code */
	int present;          /* presenter mode: flow and bytes large, narration at the
	                         bottom, the other panes hidden */
	const char *prompt;   /* a question of the controller's in the status line
	                         ("go to step (0-14): "), or NULL ... */
	const char *prompt_text;  /* ... and what has been typed after it */
} ScreenState;

/* Characters for lines and arrows: UTF-8 box drawing, or plain ASCII. */
typedef struct {
	const char *hline;    /* pane rules, arrow shafts */
	const char *wait;     /* the lifeline of an actor blocked in a call */
	const char *head_r, *head_l;  /* arrowheads */
	const char *ell;      /* text cut short */
	const char *dot;      /* a separator in the title bar */
	/* Markers before a call (each ends in a blank): returned, failed,
	 * running or blocked, and the call an actor makes next. */
	const char *mark_ok, *mark_fail, *mark_run, *mark_next;
	const char *mark_break;   /* the call an actor makes next has a breakpoint */
	const char *bar_done, *bar_ahead;  /* the timeline bar: steps run, steps ahead */
} ScreenGlyphs;

const ScreenGlyphs *screen_glyphs(int unicode);

void screen_state_init(ScreenState *s);

/* Draw everything into f (its size is the terminal's). */
void screen_render(const Run *e, const ScreenState *s, Frame *f);

/* The largest byte_scroll / help_scroll that still shows something, at w x h. */
int screen_byte_scroll_max(const Run *e, int w, int h);
int screen_help_scroll_max(int w, int h);

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
