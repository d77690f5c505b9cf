/* codegen.c - an actor's steps as a Python or C program (see codegen.h).
 *
 * The program does what model/actor.c does for each step, with the calls a
 * student would write: conn, addr = s.accept() in Python, accept(s, ...) in
 * C. Sockets keep their lesson names (s, conn, ...) as variables. The body
 * is generated first, noting what it needs (imports, helpers, buffers); the
 * prologue is written after, so a program holds only what it uses and the C
 * builds clean with -Wall -Wextra -Werror.
 *
 * Failing calls: in C every call that can fail is checked, and a failure
 * prints why (perror) and the program goes on, as the actor does. Python is
 * written as the seed tutorials write it: sockets in with-blocks, and
 * try/except OSError only around a call the lesson expects to fail
 * (may_fail), which says why on stderr and goes on; the lesson's narration
 * is the programs' comments. The
 * console (stdout) holds only the lesson's print steps, so it matches what
 * sockstep shows. One simplification, for readability: a failed recv reads
 * as no bytes (data = b"", n = 0), so a break-if-empty after it leaves the
 * loop, where sockstep's actor would go round again. */
#include "views/codegen.h"

#include <ctype.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/answerkind.h"
enum { MAX_SOCKS = 64, IDENT_MAX = 64, INDENT = 4, LINE_BUF = 1024 };

/* ---- growing strings ---------------------------------------------------- */

typedef struct {
	char *p;
	size_t len, cap;
	int oom;
} Str;

static void str_addn(Str *s, const char *p, size_t n)
{
	if (s->oom)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 64;
		while (cap < s->len + n + 1)
			cap *= 2;
		char *q = realloc(s->p, cap);
		if (!q) {
			s->oom = 1;
			return;
		}
		s->p = q;
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void str_add(Str *s, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		str_addn(s, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		s->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	str_addn(s, big, (size_t)n);
	free(big);
}

/* The text so far ("" when empty); the Str keeps owning it. */
static const char *str_text(const Str *s)
{
	return s->p ? s->p : "";
}

/* ---- the generator's state ------------------------------------------------ */

/* What the body turned out to need; the prologue declares just that. */
typedef struct {
	int fails;         /* a checked call: Python imports sys for stderr */
	long recv_max;     /* the biggest recv: the C data buffer */
	long bytes_max;    /* the biggest 'bytes N' */
	int received;      /* C: data and n */
	int input, line;   /* input steps; C uses line (and string.h) */
	int strings;       /* C: string.h */
	int sendall, upper, pattern, show_addr;
	int peer;          /* C: struct sockaddr_storage peer */
	int addr4, addr6, addr_un, abstract;
	int poll_max;      /* the most sockets one poll waits on: C's fds[] */
	int sleep, poll, select, fcntl, addrinfo, hostname, local, remote;
	int value, valuelen, timeval, tcp, sigpipe, pystruct;
	int tv;            /* C: a variable struct timeval tv (timeval: only its header) */
	int contains;      /* C: the contains() helper of break-if-contains */
	int families[3];   /* AF_INET, AF_INET6, AF_UNIX sockets: what show_addr handles */
} Needs;

typedef struct {
	const Lesson *l;
	const LessonActor *a;
	CodeLang lang;
	Str *body;                /* the body of main(), one Str per line */
	int nbody, bodycap;
	int depth;                /* indentation inside main() */
	int loops;                /* C: open repeat loops, for counter names */
	int oom;
	struct {
		const char *name;
		char ident[IDENT_MAX];
		int family;
		int listener;     /* made by accept: the socket it came from; else -1 */
	} socks[MAX_SOCKS];
	int nsocks;
	int current;              /* the socket a step without 'on' uses, or -1 */
	int pyloops;              /* Python: open loops (a with-block only outside them) */
	unsigned char nonblock[MAX_SOCKS];  /* setblocking 0 or a receive timeout so far,
	                                       in file order: its calls may fail */
	int peer_family;          /* family of the last accept/recvfrom so far, or 0 */
	Needs need;
} Gen;

/* Add a line to the body, indented; returns its index in the body. */
__attribute__((format(printf, 2, 3)))
static int emit(Gen *g, const char *fmt, ...)
{
	if (g->nbody == g->bodycap) {
		int cap = g->bodycap ? g->bodycap * 2 : 64;
		Str *grown = realloc(g->body, (size_t)cap * sizeof *grown);
		if (!grown) {
			g->oom = 1;
			return -1;
		}
		g->body = grown;
		g->bodycap = cap;
	}
	Str *s = &g->body[g->nbody];
	memset(s, 0, sizeof *s);
	str_add(s, "%*s", (g->depth + 1) * INDENT, "");
	char small[LINE_BUF];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof small) {
		str_addn(s, small, (size_t)n);
	} else if (n >= 0) {
		char *big = malloc((size_t)n + 1);
		if (big) {
			va_start(ap, fmt);
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			va_end(ap);
			str_addn(s, big, (size_t)n);
		}
		s->oom |= !big;
	}
	g->oom |= s->oom || n < 0;
	return g->nbody++;
}

/* ---- names ------------------------------------------------------------------ */

/* Words a socket's variable must not be: keywords of both languages, the
 * functions the programs call and the variables they declare. */
static const char *const reserved[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
	"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
	"try", "while", "with", "yield", "print", "input", "range", "bytes", "len", "str", "int",
	"list", "type", "id", "open", "next", "iter", "max", "min", "sum", "all", "any", "map",
	"set", "dict", "tuple", "object", "format", "hash", "filter", "socket", "sys", "time",
	"select", "signal", "struct", "main", "data", "addr", "line", "err", "value", "local",
	"remote", "name", "addresses", "poller", "ready", "pattern", "auto", "case", "char",
	"const", "default", "do", "double", "enum", "extern", "float", "goto", "inline", "long",
	"register", "restrict", "short", "signed", "sizeof", "static", "switch", "typedef",
	"union", "unsigned", "void", "volatile", "bool", "n", "i", "j", "k", "l", "m", "peer",
	"peerlen", "addr6", "addr_un", "out", "fds", "maxfd", "tv", "hints", "found", "rc",
	"valuelen", "locallen", "remotelen", "ask", "send_all", "upper", "fill_pattern",
	"show_addr", "bind", "listen", "accept", "connect", "send", "recv", "sendto",
	"recvfrom", "shutdown", "close", "setsockopt", "getsockopt", "poll", "fcntl",
	"nanosleep", "getaddrinfo", "gethostname", "getsockname", "getpeername", "printf",
	"perror", "read", "write", "exit", "index", "stdin", "stdout", "stderr", "errno",
	"strlen", "strcmp", "memcpy", "unix", "linux", NULL
};

static int is_reserved(const char *w)
{
	for (int i = 0; reserved[i]; i++)
		if (strcmp(reserved[i], w) == 0)
			return 1;
	return 0;
}

/* A lesson's socket name as a variable: '-' becomes '_', and a name that is
 * a keyword or already taken gets "_sock" (a leading digit, "sock_"). */
static void make_ident(const char *name, char *out, size_t cap)
{
	size_t o = 0;
	if (isdigit((unsigned char)name[0]))
		o = (size_t)snprintf(out, cap, "sock_");
	for (size_t i = 0; name[i] && o + 6 < cap; i++)
		out[o++] = name[i] == '-' ? '_' : name[i];
	out[o] = '\0';
	if (is_reserved(out))
		snprintf(out + o, cap - o, "_sock");
}

static int sock_find(const Gen *g, const char *name)
{
	for (int i = 0; i < g->nsocks; i++)
		if (strcmp(g->socks[i].name, name) == 0)
			return i;
	return -1;
}

/* socket and accept make a socket: it becomes the current one. */
static void sock_define(Gen *g, const char *name, int family, int listener)
{
	int i = sock_find(g, name);
	if (i < 0 && g->nsocks < MAX_SOCKS) {
		i = g->nsocks++;
		g->socks[i].name = name;
		make_ident(name, g->socks[i].ident, sizeof g->socks[i].ident);
	}
	if (i < 0)
		return;
	g->socks[i].family = family;
	g->socks[i].listener = listener;
	g->current = i;
	if (family == AF_INET || family == AF_INET6 || family == AF_UNIX)
		g->need.families[family == AF_INET ? 0 : family == AF_INET6 ? 1 : 2] = 1;
}

/* The socket a step uses: its 'on NAME', else the one made most recently
 * in file order (the parser resolves names the same way). One exception:
 * an accept right after an accept that failed (non-blocking, EAGAIN) runs
 * on the listener, since the failed one made no socket; in file order it
 * would be the connection, which can never accept, so the listener is what
 * the lesson means. */
static int step_sock(const Gen *g, const LessonStep *s)
{
	if (s->on)
		return sock_find(g, s->on);
	if (s->op == OP_ACCEPT && g->current >= 0 && g->socks[g->current].listener >= 0)
		return g->socks[g->current].listener;
	return g->current;
}

static const char *sock_ident(const Gen *g, int i)
{
	return i >= 0 ? g->socks[i].ident : "s";
}

static const char *step_ident(const Gen *g, const LessonStep *s)
{
	return sock_ident(g, step_sock(g, s));
}

/* Does the actor serve sockets from an event loop (if-ready)? There a
 * socket it closes stays in its poll or select list, as the actor's does:
 * closed, it is -1, which poll() skips, and the code must skip it too. */
static int event_loop(const Gen *g)
{
	for (int i = 0; i < g->a->nsteps; i++)
		if (g->a->steps[i].op == OP_IF_READY)
			return 1;
	return 0;
}

static int step_family(const Gen *g, const LessonStep *s)
{
	int i = step_sock(g, s);
	return i >= 0 ? g->socks[i].family : AF_INET;
}

/* ---- constants by name ---------------------------------------------------- */

static const char *family_name(int family)
{
	switch (family) {
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_UNIX: return "AF_UNIX";
	default: return "AF_UNSPEC";
	}
}

static const char *type_name(int type)
{
	return type == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_STREAM";
}

static const char *how_name(long how)
{
	return how == SHUT_RD ? "SHUT_RD" : how == SHUT_WR ? "SHUT_WR" : "SHUT_RDWR";
}

static const char *level_name(int level)
{
	return level == IPPROTO_TCP ? "IPPROTO_TCP" : level == IPPROTO_IPV6 ? "IPPROTO_IPV6"
									  : "SOL_SOCKET";
}

static const char *option_name(int level, int opt)
{
	static const struct { int level, opt; const char *name; } names[] = {
		{ SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR" }, { SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT" },
		{ SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE" }, { SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF" },
		{ SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF" }, { SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST" },
		{ SOL_SOCKET, SO_RCVTIMEO, "SO_RCVTIMEO" }, { SOL_SOCKET, SO_ERROR, "SO_ERROR" },
		{ SOL_SOCKET, SO_TYPE, "SO_TYPE" }, { IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY" },
		{ IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].level == level && names[i].opt == opt)
			return names[i].name;
	return "SO_ERROR";
}

static int is_timeout(const LessonStep *s)
{
	return s->level == SOL_SOCKET && s->optname == SO_RCVTIMEO;
}

/* "MSG_PEEK | MSG_DONTWAIT", each name after prefix ("socket." in Python);
 * "" when there are none. */
static void flag_names(int flags, const char *prefix, Str *out)
{
	int first = 1;
	static const struct { int flag; const char *name; } names[] = {
		{ MSG_PEEK, "MSG_PEEK" }, { MSG_WAITALL, "MSG_WAITALL" }, { MSG_TRUNC, "MSG_TRUNC" },
		{ MSG_DONTWAIT, "MSG_DONTWAIT" }, { MSG_NOSIGNAL, "MSG_NOSIGNAL" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].flag) {
			str_add(out, "%s%s%s", first ? "" : " | ", prefix, names[i].name);
			first = 0;
		}
}

/* A number of milliseconds as Python seconds: 1500 -> "1.5", 10 -> "0.01". */
static void seconds(long ms, char *buf, size_t cap)
{
	snprintf(buf, cap, "%ld.%03ld", ms / 1000, ms % 1000);
	size_t n = strlen(buf);
	while (buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
}

/* ---- literals ----------------------------------------------------------- */

/* The escapes Python and C string literals share; returns 1 if c was one. */
static int quote_common(Str *o, unsigned char c)
{
	if (c == '"' || c == '\\')
		str_add(o, "\\%c", c);
	else if (c == '\n')
		str_add(o, "\\n");
	else if (c == '\t')
		str_add(o, "\\t");
	else if (c == '\r')
		str_add(o, "\\r");
	else
		return 0;
	return 1;
}

/* The inside of a Python string literal ("..."): bytes literals escape
 * every non-ASCII byte; text keeps UTF-8 as it is. An f-string doubles its
 * braces. */
static void py_quote(Str *o, const char *p, size_t n, int bytes, int fstring)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (quote_common(o, c))
			continue;
		if (fstring && (c == '{' || c == '}'))
			str_add(o, "%c%c", c, c);
		else if (c < 0x20 || c == 0x7f || (bytes && c >= 0x80))
			str_add(o, "\\x%02x", c);
		else
			str_addn(o, (const char *)&c, 1);
	}
}

/* The inside of a C string literal. Other bytes as three-digit octal, which
 * a following digit cannot extend; "??" split so it is never a trigraph; a
 * printf format doubles its '%' and keeps UTF-8 text as it is. */
static void c_quote(Str *o, const char *p, size_t n, int format)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (quote_common(o, c))
			continue;
		if (c == '?' && i > 0 && p[i - 1] == '?')
			str_add(o, "\\?");
		else if (format && c == '%')
			str_add(o, "%%%%");
		else if (c < 0x20 || c == 0x7f || (!format && c >= 0x80))
			str_add(o, "\\%03o", c);
		else
			str_addn(o, (const char *)&c, 1);
	}
}

/* ---- print's text --------------------------------------------------------- */

typedef enum { VAR_NONE, VAR_RECEIVED, VAR_INPUT, VAR_PEER } PrintVar;

/* Is there a $variable at t[i]? As in actor.c's run_print. */
static PrintVar var_at(const char *t, size_t n, size_t i, size_t *skip)
{
	static const struct { const char *word; PrintVar var; } vars[] = {
		{ "$received", VAR_RECEIVED }, { "$input", VAR_INPUT }, { "$peer", VAR_PEER },
	};
	for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
		size_t len = strlen(vars[k].word);
		if (n - i >= len && memcmp(t + i, vars[k].word, len) == 0) {
			*skip = len;
			return vars[k].var;
		}
	}
	return VAR_NONE;
}

/* $peer before any accept or recvfrom is "(unnamed)", as in actor.c: it
 * is then plain text, not a variable. */
static PrintVar print_var(const Gen *g, const char *t, size_t n, size_t i, size_t *skip)
{
	PrintVar v = t[i] == '$' ? var_at(t, n, i, skip) : VAR_NONE;
	return v == VAR_PEER && !g->peer_family ? VAR_NONE : v;
}

static void py_peer(const Gen *g, Str *o)
{
	if (g->peer_family == AF_INET6)
		str_add(o, "[{addr[0]}]:{addr[1]}");
	else if (g->peer_family == AF_UNIX)
		str_add(o, "{addr or '(unnamed)'}");
	else
		str_add(o, "{addr[0]}:{addr[1]}");
}

static int py_print(Gen *g, const LessonStep *s)
{
	const char *t = s->data.text ? s->data.text : "";
	size_t n = s->data.len, skip = 0;
	int fstring = 0;
	for (size_t i = 0; i < n; i++)
		fstring |= print_var(g, t, n, i, &skip) != VAR_NONE;
	Str o = { 0 };
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		PrintVar v = print_var(g, t, n, i, &skip);
		if (v == VAR_NONE && t[i] == '$' && var_at(t, n, i, &skip) == VAR_PEER) {
			py_quote(&o, t + from, i - from, 0, fstring);
			str_add(&o, "(unnamed)");
			from = i + skip;
			i += skip - 1;
			continue;
		}
		if (v == VAR_NONE)
			continue;
		py_quote(&o, t + from, i - from, 0, fstring);
		if (v == VAR_RECEIVED)
			str_add(&o, "{data.decode()}");
		else if (v == VAR_INPUT)
			str_add(&o, "{line}");
		else
			py_peer(g, &o);
		from = i + skip;
		i += skip - 1;
	}
	py_quote(&o, t + from, n - from, 0, fstring);
	int line = emit(g, "print(%s\"%s\")", fstring ? "f" : "", str_text(&o));
	g->oom |= o.oom;
	free(o.p);
	return line;
}

static int c_print(Gen *g, const LessonStep *s)
{
	const char *t = s->data.text ? s->data.text : "";
	size_t n = s->data.len, skip = 0, from = 0;
	Str fmt = { 0 }, args = { 0 };
	for (size_t i = 0; i < n; i++) {
		PrintVar v = t[i] == '$' ? var_at(t, n, i, &skip) : VAR_NONE;
		if (v == VAR_NONE)
			continue;
		c_quote(&fmt, t + from, i - from, 1);
		if (v == VAR_RECEIVED) {
			str_add(&fmt, "%%.*s");
			str_add(&args, ", (int)n, data");
			g->need.received = 1;
		} else if (v == VAR_INPUT) {
			str_add(&fmt, "%%s");
			str_add(&args, ", line");
			g->need.line = 1;
		} else {
			str_add(&fmt, "%%s");
			str_add(&args, ", show_addr(&peer, peerlen)");
			g->need.show_addr = g->need.peer = 1;
		}
		from = i + skip;
		i += skip - 1;
	}
	c_quote(&fmt, t + from, n - from, 1);
	int line = emit(g, "printf(\"%s\\n\"%s);", str_text(&fmt), str_text(&args));
	g->oom |= fmt.oom || args.oom;
	free(fmt.p);
	free(args.p);
	return line;
}

/* ---- Python steps ------------------------------------------------------------ */

/* The bytes a send step sends, as a Python expression. */
static void py_data(Gen *g, const LessonData *d, Str *o)
{
	switch (d->src) {
	case DATA_TEXT:
		str_add(o, "b\"");
		py_quote(o, d->text, d->len, 1, 0);
		str_add(o, "\"");
		break;
	case DATA_RECEIVED:
		str_add(o, "data");
		break;
	case DATA_INPUT:
		str_add(o, "line.encode()");
		break;
	case DATA_BYTES:
		str_add(o, "pattern(%zu)", d->len);
		g->need.pattern = 1;
		break;
	default:
		str_add(o, "b\"\"");
		break;
	}
	/* bytes.upper() changes ASCII letters only, as the actor's toupper(). */
	if (d->upper)
		str_add(o, ".upper()");
}

/* An address as bind(), connect() and sendto() take it. */
static void py_address(Gen *g, const LessonStep *s, int family, Str *o)
{
	if (s->to_peer) {
		str_add(o, "addr");
		return;
	}
	const char *host = s->host ? s->host : "";
	str_add(o, family == AF_UNIX ? "\"" : "(\"");
	if (family == AF_UNIX && host[0] == '@') {
		str_add(o, "\\0");   /* an abstract name starts with a NUL byte */
		host++;
	}
	py_quote(o, host, strlen(host), 0, 0);
	if (family == AF_UNIX)
		str_add(o, "\"");
	else
		str_add(o, "\", %d)", s->port);
	(void)g;
}

/* Does a sentence of the narration say the call fails, naming the errno
 * ("connect() fails with ECONNREFUSED")? One that only says what would
 * happen ("If another program uses the port, bind() fails with
 * EADDRINUSE") does not count. */
static int narration_expects_error(const char *t)
{
	char sentence[LINE_BUF], name[32];
	while (*t) {
		size_t n = 0;
		while (t[n] && !(t[n] == '.' && (t[n + 1] == ' ' || !t[n + 1])) && n + 1 < sizeof sentence)
			n++;
		memcpy(sentence, t, n);
		sentence[n] = '\0';
		int hypothetical = strncmp(sentence, "If ", 3) == 0 || strncmp(sentence, "Unless ", 7) == 0 ||
				   strstr(sentence, " would ") || strstr(sentence, " if ") || strstr(sentence, " could ");
		if (!hypothetical && answerkind_errno(sentence, name, sizeof name))
			return 1;
		t += n;
		while (*t == '.' || *t == ' ')
			t++;
	}
	return 0;
}

/* Does the lesson expect this call to fail, or say it may? Its question's
 * answer or its narration names an errno (ECONNREFUSED), or it cannot
 * wait (a non-blocking socket, MSG_DONTWAIT, a receive timeout). Only such
 * a call is wrapped in try/except in Python, as the seed tutorials write
 * their programs: any other failure stops the program with its traceback. */
static int may_fail(const Gen *g, const LessonStep *s)
{
	char name[32];
	const LessonQuestion *q = s->question;
	int i = step_sock(g, s);
	if (q && answerkind_errno(q->choices[q->answer], name, sizeof name))
		return 1;
	if (s->narration && narration_expects_error(s->narration))
		return 1;
	/* poll and select wait on a non-blocking socket as on any other. */
	int waits = s->op == OP_POLL || s->op == OP_SELECT;
	return (s->flags & MSG_DONTWAIT) || (!waits && i >= 0 && g->nonblock[i]);
}

/* The step's narration as comment lines ("# " or C's block comments),
 * wrapped, at the current indentation: the program reads as the lesson
 * does. */
static void comment_narration(Gen *g, const LessonStep *s)
{
	const char *t = s->narration;
	int width = 76 - (g->depth + 1) * INDENT;
	if (!t || !*t)
		return;
	width = width < 30 ? 30 : width;
	while (*t) {
		int n = (int)strlen(t);
		if (n > width) {
			n = width;
			while (n > 0 && t[n] != ' ')
				n--;
			if (n == 0)
				for (n = width; t[n] && t[n] != ' ';)
					n++;
		}
		char part[LINE_BUF];
		size_t o = 0;
		for (int k = 0; k < n && o + 3 < sizeof part; k++) {
			part[o++] = t[k];
			/* Nothing in it may end a C comment, or open one
			 * (-Wcomment). */
			if ((t[k] == '*' && t[k + 1] == '/') || (t[k] == '/' && t[k + 1] == '*'))
				part[o++] = ' ';
		}
		part[o] = '\0';
		int first = t == s->narration;
		t += n;
		while (*t == ' ')
			t++;
		if (g->lang == CODE_PYTHON)
			emit(g, "# %s", part);
		else
			emit(g, "%s %s%s", first ? "/*" : " *", part, *t ? "" : " */");
	}
}

/* A call that can fail: try it, and on failure say why on stderr and go
 * on, as the actor does. Returns the line of the call. */
static int py_try(Gen *g, const char *what, const char *stmt, const char *on_error)
{
	g->need.fails = 1;
	emit(g, "try:");
	g->depth++;
	int line = emit(g, "%s", stmt);
	g->depth--;
	emit(g, "except OSError as err:");
	g->depth++;
	emit(g, "print(\"%s:\", err, file=sys.stderr)", what);
	if (on_error)
		emit(g, "%s", on_error);
	g->depth--;
	return line;
}

/* ", socket.MSG_PEEK" after a call's other arguments, or nothing. */
static void py_flags(int flags, Str *o)
{
	Str f = { 0 };
	flag_names(flags, "socket.", &f);
	if (f.len)
		str_add(o, ", %s", f.p);
	o->oom |= f.oom;
	free(f.p);
}

static void py_sockets(const Gen *g, const LessonStep *s, Str *o)
{
	for (int k = 0; k < s->nsocks; k++) {
		int i = sock_find(g, s->socks[k]);
		str_add(o, "%s%s", k ? ", " : "", sock_ident(g, i));
	}
}

/* An event loop's poll registers only the sockets still open (a closed
 * Python socket's fileno() is -1, which register() refuses). */
static void py_open_sockets(Gen *g, const LessonStep *s)
{
	Str o = { 0 };
	py_sockets(g, s, &o);
	emit(g, "for sock in (%s%s):", str_text(&o), s->nsocks == 1 ? "," : "");
	g->depth++;
	emit(g, "if sock.fileno() >= 0:  # closed sockets are left out, as poll() skips -1");
	g->depth++;   /* the caller's line goes inside the if; it closes both */
	g->oom |= o.oom;
	free(o.p);
}

static int py_wait(Gen *g, const LessonStep *s)
{
	Str o = { 0 };
	char sec[32];
	int line;
	if (s->op == OP_POLL) {
		g->need.poll = 1;
		emit(g, "poller = select.poll()");
		if (event_loop(g)) {
			py_open_sockets(g, s);
			emit(g, "poller.register(sock, select.%s)", s->write ? "POLLOUT" : "POLLIN");
			g->depth -= 2;
		}
		for (int k = 0; k < s->nsocks && !event_loop(g); k++)
			emit(g, "poller.register(%s, select.%s)", sock_ident(g, sock_find(g, s->socks[k])),
			     s->write ? "POLLOUT" : "POLLIN");
		if (s->timeout_ms < 0)
			str_add(&o, "ready = poller.poll()");
		else
			str_add(&o, "ready = poller.poll(%ld)", s->timeout_ms);
		line = may_fail(g, s) ? py_try(g, "poll", str_text(&o), NULL) : emit(g, "%s", str_text(&o));
	} else {
		g->need.select = 1;
		str_add(&o, s->write ? "_, ready, _ = select.select([], [" : "ready, _, _ = select.select([");
		if (event_loop(g))
			str_add(&o, "sock for sock in (");
		py_sockets(g, s, &o);
		if (event_loop(g))
			str_add(&o, "%s) if sock.fileno() >= 0", s->nsocks == 1 ? "," : "");
		str_add(&o, s->write ? "], []" : "], [], []");
		seconds(s->timeout_ms, sec, sizeof sec);
		if (s->timeout_ms >= 0)
			str_add(&o, ", %s", sec);
		str_add(&o, ")");
		line = may_fail(g, s) ? py_try(g, "select", str_text(&o), NULL) : emit(g, "%s", str_text(&o));
	}
	g->oom |= o.oom;
	free(o.p);
	return line;
}

/* The actor an after step waits for, by name (the parser resolved it). */
static const char *after_actor_name(const Gen *g, const LessonStep *s)
{
	if (s->after_actor < 0 || s->after_actor >= g->l->nactors)
		return "?";
	return g->l->actors[s->after_actor].name;
}

/* if-ready NAME: the poll's ready list holds (fd, events) pairs, select's
 * the sockets themselves. */
static int py_if_ready(Gen *g, const LessonStep *s)
{
	const char *sock = sock_ident(g, sock_find(g, s->on));
	const LessonStep *w = s->n >= 0 && s->n < g->a->nsteps ? &g->a->steps[s->n] : NULL;
	if (w && w->op == OP_POLL)
		return emit(g, "if %s.fileno() in dict(ready):", sock);
	return emit(g, "if %s in ready:", sock);
}

static void py_setsockopt(const LessonStep *s, const char *sock, Str *o)
{
	const char *opt = option_name(s->level, s->optname);
	if (is_timeout(s))
		str_add(o, "%s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, "
			   "struct.pack(\"ll\", %ld, %ld))", sock, s->n / 1000, s->n % 1000 * 1000);
	else
		str_add(o, "%s.setsockopt(socket.%s, socket.%s, %ld)", sock, level_name(s->level), opt, s->n);
}

static void py_getsockopt(const LessonStep *s, const char *sock, Str *o)
{
	const char *opt = option_name(s->level, s->optname);
	if (is_timeout(s))
		str_add(o, "value = %s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, "
			   "struct.calcsize(\"ll\"))", sock);
	else
		str_add(o, "value = %s.getsockopt(socket.%s, socket.%s)", sock, level_name(s->level), opt);
}

static void py_getaddrinfo(const LessonStep *s, Str *o)
{
	str_add(o, "addresses = socket.getaddrinfo(\"");
	py_quote(o, s->host ? s->host : "", s->host ? strlen(s->host) : 0, 0, 0);
	str_add(o, "\", %d", s->port);
	if (s->family != AF_UNSPEC)
		str_add(o, ", socket.%s", family_name(s->family));
	if (s->type)
		str_add(o, s->family != AF_UNSPEC ? ", socket.%s" : ", type=socket.%s", type_name(s->type));
	str_add(o, ")");
}

/* The socket calls, as one statement each (in o); *what names the call
 * for its error message, *on_error is what a failure leaves behind. */
static void py_call(Gen *g, const LessonStep *s, Str *o, const char **on_error)
{
	const char *sock = step_ident(g, s);
	int family = step_family(g, s);
	switch (s->op) {
	case OP_SOCKET:
		str_add(o, "%s = socket.socket(socket.%s, socket.%s)", sock_ident(g, sock_find(g, s->as)),
			family_name(s->family), type_name(s->type));
		break;
	case OP_BIND:
	case OP_CONNECT:
		str_add(o, "%s.%s(", sock, s->op == OP_BIND ? "bind" : "connect");
		py_address(g, s, family, o);
		str_add(o, ")");
		break;
	case OP_LISTEN: str_add(o, "%s.listen(%ld)", sock, s->n); break;
	case OP_ACCEPT:
		str_add(o, "%s, addr = %s.accept()", sock_ident(g, sock_find(g, s->as)), sock);
		break;
	case OP_SEND:
	case OP_SENDALL:
		str_add(o, "%s.%s(", sock, s->op == OP_SEND ? "send" : "sendall");
		py_data(g, &s->data, o);
		py_flags(s->flags, o);
		str_add(o, ")");
		break;
	case OP_SENDTO:
		str_add(o, "%s.sendto(", sock);
		py_data(g, &s->data, o);
		py_flags(s->flags, o);
		str_add(o, ", ");
		py_address(g, s, family, o);
		str_add(o, ")");
		break;
	case OP_RECV:
	case OP_RECVFROM:
		str_add(o, "data%s = %s.%s(%ld", s->op == OP_RECV ? "" : ", addr", sock,
			s->op == OP_RECV ? "recv" : "recvfrom", s->n);
		py_flags(s->flags, o);
		str_add(o, ")");
		*on_error = "data = b\"\"";
		break;
	case OP_SHUTDOWN: str_add(o, "%s.shutdown(socket.%s)", sock, how_name(s->n)); break;
	case OP_SETSOCKOPT:
		py_setsockopt(s, sock, o);
		g->need.pystruct |= is_timeout(s);
		break;
	case OP_GETSOCKOPT:
		py_getsockopt(s, sock, o);
		g->need.pystruct |= is_timeout(s);
		break;
	case OP_SETBLOCKING:
		str_add(o, "%s.setblocking(%s)", sock, s->n ? "True" : "False");
		break;
	case OP_GETSOCKNAME: str_add(o, "local = %s.getsockname()", sock); break;
	case OP_GETPEERNAME: str_add(o, "remote = %s.getpeername()", sock); break;
	case OP_GETHOSTNAME: str_add(o, "name = socket.gethostname()"); break;
	case OP_GETADDRINFO: py_getaddrinfo(s, o); break;
	default: break;
	}
}

/* A socket made outside any loop, whose making the lesson does not expect
 * to fail, lives in a with-block to the end of the program, as in the
 * seed tutorials ("with socket.socket(...) as s:"; after an accept, "with
 * conn:"). Its close step still closes it where the lesson does; the
 * block's end closes it again, which does nothing. */
static int py_with(Gen *g, const LessonStep *s, Str *o)
{
	int line;
	if (s->op == OP_SOCKET) {
		line = emit(g, "with socket.socket(socket.%s, socket.%s) as %s:", family_name(s->family),
			    type_name(s->type), sock_ident(g, sock_find(g, s->as)));
	} else {
		const char *conn = sock_ident(g, sock_find(g, s->as));
		line = emit(g, "%s, addr = %s.accept()", conn, step_ident(g, s));
		emit(g, "with %s:", conn);
	}
	g->depth++;
	(void)o;
	return line;
}

static int py_step(Gen *g, int idx)
{
	const LessonStep *s = &g->a->steps[idx];
	const char *on_error = NULL;
	char sec[32];
	Str o = { 0 };
	int line = -1;
	if (s->op != OP_END)
		comment_narration(g, s);
	switch (s->op) {
	case OP_CLOSE:
		/* Python's close() does not raise: nothing to catch. */
		line = emit(g, "%s.close()", step_ident(g, s));
		break;
	case OP_SLEEP:
		g->need.sleep = 1;
		seconds(s->n, sec, sizeof sec);
		line = emit(g, "time.sleep(%s)", sec);
		break;
	case OP_POLL:
	case OP_SELECT:
		line = py_wait(g, s);
		break;
	case OP_PRINT:
		line = py_print(g, s);
		break;
	case OP_INPUT:
		py_quote(&o, s->prompt ? s->prompt : "", s->prompt ? strlen(s->prompt) : 0, 0, 0);
		line = emit(g, "line = input(\"%s\")", str_text(&o));
		break;
	case OP_LOOP:
	case OP_REPEAT:
		line = s->op == OP_LOOP ? emit(g, "while True:") : emit(g, "for _ in range(%ld):", s->n);
		g->depth++;
		g->pyloops++;
		if (s->match == idx + 1)
			emit(g, "pass");
		break;
	case OP_IF_READY:
	case OP_IF_EMPTY:
		line = s->op == OP_IF_READY ? py_if_ready(g, s) : emit(g, "if not data:");
		g->depth++;
		if (s->match == idx + 1)
			emit(g, "pass");
		break;
	case OP_AFTER:
		/* Ordering between the lesson's actors is sockstep's doing, not the
		 * program's: a comment says when the next call ran. */
		line = emit(g, "# sockstep runs the next call after %s's %s", after_actor_name(g, s),
			    lesson_op_name((LessonOp)s->after_op));
		break;
	case OP_BREAK_IF_CONTAINS:
		py_quote(&o, s->data.text ? s->data.text : "", s->data.len, 1, 0);
		line = emit(g, "if b\"%s\" in data:", str_text(&o));
		g->depth++;
		emit(g, "break");
		g->depth--;
		break;
	case OP_END:
		comment_narration(g, s);
		g->depth--;
		g->pyloops--;
		break;
	case OP_BREAK_IF_EMPTY:
	case OP_BREAK_IF_INPUT:
		if (s->op == OP_BREAK_IF_EMPTY) {
			line = emit(g, "if not data:");
		} else {
			py_quote(&o, s->data.text ? s->data.text : "", s->data.len, 0, 0);
			line = emit(g, "if line == \"%s\":", str_text(&o));
		}
		g->depth++;
		emit(g, "break");
		g->depth--;
		break;
	case OP_SOCKET:
	case OP_ACCEPT:
		if (g->pyloops == 0 && !may_fail(g, s)) {
			line = py_with(g, s, &o);
			break;
		}
		/* fall through */
	default:
		py_call(g, s, &o, &on_error);
		if (may_fail(g, s))
			line = py_try(g, lesson_op_name(s->op), str_text(&o), on_error);
		else
			line = emit(g, "%s", str_text(&o));
		break;
	}
	g->oom |= o.oom;
	free(o.p);
	return line;
}

/* ---- C steps ----------------------------------------------------------------- */

/* The bytes a send step sends, as C's pointer and length; a 'bytes N'
 * fills its buffer first. */
static void c_data(Gen *g, const LessonData *d, Str *ptr, Str *len)
{
	switch (d->src) {
	case DATA_TEXT:
		str_add(ptr, "\"");
		c_quote(ptr, d->text, d->len, 0);
		str_add(ptr, "\"");
		str_add(len, "%zu", d->len);
		break;
	case DATA_RECEIVED:
		str_add(ptr, "data");
		str_add(len, "(size_t)n");
		g->need.received = 1;
		break;
	case DATA_INPUT:
		str_add(ptr, "line");
		str_add(len, "strlen(line)");
		g->need.line = g->need.strings = 1;
		break;
	case DATA_BYTES:
		emit(g, "fill_pattern(bytes, %zu);", d->len);
		str_add(ptr, "bytes");
		str_add(len, "%zu", d->len);
		g->need.pattern = 1;
		if ((long)d->len > g->need.bytes_max)
			g->need.bytes_max = (long)d->len;
		break;
	default:
		str_add(ptr, "\"\"");
		str_add(len, "0");
		break;
	}
	if (d->upper) {
		Str up = { 0 };
		str_add(&up, "upper(out, %s, %s)", str_text(ptr), str_text(len));
		free(ptr->p);
		*ptr = up;
		g->need.upper = 1;
	}
}

/* Set up the address of a bind, connect or sendto; returns (in o) the two
 * arguments that pass it. */
static void c_address(Gen *g, const LessonStep *s, int family, Str *o)
{
	const char *host = s->host ? s->host : "";
	Str q = { 0 };
	if (s->to_peer) {
		str_add(o, "(struct sockaddr *)&peer, peerlen");
		g->need.peer = 1;
		return;
	}
	if (family == AF_UNIX) {
		int abstract = host[0] == '@';
		g->need.addr_un = 1;
		if (abstract)
			str_add(&q, "\\0");   /* an abstract name starts with a NUL byte */
		c_quote(&q, host + abstract, strlen(host + abstract), 0);
		emit(g, "addr_un = (struct sockaddr_un){ .sun_family = AF_UNIX, .sun_path = \"%s\" };",
		     str_text(&q));
		if (abstract) {
			g->need.abstract = 1;
			str_add(o, "(struct sockaddr *)&addr_un, offsetof(struct sockaddr_un, sun_path) + %zu",
				strlen(host));
		} else {
			str_add(o, "(struct sockaddr *)&addr_un, sizeof addr_un");
		}
	} else if (family == AF_INET6) {
		g->need.addr6 = 1;
		emit(g, "addr6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_port = htons(%d) };",
		     s->port);
		c_quote(&q, host, strlen(host), 0);
		emit(g, "inet_pton(AF_INET6, \"%s\", &addr6.sin6_addr);", str_text(&q));
		str_add(o, "(struct sockaddr *)&addr6, sizeof addr6");
	} else {
		g->need.addr4 = 1;
		emit(g, "addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(%d) };",
		     s->port);
		c_quote(&q, host, strlen(host), 0);
		emit(g, "inet_pton(AF_INET, \"%s\", &addr.sin_addr);", str_text(&q));
		str_add(o, "(struct sockaddr *)&addr, sizeof addr");
	}
	g->oom |= q.oom;
	free(q.p);
}

/* "if (CALL < 0) perror(what);" over two lines; returns the line of the call. */
static int c_check(Gen *g, const char *call, const char *what)
{
	int line = emit(g, "if (%s < 0)", call);
	g->depth++;
	emit(g, "perror(\"%s\");", what);
	g->depth--;
	return line;
}

/* "0", or the flags' names. */
static void c_flags(int flags, Str *o)
{
	if (flags)
		flag_names(flags, "", o);
	else
		str_add(o, "0");
}

static int c_send(Gen *g, const LessonStep *s, const char *sock, int family)
{
	Str ptr = { 0 }, len = { 0 }, call = { 0 }, addr = { 0 };
	c_data(g, &s->data, &ptr, &len);
	if (s->op == OP_SENDTO)
		c_address(g, s, family, &addr);
	if (s->op == OP_SENDALL)
		g->need.sendall = 1;
	str_add(&call, "%s(%s, %s, %s, ", s->op == OP_SEND ? "send" : s->op == OP_SENDALL ? "send_all"
				     : "sendto", sock, str_text(&ptr), str_text(&len));
	c_flags(s->flags, &call);
	if (s->op == OP_SENDTO)
		str_add(&call, ", %s", str_text(&addr));
	str_add(&call, ")");
	int line = c_check(g, str_text(&call), lesson_op_name(s->op));
	g->oom |= ptr.oom || len.oom || call.oom || addr.oom;
	free(ptr.p);
	free(len.p);
	free(call.p);
	free(addr.p);
	return line;
}

/* recv and recvfrom keep their bytes in data and their count in n; a
 * failure leaves no bytes, as $received is empty after it in the actor. */
static int c_recv(Gen *g, const LessonStep *s, const char *sock)
{
	Str flags = { 0 };
	int line;
	c_flags(s->flags, &flags);
	g->need.received = 1;
	if (s->n > g->need.recv_max)
		g->need.recv_max = s->n;
	if (s->op == OP_RECV) {
		line = emit(g, "n = recv(%s, data, %ld, %s);", sock, s->n, str_text(&flags));
	} else {
		g->need.peer = 1;
		emit(g, "peerlen = sizeof peer;");
		line = emit(g, "n = recvfrom(%s, data, %ld, %s, (struct sockaddr *)&peer, &peerlen);", sock,
			    s->n, str_text(&flags));
	}
	emit(g, "if (n < 0) {");
	g->depth++;
	emit(g, "perror(\"%s\");", lesson_op_name(s->op));
	emit(g, "n = 0;");
	g->depth--;
	emit(g, "}");
	g->oom |= flags.oom;
	free(flags.p);
	return line;
}

static int c_sockopt(Gen *g, const LessonStep *s, const char *sock)
{
	const char *lvl = level_name(s->level), *opt = option_name(s->level, s->optname);
	char call[256];
	g->need.tcp |= s->level == IPPROTO_TCP;
	if (s->op == OP_SETSOCKOPT && is_timeout(s)) {
		g->need.timeval = 1;
		snprintf(call, sizeof call, "setsockopt(%s, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval)"
			 "{ .tv_sec = %ld, .tv_usec = %ld }, sizeof(struct timeval))", sock, s->n / 1000,
			 s->n % 1000 * 1000);
	} else if (s->op == OP_SETSOCKOPT) {
		snprintf(call, sizeof call, "setsockopt(%s, %s, %s, &(int){ %ld }, sizeof(int))", sock, lvl,
			 opt, s->n);
	} else {
		int tv = is_timeout(s);
		g->need.value |= !tv;
		g->need.valuelen = 1;
		g->need.timeval |= tv;
		g->need.tv |= tv;
		emit(g, "valuelen = sizeof %s;", tv ? "tv" : "value");
		snprintf(call, sizeof call, "getsockopt(%s, %s, %s, &%s, &valuelen)", sock, lvl, opt,
			 tv ? "tv" : "value");
	}
	return c_check(g, call, lesson_op_name(s->op));
}

static int c_wait(Gen *g, const LessonStep *s)
{
	const char *ev = s->write ? "POLLOUT" : "POLLIN";
	char call[128];
	if (s->op == OP_POLL) {
		g->need.poll = 1;
		if (s->nsocks > g->need.poll_max)
			g->need.poll_max = s->nsocks;
		for (int k = 0; k < s->nsocks; k++)
			emit(g, "fds[%d] = (struct pollfd){ .fd = %s, .events = %s };", k,
			     sock_ident(g, sock_find(g, s->socks[k])), ev);
		snprintf(call, sizeof call, "poll(fds, %d, %ld)", s->nsocks, s->timeout_ms);
		return c_check(g, call, "poll");
	}
	g->need.select = 1;
	emit(g, "FD_ZERO(&set);");
	for (int k = 0; k < s->nsocks; k++) {
		const char *id = sock_ident(g, sock_find(g, s->socks[k]));
		if (!event_loop(g)) {
			emit(g, "FD_SET(%s, &set);", id);
			continue;
		}
		emit(g, "if (%s >= 0)", id);
		g->depth++;
		emit(g, "FD_SET(%s, &set);", id);
		g->depth--;
	}
	emit(g, "maxfd = %s;", sock_ident(g, sock_find(g, s->socks[0])));
	for (int k = 1; k < s->nsocks; k++) {
		const char *id = sock_ident(g, sock_find(g, s->socks[k]));
		emit(g, "maxfd = %s > maxfd ? %s : maxfd;", id, id);
	}
	if (s->timeout_ms >= 0) {
		g->need.timeval = 1;
		g->need.tv = 1;
		emit(g, "tv = (struct timeval){ .tv_sec = %ld, .tv_usec = %ld };", s->timeout_ms / 1000,
		     s->timeout_ms % 1000 * 1000);
	}
	snprintf(call, sizeof call, "select(maxfd + 1, %s, %s, NULL, %s)", s->write ? "NULL" : "&set",
		 s->write ? "&set" : "NULL", s->timeout_ms >= 0 ? "&tv" : "NULL");
	return c_check(g, call, "select");
}

/* if-ready NAME: poll's answer is in the revents of the socket's entry in
 * fds, select's in the set it changed. */
static int c_if_ready(Gen *g, const LessonStep *s)
{
	const char *sock = sock_ident(g, sock_find(g, s->on));
	const LessonStep *w = s->n >= 0 && s->n < g->a->nsteps ? &g->a->steps[s->n] : NULL;
	if (!w || w->op != OP_POLL)
		return emit(g, "if (%s >= 0 && FD_ISSET(%s, &set)) {", sock, sock);
	int k = 0;
	while (k < w->nsocks - 1 && strcmp(w->socks[k], s->on) != 0)
		k++;
	return emit(g, "if (fds[%d].revents) {", k);
}

static int c_getaddrinfo(Gen *g, const LessonStep *s)
{
	Str q = { 0 };
	g->need.addrinfo = 1;
	emit(g, "hints = (struct addrinfo){ .ai_family = %s, .ai_socktype = %s };",
	     family_name(s->family), s->type ? type_name(s->type) : "0");
	c_quote(&q, s->host ? s->host : "", s->host ? strlen(s->host) : 0, 0);
	int line = emit(g, "rc = getaddrinfo(\"%s\", \"%d\", &hints, &found);", str_text(&q), s->port);
	emit(g, "if (rc != 0)");
	g->depth++;
	emit(g, "fprintf(stderr, \"getaddrinfo: %%s\\n\", gai_strerror(rc));");
	g->depth--;
	emit(g, "else");
	g->depth++;
	emit(g, "freeaddrinfo(found);");
	g->depth--;
	g->oom |= q.oom;
	free(q.p);
	return line;
}

static int c_call(Gen *g, const LessonStep *s)
{
	const char *sock = step_ident(g, s);
	int family = step_family(g, s);
	char call[256];
	Str addr = { 0 };
	int line = -1;
	switch (s->op) {
	case OP_SOCKET:
		line = emit(g, "%s = socket(%s, %s, 0);", sock_ident(g, sock_find(g, s->as)),
			    family_name(s->family), type_name(s->type));
		emit(g, "if (%s < 0)", sock_ident(g, sock_find(g, s->as)));
		g->depth++;
		emit(g, "perror(\"socket\");");
		g->depth--;
		break;
	case OP_ACCEPT:
		g->need.peer = 1;
		emit(g, "peerlen = sizeof peer;");
		line = emit(g, "%s = accept(%s, (struct sockaddr *)&peer, &peerlen);",
			    sock_ident(g, sock_find(g, s->as)), sock);
		emit(g, "if (%s < 0)", sock_ident(g, sock_find(g, s->as)));
		g->depth++;
		emit(g, "perror(\"accept\");");
		g->depth--;
		break;
	case OP_BIND:
	case OP_CONNECT:
		c_address(g, s, family, &addr);
		snprintf(call, sizeof call, "%s(%s, %s)", lesson_op_name(s->op), sock, str_text(&addr));
		line = c_check(g, call, lesson_op_name(s->op));
		break;
	case OP_LISTEN:
		snprintf(call, sizeof call, "listen(%s, %ld)", sock, s->n);
		line = c_check(g, call, "listen");
		break;
	case OP_SEND:
	case OP_SENDALL:
	case OP_SENDTO:
		line = c_send(g, s, sock, family);
		break;
	case OP_RECV:
	case OP_RECVFROM:
		line = c_recv(g, s, sock);
		break;
	case OP_SHUTDOWN:
		snprintf(call, sizeof call, "shutdown(%s, %s)", sock, how_name(s->n));
		line = c_check(g, call, "shutdown");
		break;
	case OP_CLOSE:
		snprintf(call, sizeof call, "close(%s)", sock);
		line = c_check(g, call, "close");
		if (event_loop(g))
			emit(g, "%s = -1;  /* closed: poll() skips it from now on */", sock);
		break;
	case OP_SETSOCKOPT:
	case OP_GETSOCKOPT:
		line = c_sockopt(g, s, sock);
		break;
	case OP_SETBLOCKING:
		/* Python's setblocking() is this fcntl on the descriptor's flags. */
		g->need.fcntl = 1;
		snprintf(call, sizeof call, "fcntl(%s, F_SETFL, fcntl(%s, F_GETFL) %s)", sock, sock,
			 s->n ? "& ~O_NONBLOCK" : "| O_NONBLOCK");
		line = c_check(g, call, "fcntl");
		break;
	case OP_GETSOCKNAME:
	case OP_GETPEERNAME: {
		const char *v = s->op == OP_GETSOCKNAME ? "local" : "remote";
		g->need.local |= s->op == OP_GETSOCKNAME;
		g->need.remote |= s->op == OP_GETPEERNAME;
		emit(g, "%slen = sizeof %s;", v, v);
		snprintf(call, sizeof call, "%s(%s, (struct sockaddr *)&%s, &%slen)", lesson_op_name(s->op),
			 sock, v, v);
		line = c_check(g, call, lesson_op_name(s->op));
		break;
	}
	case OP_GETHOSTNAME:
		g->need.hostname = 1;
		line = c_check(g, "gethostname(name, sizeof name)", "gethostname");
		break;
	case OP_GETADDRINFO:
		line = c_getaddrinfo(g, s);
		break;
	case OP_POLL:
	case OP_SELECT:
		line = c_wait(g, s);
		break;
	case OP_SLEEP:
		g->need.sleep = 1;
		line = emit(g, "nanosleep(&(struct timespec){ .tv_sec = %ld, .tv_nsec = %ld }, NULL);",
			    s->n / 1000, s->n % 1000 * 1000000);
		break;
	default:
		break;
	}
	g->oom |= addr.oom;
	free(addr.p);
	return line;
}

static int c_step(Gen *g, int idx)
{
	const LessonStep *s = &g->a->steps[idx];
	Str q = { 0 };
	int line = -1;
	char counter[16];
	comment_narration(g, s);
	switch (s->op) {
	case OP_PRINT:
		line = c_print(g, s);
		break;
	case OP_INPUT:
		g->need.input = g->need.line = g->need.strings = 1;
		c_quote(&q, s->prompt ? s->prompt : "", s->prompt ? strlen(s->prompt) : 0, 0);
		line = emit(g, "ask(\"%s\", line, sizeof line);", str_text(&q));
		break;
	case OP_LOOP:
		line = emit(g, "for (;;) {");
		g->depth++;
		break;
	case OP_REPEAT:
		/* i, j, k for nested repeats, as a C programmer names them. */
		if (g->loops < 3)
			snprintf(counter, sizeof counter, "%c", "ijk"[g->loops]);
		else
			snprintf(counter, sizeof counter, "i%d", g->loops);
		line = emit(g, "for (int %s = 0; %s < %ld; %s++) {", counter, counter, s->n, counter);
		g->loops++;
		g->depth++;
		break;
	case OP_IF_READY:
		line = c_if_ready(g, s);
		g->depth++;
		break;
	case OP_IF_EMPTY:
		g->need.received = 1;
		line = emit(g, "if (n == 0) {");
		g->depth++;
		break;
	case OP_AFTER:
		line = emit(g, "/* sockstep runs the next call after %s's %s */", after_actor_name(g, s),
			    lesson_op_name((LessonOp)s->after_op));
		break;
	case OP_BREAK_IF_CONTAINS:
		g->need.received = g->need.contains = g->need.strings = 1;
		c_quote(&q, s->data.text ? s->data.text : "", s->data.len, 0);
		line = emit(g, "if (contains(data, n, \"%s\", %zu))", str_text(&q), s->data.len);
		g->depth++;
		emit(g, "break;");
		g->depth--;
		break;
	case OP_END:
		g->depth--;
		if (s->match >= 0 && g->a->steps[s->match].op == OP_REPEAT)
			g->loops--;
		line = emit(g, "}");
		break;
	case OP_BREAK_IF_EMPTY:
	case OP_BREAK_IF_INPUT:
		if (s->op == OP_BREAK_IF_EMPTY) {
			g->need.received = 1;
			line = emit(g, "if (n == 0)");
		} else {
			g->need.line = g->need.strings = 1;
			c_quote(&q, s->data.text ? s->data.text : "", s->data.len, 0);
			line = emit(g, "if (strcmp(line, \"%s\") == 0)", str_text(&q));
		}
		g->depth++;
		emit(g, "break;");
		g->depth--;
		break;
	default:
		line = c_call(g, s);
		break;
	}
	g->oom |= q.oom;
	free(q.p);
	return line;
}

/* ---- the whole program ------------------------------------------------------ */

/* Lines of the finished program, in order. */
typedef struct {
	Code *c;
	int cap;
	int oom;
} Out;

static void out_line(Out *o, const char *text)
{
	if (o->oom)
		return;
	if (o->c->nlines == o->cap) {
		int cap = o->cap ? o->cap * 2 : 128;
		char **grown = realloc(o->c->lines, (size_t)cap * sizeof *grown);
		if (!grown) {
			o->oom = 1;
			return;
		}
		o->c->lines = grown;
		o->cap = cap;
	}
	char *copy = strdup(text);
	if (!copy) {
		o->oom = 1;
		return;
	}
	o->c->lines[o->c->nlines++] = copy;
}

static void out_lines(Out *o, const char *const *text)
{
	for (int i = 0; text[i]; i++)
		out_line(o, text[i]);
}

__attribute__((format(printf, 2, 3)))
static void out_add(Out *o, const char *fmt, ...)
{
	char buf[LINE_BUF];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	out_line(o, buf);
}

/* A title in a comment, with anything that would end a C comment broken. */
static void comment_text(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; in && in[i] && o + 3 < cap; i++) {
		out[o++] = in[i];
		if (in[i] == '*' && in[i + 1] == '/')
			out[o++] = ' ';
	}
	out[o] = '\0';
}

static const char *const py_pattern[] = {
	"# The bytes of the lesson's \"bytes N\": a pattern that reads well in hex,",
	"# where a missing piece shows.",
	"PATTERN = b\"0123456789abcdefghijklmnopqrstuvwxyz\"",
	"",
	"",
	"def pattern(n):",
	"    return (PATTERN * (n // len(PATTERN) + 1))[:n]",
	"",
	"",
	NULL
};

static void py_prologue(const Gen *g, Out *o)
{
	char title[256];
	comment_text(g->l->title, title, sizeof title);
	out_line(o, "#!/usr/bin/env python3");
	out_add(o, "# %s: the \"%s\" of the sockstep lesson \"%s\".", g->l->name, g->a->name, title);
	out_line(o, "# Each socket call is one step of the lesson. A call the lesson expects to");
	out_line(o, "# fail says why on stderr and the program goes on, as in the lesson.");
	out_line(o, "");
	if (g->need.poll || g->need.select)
		out_line(o, "import select");
	if (g->need.sigpipe)
		out_line(o, "import signal");
	out_line(o, "import socket");
	if (g->need.pystruct)
		out_line(o, "import struct");
	if (g->need.fails)
		out_line(o, "import sys");
	if (g->need.sleep)
		out_line(o, "import time");
	out_line(o, "");
	out_line(o, "");
	if (g->need.pattern)
		out_lines(o, py_pattern);
	out_line(o, "def main():");
	if (g->need.sigpipe) {
		out_line(o, "    # Python ignores SIGPIPE; a program that writes to a closed connection");
		out_line(o, "    # is killed by it, as this lesson shows, unless it says otherwise.");
		out_line(o, "    signal.signal(signal.SIGPIPE, signal.SIG_DFL)");
	}
}

static const char *const py_epilogue[] = {
	"",
	"",
	"if __name__ == \"__main__\":",
	"    main()",
	NULL
};

static const char *const c_ask[] = {
	"/* Python's input(): show the prompt, read one line, drop its newline. */",
	"static void ask(const char *prompt, char *line, size_t cap)",
	"{",
	"    fputs(prompt, stdout);",
	"    fflush(stdout);",
	"    if (!fgets(line, (int)cap, stdin))",
	"        line[0] = '\\0';",
	"    line[strcspn(line, \"\\n\")] = '\\0';",
	"}",
	"",
	NULL
};

static const char *const c_contains[] = {
	"/* Do the n bytes at p hold the len bytes of text? (C11 has no memmem.) */",
	"static int contains(const char *p, ssize_t n, const char *text, size_t len)",
	"{",
	"    for (ssize_t i = 0; i + (ssize_t)len <= n; i++)",
	"        if (memcmp(p + i, text, len) == 0)",
	"            return 1;",
	"    return 0;",
	"}",
	"",
	NULL
};

static const char *const c_send_all[] = {
	"/* Python's sendall(): send() may take only part of the bytes, so call it",
	" * until every byte is out. */",
	"static ssize_t send_all(int fd, const char *buf, size_t len, int flags)",
	"{",
	"    size_t done = 0;",
	"    while (done < len) {",
	"        ssize_t sent = send(fd, buf + done, len - done, flags);",
	"        if (sent < 0)",
	"            return -1;",
	"        done += (size_t)sent;",
	"    }",
	"    return (ssize_t)done;",
	"}",
	"",
	NULL
};

static const char *const c_upper[] = {
	"/* An upper-case copy of len bytes (ASCII letters, like Python's bytes.upper()). */",
	"static const char *upper(char *out, const char *in, size_t len)",
	"{",
	"    for (size_t i = 0; i < len; i++)",
	"        out[i] = (char)toupper((unsigned char)in[i]);",
	"    return out;",
	"}",
	"",
	NULL
};

static const char *const c_fill_pattern[] = {
	"/* The bytes of the lesson's \"bytes N\": a pattern that reads well in hex,",
	" * where a missing piece shows. */",
	"static void fill_pattern(char *buf, size_t len)",
	"{",
	"    static const char pattern[] = \"0123456789abcdefghijklmnopqrstuvwxyz\";",
	"    for (size_t i = 0; i < len; i++)",
	"        buf[i] = pattern[i % (sizeof pattern - 1)];",
	"}",
	"",
	NULL
};

/* show_addr, with a branch for each family the actor's sockets have. */
static void c_show_addr(const Gen *g, Out *o)
{
	out_line(o, "/* An address as text, \"127.0.0.1:54321\", for printing. */");
	out_line(o, "static const char *show_addr(const struct sockaddr_storage *ss, socklen_t len)");
	out_line(o, "{");
	out_line(o, "    static char text[128];");
	if (g->need.families[0] || g->need.families[1])
		out_line(o, "    char host[INET6_ADDRSTRLEN];");
	out_line(o, "    if (len == 0)");
	out_line(o, "        return \"(unnamed)\";");
	out_line(o, "    snprintf(text, sizeof text, \"(family %d)\", ss->ss_family);");
	if (g->need.families[0]) {
		out_line(o, "    if (ss->ss_family == AF_INET) {");
		out_line(o, "        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;");
		out_line(o, "        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);");
		out_line(o, "        snprintf(text, sizeof text, \"%s:%u\", host, ntohs(in->sin_port));");
		out_line(o, "    }");
	}
	if (g->need.families[1]) {
		out_line(o, "    if (ss->ss_family == AF_INET6) {");
		out_line(o, "        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;");
		out_line(o, "        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);");
		out_line(o, "        snprintf(text, sizeof text, \"[%s]:%u\", host, ntohs(in6->sin6_port));");
		out_line(o, "    }");
	}
	if (g->need.families[2]) {
		out_line(o, "    if (ss->ss_family == AF_UNIX) {");
		out_line(o, "        const struct sockaddr_un *un = (const struct sockaddr_un *)ss;");
		out_line(o, "        int n = (int)(len - offsetof(struct sockaddr_un, sun_path));");
		out_line(o, "        if (n <= 0)");
		out_line(o, "            return \"(unnamed)\";");
		out_line(o, "        if (un->sun_path[0] == '\\0')  /* an abstract name */");
		out_line(o, "            snprintf(text, sizeof text, \"@%.*s\", n - 1, un->sun_path + 1);");
		out_line(o, "        else");
		out_line(o, "            snprintf(text, sizeof text, \"%.*s\", n, un->sun_path);");
		out_line(o, "    }");
	}
	out_line(o, "    return text;");
	out_line(o, "}");
	out_line(o, "");
}

static void c_includes(const Gen *g, Out *o)
{
	const Needs *n = &g->need;
	int inet = n->addr4 || n->addr6 || (n->show_addr && (n->families[0] || n->families[1]));
	int un = n->addr_un || (n->show_addr && n->families[2]);
	struct { int want; const char *name; } inc[] = {
		{ inet, "arpa/inet.h" }, { n->upper, "ctype.h" }, { n->fcntl, "fcntl.h" },
		{ n->addrinfo, "netdb.h" }, { inet, "netinet/in.h" }, { n->tcp, "netinet/tcp.h" },
		{ n->poll, "poll.h" }, { n->abstract || un, "stddef.h" }, { 1, "stdio.h" },
		{ n->strings, "string.h" }, { n->select, "sys/select.h" }, { 1, "sys/socket.h" },
		{ n->timeval, "sys/time.h" }, { un, "sys/un.h" }, { n->sleep, "time.h" },
		{ 1, "unistd.h" },
	};
	for (size_t i = 0; i < sizeof inc / sizeof inc[0]; i++)
		if (inc[i].want)
			out_add(o, "#include <%s>", inc[i].name);
	out_line(o, "");
}

/* The variables main() needs, declared at its top as in classic C. */
static void c_declarations(const Gen *g, Out *o)
{
	const Needs *n = &g->need;
	Str socks = { 0 };
	for (int i = 0; i < g->nsocks; i++)
		str_add(&socks, "%s%s = -1", i ? ", " : "", g->socks[i].ident);
	if (socks.len)
		out_add(o, "    int %s;", socks.p);
	free(socks.p);
	o->oom |= socks.oom;
	if (n->addr4)
		out_line(o, "    struct sockaddr_in addr;");
	if (n->addr6)
		out_line(o, "    struct sockaddr_in6 addr6;");
	if (n->addr_un)
		out_line(o, "    struct sockaddr_un addr_un;");
	if (n->peer) {
		out_line(o, "    struct sockaddr_storage peer;    /* who accept() or recvfrom() heard */");
		out_line(o, "    socklen_t peerlen = 0;");
	}
	if (n->received) {
		out_add(o, "    static char data[%ld];", n->recv_max > 0 ? n->recv_max : 1);
		out_line(o, "    ssize_t n = 0;                   /* how many bytes are in data */");
	}
	if (n->line)
		out_add(o, "    char line[%d] = \"\";", LINE_BUF);
	if (n->pattern)
		out_add(o, "    static char bytes[%ld];", n->bytes_max);
	if (n->upper) {
		long cap = n->recv_max > LINE_BUF ? n->recv_max : LINE_BUF;
		out_add(o, "    static char out[%ld];", cap > n->bytes_max ? cap : n->bytes_max);
	}
	if (n->value)
		out_line(o, "    int value;");
	if (n->valuelen)
		out_line(o, "    socklen_t valuelen;");
	if (n->tv)
		out_line(o, "    struct timeval tv;");
	if (n->local)
		out_line(o, "    struct sockaddr_storage local;");
	if (n->local)
		out_line(o, "    socklen_t locallen;");
	if (n->remote)
		out_line(o, "    struct sockaddr_storage remote;");
	if (n->remote)
		out_line(o, "    socklen_t remotelen;");
	if (n->poll)
		out_add(o, "    struct pollfd fds[%d];", n->poll_max > 0 ? n->poll_max : 1);
	if (n->select)
		out_line(o, "    fd_set set;");
	if (n->select)
		out_line(o, "    int maxfd;");
	if (n->addrinfo)
		out_line(o, "    struct addrinfo hints, *found;");
	if (n->addrinfo)
		out_line(o, "    int rc;");
	if (n->hostname)
		out_line(o, "    char name[256];");
	out_line(o, "");
}

static void c_prologue(const Gen *g, Out *o)
{
	char title[256];
	comment_text(g->l->title, title, sizeof title);
	out_add(o, "/* %s: the \"%s\" of the sockstep lesson \"%s\".", g->l->name, g->a->name, title);
	out_line(o, " * Each socket call is one step of the lesson. A call that fails says why");
	out_line(o, " * (perror) and the program goes on, as in the lesson. */");
	out_line(o, "#define _POSIX_C_SOURCE 200809L  /* the socket API, under -std=c11 */");
	out_line(o, "");
	c_includes(g, o);
	if (g->need.input)
		out_lines(o, c_ask);
	if (g->need.sendall)
		out_lines(o, c_send_all);
	if (g->need.contains)
		out_lines(o, c_contains);
	if (g->need.upper)
		out_lines(o, c_upper);
	if (g->need.pattern)
		out_lines(o, c_fill_pattern);
	if (g->need.show_addr)
		c_show_addr(g, o);
	out_line(o, "int main(void)");
	out_line(o, "{");
	c_declarations(g, o);
}

static const char *const c_epilogue[] = {
	"    return 0;",
	"}",
	NULL
};

/* The body: each step, noting the line that performs it. */
static void gen_body(Gen *g, int *step_line)
{
	for (int i = 0; i < g->a->nsteps && !g->oom; i++) {
		const LessonStep *s = &g->a->steps[i];
		int line = g->lang == CODE_PYTHON ? py_step(g, i) : c_step(g, i);
		step_line[i] = line;
		/* What a step defines takes effect after it, as in the parser. */
		if (s->op == OP_SOCKET)
			sock_define(g, s->as, s->family, -1);
		if (s->op == OP_ACCEPT)
			sock_define(g, s->as, step_family(g, s), step_sock(g, s));
		if (s->op == OP_ACCEPT || s->op == OP_RECVFROM)
			g->peer_family = step_family(g, s);
		int k = step_sock(g, s);
		/* A new socket under an old name waits again (accept's does not
		 * inherit O_NONBLOCK). */
		if ((s->op == OP_SOCKET || s->op == OP_ACCEPT) && s->as && sock_find(g, s->as) >= 0)
			g->nonblock[sock_find(g, s->as)] = 0;
		if (k >= 0 && s->op == OP_SETBLOCKING)
			g->nonblock[k] = s->n == 0;
		if (k >= 0 && s->op == OP_SETSOCKOPT && is_timeout(s))
			g->nonblock[k] = s->n > 0;
	}
}

/* A with-block opened by the program's last steps holds no statement yet,
 * which Python refuses: it gets a pass. */
static void py_close_blocks(Gen *g)
{
	for (int i = g->nbody; i-- > 0;) {
		const char *t = str_text(&g->body[i]);
		size_t n = strlen(t);
		while (*t == ' ')
			t++;
		if (*t == '#')
			continue;
		if (n > 0 && str_text(&g->body[i])[n - 1] == ':')
			emit(g, "pass");
		return;
	}
}

/* The variables a C program declares at the top: every socket, before any
 * step uses one. */
static void gen_sockets(Gen *g)
{
	for (int i = 0; i < g->a->nsteps; i++) {
		const LessonStep *s = &g->a->steps[i];
		if ((s->op == OP_SOCKET || s->op == OP_ACCEPT) && s->as && sock_find(g, s->as) < 0 &&
		    g->nsocks < MAX_SOCKS) {
			g->socks[g->nsocks].name = s->as;
			make_ident(s->as, g->socks[g->nsocks].ident, IDENT_MAX);
			g->nsocks++;
		}
	}
}

static void gen_assemble(Gen *g, Code *c, int *step_line)
{
	Out o = { .c = c };
	if (g->lang == CODE_PYTHON)
		py_prologue(g, &o);
	else
		c_prologue(g, &o);
	int first = c->nlines;
	for (int i = 0; i < g->nbody; i++)
		out_line(&o, str_text(&g->body[i]));
	out_lines(&o, g->lang == CODE_PYTHON ? py_epilogue : c_epilogue);
	for (int i = 0; i < g->a->nsteps; i++)
		c->step_line[i] = step_line[i] < 0 ? -1 : step_line[i] + first;
	g->oom |= o.oom;
}

Code *codegen_make(const Lesson *l, int actor, CodeLang lang)
{
	if (!l || actor < 0 || actor >= l->nactors)
		return NULL;
	Gen *g = calloc(1, sizeof *g);
	Code *c = calloc(1, sizeof *c);
	int *step_line = calloc((size_t)l->actors[actor].nsteps + 1, sizeof *step_line);
	if (c)
		c->step_line = calloc((size_t)l->actors[actor].nsteps + 1, sizeof *c->step_line);
	if (!g || !c || !c->step_line || !step_line) {
		free(g);
		free(step_line);
		codegen_free(c);
		return NULL;
	}
	g->l = l;
	g->a = &l->actors[actor];
	g->lang = lang;
	g->current = -1;
	g->need.sigpipe = g->a->dies == SIGPIPE;
	c->nsteps = g->a->nsteps;
	gen_sockets(g);
	gen_body(g, step_line);
	if (lang == CODE_PYTHON)
		py_close_blocks(g);
	if (!g->oom)
		gen_assemble(g, c, step_line);
	int oom = g->oom;
	for (int i = 0; i < g->nbody; i++)
		free(g->body[i].p);
	free(g->body);
	free(g);
	free(step_line);
	if (oom) {
		codegen_free(c);
		return NULL;
	}
	return c;
}

void codegen_free(Code *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nlines; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->step_line);
	free(c);
}

int codegen_lang(const char *name, CodeLang *lang)
{
	if (strcmp(name, "python") == 0 || strcmp(name, "py") == 0)
		*lang = CODE_PYTHON;
	else if (strcmp(name, "c") == 0 || strcmp(name, "C") == 0)
		*lang = CODE_C;
	else
		return -1;
	return 0;
}

int codegen_write(const Lesson *l, int actor, CodeLang lang, FILE *out)
{
	if (actor < -1 || actor >= l->nactors)
		return -1;
	for (int i = actor < 0 ? 0 : actor; i < (actor < 0 ? l->nactors : actor + 1); i++) {
		Code *c = codegen_make(l, i, lang);
		if (!c)
			return -1;
		if (actor < 0)
			fprintf(out, lang == CODE_PYTHON ? "%s# ---- actor %s ----\n" : "%s/* ---- actor %s ---- */\n",
				i ? "\n" : "", l->actors[i].name);
		for (int k = 0; k < c->nlines; k++)
			fprintf(out, "%s\n", c->lines[k]);
		codegen_free(c);
	}
	return 0;
}
