/* test_packet.c - the packet decoder on real captured frames (tests/packets),
 * and on every truncation and random mutation of them: fields right, broken
 * frames marked malformed, no read past the captured bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/addr.h"
#include "model/packet.h"

/* Read a hex file into a buffer of exactly the frame's size, so that ASan
 * catches any read past its end. */
static uint8_t *load(const char *name, size_t *n)
{
	char path[256], hex[8192];
	snprintf(path, sizeof path, "tests/packets/%s", name);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	size_t len = fread(hex, 1, sizeof hex - 1, fp);
	fclose(fp);
	hex[len] = '\0';
	*n = strcspn(hex, "\n") / 2;
	uint8_t *b = malloc(*n ? *n : 1);
	assert_non_null(b);
	for (size_t i = 0; i < *n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		b[i] = (uint8_t)v;
	}
	return b;
}

static void text(const struct sockaddr_storage *ss, socklen_t len, char *buf, size_t cap)
{
	addr_format(ss, len, buf, cap);
}

static void test_ipv4_syn(void **state)
{
	(void)state;
	size_t n;
	uint8_t *f = load("ipv4-tcp-syn.hex", &n);
	Packet p;
	char a[64];
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	assert_null(p.malformed);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.proto, IPPROTO_TCP);
	assert_int_equal(p.flags, PKT_SYN);
	text(&p.dst, p.addrlen, a, sizeof a);
	assert_string_equal(a, "127.0.0.1:65432");
	assert_int_equal(p.mss, 65495);
	assert_int_equal(p.wscale, 10);
	assert_true(p.sack_ok);
	assert_int_equal(p.window, 65495);
	assert_int_equal(p.payload_len, 0);
	char flags[32];
	packet_flags(p.flags, flags, sizeof flags);
	assert_string_equal(flags, "SYN");
	free(f);
}

static void test_ipv4_synack_and_data(void **state)
{
	(void)state;
	size_t n;
	Packet p;
	char flags[32];
	uint8_t *f = load("ipv4-tcp-synack.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	packet_flags(p.flags, flags, sizeof flags);
	assert_string_equal(flags, "SYN,ACK");
	free(f);
	f = load("ipv4-tcp-data.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	packet_flags(p.flags, flags, sizeof flags);
	assert_string_equal(flags, "PSH,ACK");
	assert_int_equal(p.payload_len, 12);
	assert_int_equal(p.wire_payload, 12);
	assert_memory_equal(f + p.payload_off, "Hello, world", 12);
	free(f);
}

static void test_udp_both_versions(void **state)
{
	(void)state;
	size_t n;
	Packet p;
	char a[64];
	uint8_t *f = load("ipv4-udp.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	assert_int_equal(p.proto, IPPROTO_UDP);
	assert_int_equal(p.payload_len, 12);
	assert_memory_equal(f + p.payload_off, "Hello, world", 12);
	free(f);
	f = load("ipv6-udp.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.proto, IPPROTO_UDP);
	text(&p.dst, p.addrlen, a, sizeof a);
	assert_string_equal(a, "[::1]:9999");
	assert_memory_equal(f + p.payload_off, "dgram", 5);
	free(f);
}

static void test_ipv6_tcp(void **state)
{
	(void)state;
	size_t n;
	Packet p;
	char a[64];
	uint8_t *f = load("ipv6-tcp-syn.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.flags, PKT_SYN);
	text(&p.dst, p.addrlen, a, sizeof a);
	assert_string_equal(a, "[::1]:65432");
	assert_int_equal(p.wscale, 10);
	free(f);
	f = load("ipv6-tcp-data.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), 0);
	assert_int_equal(p.payload_len, 3);
	assert_memory_equal(f + p.payload_off, "hi6", 3);
	free(f);
}

static void test_not_tcp_or_udp_is_not_malformed(void **state)
{
	(void)state;
	size_t n;
	Packet p;
	uint8_t *f = load("ipv6-icmp.hex", &n);
	assert_int_equal(packet_decode(f, n, PKT_LINK_EN10MB, &p), -1);
	assert_null(p.malformed);
	assert_int_equal(p.proto, 58);
	free(f);
}

/* Every prefix of every frame: decodes or is marked malformed; a prefix that
 * cuts a header can never decode as TCP or UDP. */
static void test_truncations(void **state)
{
	(void)state;
	static const char *names[] = {
		"ipv4-tcp-syn.hex", "ipv4-tcp-data.hex", "ipv4-udp.hex",
		"ipv6-tcp-syn.hex", "ipv6-tcp-data.hex", "ipv6-udp.hex",
	};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		size_t n;
		uint8_t *f = load(names[k], &n);
		for (size_t cut = 0; cut < n; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			memcpy(copy, f, cut);
			Packet p;
			int rc = packet_decode(copy, cut, PKT_LINK_EN10MB, &p);
			if (rc == 0) {
				assert_true(p.payload_off + p.payload_len <= cut);
			} else {
				assert_non_null(p.malformed);
			}
			free(copy);
		}
		free(f);
	}
}

static void test_short_headers_say_why(void **state)
{
	(void)state;
	size_t n;
	Packet p;
	uint8_t *f = load("ipv4-tcp-syn.hex", &n);
	assert_int_equal(packet_decode(f, 10, PKT_LINK_EN10MB, &p), -1);
	assert_string_equal(p.malformed, "Ethernet header cut short");
	assert_int_equal(packet_decode(f, 14 + 25, PKT_LINK_EN10MB, &p), -1);
	assert_string_equal(p.malformed, "TCP header cut short");
	/* An IP header that claims to be shorter than 20 bytes. */
	uint8_t bad[64];
	memcpy(bad, f, sizeof bad);
	bad[14] = 0x41;
	assert_int_equal(packet_decode(bad, sizeof bad, PKT_LINK_EN10MB, &p), -1);
	assert_non_null(p.malformed);
	assert_int_equal(packet_decode(f, n, 9999, &p), -1);
	assert_string_equal(p.malformed, "unknown link type");
	free(f);
}

static void test_mutations_never_read_past_the_end(void **state)
{
	(void)state;
	size_t n;
	uint8_t *f = load("ipv4-tcp-data.hex", &n);
	unsigned seed = 7;
	for (int round = 0; round < 20000; round++) {
		uint8_t *copy = malloc(n);
		memcpy(copy, f, n);
		for (int k = 0; k < 4; k++)
			copy[rand_r(&seed) % n] = (uint8_t)rand_r(&seed);
		size_t len = (size_t)rand_r(&seed) % (n + 1);
		Packet p;
		int links[] = { PKT_LINK_EN10MB, PKT_LINK_RAW, PKT_LINK_LINUX_SLL, PKT_LINK_NULL };
		if (packet_decode(copy, len, links[round % 4], &p) == 0)
			assert_true(p.payload_off + p.payload_len <= len);
		free(copy);
	}
	free(f);
}

static void test_flag_names(void **state)
{
	(void)state;
	char buf[64];
	packet_flags(PKT_FIN | PKT_ACK, buf, sizeof buf);
	assert_string_equal(buf, "FIN,ACK");
	packet_flags(PKT_RST, buf, sizeof buf);
	assert_string_equal(buf, "RST");
	packet_flags(0, buf, sizeof buf);
	assert_string_equal(buf, "none");
	packet_flags(0xff, buf, 8);
	assert_string_equal(buf, "SYN,FIN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_syn),
		cmocka_unit_test(test_ipv4_synack_and_data),
		cmocka_unit_test(test_udp_both_versions),
		cmocka_unit_test(test_ipv6_tcp),
		cmocka_unit_test(test_not_tcp_or_udp_is_not_malformed),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_short_headers_say_why),
		cmocka_unit_test(test_mutations_never_read_past_the_end),
		cmocka_unit_test(test_flag_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
