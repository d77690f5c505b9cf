/* test_keys.c - the key table, and the README's and the man page's key
 * tables held to it.
 *
 * --help prints the table's manual keys (keys_help_all), section by
 * section; the README's key tables and the man page's KEYS section must
 * list the same keys, in the same sections and order, so that a key
 * added, changed or dropped in the code fails here until they say so too.
 * Only the keys are compared: the words about them may differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/keys.h"

enum { SECTIONS = 16, ROWS = 40, NAME = 64 };

/* A document's keys: its sections, each the key column of its rows. */
typedef struct {
	int n;
	int rows[SECTIONS];
	char key[SECTIONS][ROWS][NAME];
} Doc;

static void doc_section(Doc *d)
{
	assert_true(d->n < SECTIONS);
	d->rows[d->n++] = 0;
}

static void doc_key(Doc *d, const char *key, size_t len)
{
	assert_true(d->n > 0);
	int *r = &d->rows[d->n - 1];
	if (*r >= ROWS || len >= NAME)
		fail_msg("too many rows, or a key column too long: %.*s", (int)len, key);
	memcpy(d->key[d->n - 1][*r], key, len);
	d->key[d->n - 1][*r][len] = '\0';
	(*r)++;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[1 << 18];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The table's side, as --help prints it: a heading, then lines of two
 * blanks and the keys, up to two blanks (or the end: the help follows on
 * the next line, further in). */
static void from_usage(Doc *d)
{
	size_t n = keys_help_all(1, 19, 79, NULL, 0);
	char *text = malloc(n + 1);
	assert_non_null(text);
	keys_help_all(1, 19, 79, text, n + 1);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] != ' ')
			doc_section(d);
		else if (line[1] == ' ' && line[2] != ' ') {
			char *end = strstr(line + 2, "  ");
			doc_key(d, line + 2, end ? (size_t)(end - line - 2) : strlen(line + 2));
		}
	}
	free(text);
}

/* The README: under "## Keys", up to the next "## ", each table is a
 * section; a row's first cell is its keys. */
static void from_readme(Doc *d, const char *text)
{
	const char *p = strstr(text, "\n## Keys\n");
	assert_non_null(p);
	const char *end = strstr(p + 1, "\n## ");
	int in_table = 0;
	for (p++; *p && (!end || p < end);) {
		size_t len = strcspn(p, "\n");
		if (strncmp(p, "| key |", 7) == 0) {
			doc_section(d);
			in_table = 1;
		} else if (in_table && strncmp(p, "| ", 2) == 0) {
			size_t cell = strcspn(p + 2, "|");
			while (cell > 0 && p[2 + cell - 1] == ' ')
				cell--;
			doc_key(d, p + 2, cell);
		} else if (strncmp(p, "|---", 4) != 0) {
			in_table = 0;
		}
		p += len + (p[len] == '\n');
	}
}

/* A roff line's text: .B's words joined by blanks, .BR's (and the other
 * alternating fonts') run together; \- is a minus. */
static void roff_text(const char *line, char *out, size_t cap)
{
	int alternate = line[1] && line[2] && line[2] != ' ';
	const char *p = line + strcspn(line, " ");
	size_t o = 0;
	int first = 1;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (!first && !alternate && o + 1 < cap)
			out[o++] = ' ';
		first = 0;
		int quoted = *p == '"';
		p += quoted;
		while (*p && (quoted ? *p != '"' : *p != ' ')) {
			if (p[0] == '\\' && p[1] == '-') {
				p++;
				continue;
			}
			if (o + 1 < cap)
				out[o++] = *p;
			p++;
		}
		p += quoted && *p == '"';
	}
	out[o] = '\0';
}

/* The man page: from .SH KEYS to the next .SH, each .SS a section, the
 * line after each .TP its keys. */
static void from_man(Doc *d, const char *text)
{
	const char *p = strstr(text, "\n.SH KEYS\n");
	assert_non_null(p);
	const char *end = strstr(p + 1, "\n.SH ");
	int tag = 0;
	for (p++; *p && (!end || p < end);) {
		size_t len = strcspn(p, "\n");
		char line[256], keys[NAME];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		if (strncmp(line, ".SS ", 4) == 0)
			doc_section(d);
		else if (tag) {
			roff_text(line, keys, sizeof keys);
			doc_key(d, keys, strlen(keys));
		}
		tag = strcmp(line, ".TP") == 0;
		p += len + (p[len] == '\n');
	}
}

static void same_keys(const Doc *want, const Doc *got, const char *what)
{
	for (int s = 0; s < want->n && s < got->n; s++)
		for (int r = 0; r < want->rows[s] || r < got->rows[s]; r++) {
			const char *w = r < want->rows[s] ? want->key[s][r] : "(none)";
			const char *g = r < got->rows[s] ? got->key[s][r] : "(none)";
			if (strcmp(w, g) != 0)
				fail_msg("%s, section %d, row %d: the key table says \"%s\", it says \"%s\"", what,
					 s + 1, r + 1, w, g);
		}
	if (want->n != got->n)
		fail_msg("%s has %d key sections, the key table %d", what, got->n, want->n);
}

static void test_readme_lists_the_table(void **state)
{
	(void)state;
	static Doc want, got;
	from_usage(&want);
	from_readme(&got, slurp("README.md"));
	same_keys(&want, &got, "README.md");
}

static void test_man_page_lists_the_table(void **state)
{
	(void)state;
	static Doc want, got;
	from_usage(&want);
	from_man(&got, slurp("assets/sockstep.1"));
	same_keys(&want, &got, "assets/sockstep.1");
}

/* The drift the table was made to end: c continues, s is the source, and
 * f is nothing. */
static void test_bindings(void **state)
{
	(void)state;
	assert_int_equal(keys_find(KEYS_LESSON, 'c')->cmd, KEYS_CONTINUE);
	assert_int_equal(keys_find(KEYS_LESSON, 's')->cmd, KEYS_CODE);
	assert_null(keys_find(KEYS_LESSON, 'f'));
	assert_int_equal(keys_find(KEYS_LESSON, 'Q')->cmd, KEYS_QUIT);
	assert_int_equal(keys_find(KEYS_LESSON, UI_KEY_ENTER)->cmd, KEYS_STEP_PICKED);
	assert_int_equal(keys_find(KEYS_QUIZ, '9')->cmd, KEYS_ANSWER);
	assert_null(keys_find(KEYS_QUIZ, '0'));
	assert_null(keys_find(KEYS_QUIZ, 'k'));   /* left to the lesson's table */
	assert_int_equal(keys_find(KEYS_GOTO, '0')->cmd, KEYS_GOTO_DIGIT);
	assert_int_equal(keys_find(KEYS_EDIT, 127)->cmd, KEYS_EDIT_DELETE);
	assert_int_equal(keys_find(KEYS_EDIT, 'q')->cmd, KEYS_EDIT_TYPE);
	assert_int_equal(keys_find(KEYS_ANY, 3)->cmd, KEYS_INTERRUPT);
	assert_null(keys_find(KEYS_ANY, 'q'));
}

/* A key bound twice in one mode would only ever do the first thing: a
 * later entry may only describe the same command again. */
static void test_no_key_is_bound_twice(void **state)
{
	(void)state;
	size_t n;
	const KeysEntry *t = keys_table(&n);
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < KEYS_CODES && t[i].codes[k]; k++) {
			const KeysEntry *first = keys_find(t[i].mode, t[i].codes[k]);
			if (first->cmd != t[i].cmd)
				fail_msg("entry %zu: key %d is already entry %td's", i, t[i].codes[k], first - t);
		}
}

/* Every command has a key, the help is plain ASCII, and its lines fit the
 * help overlay and --help. */
static void test_descriptions(void **state)
{
	(void)state;
	size_t n;
	const KeysEntry *t = keys_table(&n);
	int bound[KEYS_CMDS] = { 0 };
	for (size_t i = 0; i < n; i++) {
		bound[t[i].cmd] = 1;
		assert_true(t[i].codes[0] != 0);
		for (const char *p = t[i].help; p && *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
		if (t[i].bars)
			assert_non_null(t[i].label);
	}
	for (int c = 0; c < KEYS_CMDS; c++)
		if (!bound[c])
			fail_msg("command %d has no key", c);
	int widths[][2] = { { 13, 72 }, { 19, 79 } };
	for (size_t w = 0; w < 2; w++) {
		static char text[16384];
		assert_true(keys_help_all(0, widths[w][0], widths[w][1], text, sizeof text) < sizeof text);
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
			if ((int)strlen(line) > widths[w][1])
				fail_msg("longer than %d: %s", widths[w][1], line);
	}
}

static void test_names(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(keys_name(' ', buf, sizeof buf), "space");
	assert_string_equal(keys_name(3, buf, sizeof buf), "Ctrl-C");
	assert_string_equal(keys_name(UI_KEY_PGDN, buf, sizeof buf), "PgDn");
	assert_string_equal(keys_names(keys_find(KEYS_LESSON, '+'), 0, ", ", buf, sizeof buf), "+, -");
	assert_string_equal(keys_names(keys_find(KEYS_QUIZ, '1'), 0, ", ", buf, sizeof buf), "1-9");
	/* The bar's short forms. */
	KeysHint h[32];
	int k = keys_bar(KEYS_BAR_RUN, h, 32);
	assert_true(k > 5);
	assert_string_equal(h[0].key, "space");
	assert_string_equal(h[0].label, "next");
	int found = 0;
	for (int i = 0; i < k; i++)
		found += strcmp(h[i].key, "+/-") == 0 || strcmp(h[i].key, "PgUp/PgDn") == 0;
	assert_int_equal(found, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_lists_the_table),
		cmocka_unit_test(test_man_page_lists_the_table),
		cmocka_unit_test(test_bindings),
		cmocka_unit_test(test_no_key_is_bound_twice),
		cmocka_unit_test(test_descriptions),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
