#!/bin/bash
# faults.sh - what happens when things go wrong, in a real terminal: signals,
# a killed actor, a killed sockstep, a resize storm, a tiny terminal, an actor
# blocked for ever. Each time: a clear message, the terminal as it was, and no
# process left behind.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
LESSON=lessons/01-echo.lesson

need_tui

# --- SIGINT, SIGTERM, SIGHUP, SIGQUIT while the TUI runs ---------------
for sig in INT TERM HUP QUIT; do
	s=sig$sig
	start "$s" 80 24 "$(wrapped "$s" "$SOCKSTEP $LESSON")"
	if ! wait_started "$s"; then
		fail "SIG$sig restores the terminal" "the TUI did not start"
		continue
	fi
	pids=$(actor_pids "$s")
	tm send-keys -t "$s" Space Space Space
	# This pane's sockstep, not another test run's with the same command line.
	shpid=$(tm display-message -p -t "$s" '#{pane_pid}')
	main=$(pgrep -P "$shpid" | head -n 1)
	kill -"$sig" "$main" 2>/dev/null
	if wait_file "$TMP/$s.after" && cmp -s "$TMP/$s.before" "$TMP/$s.after" && gone_within 10 $pids; then
		pass "SIG$sig: terminal modes as before, no actor left (status $(cat "$TMP/$s.status"))"
	else
		fail "SIG$sig restores the terminal" "stty before/after differ or an actor is left"
	fi
done

# --- sockstep killed with SIGKILL: its children die within a second -------
cat >"$TMP/long.lesson" <<'LESSON'
title: Two actors that wait a long time
actor a
  socket AF_INET SOCK_STREAM
  sleep 60000
actor b
  socket AF_INET SOCK_DGRAM
  sleep 60000
LESSON
"$SOCKSTEP" --plain "$TMP/long.lesson" >/dev/null 2>&1 &
main=$!
children=""
for ((i = 0; i < 100; i++)); do
	children=$(cat /proc/$main/task/$main/children 2>/dev/null)
	[ "$(echo "$children" | wc -w)" -ge 2 ] && break
	sleep 0.05
done
kill -KILL "$main"
wait "$main" 2>/dev/null
if [ "$(echo "$children" | wc -w)" -ge 2 ] && gone_within 10 $children; then
	pass "sockstep killed with SIGKILL: its actors are gone within a second"
else
	fail "sockstep killed with SIGKILL" "actors '$children' still there"
fi

# --- an actor killed in the middle of a blocking call -----------------------
start kill 80 24 "$SOCKSTEP $LESSON"
wait_started kill
tm send-keys -t kill Space 1 Space 1 Space 1 Space 1 Space 1 Space 1   # 1 answers a question, if one is asked
# The server now waits in recv(4, ...) for the client's bytes.
if wait_for kill "recv(4, 1024)"; then
	tm send-keys -t kill Enter 1
	wait_for kill "blocked" 3
	client=$(actor_pids kill | sed -n 2p)
	kill -KILL "$client"
	if wait_for kill "killed by SIGKILL" && wait_for kill "recv(4, 1024) = 0"; then
		pass "a killed actor is named on screen, and its peer's recv sees the end (0)"
	else
		fail "a killed actor" "$(screen kill | sed -n 1,10p | tr '\n' '|')"
	fi
else
	fail "a killed actor" "the server never reached recv: $(screen kill | sed -n 1,10p | tr '\n' '|')"
fi
pids=$(actor_pids kill)
tm send-keys -t kill q
gone_within 10 $pids || fail "a killed actor" "the other actor is left behind"

# --- an actor blocked for ever: quitting is still at once -------------------
start stuck 80 24 "$(wrapped stuck "$SOCKSTEP $LESSON")"
wait_started stuck
tm send-keys -t stuck Space 1 Space 1 Space 1 Enter 1
if wait_for stuck "blocked"; then
	pids=$(actor_pids stuck)
	tm send-keys -t stuck q
	if wait_file "$TMP/stuck.after" 2 && gone_within 10 $pids; then
		pass "quitting while an actor is blocked in accept is immediate"
	else
		fail "quitting while an actor is blocked" "sockstep did not exit within 2 s"
	fi
else
	fail "quitting while an actor is blocked" "accept never showed as blocked"
fi

# --- a resize storm, then a 20x10 terminal that grows back -------------------
start storm 80 24 "$SOCKSTEP $LESSON"
wait_started storm
tm send-keys -t storm Space Space
for ((i = 0; i < 300; i++)); do
	tm resize-window -t storm -x $((20 + RANDOM % 200)) -y $((5 + RANDOM % 60)) 2>/dev/null
done
tm resize-window -t storm -x 20 -y 10
if wait_for storm "small: 20x10"; then
	tm resize-window -t storm -x 80 -y 24
	if wait_started storm && wait_for storm "bind(3, 127.0.0.1:65432) = 0"; then
		pass "300 resizes, then 20x10 shows the notice and 80x24 the lesson again"
	else
		fail "resize storm" "the drawing did not come back: $(screen storm | head -3 | tr '\n' '|')"
	fi
else
	fail "resize storm" "no notice at 20x10 (or sockstep died): $(screen storm | head -3 | tr '\n' '|')"
fi
