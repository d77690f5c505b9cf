#!/bin/bash
# sockets.sh - the socket and packet panes say what the kernel holds, at 80x24
# (tmux, about 10 s).
#
# Run from the repository root after `make`. Prints "PASS: name",
# "FAIL: name: why" or "SKIP: name: why" per check. A CLOSE_WAIT socket
# whose Recv-Q counts only the peer's FIN says "0+FIN", not 1 byte; an
# AF_UNIX socket's Send-Q, memory and not bytes, shows as "-", not 768
# for 5 bytes sent; once every socket has closed the pane says so, not
# "No sockets yet"; the packets pane scrolls back to the SYN. Each lesson
# is stepped one call at a time, its pane read at every step.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"

need_tui

start_keeper

# lesson_on NAME W H: a session NAME at W x H on $TMP/NAME.lesson, its
# socket pane shown (k).
lesson_on() {
	start "$1" "$2" "$3" "env LC_ALL=C.UTF-8 $SOCKSTEP $TMP/$1.lesson"
	wait_for "$1" "SERVER" 10 || true
	tm send-keys -t "$1" k
	wait_for "$1" "── sockets" 5 || true
}

# --- CLOSE_WAIT: the FIN is no byte ---------------------------------------------
cat >"$TMP/finwait.lesson" <<'EOF'
title: The FIN in Recv-Q
about: The client closes; the server reads its byte, then the end.

actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  recv 1024
  recv 1024
  close
  close on s

actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  sendall "hi"
  close
EOF
S=finwait
lesson_on $S 80 24
step_all $S "$TMP/finwait.screens" >/dev/null
if ! grep -q "CLOSE_WAIT" "$TMP/finwait.screens"; then
	skip "CLOSE_WAIT's Recv-Q" "no socket table in this run (no sock_diag here)"
else
	check "a CLOSE_WAIT socket whose only unread is the FIN says 0+FIN" \
		grep -qE 'CLOSE_WAIT +0\+FIN ' "$TMP/finwait.screens"
	check "no CLOSE_WAIT row counts the FIN as a byte (Recv-Q 1)" \
		eval '! grep -qE "CLOSE_WAIT +1 " "$TMP/finwait.screens"'
fi
tm kill-session -t $S

# --- AF_UNIX: Send-Q is memory, not bytes -----------------------------------------
cat >"$TMP/unix.lesson" <<'EOF'
title: Send-Q of a local socket
about: Five bytes over an AF_UNIX stream.

actor server
  socket AF_UNIX SOCK_STREAM
  bind @sendq
  listen 1
  accept
  recv 1024
  close
  close on s

actor client
  socket AF_UNIX SOCK_STREAM
  connect @sendq
  sendall "hello"
  close
EOF
S=unix
lesson_on $S 80 24
step_all $S "$TMP/unix.screens" >/dev/null
if ! grep -q "unix .*ESTAB" "$TMP/unix.screens"; then
	skip "AF_UNIX Send-Q" "no AF_UNIX row in the socket table here"
else
	check "an AF_UNIX socket's Send-Q shows as -, not the memory its buffers hold" \
		eval 'grep -qE "unix .*ESTAB[A-Z]* +[0-9]+ +- *$" "$TMP/unix.screens" &&
			! grep -qE "unix .* [0-9]+ +[1-9][0-9]* *$" "$TMP/unix.screens"'
	check "the 5 bytes wait in the server's Recv-Q" grep -qE "unix .*ESTAB[A-Z]* +5 +- *$" "$TMP/unix.screens"
fi
tm kill-session -t $S

# --- every socket closed: not "yet" ----------------------------------------------
cat >"$TMP/gone.lesson" <<'EOF'
title: Every socket closed
about: A datagram socket, bound and closed.

actor server
  socket AF_INET SOCK_DGRAM
  bind 127.0.0.1 65432
  close
EOF
S=gone
lesson_on $S 80 24
check "before the first socket the pane says No sockets yet" wait_for $S "No sockets yet"
step_all $S "$TMP/gone.screens" >/dev/null
if ! grep -q "udp " "$TMP/gone.screens"; then
	skip "every socket closed" "no socket table in this run"
else
	check "once every socket has closed the pane says so, not 'yet'" \
		eval 'wait_for $S "No sockets now: every socket of this run has closed" 5 &&
			! screen $S | grep -qF "No sockets yet"'
fi
tm kill-session -t $S

# --- the packets pane scrolls back to the SYN -----------------------------------------
S=packets
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/01-echo.lesson"
wait_started $S 10 || true
: >"$TMP/packets.screens"
# To step 7, the client's 12 bytes and their ACK: five packets, one more
# than the pane's rows.
for ((i = 0; i < 12; i++)); do
	screen $S | head -1 | grep -qF "step 7/" && break
	step_all $S "$TMP/packets.screens" 1 >/dev/null
done
tm send-keys -t $S k k
if ! wait_for $S "── packets (" 5 || screen $S | grep -qF "No packet capture"; then
	skip "the packets pane scrolls" "no packet capture in this run"
else
	check "80x24: the packets pane shows the newest, and says it scrolls" \
		eval 'wait_for $S "PgUp/PgDn scroll" && ! screen $S | grep -qF "TCP [SYN] seq=0"'
	tm send-keys -t $S PPage
	check "80x24: PgUp scrolls the packets back to the SYN" \
		eval 'wait_for $S "TCP [SYN] seq=0" && wait_for $S "older packets: PgDn or End for the newest"'
	tm send-keys -t $S End
	check "80x24: End shows the newest packets again" \
		eval 'wait_for $S "PgUp/PgDn scroll" && ! screen $S | grep -qF "TCP [SYN] seq=0"'
fi
tm kill-session -t $S

# --- the byte pane names a thread's peer ------------------------------------------------
P=${BUILD:-build}/programs
if [ ! -x "$P/threaded_server" ] || [ ! -x "$P/echo_client" ]; then
	skip "the byte pane names a thread's peer" "$P/threaded_server not built (make unit builds it)"
else
	S=thread
	start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP run --server $P/threaded_server --client $P/echo_client"
	wait_started $S 10 || true
	for ((i = 0; i < 40; i++)); do
		screen $S | grep -qE "server\.2 <- client" && break
		tm send-keys -t $S Space
		sleep 0.1
	done
	check "the byte pane names the peer of the server's thread, not ?" \
		eval 'wait_re $S "server\.2 <- client +12 B" && ! screen $S | grep -qE "<- \?|-> \?"'
	for ((i = 0; i < 20; i++)); do
		screen $S | grep -qE "client <- server" && break
		tm send-keys -t $S Space
		sleep 0.1
	done
	check "and the client's reply is from the thread that sent it" wait_re $S "client <- server\.2 +12 B"
	tm kill-session -t $S
fi
