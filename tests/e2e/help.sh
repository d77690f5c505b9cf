#!/bin/bash
# help.sh - the help overlay is whole at 80x24, 60x20 and 160x45 (tmux,
# about 5 s).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check. The box has its four
# corners, every line of text inside its border with a blank before it
# (none cut by the border), nothing of the screen beneath shows beside it,
# and at 60 columns the prose is wrapped to the box, not cut.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"

need_tui

# A session that outlives the others keeps the tmux server up between them.
start keep 20 5 "sleep 600"

# The box's rows: from its top corner to its bottom one.
box() { screen "$1" | sed -n '/┌/,/└/p'; }

# Every row of the box starts with │ (or a corner) and ends with │ (or a
# corner) with a blank before it: no text runs into the border.
whole_rows() {
	local bad
	bad=$(box "$1" | sed '1d;$d' | grep -vE '│ *$' | head -1)
	[ -z "$bad" ] || { echo "row: $bad" >&2; return 1; }
	bad=$(box "$1" | sed '1d;$d' | grep -E '[^ ]│ *$' | head -1)
	[ -z "$bad" ] || { echo "row: $bad" >&2; return 1; }
}

# Nothing but blanks beside the box, between the title and the key bar.
nothing_beside() {
	! screen "$1" | sed -n '2,$p' | sed '$d' | sed 's/[┌└│].*[┐┘│]//' | grep -q '[^ ]'
}

for size in "80 24" "60 20" "160 45"; do
	set -- $size
	S=help$1
	start $S "$1" "$2" "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/01-echo.lesson"
	wait_for $S SERVER 10 || true
	tm send-keys -t $S '?'
	check "$1x$2: the help has its four corners" \
		eval 'wait_for $S "┌─ sockstep help" && screen $S | grep -qE "┌.*┐" && screen $S | grep -qE "└.*┘"'
	check "$1x$2: no line of the help runs into its border" whole_rows $S
	check "$1x$2: nothing of the screen beneath shows beside the help" nothing_beside $S
	tm kill-session -t $S
done

# At 60 columns the prose is wrapped to the box, a sentence not cut.
S=narrow
start $S 60 20 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/01-echo.lesson"
wait_for $S SERVER 10 || true
tm send-keys -t $S '?'
check "60x20: the help's prose is wrapped to the box" \
	eval 'wait_for $S "processes, and stops each one just before every" &&
		wait_for $S "socket call. Each key lets one call run for real."'
tm kill-session -t $S
