/* screenstate.h - what the controller knows that the model does not.
 *
 * View layer, a leaf of plain data: the pane shown, the question asked,
 * the code pane's programs, the breakpoints, autoplay, scrolling... The
 * controller fills it in; screen.c and every pane read it. It lives apart
 * from screen.h so that a pane needs no part of the screen that calls it. */
#ifndef SOCKSTEP_SCREENSTATE_H
#define SOCKSTEP_SCREENSTATE_H

#include <stdint.h>

#include "model/breaks.h"
#include "model/lesson.h"
#include "views/codegen.h"

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
	int packet_scroll;    /* packet pane: packets scrolled back from the newest */
	ScreenPane pane;      /* the pane a small terminal shows */
	uint64_t now_ns;      /* monotonic time of the frame (the timeline's clock),
	                         for the socket pane's highlights; 0: none shown */
	int help;             /* the help overlay is open */
	int help_scroll;      /* its first line shown */
	uint64_t narr_seq;    /* the step (its event's seq) narr_page belongs to */
	int narr_page;        /* the page of that step's words shown, when they
	                         need more rows than the narration has (w) */
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
	int starting;         /* the lesson is drawn while its network and actors
	                         are still being made: no step can run yet */
} ScreenState;

#endif
