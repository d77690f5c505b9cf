#!/bin/bash
# arrows.sh - the flow's arrows say what crossed, whole (tmux, about 15 s).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check. A waiting actor's
# dotted line never cuts an arrow or its label ("──FI┆,ACK──"); a call
# that failed sends nothing and draws no arrow (sendto() from an unnamed
# AF_UNIX socket, ENOTCONN); every arrow, the ACKs too, has its label once
# it has arrived. (The C library's connect() to nscd, a path no actor
# bound, is in tests/unit/test_links.c.)
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"

need_tui

start_keeper

# --- dotted lines and labels: four actors side by side --------------------------
S=wide
start $S 160 45 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/08-handshake.lesson"
wait_started $S 10 || true
step_all $S "$TMP/wide.screens"
cut_arrows() { grep -E '[─A-Z,]┆[─A-Z,]|[A-Z,]┆|┆[A-Z,]' "$TMP/wide.screens" | head -3; }
check "160x45, four actors: no waiting actor's dotted line cuts an arrow or its label" \
	eval '[ -s "$TMP/wide.screens" ] && [ -z "$(cut_arrows)" ]'
tm kill-session -t $S

# --- a failed sendto: no arrow -----------------------------------------------------
cat >"$TMP/enotconn.lesson" <<'EOF'
title: A reply to nobody
about: The client has no name, so the server's reply cannot be sent.

actor server
  socket AF_UNIX SOCK_DGRAM
  bind @arrows-test
  recvfrom 1024
  sendto $received $peer

actor client
  socket AF_UNIX SOCK_DGRAM
  sendto "x" @arrows-test
EOF
S=enotconn
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP $TMP/enotconn.lesson"
wait_started $S 10 || true
step_all $S "$TMP/enotconn.screens"
no_arrow() {
	local row
	row=$(screen $S | grep -F '✗ sendto(' | head -1)
	# Fixed strings: in the C locale a bracket of UTF-8 arrows is a set of
	# bytes, and the ✗ shares two of them.
	[ -n "$row" ] && ! echo "$row" | grep -qF -e '◀' -e '▶'
}
check "a sendto() that failed (ENOTCONN) draws no arrow on its row" eval 'wait_for $S "ENOTCONN" && no_arrow'
check "the client's sendto() that worked still has its arrow" wait_re $S "1 B.*▶|◀.*1 B"
tm kill-session -t $S

# --- every arrow labelled, the ACK of the bytes too -----------------------------------
S=echo
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/01-echo.lesson"
wait_started $S 10 || true
step_all $S "$TMP/echo.screens" 7
# The flow's arrow rows (the headings to the console strip) that have no
# letter or digit: an arrow with no label.
unlabelled() { screen $S | sed -n '2,/console:/p' | grep -F -e '◀' -e '▶' | grep -vE '[A-Za-z0-9]'; }
labelled() {
	local i
	for ((i = 0; i < 60; i++)); do
		[ -z "$(unlabelled)" ] && screen $S | grep -qE '─ACK─' && return 0
		sleep 0.05
	done
	return 1
}
check "80x24: every arrow in the flow has its label once it has arrived, the ACKs too" labelled
tm kill-session -t $S
