/* progress.h - which lessons a student has finished, kept between runs.
 *
 * Model layer. One small text file, $XDG_STATE_HOME/sockstep/progress
 * (default ~/.local/state/sockstep/progress), one line per finished lesson:
 * "NAME SCORE ASKED". Written whole to a temporary file and renamed, so a
 * crash never leaves half a file; an unreadable line is skipped, never fatal. */
#ifndef SOCKSTEP_PROGRESS_H
#define SOCKSTEP_PROGRESS_H

#include <stddef.h>

typedef struct {
	char name[64];
	int score;       /* questions answered right, best run */
	int asked;       /* questions in that run */
} ProgressEntry;

typedef struct {
	ProgressEntry *v;
	int n;
} Progress;

/* The file's path; returns -1 when neither XDG_STATE_HOME nor HOME is set. */
int progress_path(char *buf, size_t cap);

/* Read the file (a missing file is empty progress). Returns 0 or -1. */
int progress_load(Progress *p);
void progress_free(Progress *p);

/* The entry for a lesson name, or NULL when it is not finished. */
const ProgressEntry *progress_find(const Progress *p, const char *name);

/* Record a finished lesson (keeping the better score) and save the file,
 * creating its directories. Returns 0, or -1 with the reason in err. */
int progress_finish(const char *name, int score, int asked, char *err, size_t cap);

/* Forget everything (--reset-progress). Returns 0, or -1 with err. */
int progress_reset(char *err, size_t cap);

#endif
