#!/bin/bash
# present.sh - presenter mode draws the flow larger than the normal layout,
# at 80x24 and at 60x20 (tmux, about 10 s).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check. The echo lesson is
# stepped to the same step with and without --present; the flow's rows
# (headings to console strip) are counted on each screen.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"
LESSON=lessons/01-echo.lesson

need_tui

# A session that outlives the others keeps the tmux server up between them.
start keep 20 5 "sleep 600"

# step_to SESSION N: step (answering any question with 1) until the title
# says step N.
step_to() {
	local i tries before
	for ((i = 0; i < 3 * $2; i++)); do
		screen "$1" | head -1 | grep -qE "step $2/" && return 0
		before=$(screen "$1" | tail -3)
		if screen "$1" | grep -qF 'your prediction'; then
			tm send-keys -t "$1" 1
		else
			tm send-keys -t "$1" Space
		fi
		for ((tries = 0; tries < 40; tries++)); do
			[ "$(screen "$1" | tail -3)" != "$before" ] && break
			sleep 0.05
		done
	done
	wait_re "$1" "step $2/"
}

# The flow's rows on the screen: the headings to the console strip.
flow_rows() { screen "$1" | sed -n '2,/console:/p' | grep -vc 'console:'; }

for size in "80 24" "60 20"; do
	set -- $size
	w=$1 h=$2
	start normal "$w" "$h" "env LC_ALL=C.UTF-8 $SOCKSTEP $LESSON"
	start present "$w" "$h" "env LC_ALL=C.UTF-8 $SOCKSTEP --present $LESSON"
	wait_for normal SERVER 10 || true
	wait_for present SERVER 10 || true
	step_to normal 7 >/dev/null
	step_to present 7 >/dev/null
	S=present
	check "${w}x$h: both at step 7" eval 'wait_re normal "step 7/" && wait_re present "step 7/"'
	larger() {
		local n p
		n=$(flow_rows normal)
		p=$(flow_rows present)
		[ "$p" -gt "$n" ] || { echo "presenter $p rows, normal $n" >&2; return 1; }
	}
	check "${w}x$h: presenter mode draws the flow larger than the normal layout" larger
	check "${w}x$h: presenter mode still shows the step's narration" \
		eval 'screen present | grep -qF "client: Send the 12 bytes"'
	tm kill-session -t normal
	tm kill-session -t present
done
