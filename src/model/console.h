/* console.h - a line a program wrote to its terminal, as the terminal
 * shows it.
 *
 * Model layer, no dependencies. A program's console is a pseudo-terminal
 * (tracer.c), and programs write for terminals: a Windows-style or HTTP
 * line end ("\r\n"), a progress counter rewritten in place ("10%\r20%"), a
 * backspace, colours and cursor moves (escape sequences). Shown byte for
 * byte, those are "?" marks and "[31m" noise where a terminal shows plain
 * text; so each line is rendered as a terminal would leave it. */
#ifndef SOCKSTEP_CONSOLE_H
#define SOCKSTEP_CONSOLE_H

#include <stddef.h>

/* Render the n bytes of one line (without its '\n') into out, which has
 * room for n bytes: a carriage return moves back to the line's start and
 * what follows overwrites what was there, a backspace moves back one
 * column, and an escape sequence (CSI, OSC, or ESC and one byte) is
 * dropped. Other bytes are kept as they are (the views make them safe).
 * Returns the length written. */
size_t console_render(const char *line, size_t n, char *out);

#endif
