/* answerkind.c - what kind of outcome a question's answer names (see
 * answerkind.h). */
#include "model/answerkind.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/packet.h"

int answerkind_name(const char *s, const char *prefix, char *out, size_t cap)
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

int answerkind_signal(const char *answer, char *out, size_t cap)
{
	return answerkind_name(answer, "SIG", out, cap);
}

int answerkind_errno(const char *answer, char *out, size_t cap)
{
	return answerkind_name(answer, "E", out, cap) && strcmp(out, "EOF") != 0;
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

/* Packets are separated by spaces or ", "; flags within one packet by
 * '/', '+' or ','. */
int answerkind_flags(const char *s, uint8_t *want, int max)
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

int answerkind_none(const char *answer)
{
	return strcasecmp(answer, "none") == 0 || strcasecmp(answer, "no packets") == 0;
}

int answerkind_blocks(const char *answer, int *not_block)
{
	*not_block = strcasestr(answer, "not block") || strcasestr(answer, "n't block") || strcasestr(answer, "at once");
	return *not_block || strcasestr(answer, "block") || strcasestr(answer, "waits");
}

int answerkind_number(const char *answer, long long *n)
{
	const char *p = answer;
	while (*p == ' ' || *p == '=')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '-' && isdigit((unsigned char)p[1])))
		return 0;
	*n = strtoll(p, NULL, 10);
	return 1;
}

AnswerkindComputed answerkind_computed(const char *answer, int *input, int *upper)
{
	AnswerkindComputed kind = ANSWERKIND_CONTENT;
	*input = *upper = 0;
	if (strncmp(answer, "len ", 4) == 0) {
		kind = ANSWERKIND_LEN;
		answer += 4;
	} else if (strncmp(answer, "upper ", 6) == 0) {
		*upper = 1;
		answer += 6;
	}
	if (strcmp(answer, "$input") == 0)
		*input = 1;
	else if (strcmp(answer, "$received") != 0)
		return ANSWERKIND_PLAIN;
	return kind;
}

int answerkind_checkable(const char *answer)
{
	char name[32];
	uint8_t want[32];
	int not_block;
	long long n;
	int input, upper;
	if (answerkind_computed(answer, &input, &upper) == ANSWERKIND_LEN)
		return 1;
	return answerkind_signal(answer, name, sizeof name) || answerkind_flags(answer, want, 32) > 0 ||
	       answerkind_none(answer) || answerkind_errno(answer, name, sizeof name) ||
	       answerkind_blocks(answer, &not_block) || answerkind_number(answer, &n);
}
