#!/bin/bash
# long.sh - a long run stepped in the TUI keeps showing its present, at
# 80x24 (tmux).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check (tests/run.sh counts
# them). Past its first thousand events a long transfer's timeline folds
# (timeline.h): the events of its middle are counted, not kept. The fold
# held the newest events back until the transfer ended, so after some 380
# round trips stepped by hand the bytes pane and the flow stopped moving
# while the title still counted steps. Each step's events must show at
# that step. About 15 s.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"

need_tui

# The number in the bytes pane's heading, "bytes (N messages)".
messages() { screen "$S" | grep -oE 'bytes \([0-9]+ messages' | grep -oE '[0-9]+'; }

S=long
start "$S" 80 24 "$SOCKSTEP bench/lessons/pingpong.lesson"
wait_for "$S" "step 0" 10 || { fail "long run starts" "$(screen "$S" | tr '\n' '|')"; exit 0; }
# 700 steps, twenty keys at a time, each batch seen through before the next.
for ((n = 20; n <= 700; n += 20)); do
	tm send-keys -t "$S" -l "                    "
	wait_re "$S" "step $n/" 10 || break
done
check "700 steps were taken" wait_re "$S" "step 700/" 1
before=$(messages)
ran=""
for ((n = 701; n <= 704; n++)); do
	tm send-keys -t "$S" " "
	wait_re "$S" "step $n/" 5 || break
	ran="$ran$(screen "$S" | grep -E ' ran: ' | head -1)
"
done
after=$(messages)
check "the bytes pane counts the messages of the last steps ($before, then $after)" \
	test "${after:-0}" -gt "${before:-0}"
# The narration tells the step just run: a send, then a recv, in turn.
kinds=$(printf '%s' "$ran" | sort -u | grep -c .)
check "the narration tells each of the last steps ($kinds different of 4)" test "$kinds" -ge 2
tm send-keys -t "$S" q
exit 0
