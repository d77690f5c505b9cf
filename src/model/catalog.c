/* catalog.c - finding lesson files by name or number (see catalog.h).
 *
 * A lesson file is NN-NAME.lesson (or NAME.lesson); "echo", "01", "1",
 * "01-echo" and "01-echo.lesson" all name lessons/01-echo.lesson. The list
 * parses every file so the menu shows titles, and leaves out files that do
 * not parse: `sockstep --plain FILE` is where a teacher sees why. */
#include "model/catalog.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/lesson.h"

#ifndef SOCKSTEP_DATADIR
#define SOCKSTEP_DATADIR "/usr/local/share/sockstep"
#endif

enum { NDIRS = 3, PATH_CAP = 4096, SUFFIX_LEN = 7 /* ".lesson" */ };

typedef char DirPath[PATH_CAP];

/* The lesson directories to search, in order; returns how many. */
static int lesson_dirs(DirPath dirs[NDIRS])
{
	int n = 0;
	const char *env = getenv("SOCKSTEP_LESSONS");
	if (env && *env && strlen(env) < PATH_CAP)
		memcpy(dirs[n++], env, strlen(env) + 1);
	char exe[PATH_CAP];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int w = snprintf(dirs[n], PATH_CAP, "%s/lessons", exe);
			if (w > 0 && w < PATH_CAP)
				n++;
		}
	}
	int w = snprintf(dirs[n], PATH_CAP, "%s/lessons", SOCKSTEP_DATADIR);
	if (w > 0 && w < PATH_CAP)
		n++;
	return n;
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Split "01-echo.lesson" into 1 and "echo" (number -1 without NN-).
 * Returns -1 if the file is not a lesson. */
static int split_name(const char *file, int *number, const char **name, size_t *namelen)
{
	size_t n = strlen(file);
	if (file[0] == '.' || n <= SUFFIX_LEN || strcmp(file + n - SUFFIX_LEN, ".lesson") != 0)
		return -1;
	n -= SUFFIX_LEN;
	const char *s = file;
	long num = 0;
	while (s < file + n && *s >= '0' && *s <= '9' && num < 1000000)
		num = num * 10 + (*s++ - '0');
	if (s > file && s < file + n - 1 && *s == '-') {
		*number = (int)num;
		s++;
	} else {
		*number = -1;
		s = file;
	}
	*name = s;
	*namelen = (size_t)(file + n - s);
	return 0;
}

static int matches(const char *arg, const char *file)
{
	int number;
	const char *name;
	size_t len, alen = strlen(arg);
	if (split_name(file, &number, &name, &len) < 0)
		return 0;
	if (alen == len && memcmp(arg, name, len) == 0)
		return 1;
	if (strcmp(arg, file) == 0)
		return 1;
	if (alen == strlen(file) - SUFFIX_LEN && memcmp(arg, file, alen) == 0)
		return 1;
	return number >= 0 && alen <= 6 && all_digits(arg) && atoi(arg) == number;
}

/* The lowest-sorting file in dir that arg names, so two "1"s resolve the
 * same way every time. */
static int find_in(const char *dir, const char *arg, char *path, size_t cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char best[256] = "";
	char full[PATH_CAP];
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!matches(arg, de->d_name) || (best[0] && strcmp(de->d_name, best) >= 0))
			continue;
		int w = snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
		if (w > 0 && w < (int)sizeof full && is_file(full) && strlen(de->d_name) < sizeof best)
			memcpy(best, de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	if (!best[0])
		return -1;
	int w = snprintf(path, cap, "%s/%s", dir, best);
	return (w > 0 && (size_t)w < cap) ? 0 : -1;
}

int catalog_find(const char *arg, char *path, size_t cap)
{
	if (!arg || !*arg || !path || !cap)
		return -1;
	if (is_file(arg)) {
		if (strlen(arg) >= cap)
			return -1;
		memcpy(path, arg, strlen(arg) + 1);
		return 0;
	}
	DirPath dirs[NDIRS];
	int n = lesson_dirs(dirs);
	for (int i = 0; i < n; i++)
		if (find_in(dirs[i], arg, path, cap) == 0)
			return 0;
	return -1;
}

/* Copy as much of src as fits, never cutting a UTF-8 character in half. */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Load dir/file and append it to *v if it is a lesson that parses. */
static int add_entry(const char *dir, const char *file, CatalogEntry **v, int *count, int *cap)
{
	int number;
	const char *name;
	size_t namelen;
	char full[PATH_CAP], err[512];
	if (split_name(file, &number, &name, &namelen) < 0)
		return 0;
	int w = snprintf(full, sizeof full, "%s/%s", dir, file);
	if (w <= 0 || w >= (int)sizeof full || !is_file(full))
		return 0;
	Lesson *l = lesson_load(full, err, sizeof err);
	if (!l)
		return 0;
	if (*count == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		CatalogEntry *grown = realloc(*v, (size_t)ncap * sizeof *grown);
		if (!grown) {
			lesson_free(l);
			return -1;
		}
		*v = grown;
		*cap = ncap;
	}
	CatalogEntry *e = &(*v)[(*count)++];
	memset(e, 0, sizeof *e);
	copy_text(e->path, sizeof e->path, full);
	copy_text(e->name, sizeof e->name, l->name);
	e->number = number;
	copy_text(e->title, sizeof e->title, l->title);
	copy_text(e->about, sizeof e->about, l->about);
	lesson_free(l);
	return 0;
}

static int by_file_name(const void *a, const void *b)
{
	const char *pa = strrchr(((const CatalogEntry *)a)->path, '/');
	const char *pb = strrchr(((const CatalogEntry *)b)->path, '/');
	return strcmp(pa ? pa + 1 : ((const CatalogEntry *)a)->path,
		      pb ? pb + 1 : ((const CatalogEntry *)b)->path);
}

int catalog_list(CatalogEntry **out)
{
	*out = NULL;
	DirPath dirs[NDIRS];
	int n = lesson_dirs(dirs), i = 0;
	DIR *d = NULL;
	while (i < n && !(d = opendir(dirs[i])))
		i++;
	if (!d)
		return -1;
	CatalogEntry *v = NULL;
	int count = 0, cap = 0, rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)))
		rc = add_entry(dirs[i], de->d_name, &v, &count, &cap);
	closedir(d);
	if (rc < 0) {
		free(v);
		return -1;
	}
	if (count > 1)
		qsort(v, (size_t)count, sizeof *v, by_file_name);
	*out = v;
	return count;
}
