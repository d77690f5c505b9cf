#!/bin/bash
# time.sh - going back, breakpoints and presenter mode, in a real terminal
# (tmux), checked as a student or a presenter sees them.
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check (tests/run.sh counts
# them). The echo lesson has a question on the server's accept(); "Space 1"
# is one step whether the question is asked (1 answers it) or not (1 does
# nothing).
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
LESSON=lessons/01-echo.lesson
export XDG_STATE_HOME="$TMP/state"

need_tui

# A session that outlives the others keeps the tmux server up between them.
start keep 20 5 "sleep 600"

# --- b and g: back a step, and to a step by its number -------------------------
S=back
start $S 80 24 "$SOCKSTEP $LESSON"
wait_started $S || true
for k in 1 2 3 4 5 6; do tm send-keys -t $S Space 1; done
check "six steps: the title says step 6/6, the accept has returned" \
	eval 'wait_for $S "step 6/6" && wait_for $S "accept(3) = 4" && wait_for $S "score 1/1"'
old_pids=$(actor_pids $S)
tm send-keys -t $S b
check "b: back at step 5 of 6, accept() not run yet, the same score" \
	eval 'wait_for $S "step 5/6" 10 && wait_re $S "(▶|>>) accept\(3\)" && ! screen $S | grep -qF "accept(3) = 4" &&
		wait_for $S "score 1/1"'
check "b: the run before it is gone (fresh processes)" eval '[ -n "$old_pids" ] && all_gone $old_pids &&
	[ "$(actor_pids $S)" != "$old_pids" ]'
if screen $S | grep -q "no packet capture"; then
	skip "b: the handshake is on screen as it was" "no packet capture"
else
	check "b: the handshake is on screen as it was" \
		eval 'wait_for $S "connect(3, 127.0.0.1:65432) = 0" && wait_re $S "SYN,ACK"'
fi
tm send-keys -t $S g
check "g: asks for the step number in the status line" wait_for $S "go to step (0-6):"
tm send-keys -t $S 2 Enter
check "g 2: at step 2 of 6, listen() still to come" \
	eval 'wait_for $S "step 2/6" 10 && wait_re $S "(▶|>>) listen\(3, 1\)"'
tm send-keys -t $S Space Space Space Space
check "on again over the answered question: not asked twice, its verdict again" \
	eval 'wait_for $S "step 6/6" 10 && ! screen $S | grep -qF "question: predict" && wait_for $S "Right. You said: 4" &&
		wait_for $S "score 1/1"'
tm send-keys -t $S g 9 Enter
check "g beyond the furthest step says how far the run has gone" wait_for $S "this run has gone as far as step 6"
tm send-keys -t $S q

# --- breakpoints: x on a step, X on a kind, c continues to them ----------------------
S=brk
start $S 80 24 "$SOCKSTEP $LESSON"
wait_started $S || true
for k in 1 2 3; do tm send-keys -t $S Space; done
wait_for $S "listen(3, 1) = 0" || true
tm send-keys -t $S x
check "x marks the picked actor's next call" \
	eval 'wait_for $S "breakpoint on server accept(3)" && wait_re $S "(●|B>) accept\(3\)"'
tm send-keys -t $S s
check "the code pane marks the breakpoint's line" wait_re $S "(●|B>) +conn, addr = s\.accept\(\)"
tm send-keys -t $S s s
tm send-keys -t $S g 0 Enter
wait_for $S "step 0/3" 10 || true
tm send-keys -t $S c
check "c runs to the breakpoint and stops before the call" \
	eval 'wait_for $S "breakpoint before server accept(3)" 10 && wait_for $S "step 5/5" &&
		! screen $S | grep -qF "accept(3) = 4"'
tm send-keys -t $S Tab
wait_for $S "picked client" || true
tm send-keys -t $S X
check "X: a breakpoint on every call of the kind" wait_for $S "breakpoint on every sendall"
tm send-keys -t $S c
check "c stops at a question too" wait_for $S "question: predict" 10
tm send-keys -t $S 1
wait_for $S "accept(3) = 4" || true
# The run stands at the client's sendall, a breakpoint: c goes on from
# it at once, as a debugger's continue does, and the server's recv()
# asks its question first.
tm send-keys -t $S c
check "c at a breakpoint runs its call at once; the server's recv() asks its question first" \
	eval 'wait_for $S "question: predict" 10 && wait_re $S "sendall\(3, .*\) = 12"'
tm send-keys -t $S 1
wait_for $S "recv(4, 1024) = 12" || true
tm send-keys -t $S g 6 Enter
wait_for $S "step 6/8" 10 || true
tm send-keys -t $S c
check "c from step 6: the question answered is not asked again, the server's sendall is the same kind" \
	eval 'wait_for $S "breakpoint before server sendall(4" 10 && wait_for $S "step 8/8"'
tm send-keys -t $S a
check "autoplay goes on from a breakpoint: its call runs" \
	eval 'wait_for $S "autoplay" && wait_re $S "sendall\(4, .*\) = 12" 5'
tm send-keys -t $S q

# --- presenter mode -------------------------------------------------------------
S=present
start $S 80 24 "$SOCKSTEP --present $LESSON"
wait_started $S || true
check "--present: no key bar, no other pane, the clicker keys said" \
	eval 'wait_re $S "PgDn or (→|right) next" && ! screen $S | grep -qE " k +(sockets|packets) " &&
		! screen $S | grep -qF "k: sockets" && wait_for $S "narration"'
tm send-keys -t $S k
check "k in presenter mode says what it shows" wait_for $S "presenter mode shows the flow and the bytes only"
tm send-keys -t $S PageDown
check "Page Down steps" wait_for $S "step 1/1"
tm send-keys -t $S Right
check "right steps" wait_for $S "step 2/2"
tm send-keys -t $S PageUp
check "Page Up goes back" wait_for $S "step 1/2" 10
tm send-keys -t $S Left
check "left goes back" eval 'wait_for $S "step 0/2" 10 && ! screen $S | grep -qF "socket(AF_INET, SOCK_STREAM) = 3"'
tm send-keys -t $S p
check "p: the full screen again, with its key bar" wait_re $S " space +next "
tm send-keys -t $S Right
check "outside presenter mode right still picks an actor" eval 'wait_for $S "picked client" && wait_for $S "step 0/2"'
tm send-keys -t $S p
check "p: presenter mode again" wait_for $S "presenter mode: PgDn or right steps"
tm send-keys -t $S q
exit 0
