/* jsonl.h - just enough JSON for sockstep's recordings: a writer and a
 * strict reader.
 *
 * Model layer. A recording (record.h) is JSON lines that other tools read
 * too (python, jq), and that sockstep reads back (replay.h). The writer makes
 * one value at a time into a growing buffer; the reader takes one line and
 * builds a small tree. The reader is strict, because a recording is ours:
 * whole numbers only, valid UTF-8, no duplicate keys, bounded nesting; and
 * it never reads past the bytes it is given, whatever they are (it is
 * fuzzed). The parsing is jansson's; this header keeps jansson out of the
 * readers' code, and the tree they walk to what a recording may hold. The
 * writer streams one value into a buffer with no tree: a recording writes
 * an object per event, and JSON's escapes are all it needs. */
#ifndef SOCKSTEP_JSONL_H
#define SOCKSTEP_JSONL_H

#include <stddef.h>
#include <stdint.h>

/* ---- writing ---- */

enum { JSONL_DEPTH_MAX = 16 };

typedef struct {
	char *buf;             /* the text so far, NUL-terminated */
	size_t len, cap;
	int failed;            /* out of memory: the text is incomplete */
	int depth;
	int first[JSONL_DEPTH_MAX + 1];  /* the open container has no member yet */
	int after_key;         /* a key was written: its value comes next */
} JsonlOut;

/* Empty the buffer for the next value (keeps its memory). */
void jsonl_out_reset(JsonlOut *o);
void jsonl_out_free(JsonlOut *o);

void jsonl_begin_object(JsonlOut *o);
void jsonl_end_object(JsonlOut *o);
void jsonl_begin_array(JsonlOut *o);
void jsonl_end_array(JsonlOut *o);

/* The key of the next member of the open object. */
void jsonl_key(JsonlOut *o, const char *key);

void jsonl_int(JsonlOut *o, int64_t v);
void jsonl_uint(JsonlOut *o, uint64_t v);
void jsonl_bool(JsonlOut *o, int v);

/* A number with a fraction of decimals digits ("1.250000"): the reader
 * takes whole numbers only, but other formats (asciicast) want these. */
void jsonl_fixed(JsonlOut *o, double v, int decimals);
void jsonl_null(JsonlOut *o);

/* A string of len bytes, which must be valid UTF-8 (jsonl_utf8 says); the
 * control characters are escaped. */
void jsonl_string(JsonlOut *o, const char *s, size_t len);
void jsonl_cstring(JsonlOut *o, const char *s);

/* Text appended as it is, no JSON made of it: the buffer serves other
 * formats' text too (an asciicast frame's escape sequences). */
void jsonl_raw(JsonlOut *o, const char *s, size_t n);

/* Bytes as a string of lowercase hex digits, two per byte. */
void jsonl_hex(JsonlOut *o, const void *p, size_t len);

/* Is s (len bytes) valid UTF-8, without NUL bytes? */
int jsonl_utf8(const char *s, size_t len);

/* ---- reading ---- */

typedef enum { JSONL_NULL, JSONL_BOOL, JSONL_INT, JSONL_STRING, JSONL_ARRAY, JSONL_OBJECT } JsonlType;

typedef struct jsonl_value JsonlValue;
struct jsonl_value {
	JsonlType type;
	int64_t i;             /* JSONL_INT, JSONL_BOOL (0 or 1) */
	char *s;               /* JSONL_STRING: the bytes, NUL-terminated */
	size_t len;            /* JSONL_STRING: bytes; ARRAY, OBJECT: members */
	JsonlValue *v;          /* ARRAY, OBJECT: the members */
	char **keys;           /* OBJECT: the key of each member */
};

/* Parse text (len bytes, one value and nothing else but blanks). Returns
 * the tree, or NULL with "col N: message" in err. */
JsonlValue *jsonl_parse(const char *text, size_t len, char *err, size_t errlen);
void jsonl_free(JsonlValue *v);

/* The member called key of an object, or NULL (no such member, or v is not
 * an object). */
const JsonlValue *jsonl_get(const JsonlValue *v, const char *key);

/* The name of a type, for messages: "an object", "a string" ... */
const char *jsonl_type_name(JsonlType t);

#endif
