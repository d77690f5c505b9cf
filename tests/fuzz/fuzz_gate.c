/* fuzz_gate.c - libFuzzer target: the channel record decoder, the parent's
 * only view of what a child says. A record it accepts must encode back to
 * the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/gate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GateRecord r;
	static uint8_t back[GATE_WIRE_MAX];
	if (gate_decode(data, size, &r) < 0)
		return 0;
	int n = gate_encode(&r, back, sizeof back);
	if (n < 0 || (size_t)n != size || memcmp(back, data, size) != 0)
		abort();
	return 0;
}
