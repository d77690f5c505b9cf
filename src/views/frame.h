/* frame.h - a grid of character cells, each with a role: what a view draws.
 *
 * View layer. The views lay the screen out into a Frame; a backend (the
 * curses one) turns roles into colours and attributes and puts the cells on
 * the terminal; tests read the frame back as text. A cell holds one
 * character as UTF-8 (or ASCII) and occupies one column: the views only use
 * single-width characters, and anything else (control bytes, invalid UTF-8)
 * becomes '?', so a frame's text always lines up. */
#ifndef SOCKSTEP_FRAME_H
#define SOCKSTEP_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* What a cell means; a theme (theme.h) says how each role looks. Meaning is
 * never carried by colour alone: the views also write markers (ok, !!, >>). */
typedef enum {
	ROLE_NORMAL,
	ROLE_TITLE,      /* the title bar */
	ROLE_BORDER,     /* pane rules and their titles */
	ROLE_ACTOR0,     /* one role per actor: its heading, calls and bytes */
	ROLE_ACTOR1,
	ROLE_ACTOR2,
	ROLE_ACTOR3,
	ROLE_ACTOR4,
	ROLE_ACTOR5,
	ROLE_ACTOR6,
	ROLE_ACTOR7,
	ROLE_CURRENT,    /* the call that just ran */
	ROLE_BLOCKED,    /* a call blocking in the kernel */
	ROLE_PENDING,    /* the call an actor will make next */
	ROLE_ERROR,      /* a failed call, a killed actor, a stuck lesson */
	ROLE_OK,         /* the "ok" marker; the lesson finished well */
	ROLE_DIM,        /* lifelines, offsets, hints */
	ROLE_ARROW,      /* connection, data and close arrows */
	ROLE_HEX,        /* hex bytes */
	ROLE_ASCII,      /* the ASCII column next to them */
	ROLE_KEY,        /* a key name in the key bar */
	ROLE_NOTICE,     /* status messages, the too-small notice */
	ROLE_NARRATION,  /* the lesson's explanation */
	ROLE_SELECTED,   /* the heading of the actor picked with tab */
	ROLE_CONSOLE,    /* an actor's console output */
	ROLE_INPUT,      /* the line editor, and lines typed into an actor */
	ROLE_COUNT_
} Role;

typedef struct {
	char ch[5];      /* one character, UTF-8, NUL-terminated */
	uint8_t role;    /* Role */
} FrameCell;

typedef struct {
	int w, h;
	FrameCell *cells;        /* h rows of w cells */
	int cursor_x, cursor_y;  /* where the terminal cursor shows, or -1: hidden */
} Frame;

/* "normal", "title", ... "actor0" ...: the names theme files use. */
const char *frame_role_name(Role role);

/* The role called name, or -1. */
int frame_role_find(const char *name);

/* A w x h frame of blanks. NULL when out of memory. */
Frame *frame_new(int w, int h);
void frame_free(Frame *f);

/* Change the size (contents become blanks). Returns 0, or -1 when out of memory. */
int frame_resize(Frame *f, int w, int h);

/* Every cell blank and normal, the cursor hidden. */
void frame_clear(Frame *f);

/* Write text (UTF-8) from (x, y), at most maxw columns (maxw < 0: to the
 * right edge); clipped at the frame's edges. Returns the columns written. */
int frame_put(Frame *f, int x, int y, const char *text, Role role, int maxw);

/* As frame_put, but when text does not fit in maxw columns it ends with
 * ell (a one-column string such as "~" or the ellipsis). */
int frame_put_fit(Frame *f, int x, int y, const char *text, Role role, int maxw, const char *ell);

/* Fill w cells from (x, y) with the character ch (one column). */
void frame_fill(Frame *f, int x, int y, int w, const char *ch, Role role);

/* Change the role of w cells from (x, y), keeping their characters. */
void frame_paint(Frame *f, int x, int y, int w, Role role);

/* The cell at (x, y), or NULL outside the frame. */
const FrameCell *frame_cell(const Frame *f, int x, int y);

/* Is the cell at (x, y) a blank (or outside the frame)? */
int frame_blank(const Frame *f, int x, int y);

/* Row y as text, trailing blanks removed. Returns the length written. */
size_t frame_row_text(const Frame *f, int y, char *buf, size_t cap);

/* The whole frame as text, one line per row; malloc'd, NULL when out of memory. */
char *frame_text(const Frame *f);

/* Write text word-wrapped into the w x maxrows box at (x, y); words longer
 * than w are cut. f may be NULL to only count. Returns the rows the whole
 * text needs (which may be more than maxrows: those are not drawn). */
int frame_wrap(Frame *f, int x, int y, int w, int maxrows, const char *text, Role role);

/* The same, its first skip rows left out: a page of a text longer than its box. */
int frame_wrap_from(Frame *f, int x, int y, int w, int skip, int maxrows, const char *text, Role role);

/* Columns the UTF-8 text takes in a frame (one per character). */
int frame_width(const char *text);

#endif
