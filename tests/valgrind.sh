#!/bin/bash
# valgrind memcheck over a --plain run of every lesson: sockstep and every
# actor process it forks (valgrind follows fork), no memory error, nothing
# definitely lost. Slow, so `make valgrind` runs it (CI does), not make check.
cd "$(dirname "$0")/.." || exit 2
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for lesson in lessons/*.lesson; do
	name=$(basename "$lesson" .lesson)
	SOCKSTEP_SETTLE_MS=300 valgrind -q --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=99 --log-file="$tmp/$name.vg.%p" \
		./sockstep --plain "$lesson" >"$tmp/$name.out" 2>&1
	status=$?
	if [ $status -ne 99 ] && ! grep -qs . "$tmp/$name".vg.*; then
		echo "PASS: valgrind $name"
		passed=$((passed + 1))
	else
		echo "FAIL: valgrind $name (status $status)"
		cat "$tmp/$name".vg.* 2>/dev/null | head -n 30 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
