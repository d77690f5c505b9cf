#!/bin/bash
# stuck.sh - a lesson stuck on the screen says what to try (tmux, 80x24):
# both actors receive first, and the narration gives the hint --check gives
# ("both sides wait to receive: one must send first"), wrapped whole.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"
need_tui

cat >"$TMP/both.lesson" <<'LESSON'
title: Both receive
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 5007
  listen 1
  accept
  recv 100
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 5007
  recv 100
LESSON
S=stuck
start $S 80 24 "$SOCKSTEP $TMP/both.lesson"
wait_for $S "SERVER" 5
for _ in $(seq 1 12); do
	screen $S | grep -q "^ Stuck: " && break
	tm send-keys -t $S " "
	wait_re $S "^ Stuck: " 1
done
hinted() {
	screen $S | tr '\n' ' ' | tr -s ' ' | grep -qF "Hint: both sides wait to receive: one must send first (or close, so the other's recv returns 0)"
}
check "80x24: a stuck lesson's narration gives the hint, whole" hinted
