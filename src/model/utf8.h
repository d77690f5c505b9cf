/* utf8.h - one code point as UTF-8.
 *
 * Model layer, no dependencies: the recording reader decodes JSON's \u
 * escapes with it, and the TUI's line editor the keys typed. */
#ifndef SOCKSTEP_UTF8_H
#define SOCKSTEP_UTF8_H

#include <stddef.h>

/* Write cp (at most 0x10ffff) into out, which has room for 4 bytes.
 * Returns the bytes written. */
size_t utf8_encode(unsigned cp, char *out);

#endif
