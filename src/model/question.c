/* question.c - answers against real outcomes (see question.h). */
#include "model/question.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "model/answerkind.h"
#include "model/lesson.h"
#include "model/packet.h"

enum { MAX_PACKETS = 32 };

/* The packets seen between call and ret, as flag sets. */
static int packets_during(const Timeline *t, const Event *call, const Event *ret, uint8_t *flags, int max)
{
	int n = 0;
	for (size_t i = 0; i < timeline_count(t) && n < max; i++) {
		const Event *ev = timeline_get(t, i);
		if (ev->seq <= call->seq || ev->kind != EV_PACKET)
			continue;
		if (ret && ev->seq > ret->seq)
			break;
		Packet p;
		if (packet_decode(ev->data, ev->len, (int)ev->arg[0], &p) == 0 && p.proto == 6)
			flags[n++] = p.flags;
	}
	return n;
}

/* Does a packet with flags seen answer to the flags named? It has every
 * flag named ("FIN" is a FIN,ACK too, as people say); but "ACK" alone means
 * a pure ACK, not any segment that acknowledges. */
static int matches(uint8_t want, uint8_t seen)
{
	if (want == PKT_ACK)
		return (seen & (PKT_SYN | PKT_FIN | PKT_RST | PKT_ACK)) == PKT_ACK;
	return (seen & want) == want;
}

/* Are want[] found in order within seen[]? */
static int in_order(const uint8_t *want, int nw, const uint8_t *seen, int ns)
{
	int k = 0;
	for (int i = 0; i < ns && k < nw; i++)
		if (matches(want[k], seen[i]))
			k++;
	return k == nw;
}

static void describe_packets(const uint8_t *seen, int n, char *buf, size_t cap)
{
	size_t o = (size_t)snprintf(buf, cap, n ? "packets:" : "no packets");
	for (int i = 0; i < n && o < cap; i++) {
		char f[48];
		packet_flags(seen[i], f, sizeof f);
		o += (size_t)snprintf(buf + o, cap - o, " %s", f);
	}
}

static void describe(const Event *call, const Event *ret, int exit_status, char *what, size_t cap)
{
	if (exit_status >= 0 && WIFSIGNALED(exit_status))
		snprintf(what, cap, "was killed by SIG%s", sigabbrev_np(WTERMSIG(exit_status)) ?: "?");
	else if (!ret)
		snprintf(what, cap, "blocked and never returned");
	else if (ret->ret < 0)
		snprintf(what, cap, "%sfailed with %s", call->blocked ? "blocked, then " : "",
			 strerrorname_np(ret->err) ? strerrorname_np(ret->err) : "an error");
	else
		snprintf(what, cap, "%sreturned %lld", call->blocked ? "blocked, then " : "", (long long)ret->ret);
}

QuestionVerdict question_check(const char *answer, const Timeline *t, const Event *call,
			       const Event *ret, int exit_status, char *what, size_t cap)
{
	char name[32];
	uint8_t want[MAX_PACKETS], seen[MAX_PACKETS];
	describe(call, ret, exit_status, what, cap);

	if (answerkind_signal(answer, name, sizeof name)) {
		int dead = exit_status >= 0 && WIFSIGNALED(exit_status);
		const char *abbrev = dead ? sigabbrev_np(WTERMSIG(exit_status)) : NULL;
		return dead && abbrev && strcmp(name + 3, abbrev) == 0 ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	int nw = answerkind_flags(answer, want, MAX_PACKETS);
	int none = answerkind_none(answer);
	if (nw > 0 || none) {
		int ns = packets_during(t, call, ret, seen, MAX_PACKETS);
		describe_packets(seen, ns, what, cap);
		if (none)
			return ns == 0 ? QUESTION_AGREES : QUESTION_DISAGREES;
		return in_order(want, nw, seen, ns) ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	/* What a getsockopt() is asked about is the value it reads (SO_ERROR's
	 * pending error, a buffer size), not its return value of 0. */
	int value_read = call->op == OP_GETSOCKOPT && ret && ret->ret == 0;
	if (value_read)
		snprintf(what, cap, "read %lld%s%s", (long long)ret->arg[2], ret->arg[2] > 0 ? " " : "",
			 ret->arg[2] > 0 && strerrorname_np((int)ret->arg[2]) ? strerrorname_np((int)ret->arg[2]) : "");
	if (answerkind_errno(answer, name, sizeof name)) {
		const char *real = ret && ret->ret < 0 ? strerrorname_np(ret->err) : NULL;
		if (value_read)
			real = ret->arg[2] > 0 ? strerrorname_np((int)ret->arg[2]) : NULL;
		return real && strcmp(real, name) == 0 ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	int not_block;
	if (answerkind_blocks(answer, &not_block)) {
		int blocked = call->blocked || !ret;
		return blocked == !not_block ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	long long n;
	if (answerkind_number(answer, &n)) {
		long long real = value_read ? ret->arg[2] : ret ? ret->ret : 0;
		return ret && real == n ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	return QUESTION_UNCHECKABLE;
}

const Event *question_first_call(const Timeline *t, int actor, int step)
{
	return question_call(t, actor, step, 1);
}

const Event *question_call(const Timeline *t, int actor, int step, int pass)
{
	int seen = 0;
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		if (ev->kind == EV_CALL && ev->actor == actor && ev->step == step && ++seen == pass)
			return ev;
	}
	return NULL;
}

int question_calls(const Timeline *t, int actor, int step)
{
	int seen = 0;
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		seen += ev->kind == EV_CALL && ev->actor == actor && ev->step == step;
	}
	return seen;
}

/* The bytes as a line can show them: printable ASCII, others as '.'. */
static void show_bytes(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 4 < cap; i++)
		out[o++] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
	if (o + 4 < cap || n == 0)
		out[o] = '\0';
	else
		strcpy(out + o, "...");
}

QuestionVerdict question_check_content(const char *want, size_t len, const Event *call, const Event *ret,
				       int exit_status, char *what, size_t cap)
{
	describe(call, ret, exit_status, what, cap);
	if (!ret || ret->ret < 0)
		return QUESTION_DISAGREES;
	char shown[96];
	show_bytes(ret->data, ret->len, shown, sizeof shown);
	snprintf(what, cap, "%sreturned %lld bytes: \"%s\"", call->blocked ? "blocked, then " : "",
		 (long long)ret->ret, shown);
	int same = (size_t)ret->ret == len && ret->len == len && (len == 0 || memcmp(ret->data, want, len) == 0);
	return same ? QUESTION_AGREES : QUESTION_DISAGREES;
}

int question_exit_status(const Timeline *t, const Event *call, const Event *ret)
{
	if (ret)
		return -1;
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		if (ev->kind == EV_EXIT && ev->actor == call->actor && ev->seq > call->seq)
			return ev->status;
	}
	return -1;
}
