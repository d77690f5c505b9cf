#!/bin/sh
# run.sh - `make bench`: build the benchmark and its two reference programs,
# then print sockstep's performance table (see bench.c).
#
# Not part of `make check`: it takes about two minutes, and its figures are
# measurements to read, not a pass or fail (a noisy machine can miss a target
# that a quiet one meets). Needs gdb and strace for two of its comparisons.
#
# CC and FLAGS are lists of words, split on purpose where they are used.
# shellcheck disable=SC2086,SC2046
set -eu
cd "$(dirname "$0")/.."

CC=${CC:-cc}
FLAGS="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror"
OUT=build/bench
mkdir -p "$OUT"

for tool in gdb strace python3 nc; do
	command -v "$tool" >/dev/null || {
		echo "bench: $tool is needed (sudo apt-get install $tool)" >&2
		exit 1
	}
done

# forkpty is in libc since glibc 2.34 and in libutil before it.
$CC $FLAGS -o "$OUT/bench" bench/bench.c -lutil
$CC $FLAGS -o "$OUT/pingpong" bench/pingpong.c
$CC $FLAGS -o "$OUT/minimal" bench/minimal.c \
	$(pkg-config --cflags --libs ncursesw 2>/dev/null || echo -lncursesw)

echo "sockstep $(./sockstep --version | cut -d' ' -f2), $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + local changes'): make bench"
exec "$OUT/bench" ./sockstep "$OUT/minimal" "$OUT/pingpong" bench/pingpong.py bench/lessons
