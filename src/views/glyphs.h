/* glyphs.h - the characters lines and arrows are drawn with.
 *
 * View layer, a leaf: UTF-8 box drawing where the terminal takes it, plain
 * ASCII where it does not, the same shapes either way. */
#ifndef SOCKSTEP_GLYPHS_H
#define SOCKSTEP_GLYPHS_H

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
} Glyphs;

const Glyphs *glyphs_get(int unicode);

#endif
