/* utf8.h - one code point as UTF-8, and text made safe for a terminal.
 *
 * Model layer, no dependencies: the recording reader decodes JSON's \u
 * escapes with it, and the TUI's line editor the keys typed. Text that
 * comes from a file (a recording, a lesson) or from a program reaches a
 * terminal only through utf8_safe or the frame (which uses utf8_char_len):
 * an escape sequence in it could set the window's title, write the
 * clipboard, or redraw what the student sees. */
#ifndef SOCKSTEP_UTF8_H
#define SOCKSTEP_UTF8_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Write cp (at most 0x10ffff) into out, which has room for 4 bytes.
 * Returns the bytes written. */
size_t utf8_encode(unsigned cp, char *out);

/* The length of the printable character at text (valid UTF-8, no C0 or
 * C1 control, no DEL), or 0 when text starts with anything else. */
size_t utf8_char_len(const char *text);

/* text, NUL-terminated, copied into out (cap bytes with its NUL, cut at
 * a character's end), every byte that is not part of a printable
 * character (utf8_char_len) but '\n' and '\t' made a '?'. Returns the
 * length written. out may be text: nothing grows. */
size_t utf8_safe(const char *text, char *out, size_t cap);

/* fprintf, the text made safe (utf8_safe) before it is written: for every
 * line that quotes a file or a program. Returns the bytes written, or -1
 * when the text could not be made or written. */
int utf8_print(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int utf8_vprint(FILE *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
