#!/bin/bash
# columns.sh - more actors than fit share the flow's last column, which o
# opens in turn, so that every column is wide enough to read its calls
# (tmux, about 15 s).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check. At 80x24 the
# handshake lesson's four actors get three columns: the server, client1
# and a fold of client2 and client3 whose heading says "1/2" or "2/3"; the
# fold follows the step that ran, o picks the other actor, the key bar
# names o, and no call in the flow has its name cut. At 60x20 the poll
# lesson's three actors get two. At 160x45 every actor has its own column
# and the key bar does not name o.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"

need_tui

start_keeper

# step_until SESSION REGEX [STEPS]: step (answering any question with 1)
# until the screen shows a line matching REGEX; at most STEPS steps, and
# never past the lesson's end (where space opens the next lesson).
step_until() {
	local i
	for ((i = 0; i < ${3:-30}; i++)); do
		screen "$1" | grep -qE -- "$2" && return 0
		screen "$1" | grep -qF 'lesson finished' && return 1
		step_once "$1"
	done
	screen "$1" | grep -qE -- "$2"
}

# The flow's rows: from the headings to the console strip.
flow_rows() { screen "$1" | sed -n '2,/console:/p'; }

# Every call in the flow shows its name and the start of its arguments:
# none is cut to "setsocko…" or "bind(…".
names_whole() { ! flow_rows "$1" | grep -qE '(✓|✗|▶|…) [a-z_0-9]+(…|\(…)'; }

# --- four actors at 80x24 ---------------------------------------------------
S=four
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/08-handshake.lesson"
wait_started $S 10 || true
check "80x24, four actors: three columns, the last shared by two (its heading says 1/2 or 2/2)" \
	eval 'step_until $S "CLIENT[23] [12]/2" && screen $S | sed -n 2p | grep -q "CLIENT1" &&
		! screen $S | sed -n 2p | grep -qE "CLIENT2.*CLIENT3"'
check "80x24: the key bar names o while actors share a column" \
	eval 'screen $S | tail -1 | grep -qE " o +other actor "'
check "80x24, four actors: no call in the flow has its name cut" names_whole $S
check "80x24: the fold shows the actor whose step just ran" \
	eval 'step_until $S "^ Next: client3" && tm send-keys -t $S Space &&
		wait_re $S "CLIENT3 2/2"'
tm send-keys -t $S o
check "80x24: o opens the other actor of the fold, picked" wait_re $S "CLIENT2 1/2"
tm send-keys -t $S o
check "80x24: o again, the one after it" wait_re $S "CLIENT3 2/2"
tm kill-session -t $S

# --- three actors at 60x20 ---------------------------------------------------
S=three
start $S 60 20 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/18-poll.lesson"
wait_started $S 10 || true
check "60x20, three actors: two columns, the fold follows bob's step" \
	eval 'step_until $S "^ *bob: " && wait_re $S "BOB 2/2"'
check "60x20, three actors: no call in the flow has its name cut" names_whole $S
tm send-keys -t $S o
check "60x20: o opens alice's column" wait_re $S "ALICE 1/2"
tm kill-session -t $S

# --- a large screen: a column each --------------------------------------------
S=large
start $S 160 45 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/08-handshake.lesson"
wait_started $S 10 || true
check "160x45, four actors: a column each, nothing shared, o not named" \
	eval 'screen $S | sed -n 2p | grep -qE "CLIENT1.*CLIENT2.*CLIENT3" &&
		! screen $S | sed -n 2p | grep -qE "[0-9]/[0-9]" &&
		! screen $S | tail -1 | grep -q "other actor"'
tm kill-session -t $S
