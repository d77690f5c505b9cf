#!/bin/bash
# timeo.sh - a traced program's receive timeout is read whole, in the TUI
# (tmux, about 3 s).
#
# SO_RCVTIMEO takes a struct timeval. tests/programs/rcvtimeo.c sets
# { 1, 500000 }, then { 0, 0 }, which turns the timeout off, and waits in
# a recvfrom() nothing will ever wake: the calls show 1500 and 0 ms (the
# seconds alone said 1 and 0), and the title says stuck, not waiting for a
# timer (a timeout of 0 counted as one).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh

need_tui
P=${BUILD:-build}/programs
if [ ! -x "$P/rcvtimeo" ]; then
	fail "rcvtimeo" "$P/rcvtimeo not built (make unit builds it)"
	exit 0
fi

S=timeo
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP run --server $P/rcvtimeo"
wait_started $S 10 || true
for ((i = 0; i < 10; i++)); do
	screen $S | grep -qF "recv(3, 64)" && screen $S | grep -qE "blocked|stuck" && break
	tm send-keys -t $S Space
	wait_for $S "recv(3, 64)" 1 || true
done
check "SO_RCVTIMEO { 1, 500000 } shows as 1500 ms" wait_for $S "setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_MS, 1500) = 0"
check "SO_RCVTIMEO { 0, 0 } shows as 0: no timeout" wait_for $S "setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_MS, 0) = 0"
check "a recv with the timeout turned off is stuck, not waiting for a timer" \
	eval 'wait_re $S "^ *sockstep .* stuck step" 10 && ! screen $S | grep -qF "waiting for a timer"'
pids=$(actor_pids $S)
tm send-keys -t $S q
check "q leaves no process behind" all_gone $pids
tm kill-session -t $S 2>/dev/null
exit 0
