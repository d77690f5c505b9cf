#!/bin/bash
# bytes.sh - sockstep run shows every call that moves a socket's bytes (issue
# 12): a server that answers with writev(), one that sends a file with
# Python's socket.sendfile(), an inetd-style server whose command reads and
# writes the socket as descriptors 0 and 1, and one that passes its
# connection to a worker (SCM_RIGHTS). For each pair, stepped and in a free
# run: the call shows with its bytes, every byte the client received was
# shown being sent, and the calls and their results are strace's. And a
# server that moves its request and answer through pipes with splice, a
# UDP pair that sends and receives several datagrams a call (sendmmsg,
# recvmmsg), as dig does.
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
S=$PWD/tests/programs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/lib-python.sh
. tests/programs/lib-strace.sh

# pair NAME SERVER CLIENT PATTERN: the pair under sockstep run --plain,
# stepped and free, shows a line matching PATTERN (an extended regex), and
# its bytes balance; then the same pair under strace makes the same calls.
pair() {
	local name=$1 server=$2 client=$3 pattern=$4 mode
	for mode in stepped free; do
		local flag=""
		[ $mode = free ] && flag=--free-run
		timeout 60 ./sockstep run --plain $flag --server "$server" --client "$client" >"$T/$mode" 2>&1
		local status=$?
		if [ $status -ne 0 ]; then
			echo "FAIL: $name, $mode: exit status $status"
			tail -n 5 "$T/$mode" | sed 's/^/    /'
			continue
		fi
		if ! grep -qE "$pattern" "$T/$mode"; then
			echo "FAIL: $name, $mode: no line like $pattern"
			grep -vE '^ +~ ' "$T/$mode" | head -n 40 | sed 's/^/    /'
		elif why=$(plain_balanced "$T/$mode"); then
			echo "PASS: $name, $mode: shown with its bytes; every byte received was shown sent"
		else
			echo "FAIL: $name, $mode: bytes from nowhere"
			echo "$why"
		fi
	done
	mkdir -p "$T/strace"
	if ! why=$(strace_pair "$T/strace" "$server" "$client"); then
		echo "SKIP: $name, strace: $why"
	elif why=$(strace_compare "$T/strace" "$T/stepped"); then
		echo "PASS: $name, strace: the same socket calls, with the same results"
	else
		echo "FAIL: $name, strace: the calls differ"
		echo "$why"
	fi
	rm -rf "$T/strace"
}

pair "writev server" "$P/writev_server" "$P/fetch_client" \
	'^server +writev\(4, \[\{"HTTP/1.0 200 OK\\r\\n\\r\\n", 19\}, \{"<p>two buffers, one call</p>\\n", 29\}\], 2\) = 48$'
pair "sendfile server (Python)" "$PY $S/sendfile-server.py" "$P/fetch_client" \
	'^server +sendfile\(5, 3, \[0\], 39\) = 39$'
pair "inetd-style server, the socket on 0 and 1" "$P/inetd_server cat" "$P/fetch_client" \
	'^server\.2 +write\(1, "GET /\\n", 6\) = 6$'
# ...and how the connection got there: the dup2 calls are shown.
if grep -qE '^server\.2 +dup2\([0-9]+, 0\) = 0$' "$T/stepped" && grep -qE '^server\.2 +dup2\([0-9]+, 1\) = 1$' "$T/stepped"; then
	echo "PASS: inetd-style server: its dup2 of the connection onto 0 and 1 is shown"
else
	echo "FAIL: inetd-style server: no dup2 onto 0 and 1: $(grep -E '^server\.2' "$T/stepped" | head -n 3)"
fi
pair "connection passed to a worker" "$P/fdpass_server" "$P/fetch_client" \
	'^server\.2 +recvmsg\(4, 1\) = 1 \[SCM_RIGHTS fd 3 socket:\[[0-9]+\]\]$'
cp "$T/stepped" "$T/fdpass"
# Two descriptors in one message: the first is named, the other counted,
# on both sides (the same socket: the same inode).
timeout 60 ./sockstep run --plain --actor "a=$PY $S/two-fds.py" >"$T/two" 2>&1 </dev/null
sent=$(grep -oE '^a +sendmsg\(.*\[SCM_RIGHTS fd [0-9]+ socket:\[[0-9]+\], and 1 more\]\) = 3$' "$T/two" | grep -oE 'socket:\[[0-9]+\]')
got=$(grep -oE '^a +recvmsg\(.*= 3 \[SCM_RIGHTS fd [0-9]+ socket:\[[0-9]+\], and 1 more\]$' "$T/two" | grep -oE 'socket:\[[0-9]+\]')
if [ -n "$sent" ] && [ "$sent" = "$got" ] && grep -q '^a  *| two 2$' "$T/two"; then
	echo "PASS: SCM_RIGHTS with two descriptors: the first named, the other counted, both sides"
else
	echo "FAIL: SCM_RIGHTS with two descriptors: $(grep -E 'msg' "$T/two" | head -n 2)"
fi

pair "splice through pipes, both ways" "$P/splice_server" "$P/fetch_client" \
	'^server +splice\(4, NULL, 6, NULL, 1024, 0\) = 6$'
pair "UDP, several datagrams a call" "$P/mmsg server" "$P/mmsg client" \
	'^server +recvmmsg\(3, \[\{iov_len=63\}, \.\.\.\], 2, 0\) = 2 \(16 bytes\)$'

# The passed socket is the one accepted: the same inode on both sides.
sent=$(grep -oE '^server +sendmsg\(3, "F", 1, \[SCM_RIGHTS fd 5 socket:\[[0-9]+\]\]\)' "$T/fdpass" | grep -oE '[0-9]+\]\]' )
got=$(grep -oE '^server\.2 +recvmsg.*socket:\[[0-9]+\]\]' "$T/fdpass" | grep -oE '[0-9]+\]\]$')
if [ -n "$sent" ] && [ "$sent" = "$got" ]; then
	echo "PASS: SCM_RIGHTS: the sender's fd 5 is the worker's fd 3, the same socket"
else
	echo "FAIL: SCM_RIGHTS: sent '$sent', received '$got'"
	grep -E 'sendmsg|recvmsg' "$T/fdpass" | sed 's/^/    /'
fi

# A program's own terminal output is not a socket call: none shows.
timeout 60 ./sockstep run --plain --free-run --actor "p=$PY -c 'import os; [os.write(1, b\"x\\n\") for _ in range(3)]'" >"$T/tty" 2>&1
if grep -qE '^p +write\(' "$T/tty" || [ "$(grep -cE '^p +\| x$' "$T/tty")" -ne 3 ]; then
	echo "FAIL: terminal output: shown as calls, or lost"
	sed 's/^/    /' "$T/tty"
else
	echo "PASS: terminal output: printed, not shown as a socket call"
fi

# Recordings of such runs replay the same lines, and hold to the format.
for prog in writev_server fdpass_server; do
	timeout 60 ./sockstep run --plain --record "$T/$prog.jsonl" --server "$P/$prog" --client "$P/fetch_client" \
		>"$T/live" 2>&1
	timeout 60 ./sockstep replay --plain "$T/$prog.jsonl" >"$T/replay" 2>&1
	if grep -qE 'writev\(4, \[\{|SCM_RIGHTS fd 3' "$T/replay" && cmp -s "$T/live" "$T/replay"; then
		echo "PASS: replay of $prog: the calls and their bytes as the run showed them"
	else
		echo "FAIL: replay of $prog differs"
		diff "$T/live" "$T/replay" | head -n 20 | sed 's/^/    /'
	fi
done
python3 tests/record-schema.py ./sockstep README.md "$T/writev_server.jsonl" "$T/fdpass_server.jsonl"

sleep 0.2
left=$(ps -eo stat=,args= | awk '$1 !~ /^Z/' | grep -E "$P/|$S/|$T/" | grep -v grep)
if [ -z "$left" ]; then
	echo "PASS: bytes: no program left running"
else
	echo "FAIL: bytes: programs left running: $left"
fi
