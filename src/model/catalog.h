/* catalog.h - finding lesson files by name or number.
 *
 * Model layer. Lessons live in directories as NN-NAME.lesson; a student
 * types "echo" or "1" rather than a path. The directories are searched in
 * this order: $SOCKSTEP_LESSONS, lessons/ next to the running executable (a
 * build tree), then the installed SOCKSTEP_DATADIR/lessons. */
#ifndef SOCKSTEP_CATALOG_H
#define SOCKSTEP_CATALOG_H

#include <stddef.h>

/* Resolve a lesson argument to a file path: an existing file as given, else a name or number
   ("echo", "01", "1") matched against NN-NAME.lesson in the lesson directories. 0 on success, -1 if none. */
int catalog_find(const char *arg, char *path, size_t cap);

typedef struct {
	char path[4096];
	char name[64];
	int number;          /* the NN of NN-NAME.lesson, -1 if the file has none */
	char title[128];
	char about[256];     /* "" when the lesson has no about: line */
} CatalogEntry;

/* All lessons of the first lesson directory that exists, sorted by file name; returns count or -1. Caller frees *out. */
int catalog_list(CatalogEntry **out);

#endif
