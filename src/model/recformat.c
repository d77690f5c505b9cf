/* recformat.c - the recording format: its tables, and the loops that
 * write, read and print them (see recformat.h).
 *
 * Model layer. Names (kinds, ops, states, families) are written as words,
 * not numbers: the file stays readable, and does not depend on the order
 * of sockstep's enums. A table's order is the order of the members in the
 * file, which is also the order the reader checks them in; a recording's
 * bytes depend on it, so a member is added at its object's end. */
#include "model/recformat.h"

#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "model/addr.h"
#include "model/gate.h"
#include "model/moment.h"
#include "model/packet.h"
#include "model/sockdiag.h"
#include "model/timeline.h"

#define COUNT(a) ((int)(sizeof a / sizeof a[0]))

/* ---- words --------------------------------------------------------------- */

static const char *const kinds[] = { "call", "return", "print", "input", "exit", "note", "packet", "state" };
static const char *const states[] = { "starting", "ready", "input", "running", "blocked", "done", "dead" };
static const char *const gates[] = { "none", "call", "result", "print", "input", "probe", "done", "fail" };

/* The files say these words for the enums' values: a new value needs its word. */
_Static_assert(COUNT(kinds) == EV_STATE + 1, "a word for every EventKind");
_Static_assert(COUNT(states) == ACTOR_DEAD + 1, "a word for every ActorState");
_Static_assert(COUNT(gates) == GATE_KIND_MAX_, "a word for every GateKind");

static const char *name_of(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "?";
}

static int find(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *recformat_kind_name(int kind)
{
	return name_of(kinds, COUNT(kinds), kind);
}

static int kind_find(const char *name)
{
	return find(kinds, COUNT(kinds), name);
}

const char *recformat_state_name(int state)
{
	return name_of(states, COUNT(states), state);
}

static int state_find(const char *name)
{
	return find(states, COUNT(states), name);
}

const char *recformat_gate_name(int kind)
{
	return name_of(gates, COUNT(gates), kind);
}

static int gate_find(const char *name)
{
	return find(gates, COUNT(gates), name);
}

static const char *op_name(int op)
{
	return lesson_op_name((LessonOp)op);
}

static int op_find(const char *name)
{
	for (int i = 0; i < OP_COUNT_; i++)
		if (strcmp(lesson_op_name((LessonOp)i), name) == 0)
			return i;
	return -1;
}

static int family_find(const char *name)
{
	static const struct { const char *name; int family; } f[] = {
		{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 }, { "AF_UNIX", AF_UNIX }, { "AF_UNSPEC", AF_UNSPEC },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].family;
	return -1;
}

static const RecWords kind_words = { recformat_kind_name, kind_find };
static const RecWords state_words = { recformat_state_name, state_find };
static const RecWords gate_words = { recformat_gate_name, gate_find };
static const RecWords op_words = { op_name, op_find };
static const RecWords family_words = { addr_family_name, family_find };

/* ---- values that are worked out, for other readers ------------------------ */

/* A text member: a string when it is UTF-8, else its bytes as key_hex (an
 * actor's console can print any bytes it received). */
static void text_member(JsonlOut *o, const char *key, const char *s, size_t len)
{
	char hexkey[64];
	if (jsonl_utf8(s, len)) {
		jsonl_key(o, key);
		jsonl_string(o, s, len);
		return;
	}
	snprintf(hexkey, sizeof hexkey, "%s_hex", key);
	jsonl_key(o, hexkey);
	jsonl_hex(o, s, len);
}

static int int_at(const void *row, size_t off)
{
	int v;
	memcpy(&v, (const char *)row + off, sizeof v);
	return v;
}

static void errno_name(JsonlOut *o, const RecField *f, const void *row)
{
	int err = int_at(row, f->off);
	const char *name = err > 0 ? strerrorname_np(err) : NULL;
	jsonl_cstring(o, name ? name : "");
}

/* "LISTEN", for a reader; null where there is no state (new, gone, or
 * not a socket's event). */
static void event_state_name(JsonlOut *o, const RecField *f, const void *row)
{
	const Event *ev = row;
	int state = int_at(row, f->off);
	SockInfo s = { .state = state, .type = ev->type };
	if (ev->kind == EV_STATE && state >= 0)
		jsonl_cstring(o, sockdiag_state_name(&s));
	else
		jsonl_null(o);
}

static void socket_state_name(JsonlOut *o, const RecField *f, const void *row)
{
	(void)f;
	jsonl_cstring(o, sockdiag_state_name(row));
}

/* A packet's headers, decoded, for a reader of the file: a replay reads
 * the frame itself ("data"), as the views do. */
static void packet_headers(JsonlOut *o, const RecField *f, const void *row)
{
	const Event *ev = row;
	Packet p;
	char src[160], dst[160], flags[48];
	(void)f;
	if (ev->kind != EV_PACKET || packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) < 0) {
		jsonl_null(o);
		return;
	}
	addr_format(&p.src, p.addrlen, src, sizeof src);
	addr_format(&p.dst, p.addrlen, dst, sizeof dst);
	jsonl_begin_object(o);
	jsonl_key(o, "proto");
	jsonl_cstring(o, p.proto == IPPROTO_TCP ? "TCP" : p.proto == IPPROTO_UDP ? "UDP" : "other");
	text_member(o, "src", src, strlen(src));
	text_member(o, "dst", dst, strlen(dst));
	if (p.proto == IPPROTO_TCP) {
		packet_flags(p.flags, flags, sizeof flags);
		jsonl_key(o, "flags");
		jsonl_cstring(o, flags);
	}
	jsonl_key(o, "payload");
	jsonl_uint(o, p.wire_payload);
	jsonl_end_object(o);
}

/* ---- the tables -------------------------------------------------------------- */

/* Where a field of struct S is, and how big. */
#define AT(S, f) .off = offsetof(S, f), .size = sizeof(((S *)0)->f)
#define SIDE .flags = RF_SIDE, .size = sizeof(int)

static const RecField header_fields[] = {
	{ "format", RF_CSTR, .flags = RF_HAND, AT(RecHeader, format) },
	{ "version", RF_INT, .flags = RF_HAND, AT(RecHeader, version), .min = 1, .max = RECORD_VERSION },
	{ "sockstep", RF_CSTR, .flags = RF_HAND, AT(RecHeader, sockstep) },
	{ "created", RF_INT, .flags = RF_OUT, AT(RecHeader, created), .min = INT64_MIN, .max = INT64_MAX },
	{ "lesson", RF_LESSON, .flags = RF_HAND, AT(RecHeader, lesson) },
	{ "actors", RF_NAMES, .flags = RF_HAND, AT(RecHeader, actors), .aux = offsetof(RecHeader, nactors) },
	{ "programs", RF_PROGRAMS, .flags = RF_HAND | RF_NULL, AT(RecHeader, lesson) },
	{ "network", RF_CSTR, AT(RecHeader, network) },
	{ "kernel", RF_BOOL, AT(RecHeader, kernel) },
	{ "kernel_note", RF_CSTR, AT(RecHeader, kernel_note) },
	{ "free_run", RF_BOOL, AT(RecHeader, free_run) },
};

static const RecField lesson_fields[] = {
	{ "name", RF_TEXT, AT(Lesson, name) },
	{ "title", RF_TEXT, AT(Lesson, title) },
	{ "about", RF_TEXT, AT(Lesson, about) },
	{ "file", RF_FILE, AT(Lesson, path) },
	{ "source", RF_TEXT, .flags = RF_LEN, AT(Lesson, source), .aux = offsetof(Lesson, source_len) },
};

/* sockstep run: its "lesson" is programs, which have no source text; a
 * replay makes the lesson again from their names and commands. */
static const RecField program_fields[] = {
	{ "name", RF_CSTR, AT(LessonActor, name) },
	{ "command", RF_TEXT, AT(LessonActor, command) },
};

static const RecField event_fields[] = {
	{ "seq", RF_UINT, AT(Event, seq), .min = 1, .max = INT64_MAX },
	{ "t", RF_TIME, AT(Event, when_ns) },
	{ "kind", RF_WORD, AT(Event, kind), .words = &kind_words },
	{ "actor", RF_INT, AT(Event, actor), .min = -1, .max = LESSON_MAX_ACTORS - 1 },
	/* A lesson actor's step (the reader checks it against the lesson); a
	 * traced program's counts its calls, however many it makes. */
	{ "step", RF_INT, AT(Event, step), .min = -1, .max = INT32_MAX },
	{ "op", RF_WORD, AT(Event, op), .words = &op_words },
	{ "fd", RF_INT, AT(Event, fd), .min = INT32_MIN, .max = INT32_MAX },
	{ "arg", RF_ARGS, AT(Event, arg) },
	{ "ret", RF_INT, AT(Event, ret), .min = INT64_MIN, .max = INT64_MAX },
	{ "errno", RF_INT, AT(Event, err), .min = INT32_MIN, .max = INT32_MAX },
	{ "errno_name", RF_DERIVED, .flags = RF_OUT, AT(Event, err), .derive = errno_name, .doc = "string" },
	{ "ns", RF_UINT, AT(Event, ns), .min = 0, .max = INT64_MAX },
	{ "total", RF_UINT, AT(Event, total), .min = 0, .max = INT64_MAX },
	{ "addr", RF_ADDR, .flags = RF_NULL, AT(Event, addr), .aux = offsetof(Event, addrlen) },
	{ "data", RF_BYTES, AT(Event, data), .aux = offsetof(Event, len), .max = GATE_DATA_MAX },
	{ "text", RF_TEXT, .flags = RF_NULL, AT(Event, text) },
	{ "blocked", RF_BOOL, AT(Event, blocked) },
	{ "status", RF_INT, AT(Event, status), .min = INT32_MIN, .max = INT32_MAX },
	{ "call_seq", RF_UINT, AT(Event, call_seq), .min = 0, .limit = RL_SEQ },
	{ "peer_actor", RF_INT, AT(Event, peer_actor), .min = -1, .max = LESSON_MAX_ACTORS - 1 },
	{ "peer", RF_ADDR, .flags = RF_NULL, AT(Event, peer), .aux = offsetof(Event, peerlen) },
	{ "state", RF_INT, AT(Event, state), .min = -1, .max = INT32_MAX },
	{ "old_state", RF_INT, AT(Event, old_state), .min = -1, .max = INT32_MAX },
	{ "state_name", RF_DERIVED, .flags = RF_OUT | RF_NULL, AT(Event, state), .derive = event_state_name,
	  .doc = "string" },
	{ "old_state_name", RF_DERIVED, .flags = RF_OUT | RF_NULL, AT(Event, old_state),
	  .derive = event_state_name, .doc = "string" },
	{ "proto", RF_INT, AT(Event, proto), .min = 0, .max = 255 },
	{ "socktype", RF_INT, AT(Event, type), .min = 0, .max = 255 },
	{ "rq", RF_UINT, AT(Event, rq), .min = 0, .max = UINT32_MAX },
	{ "wq", RF_UINT, AT(Event, wq), .min = 0, .max = UINT32_MAX },
	{ "window", RF_UINT, AT(Event, window), .min = 0, .max = UINT32_MAX },
	{ "packet", RF_DERIVED, .flags = RF_OUT | RF_NULL, .derive = packet_headers, .doc = "object" },
};

/* Written by packet_headers. */
static const RecField packet_fields[] = {
	{ "proto", RF_CSTR, .flags = 0 },
	{ "src", RF_CSTR, .flags = 0 },
	{ "dst", RF_CSTR, .flags = 0 },
	{ "flags", RF_CSTR, .when = "TCP" },
	{ "payload", RF_UINT, .min = 0, .max = UINT32_MAX },
};

/* Written by put_addr, read by get_addr: enough to rebuild the sockaddr
 * exactly, and its text. */
static const RecField address_fields[] = {
	{ "text", RF_TEXT, .flags = 0 },
	{ "len", RF_UINT, .min = 1, .max = sizeof(struct sockaddr_storage) },
	{ "family", RF_CSTR, .flags = 0 },
	{ "port", RF_UINT, .min = 0, .max = 65535, .when = "AF_INET, AF_INET6" },
	{ "bytes", RF_DATA, .flags = 0 },
	{ "flowinfo", RF_UINT, .min = 0, .max = UINT32_MAX, .when = "AF_INET6" },
	{ "scope_id", RF_UINT, .min = 0, .max = UINT32_MAX, .when = "AF_INET6" },
};

/* A snapshot's side int is its number. */
static const RecField snapshot_fields[] = {
	{ "n", RF_INT, SIDE, .min = 0, .max = INT32_MAX },
	{ "t", RF_TIME, AT(Moment, when_ns) },
	{ "cause", RF_CSTR, .flags = RF_OUT, AT(Moment, cause) },
	{ "actor", RF_INT, AT(Moment, actor), .min = -1, .limit = RL_ACTOR },
	{ "events", RF_UINT, AT(Moment, events), .min = 0, .limit = RL_EVENTS },
	{ "steps", RF_INT, AT(Moment, steps), .min = 0, .max = INT32_MAX },
	{ "next", RF_INT, AT(Moment, next), .min = -1, .limit = RL_ACTOR },
	{ "finished", RF_BOOL, .flags = RF_OUT, AT(Moment, finished) },
	{ "succeeded", RF_BOOL, .flags = RF_OUT, AT(Moment, succeeded) },
	{ "actors", RF_ACTORS, .flags = RF_HAND, AT(Moment, a) },
	{ "sockets", RF_SOCKETS, .flags = RF_HAND | RF_NULL, AT(Moment, socks) },
};

/* An actor's side int is its owner: the actor whose process it runs in. */
static const RecField actor_fields[] = {
	{ "name", RF_CSTR, .flags = RF_HAND, AT(RunActor, name) },
	{ "owner", RF_INT, SIDE, .min = 0, .max = LESSON_MAX_ACTORS - 1 },
	{ "state", RF_WORD, AT(RunActor, state), .words = &state_words },
	{ "step", RF_INT, AT(RunActor, step), .min = -1, .max = INT32_MAX },
	{ "pid", RF_INT, AT(RunActor, pid), .min = 0, .max = INT32_MAX },
	{ "program", RF_INT, AT(RunActor, program), .min = 0, .max = INT32_MAX },
	{ "call_seq", RF_UINT, AT(RunActor, call_seq), .min = 0, .limit = RL_EVENTS },
	{ "status", RF_INT, AT(RunActor, status), .min = INT32_MIN, .max = INT32_MAX },
	{ "next_example", RF_INT, AT(RunActor, next_example), .min = 0, .max = INT32_MAX },
	{ "pending", RF_PENDING, .flags = RF_NULL, AT(RunActor, pending) },
	{ "comm", RF_CHARS, AT(RunActor, comm), .when = "known" },
};

/* The call an actor is stopped before: what its ">" line shows. */
static const RecField pending_fields[] = {
	{ "kind", RF_WORD, AT(GateRecord, kind), .words = &gate_words },
	{ "op", RF_WORD, AT(GateRecord, op), .words = &op_words },
	{ "step", RF_UINT, AT(GateRecord, step), .min = 0, .max = INT32_MAX },
	{ "fd", RF_INT, AT(GateRecord, fd), .min = INT32_MIN, .max = INT32_MAX },
	{ "arg", RF_ARGS, AT(GateRecord, arg) },
	{ "ret", RF_INT, AT(GateRecord, ret), .min = INT64_MIN, .max = INT64_MAX },
	{ "errno", RF_INT, AT(GateRecord, err), .min = INT32_MIN, .max = INT32_MAX },
	{ "errno_name", RF_DERIVED, .flags = RF_OUT, AT(GateRecord, err), .derive = errno_name, .doc = "string" },
	{ "ns", RF_UINT, AT(GateRecord, ns), .min = 0, .max = INT64_MAX },
	{ "total", RF_UINT, AT(GateRecord, total), .min = 0, .max = INT64_MAX },
	{ "addr", RF_ADDR, .flags = RF_NULL, AT(GateRecord, addr), .aux = offsetof(GateRecord, addrlen) },
	{ "data", RF_DATA, AT(GateRecord, data), .aux = offsetof(GateRecord, len) },
};

/* A socket's side int is its owner: the actor holding it, or -1. */
static const RecField socket_fields[] = {
	{ "owner", RF_INT, SIDE, .min = -1, .limit = RL_ACTOR },
	{ "family", RF_WORD, AT(SockInfo, family), .words = &family_words },
	{ "proto", RF_INT, AT(SockInfo, proto), .min = 0, .max = 255 },
	{ "socktype", RF_INT, AT(SockInfo, type), .min = 0, .max = 255 },
	{ "state", RF_INT, AT(SockInfo, state), .min = 0, .max = 255 },
	{ "state_name", RF_DERIVED, .flags = RF_OUT, .derive = socket_state_name, .doc = "string" },
	{ "local", RF_ADDR, .flags = RF_NULL, AT(SockInfo, local), .aux = offsetof(SockInfo, locallen) },
	{ "peer", RF_ADDR, .flags = RF_NULL, AT(SockInfo, peer), .aux = offsetof(SockInfo, peerlen) },
	{ "rq", RF_UINT, AT(SockInfo, rqueue), .min = 0, .max = UINT32_MAX },
	{ "wq", RF_UINT, AT(SockInfo, wqueue), .min = 0, .max = UINT32_MAX },
	{ "inode", RF_UINT, AT(SockInfo, inode), .min = 0, .max = UINT32_MAX },
};

/* The lengths the tables' fields are read back into, as put_addr and the
 * RF_DATA and RF_NAMES loops take them. */
_Static_assert(sizeof(socklen_t) == sizeof(uint32_t), "an address length is a uint32_t");
_Static_assert(sizeof(pid_t) == sizeof(int), "a pid is an int");

#define OBJECT(n, f, ...) { n, f, sizeof f / sizeof f[0], __VA_ARGS__ }

const RecObject recformat_header = OBJECT("header", header_fields, 1, 0);
const RecObject recformat_lesson = OBJECT("lesson", lesson_fields, 0, 0);
const RecObject recformat_program = OBJECT("program", program_fields, 0, 0);
const RecObject recformat_event = OBJECT("event", event_fields, 1, 0);
const RecObject recformat_packet = OBJECT("packet", packet_fields, 0, 1);
const RecObject recformat_address = OBJECT("address", address_fields, 0, 1);
const RecObject recformat_snapshot = OBJECT("snapshot", snapshot_fields, 1, 0);
const RecObject recformat_actor = OBJECT("actor", actor_fields, 0, 0);
const RecObject recformat_pending = OBJECT("pending", pending_fields, 0, 0);
const RecObject recformat_socket = OBJECT("socket", socket_fields, 0, 0);

const RecObject *const recformat_objects[] = {
	&recformat_header, &recformat_lesson, &recformat_program, &recformat_event, &recformat_packet,
	&recformat_address, &recformat_snapshot, &recformat_actor, &recformat_pending, &recformat_socket,
};
const size_t recformat_nobjects = sizeof recformat_objects / sizeof recformat_objects[0];

/* ---- fields of any size ---------------------------------------------------- */

/* An integer field of 1, 2, 4 or 8 bytes, as 64 bits (sign-extended when
 * it is signed). */
static uint64_t load(const void *p, size_t size, int sign)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return sign ? (uint64_t)(int64_t)(int8_t)u8 : u8;
	case 2:
		memcpy(&u16, p, 2);
		return sign ? (uint64_t)(int64_t)(int16_t)u16 : u16;
	case 4:
		memcpy(&u32, p, 4);
		return sign ? (uint64_t)(int64_t)(int32_t)u32 : u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static void store(void *p, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;
	switch (size) {
	case 1: memcpy(p, &u8, 1); break;
	case 2: memcpy(p, &u16, 2); break;
	case 4: memcpy(p, &u32, 4); break;
	default: memcpy(p, &v, 8); break;
	}
}

/* Where the field's value is: in the row's struct, or the side int. */
static void *at(const RecField *f, const void *row, const int *side)
{
	return f->flags & RF_SIDE ? (void *)side : (char *)row + f->off;
}

static const void *ptr_at(const void *row, size_t off)
{
	const void *p;
	memcpy(&p, (const char *)row + off, sizeof p);
	return p;
}

/* ---- writing ----------------------------------------------------------------- */

/* An address: the text the screen shows, and the family, port and bytes
 * that rebuild the sockaddr exactly (get_addr). */
static void put_addr(JsonlOut *o, const struct sockaddr_storage *ss, uint32_t len)
{
	char text[200];
	if (len == 0 || len > sizeof *ss) {
		jsonl_null(o);
		return;
	}
	addr_format(ss, len, text, sizeof text);
	jsonl_begin_object(o);
	text_member(o, "text", text, strlen(text));
	jsonl_key(o, "len");
	jsonl_uint(o, len);
	const struct sockaddr_in *in = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;
	const struct sockaddr_un *un = (const void *)ss;
	size_t path_at = offsetof(struct sockaddr_un, sun_path);
	jsonl_key(o, "family");
	if (ss->ss_family == AF_INET && len == sizeof *in) {
		jsonl_cstring(o, "AF_INET");
		jsonl_key(o, "port");
		jsonl_uint(o, ntohs(in->sin_port));
		jsonl_key(o, "bytes");
		jsonl_hex(o, &in->sin_addr, sizeof in->sin_addr);
	} else if (ss->ss_family == AF_INET6 && len == sizeof *in6) {
		jsonl_cstring(o, "AF_INET6");
		jsonl_key(o, "port");
		jsonl_uint(o, ntohs(in6->sin6_port));
		jsonl_key(o, "bytes");
		jsonl_hex(o, &in6->sin6_addr, sizeof in6->sin6_addr);
		jsonl_key(o, "flowinfo");
		jsonl_uint(o, ntohl(in6->sin6_flowinfo));
		jsonl_key(o, "scope_id");
		jsonl_uint(o, in6->sin6_scope_id);
	} else if (ss->ss_family == AF_UNIX && len >= path_at && len <= sizeof *un) {
		jsonl_cstring(o, "AF_UNIX");
		jsonl_key(o, "bytes");
		jsonl_hex(o, un->sun_path, len - path_at);
	} else {
		/* Nothing a lesson makes: the whole sockaddr, as it was. */
		jsonl_uint(o, ss->ss_family);
		jsonl_key(o, "bytes");
		jsonl_hex(o, ss, len);
	}
	jsonl_end_object(o);
}

static void put_args(JsonlOut *o, const int64_t *arg)
{
	jsonl_begin_array(o);
	for (int i = 0; i < 3; i++)
		jsonl_int(o, arg[i]);
	jsonl_end_array(o);
}

static void put_text(JsonlOut *o, const RecField *f, const void *row, const char *s)
{
	size_t len = 0;
	if (!s && (f->flags & RF_NULL)) {
		jsonl_key(o, f->name);
		jsonl_null(o);
		return;
	}
	if (s && (f->flags & RF_LEN))
		memcpy(&len, (const char *)row + f->aux, sizeof len);
	else if (s)
		len = strlen(s);
	text_member(o, f->name, s ? s : "", len);
}

/* The file's name only: where it lay on the recording machine is nobody's
 * business, and the name is what names the lesson. */
static void put_file(JsonlOut *o, const RecField *f, const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path ? path : "";
	text_member(o, f->name, base, strlen(base));
}

static void put_object(JsonlOut *o, const RecObject *t, const void *row, int side, uint64_t base)
{
	jsonl_begin_object(o);
	recformat_put(o, t, row, side, base);
	jsonl_end_object(o);
}

static void put_actors(JsonlOut *o, const Moment *m, uint64_t base)
{
	jsonl_begin_array(o);
	for (int i = 0; i < m->na; i++)
		put_object(o, &recformat_actor, &m->a[i], m->owner[i], base);
	jsonl_end_array(o);
}

static void put_sockets(JsonlOut *o, const Moment *m, uint64_t base)
{
	if (!m->kernel) {
		jsonl_null(o);
		return;
	}
	jsonl_begin_array(o);
	for (size_t i = 0; i < m->nsocks; i++)
		put_object(o, &recformat_socket, &m->socks[i], m->sock_owner[i], base);
	jsonl_end_array(o);
}

static void put_programs(JsonlOut *o, const Lesson *l)
{
	if (!l || l->nactors == 0 || !l->actors[0].command) {
		jsonl_null(o);
		return;
	}
	jsonl_begin_array(o);
	for (int i = 0; i < l->nactors; i++)
		put_object(o, &recformat_program, &l->actors[i], 0, 0);
	jsonl_end_array(o);
}

static void put_names(JsonlOut *o, const char *const *names, int n)
{
	jsonl_begin_array(o);
	for (int i = 0; i < n; i++)
		jsonl_cstring(o, names[i]);
	jsonl_end_array(o);
}

/* One member: most write their key, then their value. */
static void put_field(JsonlOut *o, const RecField *f, const void *row, int side, uint64_t base)
{
	const void *p = at(f, row, &side);
	if (f->type == RF_TEXT || f->type == RF_FILE) {
		const char *s = ptr_at(row, f->off);
		if (f->type == RF_TEXT)
			put_text(o, f, row, s);
		else
			put_file(o, f, s);
		return;
	}
	if (f->type == RF_CHARS && f->when && !*(const char *)p)
		return;
	jsonl_key(o, f->name);
	switch (f->type) {
	case RF_INT: jsonl_int(o, (int64_t)load(p, f->size, 1)); break;
	case RF_UINT: jsonl_uint(o, load(p, f->size, 0)); break;
	case RF_BOOL: jsonl_bool(o, (int)load(p, sizeof(int), 1)); break;
	case RF_TIME: jsonl_int(o, (int64_t)(load(p, 8, 0) - base)); break;
	case RF_WORD: jsonl_cstring(o, f->words->name((int)load(p, f->size, f->size >= sizeof(int)))); break;
	case RF_ARGS: put_args(o, p); break;
	case RF_ADDR: put_addr(o, p, (uint32_t)load((const char *)row + f->aux, 4, 0)); break;
	case RF_BYTES: {
		size_t len;
		memcpy(&len, (const char *)row + f->aux, sizeof len);
		jsonl_hex(o, ptr_at(row, f->off), len);
		break;
	}
	case RF_DATA: {
		uint32_t len = (uint32_t)load((const char *)row + f->aux, 4, 0);
		jsonl_hex(o, p, len <= f->size ? len : 0);
		break;
	}
	case RF_CSTR: {
		const char *s = ptr_at(row, f->off);
		jsonl_cstring(o, s ? s : "");
		break;
	}
	case RF_CHARS: jsonl_cstring(o, p); break;
	case RF_PENDING: {
		const GateRecord *g = p;
		if (g->kind == 0)
			jsonl_null(o);
		else
			put_object(o, &recformat_pending, g, 0, base);
		break;
	}
	case RF_ACTORS: put_actors(o, row, base); break;
	case RF_SOCKETS: put_sockets(o, row, base); break;
	case RF_LESSON: put_object(o, &recformat_lesson, ptr_at(row, f->off), 0, base); break;
	case RF_PROGRAMS: put_programs(o, ptr_at(row, f->off)); break;
	case RF_NAMES: put_names(o, p, int_at(row, f->aux)); break;
	case RF_DERIVED: f->derive(o, f, row); break;
	default: jsonl_null(o); break;
	}
}

void recformat_put(JsonlOut *o, const RecObject *t, const void *row, int side, uint64_t base)
{
	for (size_t i = 0; i < t->n; i++)
		put_field(o, &t->fields[i], row, side, base);
}

void recformat_put_line(JsonlOut *o, const RecObject *t, const void *row, int side, uint64_t base)
{
	jsonl_begin_object(o);
	jsonl_key(o, "type");
	jsonl_cstring(o, t->name);
	recformat_put(o, t, row, side, base);
	jsonl_end_object(o);
}

/* ---- reading ------------------------------------------------------------------ */

static int fail(const RecReader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(const RecReader *rd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rd->err, rd->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const JsonlValue *recformat_member(const RecReader *rd, const JsonlValue *o, const char *key, JsonlType type)
{
	const JsonlValue *v = jsonl_get(o, key);
	if (!v) {
		fail(rd, "%s: missing \"%s\"", rd->what, key);
		return NULL;
	}
	if (v->type != type) {
		fail(rd, "%s: \"%s\" must be %s, not %s", rd->what, key, jsonl_type_name(type),
		     jsonl_type_name(v->type));
		return NULL;
	}
	return v;
}

static int get_int(const RecReader *rd, const JsonlValue *o, const char *key, int64_t min, int64_t max,
		   int64_t *out)
{
	const JsonlValue *v = recformat_member(rd, o, key, JSONL_INT);
	if (!v)
		return -1;
	if (v->i < min || v->i > max)
		return fail(rd, "%s: \"%s\" is %lld, out of range (%lld to %lld)", rd->what, key, (long long)v->i,
			    (long long)min, (long long)max);
	*out = v->i;
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex text into at most cap bytes. */
static int unhex(const RecReader *rd, const char *key, const JsonlValue *v, uint8_t *buf, size_t cap, size_t *len)
{
	if (v->len % 2)
		return fail(rd, "%s: \"%s\" must be hex digits, two a byte", rd->what, key);
	if (v->len / 2 > cap)
		return fail(rd, "%s: \"%s\" holds %zu bytes, more than %zu", rd->what, key, v->len / 2, cap);
	for (size_t i = 0; i < v->len; i += 2) {
		int hi = hex_digit(v->s[i]), lo = hex_digit(v->s[i + 1]);
		if (hi < 0 || lo < 0)
			return fail(rd, "%s: \"%s\" must be lowercase hex digits", rd->what, key);
		buf[i / 2] = (uint8_t)(hi * 16 + lo);
	}
	*len = v->len / 2;
	return 0;
}

static int get_hex(const RecReader *rd, const JsonlValue *o, const char *key, uint8_t *buf, size_t cap,
		   size_t *len)
{
	const JsonlValue *v = recformat_member(rd, o, key, JSONL_STRING);
	return v ? unhex(rd, key, v, buf, cap, len) : -1;
}

int recformat_get_text(const RecReader *rd, const JsonlValue *o, const char *key, int null_ok, char **out,
		       size_t *outlen)
{
	char hexkey[64];
	const JsonlValue *v = jsonl_get(o, key);
	*out = NULL;
	if (outlen)
		*outlen = 0;
	if (v && v->type == JSONL_NULL && null_ok)
		return 0;
	if (v && v->type == JSONL_STRING) {
		if (!(*out = strdup(v->s)))
			return fail(rd, "out of memory");
		if (outlen)
			*outlen = v->len;
		return 0;
	}
	if (v)
		return fail(rd, "%s: \"%s\" must be a string%s", rd->what, key, null_ok ? " or null" : "");
	snprintf(hexkey, sizeof hexkey, "%s_hex", key);
	if (!(v = recformat_member(rd, o, hexkey, JSONL_STRING)))
		return -1;
	uint8_t *buf = malloc(v->len / 2 + 1);
	size_t n;
	if (!buf)
		return fail(rd, "out of memory");
	if (unhex(rd, hexkey, v, buf, v->len / 2, &n) < 0 || memchr(buf, 0, n)) {
		free(buf);
		return fail(rd, "%s: \"%s\" must be hex digits of bytes other than 0", rd->what, hexkey);
	}
	buf[n] = '\0';
	*out = (char *)buf;
	if (outlen)
		*outlen = n;
	return 0;
}

static int get_args(const RecReader *rd, const JsonlValue *o, const char *key, int64_t *arg)
{
	const JsonlValue *v = recformat_member(rd, o, key, JSONL_ARRAY);
	if (!v)
		return -1;
	if (v->len != 3)
		return fail(rd, "%s: \"%s\" must hold 3 numbers", rd->what, key);
	for (int i = 0; i < 3; i++) {
		if (v->v[i].type != JSONL_INT)
			return fail(rd, "%s: \"%s\" must hold 3 numbers", rd->what, key);
		arg[i] = v->v[i].i;
	}
	return 0;
}

/* An address object (put_addr) back into a sockaddr, or null. */
static int get_addr(const RecReader *rd, const JsonlValue *o, const char *key, struct sockaddr_storage *ss,
		    uint32_t *len)
{
	const JsonlValue *a = jsonl_get(o, key);
	int64_t n, port = 0, scope = 0, flow = 0;
	uint8_t bytes[sizeof *ss];
	size_t nb;
	memset(ss, 0, sizeof *ss);
	*len = 0;
	if (a && a->type == JSONL_NULL)
		return 0;
	if (!(a = recformat_member(rd, o, key, JSONL_OBJECT)))
		return -1;
	if (get_int(rd, a, "len", 1, sizeof *ss, &n) < 0 || get_hex(rd, a, "bytes", bytes, sizeof bytes, &nb) < 0)
		return -1;
	const JsonlValue *fam = jsonl_get(a, "family");
	int family = fam && fam->type == JSONL_STRING ? family_find(fam->s) : -1;
	if (fam && fam->type == JSONL_INT) {
		/* Raw: the whole sockaddr as it was. */
		if (fam->i < 0 || fam->i > 65535 || nb != (size_t)n || nb < sizeof(sa_family_t))
			return fail(rd, "%s: \"%s\": a raw address is its len bytes, family first", rd->what, key);
		memcpy(ss, bytes, nb);
		ss->ss_family = (sa_family_t)fam->i;
		*len = (uint32_t)n;
		return 0;
	}
	if (family == AF_INET || family == AF_INET6) {
		if (get_int(rd, a, "port", 0, 65535, &port) < 0)
			return -1;
	}
	if (family == AF_INET) {
		struct sockaddr_in *in = (void *)ss;
		if (nb != sizeof in->sin_addr || n != sizeof *in)
			return fail(rd, "%s: \"%s\": an AF_INET address is 4 bytes, len 16", rd->what, key);
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		memcpy(&in->sin_addr, bytes, nb);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (void *)ss;
		if (get_int(rd, a, "flowinfo", 0, UINT32_MAX, &flow) < 0 ||
		    get_int(rd, a, "scope_id", 0, UINT32_MAX, &scope) < 0)
			return -1;
		if (nb != sizeof in6->sin6_addr || n != sizeof *in6)
			return fail(rd, "%s: \"%s\": an AF_INET6 address is 16 bytes, len 28", rd->what, key);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		in6->sin6_flowinfo = htonl((uint32_t)flow);
		in6->sin6_scope_id = (uint32_t)scope;
		memcpy(&in6->sin6_addr, bytes, nb);
	} else if (family == AF_UNIX) {
		struct sockaddr_un *un = (void *)ss;
		size_t path_at = offsetof(struct sockaddr_un, sun_path);
		if (n < (int64_t)path_at || n > (int64_t)sizeof *un || nb != (size_t)n - path_at)
			return fail(rd, "%s: \"%s\": an AF_UNIX address is its path's bytes, len 2 more", rd->what, key);
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, bytes, nb);
	} else {
		return fail(rd, "%s: \"%s\": unknown family", rd->what, key);
	}
	*len = (uint32_t)n;
	return 0;
}

static int get_word(const RecReader *rd, const JsonlValue *o, const RecField *f, void *p)
{
	const JsonlValue *v = recformat_member(rd, o, f->name, JSONL_STRING);
	if (!v)
		return -1;
	int i = f->words->find(v->s);
	if (i < 0)
		return fail(rd, "%s: unknown %s \"%.40s\"", rd->what, f->name, v->s);
	store(p, f->size, (uint64_t)(int64_t)i);
	return 0;
}

/* Bytes of their own: RF_BYTES. */
static int get_bytes(const RecReader *rd, const JsonlValue *o, const RecField *f, void *row)
{
	const JsonlValue *v = recformat_member(rd, o, f->name, JSONL_STRING);
	uint8_t *buf = NULL;
	size_t len = 0;
	if (!v)
		return -1;
	if (v->len && !(buf = malloc(v->len / 2 + 1)))
		return fail(rd, "out of memory");
	if (v->len && unhex(rd, f->name, v, buf, (size_t)f->max, &len) < 0) {
		free(buf);
		return -1;
	}
	memcpy((char *)row + f->off, &buf, sizeof buf);
	memcpy((char *)row + f->aux, &len, sizeof len);
	return 0;
}

static int get_data(const RecReader *rd, const JsonlValue *o, const RecField *f, void *row)
{
	size_t len;
	if (get_hex(rd, o, f->name, (uint8_t *)row + f->off, f->size, &len) < 0)
		return -1;
	store((char *)row + f->aux, 4, len);
	return 0;
}

static int get_text_field(const RecReader *rd, const JsonlValue *o, const RecField *f, void *row)
{
	char *s;
	size_t len;
	if (recformat_get_text(rd, o, f->name, (f->flags & RF_NULL) != 0, &s, &len) < 0)
		return -1;
	memcpy((char *)row + f->off, &s, sizeof s);
	if (f->flags & RF_LEN)
		memcpy((char *)row + f->aux, &len, sizeof len);
	return 0;
}

/* A char array's string: it must fit, and be printable ASCII (it reaches
 * the screen). */
static int get_chars(const RecReader *rd, const JsonlValue *o, const RecField *f, char *p)
{
	memset(p, 0, f->size);
	if (f->when && !jsonl_get(o, f->name))
		return 0;
	const JsonlValue *v = recformat_member(rd, o, f->name, JSONL_STRING);
	if (!v)
		return -1;
	size_t len = v->len;
	if (len >= f->size)
		return fail(rd, "%s: \"%s\" is longer than %zu characters", rd->what, f->name, f->size - 1);
	for (size_t i = 0; i < len; i++)
		if (v->s[i] < 0x20 || v->s[i] > 0x7e)
			return fail(rd, "%s: \"%s\" may hold printable ASCII only", rd->what, f->name);
	memcpy(p, v->s, len);
	return 0;
}

static int get_pending(const RecReader *rd, const JsonlValue *o, const RecField *f, GateRecord *g)
{
	const JsonlValue *p = jsonl_get(o, f->name);
	memset(g, 0, offsetof(GateRecord, data));
	g->len = 0;
	if (p && p->type == JSONL_NULL)
		return 0;
	if (!(p = recformat_member(rd, o, f->name, JSONL_OBJECT)))
		return -1;
	return recformat_get(rd, &recformat_pending, p, g, NULL);
}

static int get_field(const RecReader *rd, const RecField *f, const JsonlValue *o, void *row, int *side)
{
	void *p = at(f, row, side);
	int64_t v, max = f->limit ? rd->limit[f->limit] : f->max;
	switch (f->type) {
	case RF_INT:
	case RF_UINT:
		if (get_int(rd, o, f->name, f->min, max, &v) < 0)
			return -1;
		store(p, f->size, (uint64_t)v);
		return 0;
	case RF_TIME:
		if (get_int(rd, o, f->name, -RECFORMAT_T_MAX, RECFORMAT_T_MAX, &v) < 0)
			return -1;
		store(p, 8, (uint64_t)v);
		return 0;
	case RF_BOOL: {
		const JsonlValue *b = recformat_member(rd, o, f->name, JSONL_BOOL);
		if (!b)
			return -1;
		store(p, sizeof(int), (uint64_t)b->i);
		return 0;
	}
	case RF_WORD: return get_word(rd, o, f, p);
	case RF_ARGS: return get_args(rd, o, f->name, p);
	case RF_ADDR: {
		uint32_t len;
		if (get_addr(rd, o, f->name, p, &len) < 0)
			return -1;
		store((char *)row + f->aux, 4, len);
		return 0;
	}
	case RF_BYTES: return get_bytes(rd, o, f, row);
	case RF_DATA: return get_data(rd, o, f, row);
	case RF_TEXT:
	case RF_CSTR: return get_text_field(rd, o, f, row);
	case RF_CHARS: return get_chars(rd, o, f, p);
	case RF_PENDING: return get_pending(rd, o, f, p);
	default: return fail(rd, "%s: \"%s\" cannot be read by the table", rd->what, f->name);
	}
}

int recformat_get(const RecReader *rd, const RecObject *t, const JsonlValue *o, void *row, int *side)
{
	for (size_t i = 0; i < t->n; i++) {
		const RecField *f = &t->fields[i];
		if (f->flags & (RF_OUT | RF_HAND))
			continue;
		if (get_field(rd, f, o, row, side) < 0)
			return -1;
	}
	return 0;
}

void recformat_release(const RecObject *t, void *row)
{
	void *none = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const RecField *f = &t->fields[i];
		int owned = f->type == RF_BYTES || f->type == RF_TEXT || f->type == RF_CSTR;
		if (!owned || (f->flags & (RF_OUT | RF_HAND | RF_SIDE)))
			continue;
		free((void *)ptr_at(row, f->off));
		memcpy((char *)row + f->off, &none, sizeof none);
	}
}

/* ---- the schema --------------------------------------------------------------- */

static const char *json_type(const RecField *f)
{
	switch (f->type) {
	case RF_INT: case RF_UINT: case RF_TIME: return "number";
	case RF_BOOL: return "boolean";
	case RF_ARGS: case RF_ACTORS: case RF_SOCKETS: case RF_PROGRAMS: case RF_NAMES: return "array";
	case RF_ADDR: return "address";
	case RF_PENDING: case RF_LESSON: return "object";
	case RF_DERIVED: return f->doc;
	default: return "string";
	}
}

static void print_range(FILE *out, const RecField *f)
{
	static const char *const limits[RL_COUNT_] = { "", "events", "seq", "the last actor" };
	if (f->type == RF_TIME) {
		fprintf(out, "-2^62 to 2^62");
	} else if (f->type == RF_BYTES) {
		fprintf(out, "0 to %lld bytes", (long long)f->max);
	} else if (f->type == RF_INT || f->type == RF_UINT) {
		fprintf(out, "%lld to ", (long long)f->min);
		if (f->limit)
			fprintf(out, "%s", limits[f->limit]);
		else
			fprintf(out, "%lld", (long long)f->max);
	}
}

void recformat_schema(FILE *out)
{
	for (size_t i = 0; i < recformat_nobjects; i++) {
		const RecObject *t = recformat_objects[i];
		if (t->line)
			fprintf(out, "%s\ttype\tstring\talways\t\n", t->name);
		for (size_t k = 0; k < t->n; k++) {
			const RecField *f = &t->fields[k];
			fprintf(out, "%s\t%s\t%s%s\t%s\t", t->name, f->name, json_type(f),
				f->flags & RF_NULL ? " or null" : "", f->when ? f->when : "always");
			print_range(out, f);
			fputc('\n', out);
		}
	}
}
