#!/bin/bash
# hints.sh - what the title, the status line and the prompts say is about
# the present moment, and one key does what it says, at 80x24 (tmux).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check (tests/run.sh counts
# them). A sleeping actor is not a stuck one: the run is "sleeping", not
# "finished", and nothing says "stuck". A hint said at one step is gone
# at the next. n at a lesson's end and c at a breakpoint act at once. A
# Stuck line longer than a row is whole, on the rows it needs.
# --plain --step asks the lesson's questions as the screen does. The
# lesson here sleeps for a minute, so the checks on it never race the
# sleep's end; the --plain checks use one of 12 s, longer than the 10 s
# after which sockstep calls a silent run stuck (about 12 s in all).
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
LESSON=lessons/01-echo.lesson
export XDG_STATE_HOME="$TMP/state"

need_tui

# A server that sleeps on after its client has ended.
sleeper() {
	cat >"$TMP/sleep.lesson" <<EOF
title: A long sleep
about: The server sleeps while its client has ended.

actor server
  sleep $1
  > The server sleeps.

actor client
  socket AF_INET SOCK_STREAM
  > A socket.
  close
  > Closed.
EOF
}

# A session that outlives the others keeps the tmux server up between them.
start keep 20 5 "sleep 600"

# The --plain run in the background meanwhile: it takes 12 s.
sleeper 12000
cp "$TMP/sleep.lesson" "$TMP/sleep12.lesson"
$SOCKSTEP --plain "$TMP/sleep12.lesson" >"$TMP/plain.out" 2>"$TMP/plain.err" &
plain_pid=$!

# --- a sleeping actor: not finished, not stuck -------------------------------
sleeper 60000
S=sleep
start $S 80 24 "$SOCKSTEP $TMP/sleep.lesson"
wait_started $S || true
tm send-keys -t $S Enter
check "the sleep is shown running" wait_for $S "sleep(60000 ms)"
tm send-keys -t $S Tab Enter Enter
check "while the server sleeps and the client has ended, the title says sleeping, not finished" \
	eval 'wait_for $S "close(3) = 0" && wait_re $S "^ *sockstep .*sleeping" &&
		! screen $S | head -1 | grep -qE "finished|stuck"'
check "the status line says the server sleeps and wakes by itself, not stuck" \
	eval 'wait_for $S "server sleeps in sleep(60000 ms): it wakes by itself" && ! screen $S | grep -qi "stuck"'
tm send-keys -t $S Space
check "space while it sleeps says so, not that the lesson is stuck" \
	eval 'wait_for $S "wakes by itself" && ! screen $S | grep -qi "stuck"'
tm send-keys -t $S q

# --- hints of another step go -------------------------------------------------
S=stale
start $S 80 24 "$SOCKSTEP $LESSON"
wait_started $S || true
for k in 1 2 3 4 5 6; do tm send-keys -t $S Space 1; done
wait_for $S "step 6/6" 10 || true
tm send-keys -t $S g 5 Enter
wait_for $S "step 5 of 6" 10 || true
tm send-keys -t $S Space
check "after g 5 and a step, the hint of step 5 is gone" \
	eval 'wait_for $S "step 6/6" 10 && ! screen $S | grep -qF "step 5 of 6"'
tm send-keys -t $S g 0 Enter
wait_for $S "step 0/6" 10 || true
tm send-keys -t $S r
wait_for $S "restarted" 10 || true
for k in 1 2 3 4 5 6; do tm send-keys -t $S Space; done
wait_for $S "question: predict" 10 || true
tm send-keys -t $S Space
check "space at a question asks for the prediction first" wait_for $S "first your prediction"
tm send-keys -t $S 1
check "the answer given, \"first your prediction\" is gone" \
	eval 'wait_for $S "accept(3) = 4" 10 && ! screen $S | grep -qF "first your prediction"'
tm send-keys -t $S q

# --- one press: c at a breakpoint, n at the end ----------------------------------
S=keys
start $S 80 24 "$SOCKSTEP $LESSON"
wait_started $S || true
tm send-keys -t $S x
wait_for $S "breakpoint on server socket(AF_INET, SOCK_STREAM)" || true
tm send-keys -t $S c
check "c at a breakpoint goes on at once: its call runs" \
	eval 'wait_for $S "socket(AF_INET, SOCK_STREAM) = 3" 10 && wait_for $S "question: predict" 10'
tm send-keys -t $S 1
# One step at a time, each waited for: a space pressed after the end
# would open the next lesson.
for k in $(seq 1 30); do
	screen $S | grep -qF "lesson finished" && break
	n=$(screen $S | head -1 | grep -oE 'step [0-9]+' | grep -oE '[0-9]+')
	tm send-keys -t $S Space 1
	wait_re $S "step $((n + 1))/" 5 || break
done
check "the echo lesson runs to its end" wait_for $S "lesson finished: n next lesson"
tm send-keys -t $S n
check "n at a lesson's end opens the next lesson at once" wait_for $S "Addresses, ports" 10
tm send-keys -t $S q

# --- --plain --step asks the questions -----------------------------------------
S=plainstep
start $S 80 24 "$SOCKSTEP --plain --step $LESSON 2>&1"
wait_for $S "next: server socket" || true
tm send-keys -t $S Enter Enter Enter Enter Enter
check "--plain --step: the question before accept, its choices numbered" \
	eval 'wait_for $S "question: The listening socket s is descriptor 3" 10 && wait_for $S "2) 3, the listening socket again" &&
		wait_re $S "^next: server accept\(3\) - predict: 1-3"'
tm send-keys -t $S 7 Enter
check "--plain --step: a choice that is not there is asked again" wait_for $S "there are 3 choices"
tm send-keys -t $S 2 Enter
check "--plain --step: the verdict, wrong, with the answer and the run" \
	eval 'wait_for $S "You said: 3, the listening socket again. Answer: 4. The run: accept()" 10'
tm send-keys -t $S q Enter
tm send-keys -t $S q Enter

# --- a long Stuck line is whole, on as many rows as it needs -----------------------
cat >"$TMP/stuck.lesson" <<'EOF'
title: Both wait
about: Each side waits for the other to speak first.

actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  recv 1024

actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  recv 1024
EOF
S=stuck
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP $TMP/stuck.lesson"
wait_started $S || true
for ((i = 0; i < 12; i++)); do
	screen $S | grep -qF "Stuck:" && break
	tm send-keys -t $S Space
	sleep 0.1
done
# The narration band as one line: the rows from its rule to the status line.
stuck_whole() {
	screen $S | awk '/── narration/ { on = 1; next } on' | head -n -2 | tr '\n' ' ' | tr -s ' ' |
		grep -qE "Stuck: server is blocked in recv\(4, 1024\); client is blocked in recv\(3, 1024\), and no actor can wake it\."
}
check "80x24: a Stuck line longer than a row is whole, on two rows" eval 'wait_for $S "Stuck:" 10 && stuck_whole'
tm kill-session -t $S

# --- --plain: a sleep is waited for, not called stuck -----------------------------
wait "$plain_pid"
st=$?
if [ "$st" = 0 ] && ! grep -q "no actor can wake it" "$TMP/plain.err" && grep -q "sleep(12000 ms) = 0" "$TMP/plain.out"; then
	pass "--plain: a 12 s sleep is waited for to its end, status 0, nothing called stuck"
else
	fail "--plain: a 12 s sleep is waited for to its end" "status $st: $(tr '\n' '|' <"$TMP/plain.err")"
fi
exit 0
