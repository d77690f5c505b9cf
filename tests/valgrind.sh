#!/bin/bash
# valgrind memcheck over a --plain run of every lesson, and sockstep run on
# the test programs: sockstep and every
# actor process it forks (valgrind follows fork), no memory error, nothing
# definitely lost; each lesson's run is recorded (--record), and the
# recording replayed (replay --plain) under memcheck too, as is a traced
# run's. Slow, so `make valgrind` runs it (CI does), not make check.
cd "$(dirname "$0")/.." || exit 2
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
P=build/programs

# memcheck NAME ARGS...: one run, its verdict.
memcheck() {
	local name=$1
	shift
	SOCKSTEP_SETTLE_MS=300 valgrind -q --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=99 --log-file="$tmp/$name.vg.%p" \
		./sockstep "$@" >"$tmp/$name.out" 2>&1
	status=$?
	if [ $status -ne 99 ] && ! grep -qs . "$tmp/$name".vg.*; then
		echo "PASS: valgrind $name"
	else
		echo "FAIL: valgrind $name (status $status)"
		cat "$tmp/$name".vg.* 2>/dev/null | head -n 30 | sed 's/^/    /'
	fi
}

vg_run() {  # name, then sockstep run's arguments
	local name=$1
	shift
	valgrind -q --trace-children=no --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=99 --log-file="$tmp/run-$name.vg.%p" \
		./sockstep run --plain "$@" >"$tmp/run-$name.out" 2>&1
	local status=$?
	# Only memcheck's own reports count: valgrind 3.19 does not know
	# pidfd_open and says so, and the tracer copes without it.
	if [ $status -eq 0 ] && ! grep -qsE '^==[0-9]+== ' "$tmp/run-$name".vg.*; then
		echo "PASS: valgrind run $name"
	else
		echo "FAIL: valgrind run $name (status $status)"
		grep -hE '^==[0-9]+== ' "$tmp/run-$name".vg.* 2>/dev/null | head -n 30 | sed 's/^/    /'
		tail -n 5 "$tmp/run-$name.out" | sed 's/^/    /'
	fi
}

# Every check prints PASS:, FAIL: or SKIP: (tests/run.sh's lines), and the
# summary counts those lines as tests/run.sh does: a check added here needs
# no counter of its own, and a skip is neither passed nor failed.
checks() {
	local lesson name
	for lesson in lessons/*.lesson; do
		name=$(basename "$lesson" .lesson)
		memcheck "$name" --plain --record "$tmp/$name.jsonl" "$lesson"
		memcheck "$name-replay" replay --plain "$tmp/$name.jsonl"
	done
	# Stepped and narrated: lines read one at a time, a typed one sent, the
	# narration and questions printed.
	memcheck step-narrate-chat --plain --step --narrate chat < <(printf '\n\n\n\n\n\nping me\n'; yes '' 2>/dev/null)
	# sockstep run: the engine and the tracer (forked, so under valgrind too)
	# over real programs; the programs themselves are exec'd, so not checked.
	make --no-print-directory unit >/dev/null 2>&1
	vg_run c-echo --server "$P/echo_server" --client "$P/echo_client"
	vg_run fork-thread --record "$tmp/fork-thread.jsonl" --server "$P/forking_server" --client "$P/threaded_client"
	memcheck fork-thread-replay replay --plain "$tmp/fork-thread.jsonl"
	vg_run free-run --free-run --server "$P/echo_server" --client "$P/echo_client"
	# Last: without python3, lib-python.sh says SKIP and ends the checks.
	. tests/lib-python.sh
	vg_run py-chat --server "$PY tests/programs/chat-server.py" --client "$PY tests/programs/chat-client.py" \
		--input client=hello --input server=hi --input client=q
}

# A pipe, so that each line shows as it comes (the whole takes minutes); the
# checks run in its subshell, so an exit there still leaves the summary.
checks 2>&1 | tee "$tmp/log"
passed=$(grep -c '^PASS: ' "$tmp/log")
failed=$(grep -c '^FAIL: ' "$tmp/log")
skipped=$(grep -c '^SKIP: ' "$tmp/log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
