#!/bin/bash
# runner.sh - tests/run.sh itself, on a made-up tree of suites: which files
# it takes for suites, and how it counts what they print. A runner that
# missed a suite or counted a skip as a pass would hide exactly what the
# other suites are there to show.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

# A tree of its own: the runner, and suites that print what is asked of them.
mkdir -p "$tmp/tree/tests/unit" "$tmp/tree/tests/sub" "$tmp/tree/build/tests"
cp tests/run.sh "$tmp/tree/tests/run.sh"
suite() {  # path in the tree, then the script's body
	printf '%s\n' "$2" >"$tmp/tree/$1"
}
suite tests/sub/run.sh 'echo "PASS: sub one"; echo "SKIP: sub two: not here"'
suite tests/top.sh 'echo "PASS: top"; echo "FAIL: top two: wrong"; exit 1'
suite tests/quiet.sh 'true'
suite tests/dies.sh 'echo "PASS: before dying"; exit 3'
suite tests/lib.sh 'echo "FAIL: a helper was run as a suite"'
suite tests/sub/lib-extra.sh 'echo "FAIL: a helper was run as a suite"'
suite tests/valgrind.sh 'echo "FAIL: make valgrind'"'"'s suite was run"'
# A unit test built (a script standing in for a cmocka binary: TAP lines,
# one of them cmocka's skip), and one whose binary is missing.
touch "$tmp/tree/tests/unit/test_built.c" "$tmp/tree/tests/unit/test_unbuilt.c"
suite build/tests/test_built 'printf "1..3\nok 1 - a\nnot ok 2 # SKIP b\nok 3 - c\n"'
chmod +x "$tmp/tree/build/tests/test_built"

(unset BUILD; sh "$tmp/tree/tests/run.sh" >"$tmp/all" 2>&1)
status=$?
check "every suite found, the helpers, the runner and make valgrind's left out" \
	diff <(grep -E '^[^ ].*: [0-9]+ passed' "$tmp/all") - <<'EOF'
test_built: 2 passed, 0 failed, 1 skipped
test_unbuilt: 0 passed, 1 failed, 0 skipped
tests/dies.sh: 1 passed, 1 failed, 0 skipped
tests/quiet.sh: 0 passed, 1 failed, 0 skipped
tests/sub/run.sh: 1 passed, 0 failed, 1 skipped
tests/top.sh: 1 passed, 1 failed, 0 skipped
EOF
check "the last line counts skips apart" \
	bash -c "tail -n 1 '$tmp/all' | grep -qx '5 passed, 4 failed, 2 skipped'"
check "a failure makes the status non-zero" test "$status" -ne 0
check "failures and skips are listed under their suite" bash -c "
	grep -qx '  test_built: not ok 2 # SKIP b' '$tmp/all' &&
	grep -qx '  test_unbuilt: FAIL: test_unbuilt: build/tests/test_unbuilt was not built (make unit)' '$tmp/all' &&
	grep -qx '  tests/dies.sh: FAIL: tests/dies.sh: exited with an error' '$tmp/all' &&
	grep -qx '  tests/quiet.sh: FAIL: tests/quiet.sh: reported nothing' '$tmp/all' &&
	grep -qx '  tests/sub/run.sh: SKIP: sub two: not here' '$tmp/all' &&
	! grep -q 'helper\|valgrind' '$tmp/all'"

# Only the scripts named; skips alone do not fail the run.
(cd "$tmp/tree" && sh tests/run.sh tests/sub/run.sh >"$tmp/some" 2>&1)
status=$?
check "named scripts only; passes and skips alone are status 0" bash -c "
	[ $status -eq 0 ] && [ \$(wc -l <'$tmp/some') -eq 3 ] &&
	tail -n 1 '$tmp/some' | grep -qx '1 passed, 0 failed, 1 skipped'"
