/* progress.c - finished lessons on disk (see progress.h). */
#include "model/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int progress_path(char *buf, size_t cap)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;
	/* The spec says a relative XDG_STATE_HOME is invalid and to be ignored. */
	if (state && state[0] == '/')
		n = snprintf(buf, cap, "%s/sockstep/progress", state);
	else if (home && *home)
		n = snprintf(buf, cap, "%s/.local/state/sockstep/progress", home);
	else
		return -1;
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

void progress_free(Progress *p)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static int add(Progress *p, const char *name, int score, int asked)
{
	ProgressEntry *v = realloc(p->v, (size_t)(p->n + 1) * sizeof *v);
	if (!v)
		return -1;
	p->v = v;
	ProgressEntry *e = &v[p->n++];
	snprintf(e->name, sizeof e->name, "%s", name);
	e->score = score;
	e->asked = asked;
	return 0;
}

int progress_load(Progress *p)
{
	char path[4096], line[256], name[64];
	p->v = NULL;
	p->n = 0;
	if (progress_path(path, sizeof path) < 0)
		return 0;
	FILE *fp = fopen(path, "re");
	if (!fp)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof line, fp)) {
		int score, asked;
		if (sscanf(line, "%63s %d %d", name, &score, &asked) != 3 || score < 0 || asked < score)
			continue;
		if (!progress_find(p, name) && add(p, name, score, asked) < 0)
			break;
	}
	fclose(fp);
	return 0;
}

const ProgressEntry *progress_find(const Progress *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

/* mkdir -p for the directories above path. */
static int make_parents(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *s = dir + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

/* The file the progress is written to before it is renamed over the old
 * one: made new (O_EXCL), never through a link someone put in its place
 * (O_NOFOLLOW), so a link cannot turn the write onto another file. One
 * left by a sockstep that died with the same pid is removed first. */
static FILE *create(const char *tmp)
{
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	FILE *fp = fdopen(fd, "w");
	if (!fp)
		close(fd);
	return fp;
}

static int save(const Progress *p, char *err, size_t cap)
{
	char path[4096], tmp[4200];
	if (progress_path(path, sizeof path) < 0) {
		snprintf(err, cap, "cannot save progress: neither XDG_STATE_HOME nor HOME is set");
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
	FILE *fp = NULL;
	if (make_parents(path) < 0 || !(fp = create(tmp))) {
		snprintf(err, cap, "cannot save progress in %s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < p->n; i++)
		fprintf(fp, "%s %d %d\n", p->v[i].name, p->v[i].score, p->v[i].asked);
	int bad = ferror(fp) | fclose(fp);
	if (bad || rename(tmp, path) < 0) {
		snprintf(err, cap, "cannot save progress in %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int progress_finish(const char *name, int score, int asked, char *err, size_t cap)
{
	Progress p;
	if (progress_load(&p) < 0) {
		snprintf(err, cap, "cannot read progress: %s", strerror(errno));
		return -1;
	}
	ProgressEntry *e = (ProgressEntry *)progress_find(&p, name);
	int rc = 0;
	if (!e)
		rc = add(&p, name, score, asked);
	else if (score * (e->asked ? e->asked : 1) >= e->score * (asked ? asked : 1)) {
		e->score = score;
		e->asked = asked;
	}
	if (rc == 0)
		rc = save(&p, err, cap);
	else
		snprintf(err, cap, "out of memory");
	progress_free(&p);
	return rc;
}

int progress_reset(char *err, size_t cap)
{
	char path[4096];
	if (progress_path(path, sizeof path) < 0)
		return 0;
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, cap, "cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
