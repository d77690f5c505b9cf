#!/bin/bash
# Replay every fuzz corpus (seeds and the crashes found so far) through its
# target, built with the ordinary compiler: part of make check.
cd "$(dirname "$0")/../.." || exit 2
for t in lesson gate packet record; do
	bin="${BUILD:-build}/tests/replay-$t"
	if [ -x "$bin" ]; then
		"$bin" "$t" "tests/fuzz/corpus/$t" || echo "FAIL: $t: replay crashed"
	else
		echo "FAIL: $t: $bin was not built"
	fi
done
