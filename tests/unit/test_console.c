/* test_console.c - a program's terminal line, as a terminal shows it.
 *
 * A program's console is a pseudo-terminal: CR LF line ends, a progress
 * counter rewritten in place, a backspace, colours and titles must show as
 * they would on a terminal, not as "?" marks and "[31m" noise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/console.h"

static const char *shown(const char *line)
{
	static char out[256];
	size_t n = console_render(line, strlen(line), out);
	out[n] = '\0';
	return out;
}

static void test_plain_text_kept(void **state)
{
	(void)state;
	assert_string_equal(shown("Received Hello, world"), "Received Hello, world");
	assert_string_equal(shown(""), "");
	assert_string_equal(shown("tab\there ü"), "tab\there ü");
}

static void test_carriage_return(void **state)
{
	(void)state;
	assert_string_equal(shown("GET / HTTP/1.0\r"), "GET / HTTP/1.0");   /* CR LF */
	assert_string_equal(shown("10%\r20%\r30%"), "30%");
	assert_string_equal(shown("hello\rab"), "abllo");
	assert_string_equal(shown("\r\r"), "");
}

static void test_backspace(void **state)
{
	(void)state;
	assert_string_equal(shown("ab\bc"), "ac");
	assert_string_equal(shown("\b\bx"), "x");
	assert_string_equal(shown("aü\bx"), "ax");   /* back over a whole character */
}

static void test_escapes_dropped(void **state)
{
	(void)state;
	assert_string_equal(shown("\033[1;31mred\033[0m"), "red");
	assert_string_equal(shown("\033]0;a title\007after"), "after");
	assert_string_equal(shown("\033]52;c;aGk=\033\\clip"), "clip");
	assert_string_equal(shown("\033(Bx\033="), "x");
	assert_string_equal(shown("cut\033[12"), "cut");   /* cut short at the line's end */
	assert_string_equal(shown("lone\033"), "lone");
	/* Only escapes: nothing that could reach the terminal is left. */
	assert_null(strchr(shown("\033[2J\033[H\033]0;x\007"), '\033'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_kept),
		cmocka_unit_test(test_carriage_return),
		cmocka_unit_test(test_backspace),
		cmocka_unit_test(test_escapes_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
