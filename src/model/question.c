/* question.c - answers against real outcomes (see question.h). */
#include "model/question.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

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

static int flag_bit(const char *word, size_t len)
{
	static const struct { const char *name; uint8_t bit; } names[] = {
		{ "SYN", PKT_SYN }, { "ACK", PKT_ACK }, { "FIN", PKT_FIN }, { "RST", PKT_RST }, { "PSH", PKT_PSH },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (len == 3 && strncmp(word, names[i].name, 3) == 0)
			return names[i].bit;
	return -1;
}

/* "SYN, SYN/ACK, ACK" -> {SYN}, {SYN|ACK}, {ACK}. Packets are separated by
 * spaces or ", "; flags within one packet by '/', '+' or ','. Returns the
 * count, or -1 when the answer is not made of flag names. */
static int parse_flags(const char *s, uint8_t *want, int max)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || (*s == ',' && s[1] == ' '))
			s++;
		if (!*s)
			break;
		uint8_t set = 0;
		for (;;) {
			const char *w = s;
			while (isalpha((unsigned char)*s))
				s++;
			int bit = flag_bit(w, (size_t)(s - w));
			if (bit < 0)
				return -1;
			set |= (uint8_t)bit;
			if ((*s == '/' || *s == '+' || *s == ',') && isalpha((unsigned char)s[1])) {
				s++;
				continue;
			}
			break;
		}
		if (n == max)
			return -1;
		want[n++] = set;
		if (*s && *s != ' ' && *s != ',')
			return -1;
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

/* The first word of the form E[A-Z0-9]+ or SIG[A-Z]+ in s, copied to out. */
static int find_name(const char *s, const char *prefix, char *out, size_t cap)
{
	size_t pl = strlen(prefix);
	for (const char *p = s; *p; p++) {
		if (strncmp(p, prefix, pl) != 0 || (p > s && isalnum((unsigned char)p[-1])))
			continue;
		size_t n = pl;
		while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]))
			n++;
		if (n > pl + 1 && n < cap) {
			memcpy(out, p, n);
			out[n] = '\0';
			return 1;
		}
	}
	return 0;
}

static int says(const char *answer, const char *word)
{
	return strcasestr(answer, word) != NULL;
}

QuestionVerdict question_check(const char *answer, const Timeline *t, const Event *call,
			       const Event *ret, int exit_status, char *what, size_t cap)
{
	char name[32];
	uint8_t want[MAX_PACKETS], seen[MAX_PACKETS];
	describe(call, ret, exit_status, what, cap);

	if (find_name(answer, "SIG", name, sizeof name)) {
		int dead = exit_status >= 0 && WIFSIGNALED(exit_status);
		const char *abbrev = dead ? sigabbrev_np(WTERMSIG(exit_status)) : NULL;
		return dead && abbrev && strcmp(name + 3, abbrev) == 0 ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	int nw = parse_flags(answer, want, MAX_PACKETS);
	int none = strcasecmp(answer, "none") == 0 || strcasecmp(answer, "no packets") == 0;
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
	if (find_name(answer, "E", name, sizeof name) && strcmp(name, "EOF") != 0) {
		const char *real = ret && ret->ret < 0 ? strerrorname_np(ret->err) : NULL;
		if (value_read)
			real = ret->arg[2] > 0 ? strerrorname_np((int)ret->arg[2]) : NULL;
		return real && strcmp(real, name) == 0 ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	int not_block = says(answer, "not block") || says(answer, "n't block") || says(answer, "at once");
	if (not_block || says(answer, "block") || says(answer, "waits")) {
		int blocked = call->blocked || !ret;
		return blocked == !not_block ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	const char *p = answer;
	while (*p == ' ' || *p == '=')
		p++;
	if (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1]))) {
		long long n = strtoll(p, NULL, 10);
		long long real = value_read ? ret->arg[2] : ret ? ret->ret : 0;
		return ret && real == n ? QUESTION_AGREES : QUESTION_DISAGREES;
	}
	return QUESTION_UNCHECKABLE;
}

const Event *question_first_call(const Timeline *t, int actor, int step)
{
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		if (ev->kind == EV_CALL && ev->actor == actor && ev->step == step)
			return ev;
	}
	return NULL;
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
