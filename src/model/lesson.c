/* lesson.c - reads lesson files into a Lesson (see lesson.h; the format is
 * described for teachers in lessons/README.md).
 *
 * The people who write lessons are teachers, not C programmers, so the parser
 * is strict and explains itself: the first problem found is reported as
 * "path:line:col: message", pointing at the byte column of the token at
 * fault. It works one line at a time with a fixed token buffer, checks every
 * length it uses, and frees everything on the first error, so any bytes at
 * all give either a whole Lesson or one message. */
#include "model/lesson.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "model/answerkind.h"

enum {
	MAX_FILE = 1 << 20,      /* a lesson is small; this stops a wrong file early */
	MAX_LINE = 4096,
	MAX_TOKS = 256,          /* words on one line; a line has 4096 bytes at most */
	MAX_NAME = 32,           /* actor and socket names fit the views' columns */
	MAX_RECV = 1048576,
	MAX_BACKLOG = 4096,
	MAX_REPEAT = 1000000,
	MAX_SLEEP_MS = 60000,
	MAX_BYTES = 16777216,    /* DATA "bytes N": 16 MiB is plenty to fill any buffer */
	MAX_HOSTNAME = 253,      /* the longest name DNS allows */
	MAX_POLL = LESSON_MAX_SOCKETS  /* sockets one poll or select waits on (an actor's most) */
};

static const char *const op_names[OP_COUNT_] = {
	[OP_SOCKET] = "socket", [OP_BIND] = "bind", [OP_LISTEN] = "listen",
	[OP_ACCEPT] = "accept", [OP_CONNECT] = "connect", [OP_SEND] = "send",
	[OP_SENDALL] = "sendall", [OP_RECV] = "recv", [OP_SENDTO] = "sendto",
	[OP_RECVFROM] = "recvfrom", [OP_SHUTDOWN] = "shutdown", [OP_CLOSE] = "close",
	[OP_SETSOCKOPT] = "setsockopt", [OP_SLEEP] = "sleep",
	[OP_GETADDRINFO] = "getaddrinfo", [OP_GETHOSTNAME] = "gethostname",
	[OP_GETSOCKNAME] = "getsockname", [OP_GETPEERNAME] = "getpeername",
	[OP_SETBLOCKING] = "setblocking", [OP_GETSOCKOPT] = "getsockopt",
	[OP_POLL] = "poll", [OP_SELECT] = "select",
	[OP_SOCKETPAIR] = "socketpair", [OP_SENDMSG] = "sendmsg", [OP_RECVMSG] = "recvmsg",
	[OP_READ] = "read", [OP_WRITE] = "write", [OP_EPOLL_WAIT] = "epoll_wait",
	[OP_WRITEV] = "writev", [OP_READV] = "readv", [OP_SENDMMSG] = "sendmmsg",
	[OP_RECVMMSG] = "recvmmsg", [OP_SENDFILE] = "sendfile", [OP_SPLICE] = "splice",
	[OP_SPLICE_RECV] = "splice-recv",
	[OP_FCNTL] = "fcntl", [OP_EPOLL_CTL] = "epoll_ctl", [OP_EPOLL_CREATE] = "epoll_create",
	[OP_DUP] = "dup",
	[OP_PRINT] = "print", [OP_INPUT] = "input",
	[OP_LOOP] = "loop", [OP_REPEAT] = "repeat", [OP_END] = "end",
	[OP_BREAK_IF_EMPTY] = "break-if-empty", [OP_BREAK_IF_INPUT] = "break-if-input",
	[OP_BREAK_IF_CONTAINS] = "break-if-contains", [OP_IF_READY] = "if-ready",
	[OP_IF_EMPTY] = "if-empty", [OP_AFTER] = "after",
};

typedef struct {
	const char *word;
	int value;
} Sym;

static const Sym families[] = {
	{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNIX", AF_UNIX }, { NULL, 0 }
};
/* getaddrinfo asks for a family, or for any (AF_UNSPEC); AF_UNIX has no names. */
static const Sym gai_families[] = {
	{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNSPEC", AF_UNSPEC }, { NULL, 0 }
};
static const Sym types[] = {
	{ "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM }, { NULL, 0 }
};
static const Sym shut_hows[] = {
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR }, { NULL, 0 }
};
static const Sym levels[] = {
	{ "SOL_SOCKET", SOL_SOCKET }, { "IPPROTO_TCP", IPPROTO_TCP },
	{ "IPPROTO_IPV6", IPPROTO_IPV6 }, { NULL, 0 }
};

typedef struct {
	const char *word;
	int level, optname;
	int get_only;   /* the kernel reports it; setsockopt refuses it */
} SockOpt;

/* SO_RCVTIMEO takes a struct timeval; lessons give milliseconds and the actor
 * converts, which is why the lesson spells it SO_RCVTIMEO_MS. */
static const SockOpt sockopts[] = {
	{ "SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, 0 },
	{ "SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT, 0 },
	{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, 0 },
	{ "SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, 0 },
	{ "SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, 0 },
	{ "SO_BROADCAST", SOL_SOCKET, SO_BROADCAST, 0 },
	{ "SO_RCVTIMEO_MS", SOL_SOCKET, SO_RCVTIMEO, 0 },
	{ "SO_ERROR", SOL_SOCKET, SO_ERROR, 1 },
	{ "SO_TYPE", SOL_SOCKET, SO_TYPE, 1 },
	{ "TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, 0 },
	{ "IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY, 0 },
	{ NULL, 0, 0, 0 }
};

/* The MSG_* flags a send or recv step may end with, and which side they
 * belong to: a flag the other side ignores would only mislead. */
enum { FLAG_SEND = 1, FLAG_RECV = 2 };
static const struct {
	const char *word;
	int flag, sides;
} msg_flags[] = {
	{ "MSG_NOSIGNAL", MSG_NOSIGNAL, FLAG_SEND },
	{ "MSG_WAITALL", MSG_WAITALL, FLAG_RECV },
	{ "MSG_PEEK", MSG_PEEK, FLAG_RECV },
	{ "MSG_TRUNC", MSG_TRUNC, FLAG_RECV },
	{ "MSG_DONTWAIT", MSG_DONTWAIT, FLAG_SEND | FLAG_RECV },
	{ NULL, 0, 0 }
};

/* One word or string of the current line. Quoted strings are decoded, so
 * s may hold NUL bytes; it is NUL-terminated either way. */
typedef struct {
	const char *s;
	size_t len;
	int col;
	int quoted;
	int bracket;   /* question choices only: written as [answer] */
	size_t raw, rawlen;  /* as written: its span of the line, quotes and escapes kept */
} Tok;

/* A socket name an actor has defined so far, in file order. */
typedef struct {
	const char *name;   /* a step's 'as', which lives as long as the Lesson */
	int family;
} Sock;

typedef struct {
	const char *path;
	char *err;
	size_t errlen;
	Lesson *l;

	int line;
	const char *ln;          /* the current line; b..e is its trimmed span */
	size_t b, e;

	LessonActor *actor;      /* NULL while still in the header */
	int actor_line, actor_col;
	int stepcap;
	int loops[LESSON_MAX_STEPS];   /* open loop/repeat steps, innermost last */
	int nloops;
	Sock socks[LESSON_MAX_STEPS];
	int nsocks;
	int addr_col;            /* column of the last address parsed, 0 if none */

	Tok tok[MAX_TOKS];
	int ntok;
	char arena[2 * MAX_LINE + 2];  /* decoded tokens: at most 2 bytes per input byte */
	size_t used;
	char shown[2][96];             /* show() results, two per message */
	int nshown;
} Parser;

/* ---- errors ---------------------------------------------------------- */

static int vfail(Parser *p, int line, int col, const char *fmt, va_list ap)
{
	if (!p->err || !p->errlen)
		return -1;
	int n = snprintf(p->err, p->errlen, "%s:%d:%d: ", p->path, line > 0 ? line : 1, col);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	return -1;
}

__attribute__((format(printf, 3, 4)))
static int fail(Parser *p, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, p->line, col, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int fail_at(Parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(Parser *p)
{
	return fail(p, 1, "out of memory");
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], cp, min;
	size_t k;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2, cp = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		k = 3, cp = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* Text of a token fit for an error message: short, printable, valid UTF-8
 * (a decoded string can hold any byte). */
static const char *show(Parser *p, const char *s, size_t len)
{
	char *out = p->shown[p->nshown++ & 1];
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;
	while (i < len && o < 60) {
		size_t k = utf8_len(u + i, len - i);
		if (k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7f))) {
			out[o++] = '?';
			i++;
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
		i += k;
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* A token in an error, as written: a string with its quotes and escapes
 * ("\n", not a '?' for the newline it decodes to). */
static const char *show_tok(Parser *p, const Tok *t)
{
	if (t->rawlen)
		return show(p, p->ln + t->raw, t->rawlen);
	return show(p, t->s, t->len);
}

/* ---- small helpers --------------------------------------------------- */

static char *dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_word(const Tok *t, const char *w)
{
	return !t->quoted && strcmp(t->s, w) == 0;
}

static int sym_find(const Sym *tab, const Tok *t, int *value)
{
	if (t->quoted)
		return -1;
	for (int i = 0; tab[i].word; i++) {
		if (strcmp(tab[i].word, t->s) == 0) {
			*value = tab[i].value;
			return 0;
		}
	}
	return -1;
}

static const char *sym_name(const Sym *tab, int value)
{
	for (int i = 0; tab[i].word; i++)
		if (tab[i].value == value)
			return tab[i].word;
	return "?";
}

/* A whole number written as plain digits, within min..max. */
static int parse_num(const Tok *t, long min, long max, long *out)
{
	if (t->quoted || t->len == 0 || t->len > 10)
		return -1;
	long long v = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return -1;
		v = v * 10 + (t->s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = (long)v;
	return 0;
}

/* Levenshtein distance; both strings are short (callers check). */
static int distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b);
	int row[64];
	for (size_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[m];
}

/* Is b a subsequence of a that starts with a's first three letters? This
 * catches spelled-out names ("receive", "recieve" for "recv") that are more
 * than two edits away. */
static int abbreviates(const char *a, size_t n, const char *b)
{
	if (n < 3 || strncmp(a, b, 3) != 0)
		return 0;
	size_t j = 0;
	for (size_t i = 0; i < n && b[j]; i++)
		if (a[i] == b[j])
			j++;
	return b[j] == '\0';
}

/* The candidate a typo most likely meant, or NULL. */
static const char *suggest(const char *word, size_t len, const char *const *cands, int n)
{
	char low[MAX_NAME + 1];
	if (len == 0 || len > MAX_NAME)
		return NULL;
	for (size_t i = 0; i < len; i++)
		low[i] = (word[i] >= 'A' && word[i] <= 'Z') ? (char)(word[i] - 'A' + 'a') : word[i];
	low[len] = '\0';
	const char *best = NULL;
	int best_d = 1000;
	for (int i = 0; i < n; i++) {
		int d = distance(low, len, cands[i]);
		if ((d <= 2 || abbreviates(low, len, cands[i])) && d < best_d) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

/* ---- tokens ---------------------------------------------------------- */

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the quoted string at ln[*i] into the arena; *i ends past the
 * closing quote. */
static int read_string(Parser *p, size_t *i, size_t e, Tok *t)
{
	const char *ln = p->ln;
	char *out = p->arena + p->used;
	size_t o = 0, j = *i + 1;
	for (;;) {
		if (j >= e)
			return fail(p, (int)*i + 1, "unterminated string");
		char c = ln[j];
		if (c == '"')
			break;
		if (c != '\\') {
			out[o++] = c;
			j++;
			continue;
		}
		if (j + 1 >= e)
			return fail(p, (int)*i + 1, "unterminated string");
		switch (ln[j + 1]) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case '0': out[o++] = '\0'; break;
		case '\\': out[o++] = '\\'; break;
		case '"': out[o++] = '"'; break;
		case 'x': {
			int hi = j + 2 < e ? hex(ln[j + 2]) : -1;
			int lo = j + 3 < e ? hex(ln[j + 3]) : -1;
			if (hi < 0 || lo < 0)
				return fail(p, (int)j + 1, "\\x needs two hex digits, as in \\x41");
			out[o++] = (char)(hi << 4 | lo);
			j += 2;
			break;
		}
		default:
			return fail(p, (int)j + 1, "unknown escape '\\%s' (use \\n \\t \\r \\0 \\\\ \\\" or \\xNN)",
				    show(p, ln + j + 1, utf8_len((const unsigned char *)ln + j + 1, e - j - 1)));
		}
		j += 2;
	}
	out[o] = '\0';
	t->s = out;
	t->len = o;
	t->quoted = 1;
	p->used += o + 1;
	*i = j + 1;
	return 0;
}

/* A bare word: up to a blank (or a ']' when stop_bracket). */
static void read_word(Parser *p, size_t *i, size_t e, int stop_bracket, Tok *t)
{
	char *out = p->arena + p->used;
	size_t j = *i, o = 0;
	while (j < e && !is_blank(p->ln[j]) && !(stop_bracket && p->ln[j] == ']'))
		out[o++] = p->ln[j++];
	out[o] = '\0';
	t->s = out;
	t->len = o;
	t->quoted = 0;
	p->used += o + 1;
	*i = j;
}

static Tok *next_tok(Parser *p, size_t i)
{
	if (p->ntok == MAX_TOKS) {
		fail(p, (int)i + 1, "too many words on one line (at most %d)", MAX_TOKS);
		return NULL;
	}
	Tok *t = &p->tok[p->ntok++];
	memset(t, 0, sizeof *t);
	t->col = (int)i + 1;
	return t;
}

/* Split ln[b..e) into words and strings. */
static int tokenize(Parser *p, size_t b, size_t e)
{
	p->ntok = 0;
	p->used = 0;
	size_t i = b;
	while (i < e) {
		if (is_blank(p->ln[i])) {
			i++;
			continue;
		}
		Tok *t = next_tok(p, i);
		if (!t)
			return -1;
		t->raw = i;
		if (p->ln[i] != '"') {
			read_word(p, &i, e, 0, t);
			t->rawlen = i - t->raw;
			continue;
		}
		if (read_string(p, &i, e, t) < 0)
			return -1;
		t->rawlen = i - t->raw;
		if (i < e && !is_blank(p->ln[i]))
			return fail(p, (int)i + 1, "expected a space after the closing quote");
	}
	return 0;
}

/* ---- steps: arguments ------------------------------------------------ */

static int expect_end(Parser *p, int i, int n)
{
	if (i < n)
		return fail(p, p->tok[i].col, "unexpected '%s'", show_tok(p, &p->tok[i]));
	return 0;
}

/* A C string from a token; names, prompts and choices cannot hold NUL. */
static int tok_cstr(Parser *p, const Tok *t, char **out)
{
	if (memchr(t->s, '\0', t->len))
		return fail(p, t->col, "\\0 is not allowed in this text");
	*out = dup_bytes(t->s, t->len);
	return *out ? 0 : oom(p);
}

static int set_text(Parser *p, LessonData *d, const Tok *t)
{
	d->src = DATA_TEXT;
	d->len = t->len;
	d->text = dup_bytes(t->s, t->len);
	return d->text ? 0 : oom(p);
}

static int is_unix_path(const Tok *t)
{
	return t->len > 0 && (t->s[0] == '/' || t->s[0] == '@');
}

/* "bytes N": N bytes of a pattern, to fill buffers without typing them. */
static int parse_bytes(Parser *p, LessonStep *st, int i, int n)
{
	const Tok *t = &p->tok[i];
	long count;
	if (i + 1 >= n || parse_num(t + 1, 1, MAX_BYTES, &count) < 0)
		return fail(p, i + 1 < n ? t[1].col : t->col,
			    "bytes: expected a count 1..%d, as in bytes 100000", MAX_BYTES);
	st->data.src = DATA_BYTES;
	st->data.len = (size_t)count;
	return 0;
}

#define DATA_FORMS "a \"quoted string\", $received, $input, upper $received or bytes N"

/* A quoted DATA is sent as written: print fills in $received, $input and
 * $peer, a send does not. So a variable written inside a send's quotes,
 * which would go out as its letters, is refused, with how to write what
 * was meant (\x24 is a '$' that is meant). */
static int variable_in(Parser *p, const Tok *t, const char *what)
{
	static const char *const vars[] = { "$received", "$input", "$peer" };
	const char *raw = p->ln + t->raw;
	for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
		size_t len = strlen(vars[k]);
		for (size_t at = 0; at + len <= t->rawlen; at++) {
			if (memcmp(raw + at, vars[k], len) != 0)
				continue;
			char how[64] = "";
			if (k < 2)
				snprintf(how, sizeof how, "%s %s sends it; ", what, vars[k]);
			return fail(p, t->col + (int)at,
				    "%s: %s is not filled in inside quotes (only print does that): "
				    "%sto send the characters, write \\x24%s", what, vars[k], how, vars[k] + 1);
		}
	}
	return 0;
}

/* DATA at token i: "text", $received, $input, upper $received, upper $input,
 * bytes N. *used is how many tokens it took. */
static int parse_data(Parser *p, LessonStep *st, int i, int n, int *used)
{
	const char *what = lesson_op_name(st->op);
	const Tok *t = &p->tok[i];
	if (i >= n)
		return fail(p, st->col, "%s: expected DATA: " DATA_FORMS, what);
	*used = 1;
	if (t->quoted) {
		if (variable_in(p, t, what) < 0)
			return -1;
		return set_text(p, &st->data, t);
	}
	if (is_word(t, "bytes")) {
		*used = 2;
		return parse_bytes(p, st, i, n);
	}
	if (is_word(t, "upper")) {
		if (i + 1 >= n || !(is_word(t + 1, "$received") || is_word(t + 1, "$input")))
			return fail(p, i + 1 < n ? t[1].col : t->col, "upper: expected $received or $input");
		st->data.upper = 1;
		t++;
		*used = 2;
	}
	if (is_word(t, "$received")) {
		st->data.src = DATA_RECEIVED;
		return 0;
	}
	if (is_word(t, "$input")) {
		st->data.src = DATA_INPUT;
		return 0;
	}
	return fail(p, t->col, "%s: expected DATA: " DATA_FORMS, what);
}

/* ADDR at token i: HOST PORT, /path or @abstract, or $peer if allowed. */
static int parse_addr(Parser *p, LessonStep *st, int i, int n, int peer_ok, int *used)
{
	const char *what = lesson_op_name(st->op);
	const char *expect = peer_ok ? "HOST PORT, a /path or $peer" : "HOST PORT or a /path";
	if (i >= n)
		return fail(p, st->col, "%s: expected %s", what, expect);
	const Tok *t = &p->tok[i];
	p->addr_col = t->col;
	*used = 1;
	if (peer_ok && is_word(t, "$peer")) {
		st->to_peer = 1;
		return 0;
	}
	if (is_unix_path(t)) {
		if (t->len >= sizeof ((struct sockaddr_un *)0)->sun_path)
			return fail(p, t->col, "path is longer than %zu bytes",
				    sizeof ((struct sockaddr_un *)0)->sun_path - 1);
		return tok_cstr(p, t, &st->host);
	}
	if (i + 1 >= n)
		return fail(p, t->col, "%s: expected %s", what, expect);
	unsigned char buf[sizeof(struct in6_addr)];
	if (t->quoted || (inet_pton(AF_INET, t->s, buf) != 1 && inet_pton(AF_INET6, t->s, buf) != 1))
		return fail(p, t->col, "'%s' is not a numeric IPv4 or IPv6 address (such as 127.0.0.1 or ::1)",
			    show_tok(p, t));
	long port;
	if (parse_num(t + 1, 0, 65535, &port) < 0)
		return fail(p, t[1].col, "port must be 0..65535");
	st->port = (int)port;
	*used = 2;
	return tok_cstr(p, t, &st->host);
}

/* Does the address fit the family of the socket it is used on? Caught here
 * rather than as a puzzling EINVAL in the middle of a lesson. */
static int check_family(Parser *p, const LessonStep *st, const Sock *s)
{
	if (!st->host)
		return 0;
	unsigned char buf[sizeof(struct in6_addr)];
	int is_path = st->host[0] == '/' || st->host[0] == '@';
	const char *fam = sym_name(families, s->family);
	if (s->family == AF_UNIX && !is_path)
		return fail(p, p->addr_col, "socket '%s' is AF_UNIX: it needs a /path or @name",
			    show(p, s->name, strlen(s->name)));
	if (s->family != AF_UNIX && is_path)
		return fail(p, p->addr_col, "a path needs an AF_UNIX socket, but '%s' is %s",
			    show(p, s->name, strlen(s->name)), fam);
	if (s->family == AF_INET && inet_pton(AF_INET, st->host, buf) != 1)
		return fail(p, p->addr_col, "'%s' is an IPv6 address, but socket '%s' is AF_INET",
			    show(p, st->host, strlen(st->host)), show(p, s->name, strlen(s->name)));
	if (s->family == AF_INET6 && inet_pton(AF_INET6, st->host, buf) != 1)
		return fail(p, p->addr_col, "'%s' is an IPv4 address, but socket '%s' is AF_INET6 (write ::ffff:%s)",
			    show(p, st->host, strlen(st->host)), show(p, s->name, strlen(s->name)), st->host);
	return 0;
}

static int parse_socket(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 3)
		return fail(p, n == 2 ? t[1].col : st->col,
			    "socket: expected FAMILY TYPE, as in socket AF_INET SOCK_STREAM");
	if (sym_find(families, &t[1], &st->family) < 0)
		return fail(p, t[1].col, "unknown family '%s'", show_tok(p, &t[1]));
	if (sym_find(types, &t[2], &st->type) < 0)
		return fail(p, t[2].col, "unknown type '%s'", show_tok(p, &t[2]));
	return expect_end(p, 3, n);
}

static int parse_size(Parser *p, LessonStep *st, int n)
{
	const char *what = lesson_op_name(st->op);
	if (n < 2)
		return fail(p, st->col, "%s: expected a size, as in %s 1024", what, what);
	if (parse_num(&p->tok[1], 1, MAX_RECV, &st->n) < 0)
		return fail(p, p->tok[1].col, "%s: size must be 1..%d", what, MAX_RECV);
	return expect_end(p, 2, n);
}

/* LEVEL OPTION at tokens 1 and 2, shared by setsockopt and getsockopt. */
static int parse_option(Parser *p, LessonStep *st)
{
	const Tok *t = p->tok;
	if (sym_find(levels, &t[1], &st->level) < 0)
		return fail(p, t[1].col, "unknown level '%s'", show_tok(p, &t[1]));
	const SockOpt *o = sockopts;
	while (o->word && (t[2].quoted || strcmp(o->word, t[2].s) != 0))
		o++;
	if (!o->word)
		return fail(p, t[2].col, "unknown option '%s'", show_tok(p, &t[2]));
	if (o->level != st->level)
		return fail(p, t[2].col, "%s is an option of %s, not %s", o->word,
			    sym_name(levels, o->level), sym_name(levels, st->level));
	if (o->get_only && st->op == OP_SETSOCKOPT)
		return fail(p, t[2].col, "%s can only be read: use getsockopt", o->word);
	st->optname = o->optname;
	return 0;
}

static int parse_setsockopt(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 4)
		return fail(p, n > 1 ? t[1].col : st->col,
			    "setsockopt: expected LEVEL OPTION VALUE, as in setsockopt SOL_SOCKET SO_REUSEADDR 1");
	if (parse_option(p, st) < 0)
		return -1;
	if (parse_num(&t[3], 0, 2147483647L, &st->n) < 0)
		return fail(p, t[3].col, "setsockopt: VALUE must be a whole number (0..2147483647)");
	return expect_end(p, 4, n);
}

static int parse_getsockopt(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 3)
		return fail(p, n > 1 ? t[1].col : st->col,
			    "getsockopt: expected LEVEL OPTION, as in getsockopt SOL_SOCKET SO_ERROR");
	if (parse_option(p, st) < 0)
		return -1;
	return expect_end(p, 3, n);
}

/* getaddrinfo HOST PORT [FAMILY] [TYPE]: HOST is any name or address (the
 * real call decides, and its errors are part of the lesson); FAMILY and TYPE
 * are the hints, in either order. */
static int parse_getaddrinfo(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 3)
		return fail(p, n > 1 ? t[1].col : st->col,
			    "getaddrinfo: expected HOST PORT, as in getaddrinfo localhost 65432");
	if (t[1].len == 0 || t[1].len > MAX_HOSTNAME)
		return fail(p, t[1].col, "getaddrinfo: HOST must be 1..%d bytes", MAX_HOSTNAME);
	long port;
	if (parse_num(&t[2], 0, 65535, &port) < 0)
		return fail(p, t[2].col, "port must be 0..65535");
	st->port = (int)port;
	st->family = AF_UNSPEC;
	int have_family = 0, have_type = 0;
	for (int i = 3; i < n; i++) {
		if (!have_family && sym_find(gai_families, &t[i], &st->family) == 0) {
			have_family = 1;
			continue;
		}
		if (!have_type && sym_find(types, &t[i], &st->type) == 0) {
			have_type = 1;
			continue;
		}
		return fail(p, t[i].col, "getaddrinfo: expected AF_INET, AF_INET6, AF_UNSPEC, SOCK_STREAM or "
			    "SOCK_DGRAM (each at most once), not '%s'", show_tok(p, &t[i]));
	}
	return tok_cstr(p, &t[1], &st->host);
}

static int is_flag_word(const Tok *t)
{
	return !t->quoted && strncmp(t->s, "MSG_", 4) == 0;
}

/* The trailing MSG_* words of a send or recv step; n shrinks to the tokens
 * before them. */
static int take_flags(Parser *p, LessonStep *st, int *n)
{
	int side = st->op == OP_RECV || st->op == OP_RECVFROM ? FLAG_RECV : FLAG_SEND;
	int first = *n;
	while (first > 2 && is_flag_word(&p->tok[first - 1]))
		first--;
	for (int i = first; i < *n; i++) {
		const Tok *t = &p->tok[i];
		int k = 0;
		while (msg_flags[k].word && strcmp(msg_flags[k].word, t->s) != 0)
			k++;
		if (!msg_flags[k].word)
			return fail(p, t->col, "unknown flag '%s' (sockstep knows MSG_NOSIGNAL, MSG_DONTWAIT, "
				    "MSG_WAITALL, MSG_PEEK and MSG_TRUNC)", show_tok(p, t));
		if (!(msg_flags[k].sides & side))
			return fail(p, t->col, "%s is a flag for %s, not %s", t->s,
				    side == FLAG_RECV ? "send, sendall and sendto" : "recv and recvfrom",
				    lesson_op_name(st->op));
		if (st->flags & msg_flags[k].flag)
			return fail(p, t->col, "'%s' given twice", t->s);
		st->flags |= msg_flags[k].flag;
	}
	for (int i = 2; i < first; i++)
		if (is_flag_word(&p->tok[i]))
			return fail(p, p->tok[i].col, "%s: flags go last, after the other words (before 'on NAME')",
				    show_tok(p, &p->tok[i]));
	*n = first;
	return 0;
}

static int parse_input(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 2 || !t[1].quoted)
		return fail(p, n < 2 ? st->col : t[1].col, "input: expected a \"PROMPT\" in quotes");
	if (n < 3 || !is_word(&t[2], "example"))
		return fail(p, n < 3 ? t[1].col : t[2].col, "input: expected 'example TEXT...' after the prompt");
	if (n < 4)
		return fail(p, t[2].col, "input: expected at least one example TEXT after 'example'");
	if (tok_cstr(p, &t[1], &st->prompt) < 0)
		return -1;
	st->examples = calloc((size_t)(n - 3), sizeof *st->examples);
	if (!st->examples)
		return oom(p);
	for (int i = 3; i < n; i++) {
		if (tok_cstr(p, &t[i], &st->examples[st->nexamples]) < 0)
			return -1;
		st->nexamples++;
	}
	return 0;
}

static int find_sock(const Parser *p, const char *name);
static const char *sock_names(Parser *p);

/* One NAME of a poll or select: a socket this actor has made by now. */
static int add_wait_sock(Parser *p, LessonStep *st, const Tok *t)
{
	int i = t->quoted ? -1 : find_sock(p, t->s);
	if (i < 0)
		return fail(p, t->col, "no socket named '%s' here (%s%s)", show_tok(p, t),
			    p->nsocks ? "this actor has: " : "this actor has none yet", sock_names(p));
	for (int k = 0; k < st->nsocks; k++)
		if (strcmp(st->socks[k], t->s) == 0)
			return fail(p, t->col, "'%s' given twice", t->s);
	st->socks[st->nsocks] = dup_bytes(t->s, t->len);
	if (!st->socks[st->nsocks])
		return oom(p);
	st->nsocks++;
	return 0;
}

/* "write" and "timeout MS" after the names of a poll or select. */
static int parse_wait_options(Parser *p, LessonStep *st, int i, int n)
{
	const Tok *t = p->tok;
	for (; i < n; i++) {
		if (is_word(&t[i], "write") && !st->write) {
			st->write = 1;
			continue;
		}
		if (!is_word(&t[i], "timeout") || st->timeout_ms >= 0)
			return fail(p, t[i].col, "unexpected '%s'", show_tok(p, &t[i]));
		if (i + 1 >= n || parse_num(&t[i + 1], 0, MAX_SLEEP_MS, &st->timeout_ms) < 0)
			return fail(p, i + 1 < n ? t[i + 1].col : t[i].col,
				    "timeout: milliseconds must be 0..%d", MAX_SLEEP_MS);
		i++;
	}
	return 0;
}

/* poll NAME... [write] [timeout MS], and select the same way. */
static int parse_wait(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	const char *what = lesson_op_name(st->op);
	int end = 1;
	while (end < n && !is_word(&t[end], "write") && !is_word(&t[end], "timeout"))
		end++;
	st->timeout_ms = -1;
	if (end == 1)
		return fail(p, n > 1 ? t[1].col : st->col,
			    "%s: expected the NAMEs of the sockets to wait on, as in %s s conn", what, what);
	if (end - 1 > MAX_POLL)
		return fail(p, t[1 + MAX_POLL].col, "%s: at most %d sockets", what, MAX_POLL);
	st->socks = calloc((size_t)(end - 1), sizeof *st->socks);
	if (!st->socks)
		return oom(p);
	for (int i = 1; i < end; i++)
		if (add_wait_sock(p, st, &t[i]) < 0)
			return -1;
	return parse_wait_options(p, st, end, n);
}

/* The actor keeps one entry per open loop (LESSON_MAX_DEPTH). */
static int open_loop(Parser *p, LessonStep *st)
{
	if (p->nloops == LESSON_MAX_DEPTH)
		return fail(p, st->col, "'%s' nested too deep: loops and repeats nest at most %d deep",
			    lesson_op_name(st->op), LESSON_MAX_DEPTH);
	p->loops[p->nloops++] = p->actor->nsteps - 1;
	return 0;
}

/* A loop whose body makes no call (prints and inputs do not stop at the
 * gate) would spin in its process without ever stopping: the run could
 * not be stepped, and a free run would print without end. A repeat counts
 * too: nested, its counts multiply. A call in a nested loop counts for the
 * loops around it. */
static int makes_call(const LessonActor *a, int from, int to)
{
	for (int i = from; i < to; i++)
		if (lesson_op_is_call(a->steps[i].op))
			return 1;
	return 0;
}

static int close_loop(Parser *p, LessonStep *st)
{
	if (p->nloops == 0)
		return fail(p, st->col, "'end' without 'loop' or 'repeat'");
	int open = p->loops[--p->nloops];
	int here = p->actor->nsteps - 1;
	const LessonStep *o = &p->actor->steps[open];
	if (o->op != OP_IF_READY && o->op != OP_IF_EMPTY && !makes_call(p->actor, open + 1, here))
		return fail_at(p, o->line, o->col, "'%s' makes no call before its 'end': it would run without "
			       "ever stopping (put a socket call or a sleep in it)", lesson_op_name(o->op));
	st->match = open;
	p->actor->steps[open].match = here;
	return 0;
}

/* break-if-*: match points at the innermost loop, whose match is its end,
 * so the actor can leave the loop without searching. */
static int in_loop(Parser *p, LessonStep *st)
{
	/* An if-ready block is no loop: a break-if in it leaves the loop around it. */
	int k = p->nloops;
	while (k > 0 && (p->actor->steps[p->loops[k - 1]].op == OP_IF_READY ||
			 p->actor->steps[p->loops[k - 1]].op == OP_IF_EMPTY))
		k--;
	if (k == 0)
		return fail(p, st->col, "%s outside a loop", lesson_op_name(st->op));
	st->match = p->loops[k - 1];
	return 0;
}

/* break-if-contains TEXT: what the last recv returned holds TEXT, as a
 * server reading a request leaves its loop at the blank line, "\r\n\r\n". */
static int parse_break_contains(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 2 || t[1].len == 0)
		return fail(p, n < 2 ? st->col : t[1].col,
			    "break-if-contains: expected the TEXT that ends the loop, as in "
			    "break-if-contains \"\\r\\n\\r\\n\"");
	if (set_text(p, &st->data, &t[1]) < 0 || expect_end(p, 2, n) < 0)
		return -1;
	return in_loop(p, st);
}

static int check_name(Parser *p, const Tok *t, const char *what);
static int find_op(const Tok *t);

/* after ACTOR STEP [N]: the actor and the kind of step are checked when the
 * whole lesson is read (resolve_afters), since the actor may come later in
 * the file. */
static int parse_after(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 3)
		return fail(p, n < 2 ? st->col : t[1].col,
			    "after: expected an ACTOR and its STEP, as in after client send");
	if (check_name(p, &t[1], "actor") < 0)
		return -1;
	int op = find_op(&t[2]);
	if (op < 0 || !lesson_op_is_call((LessonOp)op))
		return fail(p, t[2].col, "after: '%s' is not a call (name one, as in after client send)",
			    show_tok(p, &t[2]));
	st->n = 1;
	if (n > 3 && parse_num(&t[3], 1, LESSON_MAX_STEPS, &st->n) < 0)
		return fail(p, t[3].col, "after: N (which of the actor's %s steps) must be 1..%d",
			    op_names[op], LESSON_MAX_STEPS);
	if (expect_end(p, n > 3 ? 4 : 3, n) < 0)
		return -1;
	st->after_op = op;
	st->after_col = t[1].col;
	st->after_name = dup_bytes(t[1].s, t[1].len);
	return st->after_name ? 0 : oom(p);
}

/* The poll or select an if-ready asks about: the nearest one before it in
 * the actor's steps, which must wait on the socket named. */
static int find_wait_step(const Parser *p)
{
	for (int i = p->actor->nsteps - 1; i-- > 0;)
		if (p->actor->steps[i].op == OP_POLL || p->actor->steps[i].op == OP_SELECT)
			return i;
	return -1;
}

/* "s, conn": the sockets a poll or select step waits on, for a message. */
static const char *wait_names(Parser *p, const LessonStep *w)
{
	char *out = p->shown[p->nshown++ & 1];
	size_t o = 0, cap = sizeof p->shown[0];
	out[0] = '\0';
	for (int k = 0; k < w->nsocks; k++) {
		size_t len = strlen(w->socks[k]);
		if (o + len + 6 >= cap) {
			memcpy(out + o, ", ...", 6);
			break;
		}
		o += (size_t)sprintf(out + o, "%s%s", o ? ", " : "", w->socks[k]);
	}
	return out;
}

/* if-ready NAME ... end: the steps inside run only when the last poll or
 * select said NAME is ready; it opens a block as loop does. */
static int parse_if_ready(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	if (n < 2)
		return fail(p, st->col, "if-ready: expected the NAME of a socket a poll or select waits on");
	int w = find_wait_step(p);
	if (w < 0)
		return fail(p, t[1].col, "if-ready: no poll or select before it says what is ready "
			    "(put 'poll %s ...' first)", show_tok(p, &t[1]));
	const LessonStep *ws = &p->actor->steps[w];
	int k = 0;
	while (k < ws->nsocks && (t[1].quoted || strcmp(ws->socks[k], t[1].s) != 0))
		k++;
	if (k == ws->nsocks)
		return fail(p, t[1].col, "if-ready: '%s' is not one of the sockets the %s on line %d waits on (%s)",
			    show_tok(p, &t[1]), lesson_op_name(ws->op), ws->line, wait_names(p, ws));
	if (expect_end(p, 2, n) < 0)
		return -1;
	st->n = w;
	st->on = dup_bytes(t[1].s, t[1].len);
	if (!st->on)
		return oom(p);
	return open_loop(p, st);
}

static int takes_flags(LessonOp op)
{
	return op == OP_SEND || op == OP_SENDALL || op == OP_SENDTO || op == OP_RECV || op == OP_RECVFROM;
}

static int parse_args(Parser *p, LessonStep *st, int n)
{
	const Tok *t = p->tok;
	int used = 0;
	if (takes_flags(st->op) && take_flags(p, st, &n) < 0)
		return -1;
	switch (st->op) {
	case OP_SOCKET:
		return parse_socket(p, st, n);
	case OP_BIND:
	case OP_CONNECT:
		if (parse_addr(p, st, 1, n, st->op == OP_CONNECT, &used) < 0)
			return -1;
		return expect_end(p, 1 + used, n);
	case OP_LISTEN:
		st->n = 5;
		if (n > 1 && parse_num(&t[1], 0, MAX_BACKLOG, &st->n) < 0)
			return fail(p, t[1].col, "listen: backlog must be 0..%d", MAX_BACKLOG);
		return expect_end(p, 2, n);
	case OP_SEND:
	case OP_SENDALL:
		if (parse_data(p, st, 1, n, &used) < 0)
			return -1;
		return expect_end(p, 1 + used, n);
	case OP_SENDTO: {
		if (parse_data(p, st, 1, n, &used) < 0)
			return -1;
		int at = 1 + used;
		if (at >= n)
			return fail(p, t[at - 1].col, "sendto: expected HOST PORT, a /path or $peer after the data");
		if (parse_addr(p, st, at, n, 1, &used) < 0)
			return -1;
		return expect_end(p, at + used, n);
	}
	case OP_RECV:
	case OP_RECVFROM:
		return parse_size(p, st, n);
	case OP_SHUTDOWN: {
		int how;
		if (n < 2 || sym_find(shut_hows, &t[1], &how) < 0)
			return fail(p, n < 2 ? st->col : t[1].col, "shutdown: expected SHUT_RD, SHUT_WR or SHUT_RDWR");
		st->n = how;
		return expect_end(p, 2, n);
	}
	case OP_SETSOCKOPT:
		return parse_setsockopt(p, st, n);
	case OP_GETSOCKOPT:
		return parse_getsockopt(p, st, n);
	case OP_GETADDRINFO:
		return parse_getaddrinfo(p, st, n);
	case OP_SETBLOCKING:
		if (n < 2 || parse_num(&t[1], 0, 1, &st->n) < 0)
			return fail(p, n < 2 ? st->col : t[1].col,
				    "setblocking: expected 0 (calls return at once) or 1 (calls wait)");
		return expect_end(p, 2, n);
	case OP_POLL:
	case OP_SELECT:
		return parse_wait(p, st, n);
	case OP_SLEEP:
		if (n < 2 || parse_num(&t[1], 1, MAX_SLEEP_MS, &st->n) < 0)
			return fail(p, n < 2 ? st->col : t[1].col, "sleep: milliseconds must be 1..%d", MAX_SLEEP_MS);
		return expect_end(p, 2, n);
	case OP_PRINT:
		if (n < 2 || !t[1].quoted)
			return fail(p, n < 2 ? st->col : t[1].col, "print: expected a \"quoted string\"");
		if (set_text(p, &st->data, &t[1]) < 0)
			return -1;
		return expect_end(p, 2, n);
	case OP_INPUT:
		return parse_input(p, st, n);
	case OP_REPEAT:
		if (n < 2 || parse_num(&t[1], 1, MAX_REPEAT, &st->n) < 0)
			return fail(p, n < 2 ? st->col : t[1].col, "repeat: count must be 1..%d", MAX_REPEAT);
		if (expect_end(p, 2, n) < 0)
			return -1;
		return open_loop(p, st);
	case OP_LOOP:
		return expect_end(p, 1, n) < 0 ? -1 : open_loop(p, st);
	case OP_END:
		return expect_end(p, 1, n) < 0 ? -1 : close_loop(p, st);
	case OP_BREAK_IF_EMPTY:
		return expect_end(p, 1, n) < 0 ? -1 : in_loop(p, st);
	case OP_BREAK_IF_INPUT:
		if (n < 2)
			return fail(p, st->col, "break-if-input: expected the TEXT that ends the loop");
		if (set_text(p, &st->data, &t[1]) < 0 || expect_end(p, 2, n) < 0)
			return -1;
		return in_loop(p, st);
	case OP_BREAK_IF_CONTAINS:
		return parse_break_contains(p, st, n);
	case OP_IF_READY:
		return parse_if_ready(p, st, n);
	case OP_IF_EMPTY:
		/* An event loop closes a client whose recv() returned 0, and goes on. */
		return expect_end(p, 1, n) < 0 ? -1 : open_loop(p, st);
	case OP_AFTER:
		return parse_after(p, st, n);
	case OP_ACCEPT:
	case OP_CLOSE:
	default:
		return expect_end(p, 1, n);
	}
}

/* ---- steps: sockets -------------------------------------------------- */

/* Does this call use one existing socket (the current one, or "on NAME")?
 * socket makes one; sleep, getaddrinfo and gethostname need none; poll and
 * select name theirs. */
static int uses_sock(LessonOp op)
{
	return lesson_op_is_call(op) && op != OP_SOCKET && op != OP_SLEEP && op != OP_GETADDRINFO &&
	       op != OP_GETHOSTNAME && op != OP_POLL && op != OP_SELECT;
}

/* Take trailing "on NAME" / "as NAME" off the step, for the ops that have
 * them; n shrinks to the tokens left. */
static int take_modifiers(Parser *p, LessonOp op, int *n, const Tok **on, const Tok **as)
{
	int want_on = uses_sock(op);
	int want_as = op == OP_SOCKET || op == OP_ACCEPT;
	*on = *as = NULL;
	while (*n >= 2) {
		const Tok *last = &p->tok[*n - 1];
		if (want_on && is_word(last, "on"))
			return fail(p, last->col, "on: expected the NAME of a socket");
		if (want_as && is_word(last, "as"))
			return fail(p, last->col, "as: expected a NAME for the new socket");
		if (*n < 3)
			return 0;
		const Tok *m = last - 1;
		const Tok **slot = want_on && is_word(m, "on") ? on : want_as && is_word(m, "as") ? as : NULL;
		if (!slot)
			return 0;
		if (*slot)   /* point at the second one: the first is what was meant */
			return fail(p, (*slot - 1)->col, "'%s' given twice", m->s);
		*slot = last;
		*n -= 2;
	}
	return 0;
}

static int check_name(Parser *p, const Tok *t, const char *what)
{
	if (t->quoted || t->len == 0)
		return fail(p, t->col, "%s name must be a plain word", what);
	if (t->len > MAX_NAME)
		return fail(p, t->col, "%s name is longer than %d bytes", what, MAX_NAME);
	for (size_t i = 0; i < t->len; i++)
		if (!is_name_char(t->s[i]))
			return fail(p, t->col, "%s name '%s' may only use a-z, 0-9, '_' and '-'",
				    what, show_tok(p, t));
	return 0;
}

static int find_sock(const Parser *p, const char *name)
{
	for (int i = p->nsocks; i-- > 0;)
		if (strcmp(p->socks[i].name, name) == 0)
			return i;
	return -1;
}

/* "s, conn": the socket names an actor has so far, for an error message. */
static const char *sock_names(Parser *p)
{
	char *out = p->shown[p->nshown++ & 1];
	size_t o = 0, cap = sizeof p->shown[0];
	out[0] = '\0';
	for (int i = 0; i < p->nsocks; i++) {
		const char *name = p->socks[i].name;
		size_t len = strlen(name);
		if (find_sock(p, name) != i)
			continue;   /* named again later; list it once */
		if (o + len + 6 >= cap) {
			memcpy(out + o, ", ...", 6);
			break;
		}
		o += (size_t)sprintf(out + o, "%s%s", o ? ", " : "", name);
	}
	return out;
}

/* The socket a call uses: "on NAME", else the most recent one. */
static int resolve_sock(Parser *p, LessonStep *st, const Tok *on)
{
	if (on) {
		int i = find_sock(p, on->s);
		if (on->quoted || i < 0)
			return fail(p, on->col, "no socket named '%s' here (%s%s)", show_tok(p, on),
				    p->nsocks ? "this actor has: " : "this actor has none yet",
				    sock_names(p));
		st->on = dup_bytes(on->s, on->len);
		return st->on ? i : oom(p);
	}
	if (p->nsocks == 0)
		return fail(p, st->col, "%s: no socket yet (a 'socket' step must come first)",
			    lesson_op_name(st->op));
	return p->nsocks - 1;
}

/* How many different socket names the actor has so far: its process
 * keeps one descriptor per name (LESSON_MAX_SOCKETS). */
static int distinct_socks(const Parser *p)
{
	int n = 0;
	for (int i = 0; i < p->nsocks; i++)
		n += find_sock(p, p->socks[i].name) == i;
	return n;
}

/* socket and accept make a socket; it becomes the actor's current one. */
static int define_sock(Parser *p, LessonStep *st, const Tok *as, int family)
{
	if (as && check_name(p, as, "socket") < 0)
		return -1;
	st->as = as ? dup_bytes(as->s, as->len) : dup_bytes(st->op == OP_SOCKET ? "s" : "conn",
							    st->op == OP_SOCKET ? 1 : 4);
	if (!st->as)
		return oom(p);
	if (find_sock(p, st->as) < 0 && distinct_socks(p) == LESSON_MAX_SOCKETS)
		return fail(p, as ? as->col : st->col, "'%s' would be this actor's socket name number %d: "
			    "an actor has at most %d (name a socket again to reuse its name)",
			    show(p, st->as, strlen(st->as)), LESSON_MAX_SOCKETS + 1, LESSON_MAX_SOCKETS);
	p->socks[p->nsocks].name = st->as;
	p->socks[p->nsocks].family = family;
	p->nsocks++;
	return 0;
}

/* ---- lines ----------------------------------------------------------- */

static LessonStep *new_step(Parser *p, LessonOp op, int col)
{
	LessonActor *a = p->actor;
	if (a->nsteps == p->stepcap) {
		int cap = p->stepcap ? p->stepcap * 2 : 16;
		if (cap > LESSON_MAX_STEPS)
			cap = LESSON_MAX_STEPS;
		LessonStep *grown = realloc(a->steps, (size_t)cap * sizeof *grown);
		if (!grown)
			return NULL;
		a->steps = grown;
		p->stepcap = cap;
	}
	LessonStep *st = &a->steps[a->nsteps++];
	memset(st, 0, sizeof *st);
	st->op = op;
	st->line = p->line;
	st->col = col;
	st->port = -1;
	st->match = -1;
	st->source = dup_bytes(p->ln + p->b, p->e - p->b);
	return st->source ? st : NULL;
}

static int find_op(const Tok *t)
{
	for (int i = 0; i < OP_COUNT_; i++)
		if (!lesson_op_traced_only((LessonOp)i) && is_word(t, op_names[i]))
			return i;
	return -1;
}

static int unknown_step(Parser *p, const Tok *t)
{
	if (t->quoted)
		return fail(p, t->col, "expected a step, not a \"string\"");
	const char *steps[OP_COUNT_];
	int n = 0;
	for (int i = 0; i < OP_COUNT_; i++)
		if (!lesson_op_traced_only((LessonOp)i))
			steps[n++] = op_names[i];
	const char *s = suggest(t->s, t->len, steps, n);
	if (s)
		return fail(p, t->col, "unknown step '%s' (did you mean '%s'?)", show_tok(p, t), s);
	return fail(p, t->col, "unknown step '%s'", show_tok(p, t));
}

static int parse_step(Parser *p)
{
	const Tok *k = &p->tok[0];
	int op = find_op(k);
	if (op < 0)
		return unknown_step(p, k);
	if (p->actor->nsteps == LESSON_MAX_STEPS)
		return fail(p, k->col, "actor '%s' has more than %d steps",
			    show(p, p->actor->name, strlen(p->actor->name)), LESSON_MAX_STEPS);
	int n = p->ntok;
	const Tok *on, *as;
	if (take_modifiers(p, (LessonOp)op, &n, &on, &as) < 0)
		return -1;
	LessonStep *st = new_step(p, (LessonOp)op, k->col);
	if (!st)
		return oom(p);
	p->addr_col = 0;
	if (parse_args(p, st, n) < 0)
		return -1;
	if (!uses_sock(st->op))
		return st->op == OP_SOCKET ? define_sock(p, st, as, st->family) : 0;
	int sock = resolve_sock(p, st, on);
	if (sock < 0)
		return -1;
	if (check_family(p, st, &p->socks[sock]) < 0)
		return -1;
	return st->op == OP_ACCEPT ? define_sock(p, st, as, p->socks[sock].family) : 0;
}

static int finish_actor(Parser *p)
{
	if (!p->actor)
		return 0;
	if (p->nloops > 0) {
		const LessonStep *st = &p->actor->steps[p->loops[p->nloops - 1]];
		return fail_at(p, st->line, st->col, "'%s' without 'end'", lesson_op_name(st->op));
	}
	if (p->actor->nsteps == 0)
		return fail_at(p, p->actor_line, p->actor_col, "actor '%s' has no steps",
			       show(p, p->actor->name, strlen(p->actor->name)));
	return 0;
}

/* ---- hosts and actor lines ------------------------------------------ */

static int find_host(const Lesson *l, const char *name)
{
	for (int i = 0; i < l->nhosts; i++)
		if (strcmp(l->hosts[i].name, name) == 0)
			return i;
	return -1;
}

static uint32_t prefix_mask(int prefix)
{
	return prefix ? 0xffffffffu << (32 - prefix) : 0;
}

/* The PREFIX after the '/', 1..30; -1 if it is not one. */
static int parse_prefix(const char *d)
{
	int v = 0, digits = 0;
	for (; *d >= '0' && *d <= '9' && digits < 3; d++, digits++)
		v = v * 10 + (*d - '0');
	return digits == 0 || *d || v < 1 || v > 30 ? -1 : v;
}

/* ADDRESS/PREFIX, as in 10.0.0.1/24: an address a host can have on a link. */
static int parse_cidr(Parser *p, const Tok *t, uint32_t *addr, int *prefix)
{
	const char *slash = t->quoted ? NULL : strchr(t->s, '/');
	if (!slash)
		return fail(p, t->col, "host: expected ADDRESS/PREFIX, as in 10.0.0.1/24");
	char text[INET_ADDRSTRLEN];
	size_t alen = (size_t)(slash - t->s);
	struct in_addr in;
	int ok = alen < sizeof text;
	if (ok) {
		memcpy(text, t->s, alen);
		text[alen] = '\0';
		ok = inet_pton(AF_INET, text, &in) == 1;
	}
	if (!ok)
		return fail(p, t->col, "'%s' is not a numeric IPv4 address (such as 10.0.0.1)",
			    show(p, t->s, alen));
	*prefix = parse_prefix(slash + 1);
	if (*prefix < 0)
		return fail(p, t->col + (int)alen + 1, "host: PREFIX must be 1..30 (24 is usual)");
	*addr = ntohl(in.s_addr);
	uint32_t first = *addr >> 24, host = *addr & ~prefix_mask(*prefix);
	if (first == 0 || first == 127 || first >= 224)
		return fail(p, t->col, "host: %s cannot be used on a link (try a private address such as 10.0.0.1)", text);
	if (host == 0 || host == ~prefix_mask(*prefix))
		return fail(p, t->col, "host: %s is the %s address of its /%d subnet; pick another", text,
			    host ? "broadcast" : "network", *prefix);
	return 0;
}

/* A second host must sit on the first one's subnet: they share one link. */
static int check_host_pair(Parser *p, const Tok *t, const LessonHost *h, uint32_t addr, int prefix)
{
	struct in_addr other;
	inet_pton(AF_INET, h->addr, &other);
	uint32_t o = ntohl(other.s_addr);
	if (o == addr)
		return fail(p, t->col, "host: %s is host '%s''s address already", h->addr, h->name);
	if (prefix != h->prefix)
		return fail(p, t->col, "host: /%d differs from host '%s''s /%d (the hosts share one link and one subnet)",
			    prefix, h->name, h->prefix);
	if ((o & prefix_mask(prefix)) != (addr & prefix_mask(prefix)))
		return fail(p, t->col, "host: not in host '%s''s subnet %s/%d (the hosts share one link)",
			    h->name, h->addr, h->prefix);
	return 0;
}

/* host NAME ADDRESS/PREFIX: a header line. Each host is a network namespace
 * of its own; the actors "on" it share it. */
static int parse_host(Parser *p)
{
	const Tok *t = p->tok;
	Lesson *l = p->l;
	if (p->actor)
		return fail(p, t[0].col, "'host' lines belong in the header, before the first actor");
	if (p->ntok < 3)
		return fail(p, p->ntok > 1 ? t[1].col : t[0].col,
			    "host: expected NAME ADDRESS/PREFIX, as in host a 10.0.0.1/24");
	if (check_name(p, &t[1], "host") < 0 || expect_end(p, 3, p->ntok) < 0)
		return -1;
	if (find_host(l, t[1].s) >= 0)
		return fail(p, t[1].col, "duplicate host '%s'", t[1].s);
	if (l->nhosts == LESSON_MAX_HOSTS)
		return fail(p, t[0].col, "more than %d hosts", LESSON_MAX_HOSTS);
	uint32_t addr = 0;
	int prefix = 0;
	if (parse_cidr(p, &t[2], &addr, &prefix) < 0)
		return -1;
	for (int i = 0; i < l->nhosts; i++)
		if (check_host_pair(p, &t[2], &l->hosts[i], addr, prefix) < 0)
			return -1;
	if (!l->hosts && !(l->hosts = calloc(LESSON_MAX_HOSTS, sizeof *l->hosts)))
		return oom(p);
	LessonHost *h = &l->hosts[l->nhosts];
	char text[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = htonl(addr) };
	inet_ntop(AF_INET, &in, text, sizeof text);
	h->name = dup_bytes(t[1].s, t[1].len);
	h->addr = dup_bytes(text, strlen(text));
	h->prefix = prefix;
	l->nhosts++;
	return h->name && h->addr ? 0 : oom(p);
}

/* "SIGPIPE" -> SIGPIPE, for a signal that ends a process by default. */
static int find_signal(const Tok *t)
{
	static const int harmless[] = { SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,
					SIGURG, SIGWINCH };
	if (t->quoted || strncmp(t->s, "SIG", 3) != 0)
		return -1;
	for (int sig = 1; sig < 32; sig++) {
		const char *abbrev = sigabbrev_np(sig);
		if (!abbrev || strcmp(abbrev, t->s + 3) != 0)
			continue;
		for (size_t k = 0; k < sizeof harmless / sizeof harmless[0]; k++)
			if (harmless[k] == sig)
				return 0;
		return sig;
	}
	return -1;
}

static const char *host_names(Parser *p)
{
	char *out = p->shown[p->nshown++ & 1];
	out[0] = '\0';
	for (int i = 0; i < p->l->nhosts; i++)
		snprintf(out + strlen(out), sizeof p->shown[0] - strlen(out), "%s%s", i ? ", " : "",
			 p->l->hosts[i].name);
	return out;
}

/* One "on HOST" or "dies SIGNAL" of an actor line, at token i. */
static int actor_option(Parser *p, int i, int *host, int *dies)
{
	const Tok *t = &p->tok[i];
	int on = is_word(t, "on");
	if (!on && !is_word(t, "dies"))
		return fail(p, t->col, "unexpected '%s' (after the NAME an actor line may have "
			    "'on HOST' and 'dies SIGNAL')", show_tok(p, t));
	if (on ? *host != -2 : *dies != 0)
		return fail(p, t->col, "'%s' given twice", t->s);
	if (i + 1 >= p->ntok)
		return fail(p, t->col, on ? "on: expected the NAME of a host" : "dies: expected a SIGNAL, as in dies SIGPIPE");
	const Tok *v = t + 1;
	if (!on) {
		*dies = find_signal(v);
		if (*dies > 0)
			return 0;
		return fail(p, v->col, *dies == 0 ? "%s does not end a process" :
			    "unknown signal '%s' (such as SIGPIPE, SIGKILL or SIGTERM)", show_tok(p, v));
	}
	*host = v->quoted ? -1 : find_host(p->l, v->s);
	if (*host >= 0)
		return 0;
	if (p->l->nhosts == 0)
		return fail(p, v->col, "no host named '%s' (add a 'host %s ADDRESS/PREFIX' line to the header)",
			    show_tok(p, v), show_tok(p, v));
	return fail(p, v->col, "no host named '%s' (this lesson has: %s)", show_tok(p, v), host_names(p));
}

/* After "actor NAME": "on HOST" and "dies SIGNAL", in either order. Without
 * "on", an actor of a lesson with hosts runs on the first one. */
static int actor_options(Parser *p, int *host, int *dies)
{
	*host = -2;   /* not given yet */
	*dies = 0;
	for (int i = 2; i < p->ntok; i += 2)
		if (actor_option(p, i, host, dies) < 0)
			return -1;
	if (*host == -2)
		*host = p->l->nhosts ? 0 : -1;
	return 0;
}

static int start_actor(Parser *p)
{
	const Tok *t = p->tok;
	Lesson *l = p->l;
	int host, dies;
	if (p->ntok < 2)
		return fail(p, t[0].col, "actor: expected a NAME, as in actor server");
	if (check_name(p, &t[1], "actor") < 0 || actor_options(p, &host, &dies) < 0)
		return -1;
	if (!l->title)
		return fail(p, t[0].col, "missing 'title: TEXT' before the first actor");
	if (lesson_actor_index(l, t[1].s) >= 0)
		return fail(p, t[1].col, "duplicate actor '%s'", t[1].s);
	if (finish_actor(p) < 0)
		return -1;
	if (l->nactors == LESSON_MAX_ACTORS)
		return fail(p, t[0].col, "more than %d actors", LESSON_MAX_ACTORS);
	LessonActor *a = &l->actors[l->nactors];
	a->name = dup_bytes(t[1].s, t[1].len);
	if (!a->name)
		return oom(p);
	a->host = host;
	a->dies = dies;
	l->nactors++;
	p->actor = a;
	p->actor_line = p->line;
	p->actor_col = t[0].col;
	p->stepcap = 0;
	p->nloops = 0;
	p->nsocks = 0;
	return 0;
}

/* "word:" at the start of the line; *klen is the word's length. */
static int header_key(const Parser *p, size_t *klen)
{
	size_t i = p->b;
	while (i < p->e && (is_name_char(p->ln[i]) || (p->ln[i] >= 'A' && p->ln[i] <= 'Z')))
		i++;
	if (i == p->b || i >= p->e || p->ln[i] != ':')
		return 0;
	*klen = i - p->b;
	return 1;
}

static char **header_slot(Lesson *l, const char *key, size_t klen)
{
	if (klen == 5 && memcmp(key, "title", 5) == 0)
		return &l->title;
	if (klen == 5 && memcmp(key, "about", 5) == 0)
		return &l->about;
	return NULL;
}

/* title: TEXT / about: TEXT. TEXT is the rest of the line, or one quoted
 * string when it starts with a quote. */
static int parse_header(Parser *p, size_t klen)
{
	static const char *const keys[] = { "title", "about" };
	const char *key = p->ln + p->b;
	char **slot = header_slot(p->l, key, klen);
	int col = (int)p->b + 1;
	if (!slot) {
		const char *s = suggest(key, klen, keys, 2);
		return fail(p, col, "unknown header key '%s'%s%s%s", show(p, key, klen),
			    s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
	}
	if (*slot)
		return fail(p, col, "duplicate '%.*s:'", (int)klen, key);
	size_t v = p->b + klen + 1;
	while (v < p->e && is_blank(p->ln[v]))
		v++;
	if (v >= p->e)
		return fail(p, col, "%.*s: expected TEXT after '%.*s:'", (int)klen, key, (int)klen, key);
	if (p->ln[v] != '"') {
		*slot = dup_bytes(p->ln + v, p->e - v);
		return *slot ? 0 : oom(p);
	}
	if (tokenize(p, v, p->e) < 0 || expect_end(p, 1, p->ntok) < 0)
		return -1;
	return tok_cstr(p, &p->tok[0], slot);
}

/* A line before the first actor that is neither a key nor 'actor'. */
static int stray_header_line(Parser *p)
{
	const Tok *t = &p->tok[0];
	if (find_op(t) >= 0)
		return fail(p, t->col, "'%s' must come after an 'actor NAME' line", t->s);
	return fail(p, t->col, "expected 'title: TEXT', 'about: TEXT', 'host NAME ADDRESS/PREFIX' or 'actor NAME'");
}

static LessonStep *last_step(Parser *p)
{
	if (!p->actor || p->actor->nsteps == 0)
		return NULL;
	return &p->actor->steps[p->actor->nsteps - 1];
}

/* "> text": more narration for the step above. */
static int parse_narration(Parser *p)
{
	LessonStep *st = last_step(p);
	if (!st)
		return fail(p, (int)p->b + 1, "'>' narration must follow a step");
	size_t v = p->b + 1;
	while (v < p->e && is_blank(p->ln[v]))
		v++;
	size_t add = p->e - v;
	if (add == 0)
		return 0;
	size_t old = st->narration ? strlen(st->narration) : 0;
	char *s = realloc(st->narration, old + add + 2);
	if (!s)
		return oom(p);
	if (old)
		s[old++] = ' ';
	memcpy(s + old, p->ln + v, add);
	s[old + add] = '\0';
	st->narration = s;
	return 0;
}

/* An answer in brackets may be several words, [len $input]: the rest up to
 * the ']' joins the word read, one blank between words. */
static void read_bracket_rest(Parser *p, size_t *i, size_t e, Tok *t)
{
	size_t j = *i;
	while (j < e && p->ln[j] != ']') {
		size_t w = j;
		while (w < e && is_blank(p->ln[w]))
			w++;
		if (w >= e || p->ln[w] == ']')
			break;
		char *out = (char *)t->s;
		out[t->len++] = ' ';
		j = w;
		while (j < e && !is_blank(p->ln[j]) && p->ln[j] != ']')
			out[t->len++] = p->ln[j++];
		out[t->len] = '\0';
		p->used += (size_t)(j - w) + 1;
	}
	*i = j;
}

/* The choices after a question: words or strings, one of them [bracketed]. */
static int read_choices(Parser *p, size_t i, size_t e)
{
	p->ntok = 0;
	p->used = 0;
	while (i < e) {
		if (is_blank(p->ln[i])) {
			i++;
			continue;
		}
		Tok *t = next_tok(p, i);
		if (!t)
			return -1;
		int bracket = p->ln[i] == '[';
		size_t open = i;
		if (bracket)
			for (i++; i < e && is_blank(p->ln[i]);)
				i++;
		t->raw = i;
		if (i < e && p->ln[i] == '"') {
			if (read_string(p, &i, e, t) < 0)
				return -1;
		} else {
			read_word(p, &i, e, bracket, t);
			if (bracket)
				read_bracket_rest(p, &i, e, t);
		}
		t->rawlen = i - t->raw;   /* errors quote it as written */
		if (bracket) {
			while (i < e && is_blank(p->ln[i]))
				i++;
			if (i >= e || p->ln[i] != ']')
				return fail(p, (int)open + 1, "question: expected ']' to close this choice");
			i++;
		}
		t->bracket = bracket;
		t->col = (int)open + 1;
		if (t->len == 0)
			return fail(p, t->col, "question: empty choice");
		if (i < e && !is_blank(p->ln[i]))
			return fail(p, (int)i + 1, "question: expected a space between choices");
	}
	return 0;
}

static int parse_pass(Parser *p, LessonQuestion *q, size_t *tb, size_t te);

/* Has the actor a step before step that gives $input (an input), or
 * $received (a receive)? */
static int gives_value(const LessonActor *a, int step, int input)
{
	for (int i = 0; i < step; i++)
		if (input ? a->steps[i].op == OP_INPUT : lesson_op_receives(a->steps[i].op))
			return 1;
	return 0;
}

static int build_question(Parser *p, LessonStep *st, size_t tb, size_t te)
{
	int answer = -1;
	for (int i = 0; i < p->ntok; i++) {
		if (!p->tok[i].bracket)
			continue;
		if (answer >= 0)
			return fail(p, p->tok[i].col, "question: only one choice can be the [answer]");
		answer = i;
	}
	if (p->ntok < 2)
		return fail(p, (int)te + 1, "question: expected at least 2 choices after the '?'");
	if (answer < 0)
		return fail(p, p->tok[0].col, "question: put the right answer in [brackets]");
	LessonQuestion *q = calloc(1, sizeof *q);
	if (!q)
		return oom(p);
	st->question = q;
	q->answer = answer;
	q->line = p->line;
	q->col = (int)p->b + 1;
	q->answer_col = p->tok[answer].col;
	if (parse_pass(p, q, &tb, te) < 0)
		return -1;
	if (te - tb < 2)
		return fail(p, (int)tb + 1, "question: expected the question text before the '?'");
	q->text = dup_bytes(p->ln + tb, te - tb);
	q->choices = calloc((size_t)p->ntok, sizeof *q->choices);
	if (!q->text || !q->choices)
		return oom(p);
	for (int i = 0; i < p->ntok; i++) {
		if (tok_cstr(p, &p->tok[i], &q->choices[i]) < 0)
			return -1;
		q->nchoices++;
	}
	int input, upper;
	AnswerkindComputed kind = answerkind_computed(q->choices[answer], &input, &upper);
	/* A value computed from the run needs a step before that gives it. */
	if (kind != ANSWERKIND_PLAIN && !gives_value(p->actor, p->actor->nsteps - 1, input))
		return fail(p, p->tok[answer].col, "question: the answer [%s] needs %s before this step",
			    show_tok(p, &p->tok[answer]), input ? "an 'input' step" : "a 'recv' or 'recvfrom' step");
	int quoted_text = p->tok[answer].quoted && !answerkind_checkable(q->choices[answer]);
	q->content = kind == ANSWERKIND_CONTENT || quoted_text;
	if (q->content && !lesson_op_receives(st->op))
		return fail(p, p->tok[answer].col, "question: the answer [%s] is the bytes a call receives, but "
			    "%s receives none: give a number, an errno name, \"blocks\" or \"does not block\", packet "
			    "flags or a signal name", show_tok(p, &p->tok[answer]), lesson_op_name(st->op));
	/* An answer no run can check would only be found out by --check. */
	if (!q->content && !answerkind_checkable(q->choices[answer]))
		return fail(p, p->tok[answer].col, "question: the answer [%s] cannot be checked against a run: give "
			    "a number, an errno name, \"blocks\" or \"does not block\", packet flags (SYN, SYN/ACK, "
			    "ACK) or \"none\", a signal name, the bytes received (\"HELLO\", upper $input) or "
			    "len $input", show_tok(p, &p->tok[answer]));
	return 0;
}

/* How many times the step just read runs, when only repeats are around
 * it; -1 when a loop is (it runs until a break-if). */
static long passes_of_last_step(const Parser *p)
{
	long n = 1;
	for (int i = 0; i < p->nloops; i++) {
		const LessonStep *o = &p->actor->steps[p->loops[i]];
		if (o->op != OP_REPEAT)
			return -1;
		n = n * o->n > 1000000 ? 1000000 : n * o->n;
	}
	return n;
}

/* "? pass N: text?" or "? last pass: text?": the question is asked before
 * that run of the step, not its first. Moves *tb past the prefix. */
static int parse_pass(Parser *p, LessonQuestion *q, size_t *tb, size_t te)
{
	const char *s = p->ln + *tb;
	size_t n = te - *tb;
	long passes = passes_of_last_step(p);
	int col = (int)*tb + 1;
	q->pass = 1;
	if (n > 10 && strncmp(s, "last pass:", 10) == 0) {
		if (passes < 0)
			return fail(p, col, "question: 'last pass' is for a step inside 'repeat N': in a 'loop' the "
				    "last pass is the one a break-if ends, unknown before it runs (write 'pass N')");
		q->pass = (int)passes;
		*tb += 10;
	} else if (n > 5 && strncmp(s, "pass ", 5) == 0 && isdigit((unsigned char)s[5])) {
		size_t k = 5;
		long v = 0;
		while (k < n && isdigit((unsigned char)s[k]) && v < 1000000)
			v = v * 10 + (s[k++] - '0');
		if (k >= n || s[k] != ':' || v < 1)
			return fail(p, col, "question: expected 'pass N:' with N 1 or more, then the question");
		if (passes >= 0 && v > passes)
			return fail(p, col, "question: pass %ld, but this step runs %ld time%s", v, passes,
				    passes == 1 ? "" : "s");
		q->pass = (int)v;
		*tb += k + 1;
	}
	while (*tb < te && is_blank(p->ln[*tb]))
		(*tb)++;
	return 0;
}

/* "? text? choices": a question about the step above. The text runs to the
 * line's last '?', so it may hold quotes and brackets of its own. */
static int parse_question(Parser *p)
{
	int col = (int)p->b + 1;
	LessonStep *st = last_step(p);
	if (!st)
		return fail(p, col, "'?' question must follow a step");
	if (st->question)
		return fail(p, col, "this step already has a question");
	const char *mark = NULL;
	for (size_t i = p->e; i-- > p->b + 1;) {
		if (p->ln[i] == '?') {
			mark = p->ln + i;
			break;
		}
	}
	if (!mark)
		return fail(p, col, "question: the question must end with '?'");
	size_t tb = p->b + 1, te = (size_t)(mark - p->ln) + 1;
	while (tb < te && is_blank(p->ln[tb]))
		tb++;
	if (te - tb < 2)
		return fail(p, col, "question: expected the question text before the '?'");
	if (read_choices(p, te, p->e) < 0)
		return -1;
	return build_question(p, st, tb, te);
}

/* Bytes a lesson line may not hold: NUL, control characters (they would
 * garble the views) and anything that is not UTF-8. */
static int check_bytes(Parser *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p->ln;
	for (size_t i = 0; i < n;) {
		if (u[i] == 0)
			return fail(p, (int)i + 1, "NUL byte in lesson");
		if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f)
			return fail(p, (int)i + 1, "control character 0x%02x in lesson", u[i]);
		size_t k = utf8_len(u + i, n - i);
		if (k == 0)
			return fail(p, (int)i + 1, "invalid UTF-8 in lesson (save the file as UTF-8)");
		i += k;
	}
	return 0;
}

static int parse_line(Parser *p, const char *ln, size_t n)
{
	p->ln = ln;
	if (n && ln[n - 1] == '\r')
		n--;
	if (check_bytes(p, n) < 0)
		return -1;
	if (n > MAX_LINE)
		return fail(p, 1, "line is longer than %d bytes", MAX_LINE);
	p->b = 0;
	p->e = n;
	while (p->b < p->e && is_blank(ln[p->b]))
		p->b++;
	while (p->e > p->b && is_blank(ln[p->e - 1]))
		p->e--;
	if (p->b == p->e || ln[p->b] == '#')
		return 0;
	if (ln[p->b] == '>')
		return parse_narration(p);
	if (ln[p->b] == '?')
		return parse_question(p);
	size_t klen;
	if (header_key(p, &klen) && (!p->actor || header_slot(p->l, ln + p->b, klen))) {
		if (p->actor)
			return fail(p, (int)p->b + 1, "'%.*s:' belongs in the header, before the first actor",
				    (int)klen, ln + p->b);
		return parse_header(p, klen);
	}
	if (tokenize(p, p->b, p->e) < 0)
		return -1;
	if (is_word(&p->tok[0], "actor"))
		return start_actor(p);
	if (is_word(&p->tok[0], "host"))
		return parse_host(p);
	if (!p->actor)
		return stray_header_line(p);
	return parse_step(p);
}

/* The step an after names: the n-th step of its kind in that actor, in
 * file order; -1 if there are fewer. */
static int nth_step(const LessonActor *a, int op, long n)
{
	for (int i = 0; i < a->nsteps; i++)
		if ((int)a->steps[i].op == op && --n == 0)
			return i;
	return -1;
}

/* One after, once every actor is known: it must name another actor and one
 * of its calls, and come just before the call it holds back. */
static int resolve_after(Parser *p, int actor, int i)
{
	const LessonActor *a = &p->l->actors[actor];
	LessonStep *st = &a->steps[i];
	int j = lesson_actor_index(p->l, st->after_name);
	const char *name = show(p, st->after_name, strlen(st->after_name));
	if (j < 0)
		return fail_at(p, st->line, st->after_col, "after: no actor named '%s' in this lesson", name);
	if (j == actor)
		return fail_at(p, st->line, st->after_col, "after: '%s' is this actor: its own steps run in "
			       "order already", name);
	if (i + 1 >= a->nsteps || !lesson_op_is_call(a->steps[i + 1].op))
		return fail_at(p, st->line, st->col, "after: must come just before the call it holds back");
	st->after_actor = j;
	st->after_step = nth_step(&p->l->actors[j], st->after_op, st->n);
	if (st->after_step < 0)
		return fail_at(p, st->line, st->after_col, "after: '%s' has no %s step number %ld", name,
			       op_names[st->after_op], st->n);
	return 0;
}

static int resolve_afters(Parser *p)
{
	for (int a = 0; a < p->l->nactors; a++)
		for (int i = 0; i < p->l->actors[a].nsteps; i++)
			if (p->l->actors[a].steps[i].op == OP_AFTER && resolve_after(p, a, i) < 0)
				return -1;
	return 0;
}

static int parse_all(Parser *p, const char *text, size_t len)
{
	if (len > MAX_FILE)
		return fail_at(p, 1, 1, "lesson is larger than 1 MiB");
	size_t pos = 0;
	/* A byte order mark is how some editors say "UTF-8"; skip it. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *ln = text + pos;
		const char *nl = memchr(ln, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - ln) : len - pos;
		pos += n + (nl != NULL);
		p->line++;
		if (parse_line(p, ln, n) < 0)
			return -1;
	}
	if (finish_actor(p) < 0)
		return -1;
	if (!p->l->title)
		return fail_at(p, 1, 1, "missing 'title: TEXT'");
	if (p->l->nactors == 0)
		return fail_at(p, 1, 1, "lesson has no actors (add 'actor NAME' and its steps)");
	return resolve_afters(p);
}

/* "lessons/01-echo.lesson" -> "echo". */
static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	const char *s = base;
	while (*s >= '0' && *s <= '9')
		s++;
	s = (s > base && *s == '-') ? s + 1 : base;
	n -= (size_t)(s - base);
	if (n > 7 && strcmp(s + n - 7, ".lesson") == 0)
		n -= 7;
	return n ? dup_bytes(s, n) : dup_bytes(base, strlen(base));
}

/* ---- public ---------------------------------------------------------- */

Lesson *lesson_parse(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!path)
		path = "(lesson)";
	if (!text)
		len = 0;
	/* The parser holds a line's tokens; too big for a small thread stack. */
	Parser *p = calloc(1, sizeof *p);
	Lesson *l = calloc(1, sizeof *l);
	if (!p || !l) {
		free(p);
		free(l);
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	p->path = path;
	p->err = err;
	p->errlen = errlen;
	p->l = l;
	l->path = dup_bytes(path, strlen(path));
	l->name = name_from_path(path);
	l->actors = calloc(LESSON_MAX_ACTORS, sizeof *l->actors);
	/* Kept as given: a recording carries the lesson, so that its replay
	 * shows the same narration, questions and sources. */
	l->source = malloc(len + 1);
	if (l->source) {
		if (len)
			memcpy(l->source, text, len);
		l->source[len] = '\0';
		l->source_len = len;
	}
	int rc = (!l->path || !l->name || !l->actors || !l->source) ? oom(p) : parse_all(p, text, len);
	free(p);
	if (rc < 0) {
		lesson_free(l);
		return NULL;
	}
	return l;
}

Lesson *lesson_load(const char *path, char *err, size_t errlen)
{
	char dummy[1];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	/* One byte more than allowed, so lesson_parse sees an oversized file. */
	size_t cap = (size_t)MAX_FILE + 1, len = 0;
	char *buf = malloc(cap);
	Lesson *l = NULL;
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (len < cap) {
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	l = lesson_parse(path, buf, len, err, errlen);
out:
	free(buf);
	close(fd);
	return l;
}

static void free_strings(char **v, int n)
{
	for (int i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void free_step(LessonStep *st)
{
	free(st->host);
	free(st->data.text);
	free(st->on);
	free(st->as);
	free_strings(st->socks, st->nsocks);
	free(st->prompt);
	free_strings(st->examples, st->nexamples);
	free(st->narration);
	if (st->question) {
		free(st->question->text);
		free_strings(st->question->choices, st->question->nchoices);
		free(st->question);
	}
	free(st->source);
	free(st->after_name);
}

void lesson_free(Lesson *l)
{
	if (!l)
		return;
	for (int i = 0; l->actors && i < l->nactors; i++) {
		for (int j = 0; j < l->actors[i].nsteps; j++)
			free_step(&l->actors[i].steps[j]);
		free(l->actors[i].steps);
		free(l->actors[i].name);
		free(l->actors[i].command);
		for (int j = 0; j < l->actors[i].ninputs; j++)
			free(l->actors[i].inputs[j]);
		free(l->actors[i].inputs);
	}
	free(l->actors);
	for (int i = 0; l->hosts && i < l->nhosts; i++) {
		free(l->hosts[i].name);
		free(l->hosts[i].addr);
	}
	free(l->hosts);
	free(l->path);
	free(l->name);
	free(l->title);
	free(l->about);
	free(l->source);
	free(l);
}

const char *lesson_op_name(LessonOp op)
{
	if ((int)op < 0 || op >= OP_COUNT_)
		return "?";
	return op_names[op];
}

int lesson_op_is_call(LessonOp op)
{
	return op >= OP_SOCKET && op <= OP_DUP;
}

int lesson_op_sends(LessonOp op)
{
	return op == OP_SEND || op == OP_SENDALL || op == OP_SENDTO || op == OP_SENDMSG || op == OP_WRITE ||
	       op == OP_WRITEV || op == OP_SENDMMSG || op == OP_SENDFILE || op == OP_SPLICE;
}

int lesson_op_receives(LessonOp op)
{
	return op == OP_RECV || op == OP_RECVFROM || op == OP_RECVMSG || op == OP_READ ||
	       op == OP_READV || op == OP_RECVMMSG || op == OP_SPLICE_RECV;
}

int lesson_op_traced_only(LessonOp op)
{
	return op >= OP_SOCKETPAIR && op <= OP_DUP;
}

Lesson *lesson_programs(const char *title, char *const *names, char *const *commands, int n)
{
	Lesson *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->actors = calloc((size_t)(n > 0 ? n : 1), sizeof *l->actors);
	l->path = strdup("sockstep run");
	l->name = strdup("run");
	l->title = strdup(title);
	l->about = strdup("Your programs, run for real. Each stops before every socket call.");
	if (!l->actors || !l->path || !l->name || !l->title || !l->about)
		goto fail;
	for (int i = 0; i < n; i++, l->nactors++) {
		l->actors[i].host = -1;
		l->actors[i].name = strdup(names[i]);
		l->actors[i].command = strdup(commands[i]);
		if (!l->actors[i].name || !l->actors[i].command) {
			l->nactors++;
			goto fail;
		}
	}
	return l;
fail:
	lesson_free(l);
	return NULL;
}

int lesson_add_input(Lesson *l, int a, const char *line)
{
	LessonActor *ac = &l->actors[a];
	char **more = realloc(ac->inputs, (size_t)(ac->ninputs + 1) * sizeof *more);
	if (!more)
		return -1;
	ac->inputs = more;
	if (!(more[ac->ninputs] = strdup(line)))
		return -1;
	ac->ninputs++;
	return 0;
}

int lesson_actor_index(const Lesson *l, const char *name)
{
	if (!l || !name)
		return -1;
	for (int i = 0; i < l->nactors; i++)
		if (l->actors[i].name && strcmp(l->actors[i].name, name) == 0)
			return i;
	return -1;
}

const LessonStep *lesson_after_of(const Lesson *l, int actor, int step)
{
	if (actor < 0 || actor >= l->nactors || step < 1 || step >= l->actors[actor].nsteps)
		return NULL;
	const LessonStep *s = &l->actors[actor].steps[step - 1];
	return s->op == OP_AFTER ? s : NULL;
}
