/* console.c - a line a program wrote to its terminal, as the terminal
 * shows it (see console.h). */
#include "model/console.h"

#include <stdlib.h>
#include <string.h>

enum { ESC = 0x1b, BEL = 0x07 };

/* Where the escape sequence at line[i] (an ESC) ends: the index after it. */
static size_t escape_end(const char *line, size_t n, size_t i)
{
	if (i + 1 >= n)
		return n;
	unsigned char kind = (unsigned char)line[i + 1];
	i += 2;
	if (kind == '[') {
		/* CSI: parameters and intermediates, then one final byte. */
		while (i < n && ((unsigned char)line[i] < 0x40 || (unsigned char)line[i] > 0x7e))
			i++;
		return i < n ? i + 1 : n;
	}
	if (kind == ']' || kind == 'P' || kind == 'X' || kind == '^' || kind == '_') {
		/* OSC and the other strings: up to BEL or ESC \ (the string's end). */
		for (; i < n; i++) {
			if (line[i] == BEL)
				return i + 1;
			if (line[i] == ESC)
				return i + 2 <= n ? i + 2 : n;
		}
		return n;
	}
	/* ESC, intermediates (a charset's "(" ...), and a final byte. */
	while (kind >= 0x20 && kind <= 0x2f && i < n)
		kind = (unsigned char)line[i++];
	return i;
}

/* The bytes of the character at s (n left): a UTF-8 sequence's whole
 * length when its lead says so and it fits, else one byte. */
static size_t char_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	size_t len = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (len > n)
		return 1;
	for (size_t k = 1; k < len; k++)
		if (((unsigned char)s[k] & 0xc0) != 0x80)
			return 1;
	return len;
}

size_t console_render(const char *line, size_t n, char *out)
{
	/* The line is a row of cells, each one character of the input; a
	 * carriage return or a backspace moves the cursor among them, and a
	 * character written over a cell takes its place. */
	typedef struct {
		size_t at, len;
	} Cell;
	Cell *cell = malloc((n ? n : 1) * sizeof *cell);
	size_t cells = 0, cur = 0;
	if (!cell)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)line[i];
		if (c == ESC) {
			i = escape_end(line, n, i);
		} else if (c == '\r') {
			cur = 0;
			i++;
		} else if (c == '\b') {
			cur -= cur > 0;
			i++;
		} else {
			size_t len = char_len(line + i, n - i);
			cell[cur] = (Cell){ i, len };
			cur++;
			if (cur > cells)
				cells = cur;
			i += len;
		}
	}
	size_t o = 0;
	for (size_t k = 0; k < cells; k++) {
		memcpy(out + o, line + cell[k].at, cell[k].len);
		o += cell[k].len;
	}
	free(cell);
	return o;
}
