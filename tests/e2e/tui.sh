#!/bin/bash
# tui.sh - the TUI in a real terminal (tmux), checked as a student sees it.
#
# Run from the repository root after `make`. Prints one line per check:
# "PASS: name", "FAIL: name: why" or "SKIP: name: why". Uses a private tmux
# server (its own socket), waits by polling the pane's text (bounded, never
# a long sleep), and kills the server on every exit.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
LESSON=lessons/01-echo.lesson
# Lessons finished here go into a progress file of the test's own.
export XDG_STATE_HOME="$TMP/state"

# The handshake as arrows in the flow (ASCII or box-drawing glyphs):
# SYN to the left (client -> server), SYN,ACK to the right, ACK to the left.
handshake_arrows() {
	wait_re "$1" '[<◀][-─]+SYN[-─]+( |$)' &&
		wait_re "$1" '[-─]SYN,ACK[-─]+[>▶]' &&
		wait_re "$1" '[<◀][-─]+ACK[-─]+( |$)'
}

# A step key, then 1: the first run of a step with a question asks it
# first, and 1 answers it so that the call runs; anywhere else, 1 does
# nothing. So "Space 1" is always exactly one call.

need_tui

# --- stepping the echo lesson at 80x24, then q ---------------------------
start main 80 24 "$(wrapped main "$SOCKSTEP $LESSON")"
if wait_started main && wait_for main "CLIENT"; then
	pass "starts at 80x24 with a column per actor"
else
	fail "starts at 80x24 with a column per actor" "no SERVER/CLIENT headings: $(screen main | head -3 | tr '\n' '|')"
fi
pids=$(actor_pids main)

for k in 1 2 3; do tm send-keys -t main Space 1; done
wait_for main "listen(3, 1) = 0" || fail "three steps" "listen() did not return"
# accept() would block, so "next" would run the client: step the server by hand.
tm send-keys -t main Enter 1
if wait_for main "accept(3) ... blocked" && wait_for main "blocked in accept"; then
	pass "server accept shows blocked before the client connects"
else
	fail "server accept shows blocked before the client connects" "$(screen main | sed -n 2,8p | tr '\n' '|')"
fi

tm send-keys -t main Tab
tm send-keys -t main Enter 1
wait_for main "socket(AF_INET, SOCK_STREAM) = 3" || true
tm send-keys -t main Enter 1
if wait_for main "connect(3, 127.0.0.1:65432) = 0" && wait_for main "accept(3) = 4"; then
	if screen main | grep -qF "... blocked"; then
		fail "accept returns after connect" "still shows blocked"
	else
		pass "accept returns after connect"
	fi
else
	fail "accept returns after connect" "$(screen main | sed -n 2,8p | tr '\n' '|')"
fi

for k in 1 2 3 4 5 6; do
	screen main | grep -qF "48 65 6c 6c 6f" && break
	tm send-keys -t main Space 1
	wait_for main "48 65 6c 6c 6f" 1 && break
done
if screen main | grep -qF "48 65 6c 6c 6f 2c 20 77 6f 72 6c 64" && screen main | grep -qF "client -> server  12 B"; then
	pass "byte pane shows the hex of sendall"
else
	fail "byte pane shows the hex of sendall" "$(screen main | sed -n 12,18p | tr '\n' '|')"
fi

tm send-keys -t main '?'
if wait_for main "sockstep help"; then pass "help overlay opens"; else fail "help overlay opens" "not shown"; fi
tm send-keys -t main Escape
wait_for main "narration" || fail "help overlay closes" "screen did not come back"

tm send-keys -t main q
if wait_file "$TMP/main.status" && wait_file "$TMP/main.after"; then
	status=$(cat "$TMP/main.status")
	if [ "$status" = 0 ] && cmp -s "$TMP/main.before" "$TMP/main.after"; then
		pass "q exits 0 and restores the terminal modes"
	else
		fail "q exits 0 and restores the terminal modes" "status $status, stty $(cat "$TMP/main.before") vs $(cat "$TMP/main.after")"
	fi
else
	fail "q exits 0 and restores the terminal modes" "sockstep did not exit"
fi
if [ -n "$pids" ] && all_gone $pids; then
	pass "q leaves no actor process"
else
	fail "q leaves no actor process" "pids '$pids' still there or never seen"
fi

# --- NO_COLOR: no colour codes at all, and still readable -----------------
start nocolor 80 24 "env NO_COLOR=1 $SOCKSTEP $LESSON"
wait_started nocolor || fail "NO_COLOR run" "did not start"
tm send-keys -t nocolor Space 1
if wait_for nocolor "socket(AF_INET, SOCK_STREAM) = 3"; then
	# capture-pane -e writes attributes as SGR codes: colours are 30-38, 40-48,
	# 90-97 and 100-107 (39 and 49 only reset to the default).
	if tm capture-pane -e -p -t nocolor | grep -qE $'\e\\[([0-9]+;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]+)*m'; then
		fail "NO_COLOR run" "colour codes on screen"
	else
		pass "NO_COLOR run works without colours"
	fi
else
	fail "NO_COLOR run" "step did not show"
fi
tm send-keys -t nocolor q

# --- too small, then resized ---------------------------------------------
start small 40 12 "$SOCKSTEP $LESSON"
if wait_for small "terminal too small: 40x12"; then
	pass "40x12 shows the too-small notice"
else
	fail "40x12 shows the too-small notice" "$(screen small | tr '\n' '|')"
fi
tm resize-window -t small -x 80 -y 24
if wait_started small && ! screen small | grep -qF "too small"; then
	pass "the drawing returns after resizing to 80x24"
else
	fail "the drawing returns after resizing to 80x24" "$(screen small | head -3 | tr '\n' '|')"
fi
tm send-keys -t small q

# --- the kernel's view at 80x24: the handshake, the queue, TIME_WAIT --------
# Five steps: the server's socket, bind and listen, the client's socket and
# connect (accept() would block, so the client runs before it).
start kernel 80 24 "$SOCKSTEP $LESSON"
wait_started kernel || true
if screen kernel | grep -qF "no packet capture"; then
	skip "kernel view at 80x24" "no packet capture"
else
	if screen kernel | grep -qE ' k +sockets '; then
		pass "the key bar offers k for the socket pane"
	else
		fail "the key bar offers k for the socket pane" "$(screen kernel | tail -1)"
	fi
	for k in 1 2 3 4 5; do tm send-keys -t kernel Space 1; done
	if wait_for kernel "connect(3, 127.0.0.1:65432) = 0" && handshake_arrows kernel; then
		pass "80x24: SYN, SYN,ACK and ACK arrows beside connect()"
	else
		fail "80x24: SYN, SYN,ACK and ACK arrows beside connect()" "$(screen kernel | sed -n 2,10p | tr '\n' '|')"
	fi
	tm send-keys -t kernel k
	if wait_for kernel "sockets (3)" && wait_re kernel 'server +tcp +127\.0\.0\.1:65432 .*LISTEN +queue 1/1' &&
		wait_re kernel 'client +tcp .*ESTABLISHED'; then
		pass "80x24: k shows the socket table, the listener's queue at 1/1"
	else
		fail "80x24: k shows the socket table, the listener's queue at 1/1" "$(screen kernel | sed -n 11,16p | tr '\n' '|')"
	fi
	tm send-keys -t kernel k
	if wait_for kernel "packets (3)" && wait_for kernel "server -> client  TCP [SYN,ACK]"; then
		pass "80x24: k again shows the packets"
	else
		fail "80x24: k again shows the packets" "$(screen kernel | sed -n 11,16p | tr '\n' '|')"
	fi
	tm send-keys -t kernel k   # back to the bytes
	tm send-keys -t kernel k   # and on to the sockets
	for k in $(seq 1 12); do tm send-keys -t kernel Space 1; done
	if wait_re kernel "lesson finished|lesson is over" 10 && wait_re kernel 'client +tcp .*TIME_WAIT'; then
		pass "80x24: after close the client's socket waits in TIME_WAIT"
	else
		fail "80x24: after close the client's socket waits in TIME_WAIT" "$(screen kernel | sed -n 11,16p | tr '\n' '|')"
	fi
fi
tm send-keys -t kernel q

# --- a large terminal ----------------------------------------------------
start large 160 48 "$SOCKSTEP $LESSON"
wait_started large || true
for k in 1 2 3 4 5 6 7; do tm send-keys -t large Space 1; done
if wait_for large "48 65 6c 6c 6f 2c 20 77 6f 72 6c 64" && wait_for large "connect(3, 127.0.0.1:65432) = 0"; then
	pass "renders at 160x48"
else
	fail "renders at 160x48" "$(screen large | head -8 | tr '\n' '|')"
fi
tm send-keys -t large q

# At 160x48 the socket table and the packets are beside the bytes, no key needed.
start wide 160 48 "$SOCKSTEP $LESSON"
wait_started wide || true
if screen wide | grep -qF "no packet capture"; then
	skip "kernel view at 160x48" "no packet capture"
else
	for k in 1 2 3 4 5; do tm send-keys -t wide Space 1; done
	if wait_for wide "connect(3, 127.0.0.1:65432) = 0" && handshake_arrows wide &&
		wait_re wide 'LISTEN +queue 1/1' && wait_for wide "packets (3)" && wait_for wide "bytes"; then
		pass "160x48: handshake arrows, socket table and packets all on screen"
	else
		fail "160x48: handshake arrows, socket table and packets all on screen" "$(screen wide | sed -n 25,40p | tr '\n' '|')"
	fi
fi
tm send-keys -t wide q

# --- SIGTERM while running ---------------------------------------------------
start term 80 24 "$(wrapped term "$SOCKSTEP $LESSON")"
wait_started term || true
pids=$(actor_pids term)
shpid=$(tm display-message -p -t term '#{pane_pid}')
main_pid=$(pgrep -P "$shpid" | head -1)
if [ -z "$main_pid" ]; then
	fail "SIGTERM restores the terminal" "no sockstep process found"
else
	kill -TERM "$main_pid"
	if wait_file "$TMP/term.status" && wait_file "$TMP/term.after"; then
		status=$(cat "$TMP/term.status")
		if [ "$status" = 143 ] && cmp -s "$TMP/term.before" "$TMP/term.after"; then
			pass "SIGTERM restores the terminal (exit 143)"
		else
			fail "SIGTERM restores the terminal" "status $status"
		fi
	else
		fail "SIGTERM restores the terminal" "sockstep did not exit"
	fi
	if [ -n "$pids" ] && all_gone $pids "$main_pid"; then
		pass "SIGTERM leaves no sockstep process"
	else
		fail "SIGTERM leaves no sockstep process" "pids '$pids $main_pid'"
	fi
fi

# --- the lesson menu, a question, the finished mark, the code pane ----------
# Two small lessons of the test's own, so that the curriculum changing never
# moves these checks; a progress file that starts empty.
mkdir -p "$TMP/lessons" "$TMP/menu-state"
cat >"$TMP/lessons/01-predict.lesson" <<'LESSON'
title: Predictions
about: A server and a client, and one question about a recv().
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  recv 100
  ? The client sent hello. How many bytes will this recv() return?  [5] 0 "it blocks"
  close
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  send "hello"
  close
LESSON
sed -e 's/^title: .*/title: Second lesson/' "$TMP/lessons/01-predict.lesson" >"$TMP/lessons/02-second.lesson"
menu_env="env SOCKSTEP_LESSONS=$TMP/lessons XDG_STATE_HOME=$TMP/menu-state"

start menu 80 24 "$menu_env $SOCKSTEP"
if wait_for menu "0 of 2 finished" && wait_re menu '(▶|>>) +01 +Predictions' && wait_for menu "02  Second lesson"; then
	pass "no lesson: the menu lists the lessons, the first one picked"
else
	fail "no lesson: the menu lists the lessons, the first one picked" "$(screen menu | head -5 | tr '\n' '|')"
fi
tm send-keys -t menu Enter
wait_started menu || fail "enter opens the lesson" "$(screen menu | head -3 | tr '\n' '|')"
for k in $(seq 1 12); do
	screen menu | grep -qF "question: predict" && break
	tm send-keys -t menu Space
	wait_for menu "question: predict" 1 && break
done
if wait_for menu "? The client sent hello. How many bytes will this recv() return?" &&
	wait_re menu '^ +1 +5$' && wait_re menu '^ +3 +it blocks$' && ! screen menu | grep -qF "recv(4, 100) ="; then
	pass "a question is asked before its call runs, its choices numbered"
else
	fail "a question is asked before its call runs, its choices numbered" "$(screen menu | tail -9 | tr '\n' '|')"
fi
tm send-keys -t menu Space
if wait_for menu "first your prediction: press 1-3"; then
	pass "space waits for the prediction"
else
	fail "space waits for the prediction" "$(screen menu | tail -2 | tr '\n' '|')"
fi
tm send-keys -t menu 1
if wait_for menu "Right. You said: 5. The run: recv() returned 5" && wait_for menu "score 1/1" &&
	wait_for menu "recv(4, 100) = 5"; then
	pass "a digit answers; the call runs and the verdict shows beside what happened"
else
	fail "a digit answers; the call runs and the verdict shows beside what happened" "$(screen menu | tail -9 | tr '\n' '|')"
fi
for k in $(seq 1 12); do
	screen menu | grep -qF "lesson finished" && break
	tm send-keys -t menu Space
	wait_for menu "lesson finished" 1 && break
done
if wait_for menu "lesson finished: n next lesson (02 second), m menu"; then
	pass "a finished lesson offers the next one"
else
	fail "a finished lesson offers the next one" "$(screen menu | tail -3 | tr '\n' '|')"
fi
tm send-keys -t menu m
if wait_for menu "1 of 2 finished" && wait_re menu 'Predictions +(✓ |ok )1/1' &&
	wait_re menu '(▶|>>) +02 +Second lesson' && grep -qx "predict 1 1" "$TMP/menu-state/sockstep/progress"; then
	pass "m: back in the menu, the lesson marked finished with its score, the next one picked"
else
	fail "m: back in the menu, the lesson marked finished with its score" "$(screen menu | head -5 | tr '\n' '|') $(cat "$TMP/menu-state/sockstep/progress" 2>&1)"
fi
menu_pids=""
tm send-keys -t menu Enter
wait_for menu "Second lesson" && wait_started menu
menu_pids=$(actor_pids menu)
for k in 1 2 3; do tm send-keys -t menu Space; done
wait_for menu "listen(3, 1) = 0" || true
tm send-keys -t menu s
if wait_re menu 'SERVER (·|-) Python' && wait_re menu '(▶|>>) +conn, addr = s\.accept\(\)' && ! screen menu | grep -qF "SERVER  pid"; then
	pass "s shows the code in Python in the flow's place, the next call marked"
else
	fail "s shows the code in Python in the flow's place, the next call marked" "$(screen menu | sed -n 2,10p | tr '\n' '|')"
fi
tm send-keys -t menu s
if wait_re menu 'SERVER (·|-) C ' && wait_re menu '(▶|>>) .*accept\('; then
	pass "s again: the same in C"
else
	fail "s again: the same in C" "$(screen menu | sed -n 2,10p | tr '\n' '|')"
fi
tm send-keys -t menu s
if wait_for menu "SERVER  pid" && ! screen menu | grep -qE 'SERVER (·|-) C'; then
	pass "s a third time: the flow is back"
else
	fail "s a third time: the flow is back" "$(screen menu | sed -n 2,4p | tr '\n' '|')"
fi
tm send-keys -t menu m
if wait_for menu "1 of 2 finished" && all_gone $menu_pids; then
	pass "m stops the lesson's actors"
else
	fail "m stops the lesson's actors" "pids '$menu_pids'"
fi
tm send-keys -t menu q

# Autoplay stops at a question and waits for the answer.
start auto 80 24 "$menu_env $SOCKSTEP --autoplay $TMP/lessons/02-second.lesson"
tm send-keys -t auto + + +
if wait_for auto "question: predict" 10 && sleep 1 && screen auto | grep -qF "question: predict" &&
	! screen auto | grep -qF "recv(4, 100) ="; then
	pass "autoplay stops at a question"
else
	fail "autoplay stops at a question" "$(screen auto | tail -4 | tr '\n' '|')"
fi
tm send-keys -t auto 2
if wait_for auto "You said: 0. Answer: 5." && wait_for auto "a starts it again"; then
	pass "after a wrong answer: the answer, and how autoplay goes on"
else
	fail "after a wrong answer: the answer, and how autoplay goes on" "$(screen auto | tail -8 | tr '\n' '|')"
fi
tm send-keys -t auto q

# The real curriculum: the menu opens on the first lesson.
start real 80 24 "$SOCKSTEP"
if wait_for real "lessons" && wait_re real '(▶|>>) +01 +Echo server and client'; then
	pass "sockstep with no lesson opens the menu of the lessons"
else
	fail "sockstep with no lesson opens the menu of the lessons" "$(screen real | head -4 | tr '\n' '|')"
fi
tm send-keys -t real q

# --- no keyboard -----------------------------------------------------------
# On a terminal, but with standard input from elsewhere: the screen would
# read its keys from a file, so it says why not instead of starting.
# (Standard output not a terminal runs the lesson plain: tests/plain.sh.)
start nokeys 80 24 "sh -c '$SOCKSTEP $LESSON </dev/null 2>$TMP/nokeys.err; echo \$? >$TMP/nokeys.status; exec sleep 600'"
if wait_file "$TMP/nokeys.status" && [ "$(cat "$TMP/nokeys.status")" = 1 ] &&
   grep -q '^sockstep: standard input is not a terminal, and the screen reads its keys there; use --plain' "$TMP/nokeys.err"; then
	pass "standard input not a terminal: says so and exits 1"
else
	fail "standard input not a terminal: says so and exits 1" "status $(cat "$TMP/nokeys.status" 2>/dev/null), said '$(cat "$TMP/nokeys.err" 2>/dev/null)'"
fi
exit 0
