/* codepane.h - the code pane: each actor's program as Python or C source,
 * the line of the step it makes next highlighted.
 *
 * View layer (see screen.h). The programs come from codegen.h, made by the
 * controller when the pane opens (ScreenCode); this view only picks which
 * lines fit and which one to highlight, from each actor's current step. */
#ifndef SOCKSTEP_CODEPANE_H
#define SOCKSTEP_CODEPANE_H

#include "model/run.h"
#include "views/frame.h"
#include "views/screenstate.h"

/* "Python" or "C". */
const char *codepane_lang_name(CodeLang lang);

/* The line (an index in prog->lines) of actor's current step, or -1 when
 * it has none (the actor is done, or the step has no line of its own). */
int codepane_line(const Run *e, const Code *prog, int actor);

/* Headings in the first row of the box (x, y, w, h), the programs below:
 * one column per actor, or only the picked actor's when columns would be
 * too narrow to read. */
void codepane_draw(const Run *e, const ScreenState *s, Frame *f, int x, int y, int w, int h);

#endif
