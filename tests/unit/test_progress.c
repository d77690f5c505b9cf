/* test_progress.c - finished lessons survive a restart, in the XDG place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/progress.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/sockstep-progress-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("XDG_STATE_HOME", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_path_follows_xdg(void **state)
{
	(void)state;
	char path[256], want[256];
	assert_int_equal(progress_path(path, sizeof path), 0);
	snprintf(want, sizeof want, "%s/sockstep/progress", dir);
	assert_string_equal(path, want);
	/* A relative XDG_STATE_HOME is ignored, as the spec says. */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/student", 1);
	assert_int_equal(progress_path(path, sizeof path), 0);
	assert_string_equal(path, "/home/student/.local/state/sockstep/progress");
	setenv("XDG_STATE_HOME", dir, 1);
}

static void test_finish_load_reset(void **state)
{
	(void)state;
	char err[256];
	Progress p;
	assert_int_equal(progress_load(&p), 0);
	assert_int_equal(p.n, 0);
	progress_free(&p);
	assert_int_equal(progress_finish("echo", 1, 2, err, sizeof err), 0);
	assert_int_equal(progress_finish("udp", 3, 3, err, sizeof err), 0);
	/* A worse second run keeps the better score; a better one replaces it. */
	assert_int_equal(progress_finish("echo", 0, 2, err, sizeof err), 0);
	assert_int_equal(progress_load(&p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(progress_find(&p, "echo")->score, 1);
	assert_null(progress_find(&p, "chat"));
	progress_free(&p);
	assert_int_equal(progress_finish("echo", 2, 2, err, sizeof err), 0);
	assert_int_equal(progress_load(&p), 0);
	assert_int_equal(progress_find(&p, "echo")->score, 2);
	progress_free(&p);
	assert_int_equal(progress_reset(err, sizeof err), 0);
	assert_int_equal(progress_load(&p), 0);
	assert_int_equal(p.n, 0);
	progress_free(&p);
}

static void test_garbage_lines_are_skipped(void **state)
{
	(void)state;
	char path[256], err[256];
	assert_int_equal(progress_finish("echo", 1, 1, err, sizeof err), 0);
	progress_path(path, sizeof path);
	FILE *fp = fopen(path, "a");
	fputs("garbage\nchat 5 2\n\x01\x02\nudp 1 1\n", fp);
	fclose(fp);
	Progress p;
	assert_int_equal(progress_load(&p), 0);
	assert_int_equal(p.n, 2);  /* echo and udp; "chat 5 2" has score > asked */
	assert_non_null(progress_find(&p, "udp"));
	progress_free(&p);
}

static void test_unwritable_place_is_an_error_not_a_crash(void **state)
{
	(void)state;
	char err[256] = "";
	setenv("XDG_STATE_HOME", "/proc/no-such-place", 1);
	assert_int_equal(progress_finish("echo", 1, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot save progress"));
	setenv("XDG_STATE_HOME", dir, 1);
}

/* The file written before the rename is a new one: a link put where it
 * will be (the name is the pid) does not turn the write onto its target. */
static void test_a_link_in_place_of_the_temporary_file_is_not_followed(void **state)
{
	(void)state;
	char err[256] = "", victim[128], tmp[4200], path[4096], text[64] = "";
	snprintf(victim, sizeof victim, "%s/victim", dir);
	FILE *fp = fopen(victim, "w");
	assert_non_null(fp);
	fputs("mine\n", fp);
	fclose(fp);
	assert_int_equal(progress_finish("echo", 1, 1, err, sizeof err), 0);  /* makes the folder */
	assert_int_equal(progress_path(path, sizeof path), 0);
	snprintf(tmp, sizeof tmp, "%s.%d", path, (int)getpid());
	assert_int_equal(symlink(victim, tmp), 0);
	assert_int_equal(progress_finish("udp", 1, 1, err, sizeof err), 0);
	fp = fopen(victim, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof text, fp));
	fclose(fp);
	assert_string_equal(text, "mine\n");
	Progress p;
	assert_int_equal(progress_load(&p), 0);
	assert_non_null(progress_find(&p, "udp"));
	progress_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_follows_xdg),
		cmocka_unit_test(test_finish_load_reset),
		cmocka_unit_test(test_garbage_lines_are_skipped),
		cmocka_unit_test(test_unwritable_place_is_an_error_not_a_crash),
		cmocka_unit_test(test_a_link_in_place_of_the_temporary_file_is_not_followed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
