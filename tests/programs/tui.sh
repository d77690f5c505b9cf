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
# Python's first call is the epoll set its selectors module tries at import.
# Each heading names its program's process as the kernel does (comm).
if wait_for echo "SERVER  python3" 10 && wait_for echo "CLIENT  python3" 5 &&
   wait_for echo "epoll_create1(EPOLL_CLOEXEC)" 5; then
	pass "run: both programs stopped at their first call, each heading naming its program"
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
wait_for chat "SERVER  python3" 10
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

# A chat client that waits in select on its terminal and its socket: the
# wait is for input (not stuck, not finished), space opens the line editor,
# and the typed line wakes the select and crosses to the server.
start sel 120 40 "$SOCKSTEP run --server '$PY tests/programs/upper-server.py' --client '$PY tests/programs/select-client.py'"
wait_for sel "SERVER  python3" 10
pids=$(actor_pids sel)
if step_until sel "client waits in pselect6(" 30 && ! screen sel | head -n 1 | grep -q "finished"; then
	pass "select on stdin: the client waits for input in its select, the run not finished"
else
	fail "select on stdin: waits for input" "$(screen sel | head -n 2; screen sel | tail -n 8)"
fi
tm send-keys -t sel Space
if wait_for sel "input (enter sends)" 5; then
	tm send-keys -t sel 'hello' Enter
	if step_until sel "Received from server: HELLO" 20 && screen sel | grep -qF "from connected user: 'hello\n'"; then
		pass "select on stdin: the typed line woke the select and crossed to the server"
	else
		fail "select on stdin: typed line" "$(screen sel | head -n 24)"
	fi
else
	fail "select on stdin: the line editor" "$(screen sel | tail -n 8)"
fi
tm send-keys -t sel q
# shellcheck disable=SC2086
if all_gone $pids; then
	pass "select on stdin: q leaves no program running"
else
	fail "select on stdin: quit" "still running: $pids"
fi
# An accept a SIGCHLD interrupts is no failure: not marked as one, and
# never "E?"; the restarted accept is a new call.
start intr 160 48 "$SOCKSTEP run --server '${BUILD:-build}/programs/sigchld_server'"
wait_for intr "SERVER  sigchld_server pid" 10
if step_until intr "ERESTARTSYS" 20 && screen intr | grep -qE '(…|\.\.) accept\(3\) = \? ERESTARTSYS' &&
   ! screen intr | grep -q 'E?'; then
	pass "interrupted accept: shown as interrupted, not failed"
else
	fail "interrupted accept" "$(screen intr | grep -E 'accept|E\?' | head -n 5)"
fi
tm send-keys -t intr q
# The seed tutorial's multi-connection pair (issue 12): its event loops
# spin, shown as polling, and space never loops in one of them; once the
# client has ended, the server waiting for a next client ends the run.
start multi 160 48 "$SOCKSTEP run --server '$PY tests/programs/multiconn-server.py' --client '$PY tests/programs/multiconn-client.py'"
wait_for multi "SERVER  python3" 10
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
