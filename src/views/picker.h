/* picker.h - the lesson menu: every lesson, one a line, the finished ones
 * marked with their score.
 *
 * View layer. What `sockstep` with no lesson shows, and where m leads from
 * a lesson. The lessons come from the catalog and the marks from the
 * progress file (both model); the controller keeps which line is picked. */
#ifndef SOCKSTEP_PICKER_H
#define SOCKSTEP_PICKER_H

#include "model/catalog.h"
#include "model/progress.h"
#include "views/frame.h"

typedef struct {
	const CatalogEntry *lessons;
	int n;                     /* 0: none found (the menu says where it looked) */
	const Progress *progress;  /* finished lessons; may be NULL */
	int selected;              /* the line picked, 0..n-1 */
	int unicode;               /* UTF-8 glyphs, else ASCII */
	const char *status;        /* a one-off message, or NULL */
	int status_error;
} PickerState;

/* Draw the menu into f (its size is the terminal's). */
void picker_render(const PickerState *p, Frame *f);

/* "✓ 2/2" (or "ok 2/2"): the mark of a finished lesson, "" for the others. */
void picker_mark(const PickerState *p, int i, char *buf, size_t cap);

/* Lines of lessons a w x h menu shows at once (PgUp/PgDn move by it). */
int picker_page(int w, int h);

#endif
