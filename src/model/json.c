/* json.c - a JSON writer and a strict reader (see json.h). */
#include "model/json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"

/* ---- writing ---------------------------------------------------------- */

void json_raw(JsonOut *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		while (cap < o->len + n + 1)
			cap *= 2;
		char *grown = realloc(o->buf, cap);
		if (!grown) {
			o->failed = 1;
			return;
		}
		o->buf = grown;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(JsonOut *o, const char *s)
{
	json_raw(o, s, strlen(s));
}

void json_out_reset(JsonOut *o)
{
	o->len = 0;
	if (o->buf)
		o->buf[0] = '\0';
	o->failed = 0;
	o->depth = 0;
	o->first[0] = 1;
	o->after_key = 0;
}

void json_out_free(JsonOut *o)
{
	free(o->buf);
	memset(o, 0, sizeof *o);
}

/* Before a value: the comma that separates it from the one before. */
static void value_start(JsonOut *o)
{
	if (o->after_key) {
		o->after_key = 0;
		return;
	}
	if (o->depth > 0 && !o->first[o->depth])
		json_raw(o, ",", 1);
	o->first[o->depth] = 0;
}

static void open_container(JsonOut *o, const char *c)
{
	value_start(o);
	json_raw(o, c, 1);
	if (o->depth < JSON_DEPTH_MAX)
		o->first[++o->depth] = 1;
	else
		o->failed = 1;
}

static void close_container(JsonOut *o, const char *c)
{
	json_raw(o, c, 1);
	if (o->depth > 0)
		o->depth--;
}

void json_begin_object(JsonOut *o)
{
	open_container(o, "{");
}

void json_end_object(JsonOut *o)
{
	close_container(o, "}");
}

void json_begin_array(JsonOut *o)
{
	open_container(o, "[");
}

void json_end_array(JsonOut *o)
{
	close_container(o, "]");
}

/* A quoted string, escapes and all; value_start is the caller's. */
static void put_string(JsonOut *o, const char *s, size_t len)
{
	json_raw(o, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		json_raw(o, s + run, i - run);
		run = i + 1;
		char esc[8];
		switch (c) {
		case '"': puts_(o, "\\\""); break;
		case '\\': puts_(o, "\\\\"); break;
		case '\n': puts_(o, "\\n"); break;
		case '\r': puts_(o, "\\r"); break;
		case '\t': puts_(o, "\\t"); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			puts_(o, esc);
		}
	}
	json_raw(o, s + run, len - run);
	json_raw(o, "\"", 1);
}

void json_key(JsonOut *o, const char *key)
{
	value_start(o);
	put_string(o, key, strlen(key));
	json_raw(o, ":", 1);
	o->after_key = 1;
}

void json_int(JsonOut *o, int64_t v)
{
	char num[32];
	value_start(o);
	snprintf(num, sizeof num, "%" PRId64, v);
	puts_(o, num);
}

void json_uint(JsonOut *o, uint64_t v)
{
	char num[32];
	value_start(o);
	snprintf(num, sizeof num, "%" PRIu64, v);
	puts_(o, num);
}

void json_fixed(JsonOut *o, double v, int decimals)
{
	char num[64];
	value_start(o);
	snprintf(num, sizeof num, "%.*f", decimals, v);
	puts_(o, num);
}

void json_bool(JsonOut *o, int v)
{
	value_start(o);
	puts_(o, v ? "true" : "false");
}

void json_null(JsonOut *o)
{
	value_start(o);
	puts_(o, "null");
}

void json_string(JsonOut *o, const char *s, size_t len)
{
	value_start(o);
	put_string(o, s, len);
}

void json_cstring(JsonOut *o, const char *s)
{
	json_string(o, s ? s : "", s ? strlen(s) : 0);
}

void json_hex(JsonOut *o, const void *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	char chunk[128];
	size_t n = 0;
	value_start(o);
	json_raw(o, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		chunk[n++] = digits[b[i] >> 4];
		chunk[n++] = digits[b[i] & 15];
		if (n == sizeof chunk) {
			json_raw(o, chunk, n);
			n = 0;
		}
	}
	json_raw(o, chunk, n);
	json_raw(o, "\"", 1);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. Overlong
 * forms, surrogates and code points past U+10FFFF are not valid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	size_t k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (k == 0 || s[0] > 0xf4 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (k == 3 && s[0] == 0xe0 && s[1] < 0xa0)
		return 0;
	if (k == 3 && s[0] == 0xed && s[1] >= 0xa0)
		return 0;
	if (k == 4 && s[0] == 0xf0 && s[1] < 0x90)
		return 0;
	if (k == 4 && s[0] == 0xf4 && s[1] >= 0x90)
		return 0;
	return k;
}

int json_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_len(u + i, len - i);
		if (k == 0 || u[i] == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* ---- reading ---------------------------------------------------------- */

/* Bounds that keep any input cheap: a recording's lines are far inside
 * them (an object of ours has a few dozen members), and a line of garbage
 * costs neither much memory nor quadratic time in the duplicate-key check. */
enum { VALUES_MAX = 1 << 17, MEMBERS_MAX = 256 };

typedef struct {
	const char *p, *start, *end;
	char *err;
	size_t errlen;
	int failed;
	size_t values;
} Reader;

static int fail(Reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(Reader *r, const char *fmt, ...)
{
	if (r->failed)
		return -1;
	r->failed = 1;
	if (!r->err || !r->errlen)
		return -1;
	int n = snprintf(r->err, r->errlen, "col %zu: ", (size_t)(r->p - r->start) + 1);
	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void blanks(Reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int word(Reader *r, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return 0;
	r->p += n;
	return 1;
}

static int parse_number(Reader *r, JsonValue *v)
{
	int neg = r->p < r->end && *r->p == '-';
	r->p += neg;
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return fail(r, "expected a value");
	if (*r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' && r->p[1] <= '9')
		return fail(r, "a number does not start with 0");
	/* Accumulate as a negative number: it reaches INT64_MIN. */
	int64_t acc = 0;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		int d = *r->p - '0';
		if (acc < (INT64_MIN + d) / 10)
			return fail(r, "number out of range");
		acc = acc * 10 - d;
		r->p++;
	}
	if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E'))
		return fail(r, "only whole numbers here");
	if (!neg && acc == INT64_MIN)
		return fail(r, "number out of range");
	v->type = JSON_INT;
	v->i = neg ? acc : -acc;
	return 0;
}

static int hex4(Reader *r, unsigned *out)
{
	unsigned v = 0;
	if (r->end - r->p < 4)
		return fail(r, "\\u needs four hex digits");
	for (int i = 0; i < 4; i++) {
		char c = r->p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return fail(r, "\\u needs four hex digits");
		v = v * 16 + (unsigned)d;
	}
	r->p += 4;
	*out = v;
	return 0;
}


/* \uXXXX, with a surrogate pair for what lies past U+FFFF. */
static int unicode_escape(Reader *r, char *out, size_t *n)
{
	unsigned cp, lo;
	if (hex4(r, &cp) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(r, "a lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (!word(r, "\\u") || hex4(r, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
			return fail(r, "a high surrogate without its low one");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return fail(r, "a NUL character in a string");
	*n = utf8_encode(cp, out);
	return 0;
}

static int escape(Reader *r, char *out, size_t *n)
{
	if (r->p >= r->end)
		return fail(r, "unterminated string");
	char c = *r->p++;
	*n = 1;
	switch (c) {
	case '"': case '\\': case '/': out[0] = c; return 0;
	case 'b': out[0] = '\b'; return 0;
	case 'f': out[0] = '\f'; return 0;
	case 'n': out[0] = '\n'; return 0;
	case 'r': out[0] = '\r'; return 0;
	case 't': out[0] = '\t'; return 0;
	case 'u': return unicode_escape(r, out, n);
	default: r->p--; return fail(r, "unknown escape \\%c", c >= 0x20 && c < 0x7f ? c : '?');
	}
}

/* A string: its decoded bytes are never longer than its text. */
static int parse_string(Reader *r, char **out, size_t *outlen)
{
	r->p++;  /* the opening quote */
	const char *close = r->p;
	while (close < r->end && *close != '"')
		close += *close == '\\' && close + 1 < r->end ? 2 : 1;
	if (close >= r->end)
		return fail(r, "unterminated string");
	char *s = malloc((size_t)(close - r->p) + 1);
	size_t n = 0;
	if (!s)
		return fail(r, "out of memory");
	while (r->p < close) {
		unsigned char c = (unsigned char)*r->p;
		if (c == '\\') {
			size_t k;
			r->p++;
			if (escape(r, s + n, &k) < 0)
				goto bad;
			n += k;
			continue;
		}
		if (c < 0x20) {
			fail(r, "a control character in a string");
			goto bad;
		}
		size_t k = utf8_len((const unsigned char *)r->p, (size_t)(close - r->p));
		if (k == 0) {
			fail(r, "invalid UTF-8 in a string");
			goto bad;
		}
		memcpy(s + n, r->p, k);
		n += k;
		r->p += k;
	}
	r->p = close + 1;
	s[n] = '\0';
	*out = s;
	*outlen = n;
	return 0;
bad:
	free(s);
	return -1;
}

static int parse_value(Reader *r, JsonValue *v, int depth);

/* Room for one more member; members are grown by doubling. */
static JsonValue *push(Reader *r, JsonValue *v, size_t *cap, int keyed)
{
	if (v->len == *cap) {
		size_t n = *cap ? *cap * 2 : 4;
		JsonValue *grown = realloc(v->v, n * sizeof *grown);
		if (!grown) {
			fail(r, "out of memory");
			return NULL;
		}
		v->v = grown;
		if (keyed) {
			char **keys = realloc(v->keys, n * sizeof *keys);
			if (!keys) {
				fail(r, "out of memory");
				return NULL;
			}
			v->keys = keys;
		}
		*cap = n;
	}
	JsonValue *m = &v->v[v->len];
	memset(m, 0, sizeof *m);
	return m;
}

static int parse_array(Reader *r, JsonValue *v, int depth)
{
	size_t cap = 0;
	v->type = JSON_ARRAY;
	r->p++;
	blanks(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return 0;
	}
	for (;;) {
		JsonValue *m = push(r, v, &cap, 0);
		if (!m)
			return -1;
		v->len++;
		if (parse_value(r, m, depth + 1) < 0)
			return -1;
		blanks(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return 0;
		}
		return fail(r, "expected ',' or ']'");
	}
}

static int parse_member(Reader *r, JsonValue *v, size_t *cap, int depth)
{
	char *key;
	size_t klen;
	blanks(r);
	if (r->p >= r->end || *r->p != '"')
		return fail(r, "expected a key in quotes");
	const char *at = r->p;
	if (parse_string(r, &key, &klen) < 0)
		return -1;
	if (v->len >= MEMBERS_MAX) {
		free(key);
		return fail(r, "too many members");
	}
	if (json_get(v, key)) {
		r->p = at;
		fail(r, "the key \"%.40s\" twice", key);
		free(key);
		return -1;
	}
	JsonValue *m = push(r, v, cap, 1);
	if (!m) {
		free(key);
		return -1;
	}
	v->keys[v->len++] = key;
	blanks(r);
	if (r->p >= r->end || *r->p != ':')
		return fail(r, "expected ':'");
	r->p++;
	return parse_value(r, m, depth + 1);
}

static int parse_object(Reader *r, JsonValue *v, int depth)
{
	size_t cap = 0;
	v->type = JSON_OBJECT;
	r->p++;
	blanks(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		if (parse_member(r, v, &cap, depth) < 0)
			return -1;
		blanks(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return 0;
		}
		return fail(r, "expected ',' or '}'");
	}
}

static int parse_value(Reader *r, JsonValue *v, int depth)
{
	if (depth > JSON_DEPTH_MAX)
		return fail(r, "nested too deeply");
	if (++r->values > VALUES_MAX)
		return fail(r, "too many values");
	blanks(r);
	if (r->p >= r->end)
		return fail(r, "expected a value");
	switch (*r->p) {
	case '{': return parse_object(r, v, depth);
	case '[': return parse_array(r, v, depth);
	case '"':
		v->type = JSON_STRING;
		return parse_string(r, &v->s, &v->len);
	default: break;
	}
	if (word(r, "null")) {
		v->type = JSON_NULL;
		return 0;
	}
	if (word(r, "true") || word(r, "false")) {
		v->type = JSON_BOOL;
		v->i = r->p[-2] == 'u';   /* tr-u-e */
		return 0;
	}
	return parse_number(r, v);
}

static void free_members(JsonValue *v)
{
	if (v->type == JSON_STRING)
		free(v->s);
	if (v->type != JSON_ARRAY && v->type != JSON_OBJECT)
		return;
	for (size_t i = 0; i < v->len; i++) {
		free_members(&v->v[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->v);
	free(v->keys);
}

void json_free(JsonValue *v)
{
	if (!v)
		return;
	free_members(v);
	free(v);
}

JsonValue *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	Reader r = { .p = text, .start = text, .end = text + len, .err = err, .errlen = errlen };
	JsonValue *v = calloc(1, sizeof *v);
	if (!v) {
		fail(&r, "out of memory");
		return NULL;
	}
	if (parse_value(&r, v, 0) == 0) {
		blanks(&r);
		if (r.p == r.end)
			return v;
		fail(&r, "more after the value");
	}
	json_free(v);
	return NULL;
}

const JsonValue *json_get(const JsonValue *v, const char *key)
{
	if (!v || v->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->len; i++)
		if (v->keys && v->keys[i] && strcmp(v->keys[i], key) == 0)
			return &v->v[i];
	return NULL;
}

const char *json_type_name(JsonType t)
{
	switch (t) {
	case JSON_NULL: return "null";
	case JSON_BOOL: return "true or false";
	case JSON_INT: return "a number";
	case JSON_STRING: return "a string";
	case JSON_ARRAY: return "an array";
	case JSON_OBJECT: return "an object";
	}
	return "?";
}
