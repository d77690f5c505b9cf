/* jsonl.c - JSON lines: a writer, and a strict reader over jansson (see jsonl.h). */
#include "model/jsonl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/utf8.h"

/* ---- writing ---------------------------------------------------------- */

void jsonl_raw(JsonlOut *o, const char *s, size_t n)
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

static void puts_(JsonlOut *o, const char *s)
{
	jsonl_raw(o, s, strlen(s));
}

void jsonl_out_reset(JsonlOut *o)
{
	o->len = 0;
	if (o->buf)
		o->buf[0] = '\0';
	o->failed = 0;
	o->depth = 0;
	o->first[0] = 1;
	o->after_key = 0;
}

void jsonl_out_free(JsonlOut *o)
{
	free(o->buf);
	memset(o, 0, sizeof *o);
}

/* Before a value: the comma that separates it from the one before. */
static void value_start(JsonlOut *o)
{
	if (o->after_key) {
		o->after_key = 0;
		return;
	}
	if (o->depth > 0 && !o->first[o->depth])
		jsonl_raw(o, ",", 1);
	o->first[o->depth] = 0;
}

static void open_container(JsonlOut *o, const char *c)
{
	value_start(o);
	jsonl_raw(o, c, 1);
	if (o->depth < JSONL_DEPTH_MAX)
		o->first[++o->depth] = 1;
	else
		o->failed = 1;
}

static void close_container(JsonlOut *o, const char *c)
{
	jsonl_raw(o, c, 1);
	if (o->depth > 0)
		o->depth--;
}

void jsonl_begin_object(JsonlOut *o)
{
	open_container(o, "{");
}

void jsonl_end_object(JsonlOut *o)
{
	close_container(o, "}");
}

void jsonl_begin_array(JsonlOut *o)
{
	open_container(o, "[");
}

void jsonl_end_array(JsonlOut *o)
{
	close_container(o, "]");
}

/* A quoted string, escapes and all; value_start is the caller's. */
static void put_string(JsonlOut *o, const char *s, size_t len)
{
	jsonl_raw(o, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jsonl_raw(o, s + run, i - run);
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
	jsonl_raw(o, s + run, len - run);
	jsonl_raw(o, "\"", 1);
}

void jsonl_key(JsonlOut *o, const char *key)
{
	value_start(o);
	put_string(o, key, strlen(key));
	jsonl_raw(o, ":", 1);
	o->after_key = 1;
}

void jsonl_int(JsonlOut *o, int64_t v)
{
	char num[32];
	value_start(o);
	snprintf(num, sizeof num, "%" PRId64, v);
	puts_(o, num);
}

void jsonl_uint(JsonlOut *o, uint64_t v)
{
	char num[32];
	value_start(o);
	snprintf(num, sizeof num, "%" PRIu64, v);
	puts_(o, num);
}

void jsonl_fixed(JsonlOut *o, double v, int decimals)
{
	char num[64];
	value_start(o);
	snprintf(num, sizeof num, "%.*f", decimals, v);
	puts_(o, num);
}

void jsonl_bool(JsonlOut *o, int v)
{
	value_start(o);
	puts_(o, v ? "true" : "false");
}

void jsonl_null(JsonlOut *o)
{
	value_start(o);
	puts_(o, "null");
}

void jsonl_string(JsonlOut *o, const char *s, size_t len)
{
	value_start(o);
	put_string(o, s, len);
}

void jsonl_cstring(JsonlOut *o, const char *s)
{
	jsonl_string(o, s ? s : "", s ? strlen(s) : 0);
}

void jsonl_hex(JsonlOut *o, const void *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	char chunk[128];
	size_t n = 0;
	value_start(o);
	jsonl_raw(o, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		chunk[n++] = digits[b[i] >> 4];
		chunk[n++] = digits[b[i] & 15];
		if (n == sizeof chunk) {
			jsonl_raw(o, chunk, n);
			n = 0;
		}
	}
	jsonl_raw(o, chunk, n);
	jsonl_raw(o, "\"", 1);
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

int jsonl_utf8(const char *s, size_t len)
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

/* jansson parses (UTF-8 checked, escapes and surrogates decoded, no NUL
 * in a string, a duplicate key refused); the tree it gives is copied into
 * ours, which holds what a recording may have and nothing more: whole
 * numbers, no deeper than JSONL_DEPTH_MAX, at most VALUES_MAX values, so a
 * line of garbage stays cheap for the code that walks it. */
enum { VALUES_MAX = 1 << 17 };

typedef struct {
	char *err;
	size_t errlen;
	size_t values;
} Copy;

static int refuse(Copy *c, const char *why)
{
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "%s", why);
	return -1;
}

static int copy_value(Copy *c, json_t *j, JsonlValue *v, int depth);

static int copy_members(Copy *c, json_t *j, JsonlValue *v, int depth)
{
	size_t n = json_is_array(j) ? json_array_size(j) : json_object_size(j);
	if (depth >= JSONL_DEPTH_MAX)
		return refuse(c, "nested too deeply");
	if (n == 0)
		return 0;
	/* Zeroed and counted whole at once: jsonl_free takes a copy that
	 * stopped half-way, whatever it holds. */
	v->v = calloc(n, sizeof *v->v);
	if (!v->v || (json_is_object(j) && !(v->keys = calloc(n, sizeof *v->keys))))
		return refuse(c, "out of memory");
	v->len = n;
	if (json_is_array(j)) {
		for (size_t i = 0; i < n; i++)
			if (copy_value(c, json_array_get(j, i), &v->v[i], depth + 1) < 0)
				return -1;
		return 0;
	}
	const char *key;
	json_t *member;
	size_t i = 0;
	json_object_foreach(j, key, member) {
		if (i == n)
			break;
		if (!(v->keys[i] = strdup(key)))
			return refuse(c, "out of memory");
		if (copy_value(c, member, &v->v[i++], depth + 1) < 0)
			return -1;
	}
	return 0;
}

static int copy_value(Copy *c, json_t *j, JsonlValue *v, int depth)
{
	if (++c->values > VALUES_MAX)
		return refuse(c, "too many values");
	switch (json_typeof(j)) {
	case JSON_NULL:
		v->type = JSONL_NULL;
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		v->type = JSONL_BOOL;
		v->i = json_is_true(j);
		return 0;
	case JSON_INTEGER:
		v->type = JSONL_INT;
		v->i = json_integer_value(j);
		return 0;
	case JSON_REAL:
		return refuse(c, "only whole numbers here");
	case JSON_STRING:
		v->type = JSONL_STRING;
		v->len = json_string_length(j);
		if (!(v->s = malloc(v->len + 1)))
			return refuse(c, "out of memory");
		memcpy(v->s, json_string_value(j), v->len + 1);
		return 0;
	case JSON_ARRAY:
		v->type = JSONL_ARRAY;
		return copy_members(c, j, v, depth);
	case JSON_OBJECT:
		v->type = JSONL_OBJECT;
		return copy_members(c, j, v, depth);
	}
	return refuse(c, "an unknown value");
}

static void free_members(JsonlValue *v)
{
	if (v->type == JSONL_STRING)
		free(v->s);
	if (v->type != JSONL_ARRAY && v->type != JSONL_OBJECT)
		return;
	for (size_t i = 0; i < v->len; i++) {
		free_members(&v->v[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->v);
	free(v->keys);
}

void jsonl_free(JsonlValue *v)
{
	if (!v)
		return;
	free_members(v);
	free(v);
}

JsonlValue *jsonl_parse(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t why;
	/* JSON_DECODE_INT_AS_REAL is not given: a number out of int64's range
	 * is an error, not a rounded real. */
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &why);
	if (!j) {
		/* jansson's words, less the name of a flag of its API that a
		 * reader of the message cannot set. */
		const char *flag = strstr(why.text, " without JSON_ALLOW_NUL");
		int n = flag ? (int)(flag - why.text) : (int)strlen(why.text);
		if (err && errlen)
			snprintf(err, errlen, "col %d: %.*s%s", why.column > 0 ? why.column : why.position + 1, n,
				 why.text, flag ? " in a string" : "");
		return NULL;
	}
	Copy c = { .err = err, .errlen = errlen };
	JsonlValue *v = calloc(1, sizeof *v);
	if (!v)
		refuse(&c, "out of memory");
	else if (copy_value(&c, j, v, 0) < 0) {
		jsonl_free(v);
		v = NULL;
	}
	json_decref(j);
	return v;
}

const JsonlValue *jsonl_get(const JsonlValue *v, const char *key)
{
	if (!v || v->type != JSONL_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->len; i++)
		if (v->keys && v->keys[i] && strcmp(v->keys[i], key) == 0)
			return &v->v[i];
	return NULL;
}

const char *jsonl_type_name(JsonlType t)
{
	switch (t) {
	case JSONL_NULL: return "null";
	case JSONL_BOOL: return "true or false";
	case JSONL_INT: return "a number";
	case JSONL_STRING: return "a string";
	case JSONL_ARRAY: return "an array";
	case JSONL_OBJECT: return "an object";
	}
	return "?";
}
