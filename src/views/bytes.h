/* bytes.h - bytes as hex and ASCII lines, for the byte pane and --plain.
 * View layer: bytes in, text out. */
#ifndef SOCKSTEP_BYTES_H
#define SOCKSTEP_BYTES_H

#include <stddef.h>

/* One line for up to width bytes starting at p[0], which is byte `offset`
 * of the message: "0000  48 65 6c 6c 6f 2c 20 77 6f 72 6c 64  Hello, world".
 * Short last lines are padded so the ASCII column lines up. */
void bytes_line(const unsigned char *p, size_t n, size_t offset, size_t width, char *buf, size_t cap);

/* How many lines bytes_line makes of n bytes. */
size_t bytes_line_count(size_t n, size_t width);

#endif
