/* replay.c - run a fuzz target over every file of its corpus, without
 * libFuzzer, so the corpus (and every crash ever found, kept in it as a
 * regression test) is checked by `make check` with the ordinary compiler.
 * Usage: replay-NAME DIR; prints "PASS: NAME: N inputs" or dies. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	uint8_t *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, 1 << 20, fp) : 0;
	fclose(fp);
	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[2]);
	if (!d) {
		printf("FAIL: %s: no corpus at %s\n", argv[1], argv[2]);
		return 1;
	}
	int count = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[4096];
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", argv[2], de->d_name);
		if (run_file(path) < 0) {
			printf("FAIL: %s: cannot read %s\n", argv[1], path);
			closedir(d);
			return 1;
		}
		count++;
	}
	closedir(d);
	printf("PASS: %s: %d corpus inputs replayed\n", argv[1], count);
	return 0;
}
