/* utf8.c - one code point as UTF-8, and text made safe for a terminal
 * (see utf8.h). */
#include "model/utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t utf8_char_len(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (s[0] >= 0xf5)
		n = 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* C1 controls (U+0080..U+009F) would confuse a terminal as much as C0 ones. */
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return n;
}

size_t utf8_safe(const char *text, char *out, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (const char *s = text; *s && o + 1 < cap;) {
		size_t n = utf8_char_len(s);
		if (n == 0) {
			/* Line structure and tabs are the transcript's own; any
			 * other control byte is one a file or program could
			 * steer the terminal with. */
			out[o++] = *s == '\n' || *s == '\t' ? *s : '?';
			s++;
			continue;
		}
		if (o + n >= cap)
			break;
		memmove(out + o, s, n);
		o += n;
		s += n;
	}
	out[o] = '\0';
	return o;
}

int utf8_vprint(FILE *out, const char *fmt, va_list ap)
{
	char *text;
	int n = vasprintf(&text, fmt, ap);
	if (n < 0)
		return -1;
	size_t len = utf8_safe(text, text, (size_t)n + 1);
	size_t wrote = fwrite(text, 1, len, out);
	free(text);
	return wrote == len ? (int)len : -1;
}

int utf8_print(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = utf8_vprint(out, fmt, ap);
	va_end(ap);
	return n;
}
