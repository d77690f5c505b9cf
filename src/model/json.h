/* json.h - just enough JSON for sockstep's recordings: a writer and a
 * strict reader.
 *
 * Model layer. A recording (record.h) is JSON lines that other tools read
 * too (python, jq), and that sockstep reads back (replay.h). The writer makes
 * one value at a time into a growing buffer; the reader takes one line and
 * builds a small tree. The reader is strict, because a recording is ours:
 * whole numbers only, valid UTF-8, no duplicate keys, bounded nesting; and
 * it never reads past the bytes it is given, whatever they are (it is
 * fuzzed). No library: the subset is small, and a dependency for it is not. */
#ifndef SOCKSTEP_JSON_H
#define SOCKSTEP_JSON_H

#include <stddef.h>
#include <stdint.h>

/* ---- writing ---- */

enum { JSON_DEPTH_MAX = 16 };

typedef struct {
	char *buf;             /* the text so far, NUL-terminated */
	size_t len, cap;
	int failed;            /* out of memory: the text is incomplete */
	int depth;
	int first[JSON_DEPTH_MAX + 1];  /* the open container has no member yet */
	int after_key;         /* a key was written: its value comes next */
} JsonOut;

/* Empty the buffer for the next value (keeps its memory). */
void json_out_reset(JsonOut *o);
void json_out_free(JsonOut *o);

void json_begin_object(JsonOut *o);
void json_end_object(JsonOut *o);
void json_begin_array(JsonOut *o);
void json_end_array(JsonOut *o);

/* The key of the next member of the open object. */
void json_key(JsonOut *o, const char *key);

void json_int(JsonOut *o, int64_t v);
void json_uint(JsonOut *o, uint64_t v);
void json_bool(JsonOut *o, int v);

/* A number with a fraction of decimals digits ("1.250000"): the reader
 * takes whole numbers only, but other formats (asciicast) want these. */
void json_fixed(JsonOut *o, double v, int decimals);
void json_null(JsonOut *o);

/* A string of len bytes, which must be valid UTF-8 (json_utf8 says); the
 * control characters are escaped. */
void json_string(JsonOut *o, const char *s, size_t len);
void json_cstring(JsonOut *o, const char *s);

/* Text appended as it is, no JSON made of it: the buffer serves other
 * formats' text too (an asciicast frame's escape sequences). */
void json_raw(JsonOut *o, const char *s, size_t n);

/* Bytes as a string of lowercase hex digits, two per byte. */
void json_hex(JsonOut *o, const void *p, size_t len);

/* Is s (len bytes) valid UTF-8, without NUL bytes? */
int json_utf8(const char *s, size_t len);

/* ---- reading ---- */

typedef enum { JSON_NULL, JSON_BOOL, JSON_INT, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonType;

typedef struct json_value JsonValue;
struct json_value {
	JsonType type;
	int64_t i;             /* JSON_INT, JSON_BOOL (0 or 1) */
	char *s;               /* JSON_STRING: the bytes, NUL-terminated */
	size_t len;            /* JSON_STRING: bytes; ARRAY, OBJECT: members */
	JsonValue *v;          /* ARRAY, OBJECT: the members */
	char **keys;           /* OBJECT: the key of each member */
};

/* Parse text (len bytes, one value and nothing else but blanks). Returns
 * the tree, or NULL with "col N: message" in err. */
JsonValue *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(JsonValue *v);

/* The member called key of an object, or NULL (no such member, or v is not
 * an object). */
const JsonValue *json_get(const JsonValue *v, const char *key);

/* The name of a type, for messages: "an object", "a string" ... */
const char *json_type_name(JsonType t);

#endif
