#!/bin/bash
# verdicts.sh - a prediction about a call that blocks gets its verdict on
# the screen when the call comes back, steps later: in the handshake
# lesson, client3's connect() waits for room in the accept queue while the
# server goes on (and asks its own questions); once it returns, its verdict
# shows, as the score, which counts it, says (tmux).
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"
need_tui

S=late
start $S 100 40 "$SOCKSTEP handshake"
wait_for $S "SERVER" 5
# Answer every question with its first choice (the right one for client3),
# and step on, until client3's verdict is on the screen.
# A verdict stays until the next key, so the screen is read before each.
verdict="You said: it blocks until a SYN gets through\. The run: connect\(\) blocked, then"
found=0
for _ in $(seq 1 60); do
	if screen $S | grep -qE "$verdict"; then
		found=1
		break
	fi
	screen $S | grep -q "The lesson is over" && break
	tm send-keys -t $S "1"
	tm send-keys -t $S " "
	wait_re $S "$verdict" 1
done
check "client3's blocked connect(): its verdict shows when it returns" [ $found -eq 1 ]
