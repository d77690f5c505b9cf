/* calltext.h - a call and its result as one line of text, strace-like.
 *
 * View layer: events in, text out. Shared by the plain printer and the TUI,
 * so both write a call exactly the same way: connect(3, 127.0.0.1:65432) and
 * -1 ECONNREFUSED (Connection refused). */
#ifndef SOCKSTEP_CALLTEXT_H
#define SOCKSTEP_CALLTEXT_H

#include <stddef.h>

#include "model/timeline.h"

/* "sendall(3, "Hello, world", 12)": the call as the actor made it, strace-like:
 * MSG_* flags when given ("recv(4, 1024, MSG_PEEK)"), a setblocking step as
 * the fcntl it is ("fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK)"), "poll([3, 5],
 * POLLIN, -1)", "select(6, [3 5], NULL, NULL, NULL)", "getaddrinfo("localhost",
 * "65432")". maxstr bounds the quoted bytes shown (strace's -s); longer ones
 * end in "...". */
void calltext_call(const Event *call, size_t maxstr, char *buf, size_t cap);

/* "0", "4", "-1 ECONNREFUSED (Connection refused)"; with detail, also what
 * the call found out: the peer of an accept or recvfrom ("4 from
 * 127.0.0.1:41234"), a connect's own address ("0 as ..."), a getsockname's
 * address ("0 127.0.0.1:65432"), getaddrinfo's addresses ("0: 127.0.0.1:80,
 * [::1]:80"), gethostname's name ("0 \"box\""), a getsockopt value ("0 [0]"),
 * the sockets a poll or select found ready ("1 [5]", "0 (Timeout)"). A failed
 * getaddrinfo shows its own code: "-2 EAI_NONAME (Name or service not known)". */
void calltext_result(const Event *ret, int detail, char *buf, size_t cap);

/* How many bytes a send's or recv's return says crossed: its return value,
 * but for sendmmsg and recvmmsg, which return a count of messages, their
 * bytes. */
size_t calltext_moved(const Event *ret);

/* The errno name, "ECONNREFUSED"; "E?" for an unknown one. */
const char *calltext_errno_name(int err);

/* The name of a getaddrinfo error code, "EAI_NONAME"; "EAI_?" for an unknown one. */
const char *calltext_eai_name(int code);

/* A console line that stands for the lines not kept (an EV_PRINT with
 * ret > 0, timeline.h): "... 1,234,567 lines (2.4 MB) not kept ...". */
void calltext_dropped(const Event *print, char *buf, size_t cap);

/* Bytes as the inside of a C string literal: Hello\n\x00. Returns the length written. */
size_t calltext_quote(const unsigned char *p, size_t n, char *buf, size_t cap);

#endif
