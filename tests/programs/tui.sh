#!/bin/bash
# tui.sh - the seed tutorials' Python programs, unchanged, stepped in the
# TUI by sockstep run in a real terminal (tmux), as a student would: every
# call one key, the bytes in hex, the socket table and the handshake's
# packets, then a line typed into the chat client's input().
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
. tests/lib-python.sh

need_tui

# step SESSION TEXT [MAX]: press space until TEXT shows, MAX presses at most.
step_until() {
	local i
	for ((i = 0; i < ${3:-40}; i++)); do
		screen "$1" | grep -qF -- "$2" && return 0
		tm send-keys -t "$1" ' '
		wait_for "$1" "$2" 1 && return 0
	done
	return 1
}

start echo 160 48 "$SOCKSTEP run --server '$PY tests/programs/echo-server.py' --client '$PY tests/programs/echo-client.py'"
if wait_for echo "SERVER  pid" 10 && wait_for echo "socket(AF_INET, SOCK_STREAM)" 5; then
	pass "run: both programs stopped at their first call"
else
	fail "run: first stop" "$(screen echo | head -n 5)"
fi
pids=$(actor_pids echo)
if step_until echo "accept4(3, SOCK_CLOEXEC) = 4 from 127.0.0.1:"; then
	pass "run: accept4, as Python makes it, with the client's address"
else
	fail "run: accept4" "$(screen echo | head -n 14)"
fi
if screen echo | grep -q "SYN,ACK"; then
	pass "run: the handshake's packets drawn under connect"
else
	fail "run: handshake" "$(screen echo | head -n 14)"
fi
if screen echo | grep -qE "LISTEN|ESTABLISHED"; then
	pass "run: the socket table, from the kernel"
else
	fail "run: socket table" "$(screen echo | tail -n 30)"
fi
if step_until echo "48 65 6c 6c 6f 2c 20 77 6f 72 6c 64" && screen echo | grep -qF "Hello, world"; then
	pass "run: the bytes of sendall, in hex and ASCII"
else
	fail "run: bytes" "$(screen echo | tail -n 30)"
fi
if step_until echo "recv() takes what has arrived"; then
	pass "run: narration of what recv does"
else
	fail "run: narration" "$(screen echo | tail -n 12)"
fi
if step_until echo "Received b'Hello, world'" 30; then
	pass "run: the client's print() in its console"
else
	fail "run: console" "$(screen echo | tail -n 30)"
fi
tm send-keys -t echo q
# shellcheck disable=SC2086
if all_gone $pids; then
	pass "run: q leaves no program running"
else
	fail "run: quit" "still running: $pids"
fi

start chat 120 40 "$SOCKSTEP run --server '$PY tests/programs/chat-server.py' --client '$PY tests/programs/chat-client.py'"
wait_for chat "SERVER  pid" 10
if step_until chat "input (enter sends)"; then
	pass "chat: the client's input() opens the line editor"
else
	fail "chat: input" "$(screen chat | tail -n 8)"
fi
# Space once more, as a student stepping on presses it: not the line's
# first character (the server would read " hello").
tm send-keys -t chat Space
tm send-keys -t chat 'hello' Enter
if step_until chat "Received from User: HELLO" 20; then
	pass "chat: the typed line crossed, and the server upper-cased it"
else
	fail "chat: typed line" "$(screen chat | head -n 24)"
fi
tm send-keys -t chat q

# The seed tutorial's multi-connection pair (issue 12): its event loops
# spin, shown as polling, and space never loops in one of them; once the
# client has ended, the server waiting for a next client ends the run.
start multi 160 48 "$SOCKSTEP run --server '$PY tests/programs/multiconn-server.py' --client '$PY tests/programs/multiconn-client.py'"
wait_for multi "SERVER  pid" 10
pids=$(actor_pids multi)
# Space until the first event loop has nothing new (ten presses at once,
# then one at a time), then autoplay (a) at its fastest (+) to the end.
tm send-keys -t multi ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' ' '
if step_until multi "polling" 20; then
	pass "selectors pair: an event loop with nothing new shows as polling"
else
	fail "selectors pair: polling" "$(screen multi | head -n 3)"
fi
tm send-keys -t multi a + + + + + + + +
if wait_for multi "server waits for a next client: the run is over" 60 &&
   screen multi | grep -q "SERVER  stopped: run over"; then
	pass "selectors pair: the client got its turns, and the run is over with the server waiting"
else
	fail "selectors pair: the end" "$(screen multi | head -n 3; screen multi | tail -n 6)"
fi
tm send-keys -t multi q
# shellcheck disable=SC2086
if all_gone $pids; then
	pass "selectors pair: q leaves no program running"
else
	fail "selectors pair: quit" "still running: $pids"
fi
