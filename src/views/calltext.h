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
 * end in "...". A traced program's calls read as strace writes them: the
 * socket type with its flags ("SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK"),
 * "fcntl(3, F_GETFL)", each poll descriptor with its events
 * ("poll([{fd=3, events=POLLIN}], 1, -1)"), select's real nfds and its three
 * sets ("select(5, [0 3], [4], NULL, NULL)"), pselect6 and ppoll,
 * "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}})",
 * "epoll_create1(EPOLL_CLOEXEC)" and "epoll_wait(5, 64, -1)". */
void calltext_call(const Event *call, size_t maxstr, char *buf, size_t cap);

/* The call as calltext_call writes it with maxstr 5, terser where a narrow
 * column needs it to keep its words whole: a socket option without its
 * level, which the option's name implies ("setsockopt(3, SO_REUSEADDR,
 * 1)"), rather than "setsockopt(3, SOL_SOCKET, SO_REU…". */
void calltext_call_terse(const Event *call, char *buf, size_t cap);

/* "0", "4", "-1 ECONNREFUSED (Connection refused)"; with detail, also what
 * the call found out: the peer of an accept or recvfrom ("4 from
 * 127.0.0.1:41234"), a connect's own address ("0 as ..."), a getsockname's
 * address ("0 127.0.0.1:65432"), getaddrinfo's addresses ("0: 127.0.0.1:80,
 * [::1]:80"), gethostname's name ("0 \"box\""), a getsockopt value ("0 [0]"),
 * the sockets a poll or select found ready ("1 [5]", "0 (Timeout)"). A failed
 * getaddrinfo shows its own code: "-2 EAI_NONAME (Name or service not known)".
 * A traced program's waits show what they found as strace does: "1 ([{fd=4,
 * revents=POLLOUT}])", "2 (in [3], out [4])", epoll_wait's "1 ([{events=
 * EPOLLIN, data={u32=3, u64=3}}])"; an F_GETFL "0x2 (flags O_RDWR)". A
 * call a signal interrupted is no failure: "? ERESTARTSYS (interrupted by
 * a signal; ...)", with or without detail. */
void calltext_result(const Event *ret, int detail, char *buf, size_t cap);

/* How many bytes a send's or recv's return says crossed: its return value,
 * but for sendmmsg and recvmmsg, which return a count of messages, their
 * bytes. */
size_t calltext_moved(const Event *ret);

/* The errno name, "ECONNREFUSED"; "E?" for an unknown one. The kernel's
 * own restart codes (512 ERESTARTSYS ...) have their names too. */
const char *calltext_errno_name(int err);

/* Is err a code the kernel ends a call with when a signal interrupts it
 * (ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK)?
 * The program never sees one: the call restarts, or fails with EINTR. Its
 * result reads "? ERESTARTSYS (interrupted by a signal; ...)". */
int calltext_interrupted(int err);

/* The name of a getaddrinfo error code, "EAI_NONAME"; "EAI_?" for an unknown one. */
const char *calltext_eai_name(int code);

/* A printed text as a terminal shows it (console_render): its lines, each
 * without its CR and escape sequences, joined by newline (a glyph that
 * says a line ends, for a view that has one row for it; NULL: '\n'). */
void calltext_console(const char *text, const char *newline, char *buf, size_t cap);

/* A console line that stands for the lines not kept (an EV_PRINT with
 * ret > 0, timeline.h): "... 1,234,567 lines (2.4 MB) not kept ...". */
void calltext_dropped(const Event *print, char *buf, size_t cap);

/* Bytes as the inside of a C string literal: Hello\n\x00. Returns the length written. */
size_t calltext_quote(const unsigned char *p, size_t n, char *buf, size_t cap);

#endif
