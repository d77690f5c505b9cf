/* fuzz_packet.c - libFuzzer target: the packet decoder on any frame. The
 * first byte picks the link type; a decoded payload lies inside the frame. */
#include <stdint.h>
#include <stdlib.h>

#include "model/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = { PKT_LINK_EN10MB, PKT_LINK_RAW, PKT_LINK_LINUX_SLL, PKT_LINK_NULL };
	if (size == 0)
		return 0;
	Packet p;
	const uint8_t *frame = data + 1;
	size_t n = size - 1;
	if (packet_decode(frame, n, links[data[0] % 4], &p) == 0 && p.payload_off + p.payload_len > n)
		abort();
	return 0;
}
