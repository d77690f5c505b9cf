/* bytes.c - hex and ASCII lines (see bytes.h). */
#include "views/bytes.h"

#include <stdio.h>

void bytes_line(const unsigned char *p, size_t n, size_t offset, size_t width, char *buf, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return;
	buf[0] = '\0';
	if (n > width)
		n = width;
	o += (size_t)snprintf(buf + o, cap - o, "%04zx ", offset);
	for (size_t i = 0; i < width && o + 4 < cap; i++) {
		if (i < n)
			o += (size_t)snprintf(buf + o, cap - o, " %02x", p[i]);
		else
			o += (size_t)snprintf(buf + o, cap - o, "   ");
	}
	if (o + 3 < cap)
		o += (size_t)snprintf(buf + o, cap - o, "  ");
	for (size_t i = 0; i < n && o + 1 < cap; i++)
		buf[o++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	buf[o < cap ? o : cap - 1] = '\0';
}

size_t bytes_line_count(size_t n, size_t width)
{
	return width ? (n + width - 1) / width : 0;
}
