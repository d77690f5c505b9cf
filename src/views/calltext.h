/* calltext.h - a call and its result as one line of text, strace-like.
 *
 * View layer: events in, text out. Shared by the plain printer and the TUI,
 * so both write a call exactly the same way: connect(3, 127.0.0.1:65432) and
 * -1 ECONNREFUSED (Connection refused). */
#ifndef SOCKSTEP_CALLTEXT_H
#define SOCKSTEP_CALLTEXT_H

#include <stddef.h>

#include "model/timeline.h"

/* "sendall(3, "Hello, world", 12)": the call as the actor made it.
 * maxstr bounds the quoted bytes shown (strace's -s); longer ones end in "...". */
void calltext_call(const Event *call, size_t maxstr, char *buf, size_t cap);

/* "0", "4", "-1 ECONNREFUSED (Connection refused)"; with detail, also the
 * peer of an accept or recvfrom ("4 from 127.0.0.1:41234"). */
void calltext_result(const Event *ret, int detail, char *buf, size_t cap);

/* The errno name, "ECONNREFUSED"; "E?" for an unknown one. */
const char *calltext_errno_name(int err);

/* Bytes as the inside of a C string literal: Hello\n\x00. Returns the length written. */
size_t calltext_quote(const unsigned char *p, size_t n, char *buf, size_t cap);

#endif
