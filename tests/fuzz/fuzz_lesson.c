/* fuzz_lesson.c - libFuzzer target: the lesson parser on any bytes.
 * It must never crash, hang or leak, and must explain every refusal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	Lesson *l = lesson_parse("fuzz.lesson", (const char *)data, size, err, sizeof err);
	if (!l && strncmp(err, "fuzz.lesson:", 12) != 0)
		abort();  /* a refusal without a place is a bug */
	lesson_free(l);
	return 0;
}
