#!/bin/bash
# Replay every fuzz corpus (seeds and the crashes found so far) through its
# target, built with the ordinary compiler: part of make check. Every
# tests/fuzz/fuzz_NAME.c is a target, and one without its replay binary fails.
cd "$(dirname "$0")/../.." || exit 2
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	bin="${BUILD:-build}/tests/replay-$t"
	if [ -x "$bin" ]; then
		"$bin" "$t" "tests/fuzz/corpus/$t" || echo "FAIL: $t: replay crashed"
	else
		echo "FAIL: $t: $bin was not built"
	fi
done
