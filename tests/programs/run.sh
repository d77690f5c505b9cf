#!/bin/bash
# run.sh - sockstep run on real programs (tests/programs, built by make into
# BUILD/programs): the C echo pair, the same client linked statically, the
# seed tutorials' two Python pairs unchanged, a forking server with a
# threaded client; then what a user sees when a program cannot start,
# crashes, makes no socket call, binds beyond loopback, or cannot be traced.
# Golden files hold the --plain timeline with ephemeral ports and pids masked
# and the packet and state lines ("~") left out, as tests/lessons/run.sh does.
cd "$(dirname "$0")/../.." || exit 2
# Absolute paths: the check that nothing is left running must not match
# another checkout's tests running at the same time.
P=$PWD/${BUILD:-build}/programs
S=$PWD/tests/programs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/lib-python.sh

normalize() {
	sed -E -e '/^# (network|kernel view):/d' -e '/^ +~ /d' \
	       -e 's/:(3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\b/:EPHEMERAL/g' \
	       -e 's/, (3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\)/, EPHEMERAL)/g' \
	       -e 's/\b(pid|thread) [0-9]+/\1 PID/g' \
	       -e 's/u64=[0-9]{6,}/u64=ADDR/g'
}

# golden NAME EXPECT ARGS...: sockstep run --plain ARGS prints EXPECT's timeline.
golden() {
	local name=$1 expect=tests/programs/$2.expect
	shift 2
	timeout 60 ./sockstep run --plain "$@" >"$T/out" 2>&1
	local status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: $name: exit status $status"
		tail -n 5 "$T/out" | sed 's/^/    /'
		return
	fi
	if diff -u "$expect" <(normalize <"$T/out") >"$T/diff"; then
		echo "PASS: $name: the timeline matches"
	else
		echo "FAIL: $name: the timeline differs"
		head -n 30 "$T/diff" | sed 's/^/    /'
	fi
}

golden "C echo pair" c-echo --server "$P/echo_server" --client "$P/echo_client"
golden "statically linked client" c-echo --server "$P/echo_server" --client "$P/echo_client_static"
golden "seed echo in Python" py-echo --server "$PY $S/echo-server.py" \
	--client "$PY $S/echo-client.py"
golden "seed chat in Python, input typed" py-chat --server "$PY $S/chat-server.py" \
	--client "$PY $S/chat-client.py" --input client=hello --input server='hi there' --input client=q
golden "forking server, threaded client" fork-thread --server "$P/forking_server" --client "$P/threaded_client"

# Servers that outlive their clients (issue 12). An event loop whose wait
# returns at once with nothing new (the seed tutorial's selectors server:
# epoll_wait on sockets always ready to write; a C poll loop with a
# timeout; EAGAIN from a non-blocking accept) must not starve the client;
# and once the clients have ended, a server waiting for the next one ends
# the run as it should: said, the server stopped, exit status 0.
golden "seed multi-connection pair in Python (selectors)" py-multiconn \
	--server "$PY $S/multiconn-server.py" --client "$PY $S/multiconn-client.py"
# poll_server's poll() times out after 50 ms, as long as a step settles
# (settle_ms): whether its last poll is seen to time out before the run is
# found over was a race, won only while each look at the kernel took
# milliseconds. A longer settle lets the timeout come first every time.
SOCKSTEP_SETTLE_MS=150 golden "C poll loop with a timeout" c-poll --server "$P/poll_server" --client "$P/echo_client"
golden "C accept loop outlives its client" c-accept-loop --server "$P/accept_server" --client "$P/echo_client"

# The same, read for what a user relies on rather than line by line: the
# echoes came back whole, the run ended with the server waiting, status 0.
over="-- the clients have ended; server waits for a next client: the run is over"
ends_well() {
	local name=$1 status=$2 out=$3
	shift 3
	local missing="" line
	for line in "$over" "$@"; do
		grep -qF -- "$line" "$out" || missing="$missing [$line]"
	done
	if [ "$status" -eq 0 ] && [ -z "$missing" ] && ! grep -q "no actor can wake it" "$out"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: status $status, missing:$missing"
		tail -n 5 "$out" | sed 's/^/    /'
	fi
}
timeout 60 ./sockstep run --plain --server "$PY $S/multiconn-server.py" \
	--client "$PY $S/multiconn-client.py" >"$T/out" 2>&1
ends_well "selectors pair: both connections echoed, then the server waits: status 0" $? "$T/out" \
	"| Received b'Message 1 from client.Message 2 from client.' from connection 1" \
	"| Received b'Message 1 from client.Message 2 from client.' from connection 2"
polls=$(grep -cE '^server +epoll_wait' "$T/out")
if [ "$polls" -ge 1 ] && [ "$polls" -le 20 ]; then
	echo "PASS: selectors pair: the server's event loop waits its turn ($polls epoll_wait calls)"
else
	echo "FAIL: selectors pair: the server's event loop spun $polls times"
fi

# The issue's own example: python3 -m http.server (a thread per request,
# and a poll() with a timeout between requests) outlives its client.
mkdir "$T/www" && echo "hello from the web" >"$T/www/index.html"
timeout 60 ./sockstep run --plain --server "$PY -m http.server 8000 --bind 127.0.0.1 --directory $T/www" \
	--client "$PY -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/').read())\"" \
	>"$T/out" 2>&1
ends_well "python3 -m http.server: the page fetched, then the server waits: status 0" $? "$T/out" \
	"client    | b'hello from the web\\n'"

# Stepped by hand (Enter each time), the same end, told on the prompt stream.
yes "" 2>/dev/null | head -n 200 | timeout 60 ./sockstep run --plain --step --server "$P/poll_server" \
	--client "$P/echo_client" >"$T/out" 2>"$T/err"
status=$?
cat "$T/err" >>"$T/out"
ends_well "--step, C poll loop: the client gets its turn, the run ends, status 0" $status "$T/out" \
	"client    | Received Hello, world" "(it polls: its last call found nothing new)" \
	"the clients have ended; server waits for a next client: the run is over"

# The calls sockstep steps are the calls the pair makes alone: strace of
# the same programs in a network namespace of their own, compared call by
# call on the socket (name, first argument, return value; the server's
# last accept never returns, "?"). Only a pair with no timing in it: an
# event loop's count of empty waits depends on how fast the machine is.
calls() {
	awk -v who="${1:-}" '
	function keep(name) { return name ~ /^(socket|setsockopt|bind|listen|accept|connect|send|recv|read|write|close)$/ }
	{
		line = $0
		if (who != "") { if ($1 != who) next; sub(/^[^ ]+ +/, "", line) }
		if (line !~ /^[a-z0-9_]+\(/) next
		name = line; sub(/\(.*/, "", name)
		sub(/^accept4$/, "accept", name); sub(/^recvfrom$/, "recv", name); sub(/^sendto$/, "send", name)
		if (name == "socket") seen = 1
		if (!seen || !keep(name)) next
		arg = line; sub(/^[^(]*\(/, "", arg); sub(/[,)].*/, "", arg)
		if (arg ~ /^[012]$/) next
		ret = "?"
		if (match(line, /\) += [-0-9]+/)) { ret = substr(line, RSTART, RLENGTH); sub(/^\) += /, "", ret) }
		print name, arg, ret
	}'
}
if ! unshare -rn true 2>/dev/null; then
	echo "SKIP: strace of the pair alone: no network namespace for it here (unshare -rn)"
else
	mkdir "$T/alone"
	# The server's pid is its shell's: exec keeps it, and strace follows.
	timeout 30 unshare -rn sh -c "ip link set lo up
		cd '$T/alone' || exit 1
		strace -qq -o server.trace sh -c 'echo \$\$ >server.pid; exec $P/accept_server' &
		until [ -s server.pid ] && ss -Hltn 'sport = :65432' | grep -q .; do sleep 0.05; done
		strace -qq -o client.trace '$P/echo_client_static' >/dev/null
		kill \$(cat server.pid)
		wait" </dev/null 2>/dev/null   # stdin open, as under sockstep (CI may close it)
	timeout 60 ./sockstep run --plain --server "$P/accept_server" --client "$P/echo_client_static" >"$T/out" 2>&1
	status=$?
	calls <"$T/alone/server.trace" >"$T/alone/server.calls"
	calls <"$T/alone/client.trace" >"$T/alone/client.calls"
	calls server <"$T/out" >"$T/server.calls"
	calls client <"$T/out" >"$T/client.calls"
	if [ $status -eq 0 ] && [ -s "$T/alone/server.calls" ] && [ -s "$T/alone/client.calls" ] &&
	   diff "$T/alone/server.calls" "$T/server.calls" >"$T/diff" &&
	   diff "$T/alone/client.calls" "$T/client.calls" >>"$T/diff"; then
		echo "PASS: accept loop: the calls stepped are the calls strace sees the pair make alone"
	else
		echo "FAIL: accept loop: stepped calls differ from strace's (status $status)"
		sed 's/^/    /' "$T/diff" | head -n 20
	fi
fi

# The kernel's view comes with a program's calls too: the handshake's three
# packets between connect() and its return, the listener's queue after it.
out=$(timeout 60 ./sockstep run --plain --server "$PY $S/echo-server.py" \
	--client "$PY $S/echo-client.py" 2>&1)
if echo "$out" | grep -q "^# kernel view:"; then
	echo "$out" | grep '^# kernel view:' | sed 's/^# kernel view: /SKIP: kernel view: /'
elif echo "$out" | awk '/^client +connect\(/ { c = NR } /TCP \[SYN\]/ && c && !s { s = NR }
		/TCP \[SYN,ACK\]/ && s && !a { a = NR } /queue 1\// && a && !q { q = NR }
		/^server +accept4/ && q { ok = 1 } END { exit !ok }'; then
	echo "PASS: kernel view: SYN, SYN/ACK, the listener's queue, then accept4"
else
	echo "FAIL: kernel view: no handshake under connect()"
fi

# A free run reports the same calls without stopping.
out=$(timeout 60 ./sockstep run --plain --free-run --server "$P/echo_server" --client "$P/echo_client" 2>&1)
if [ $? -eq 0 ] && echo "$out" | grep -qE '^client +read\(3, 1024\) = 12' &&
   echo "$out" | grep -qE '^server +send\(4, "Hello, world", 12\) = 12'; then
	echo "PASS: free run: the same calls, unstopped"
else
	echo "FAIL: free run: $(echo "$out" | tail -n 3)"
fi

# A free run's programs send their records in batches; the transcript is
# still in the order things happened: each time, the client's write comes
# before the server's recv, the server's send before the client's read,
# and the client's close before the server's recv of the end.
causal=0
for i in 1 2 3 4 5; do
	timeout 60 ./sockstep run --plain --free-run --server "$P/echo_server" --client "$P/echo_client" 2>&1 </dev/null |
		awk '/^client +write\(/ { w = NR } /^server +recv\(4, 1024\) = 12/ { r = NR }
		     /^server +send\(/ { s = NR } /^client +read\(3, 1024\) = 12/ { c = NR }
		     /^client +close\(/ { x = NR } /^server +recv\(4, 1024\) = 0/ { e = NR }
		     END { exit !(w && w < r && s && s < c && x && x < e) }' && causal=$((causal + 1))
done
if [ $causal = 5 ]; then
	echo "PASS: free run: the transcript is in the order things happened (5 runs)"
else
	echo "FAIL: free run: out of causal order in $((5 - causal)) of 5 runs"
fi

# A command that is not there: said before anything starts, exit status 2.
out=$(./sockstep run --plain --server "$P/echo_server" --client "no-such-program --x" 2>&1)
status=$?
if [ $status -eq 2 ] && echo "$out" | grep -q "client's command 'no-such-program --x': no-such-program: command not found"; then
	echo "PASS: missing program: named, exit 2"
else
	echo "FAIL: missing program: status $status: $out"
fi

# One the shell cannot run, found out only once it has begun.
out=$(timeout 60 ./sockstep run --plain --server "$P/echo_server" --client "sh -c no-such-program" 2>&1)
if echo "$out" | grep -q "client's command could not run (exit status 127: not found)" &&
   echo "$out" | grep -q "no-such-program: not found"; then
	echo "PASS: program that cannot run: its shell's words and the exit status"
else
	echo "FAIL: program that cannot run: $(echo "$out" | tail -n 3)"
fi

# A program that makes no socket call at all.
out=$(timeout 60 ./sockstep run --plain --server true --client "$P/echo_client" 2>&1)
if echo "$out" | grep -q "server ended without making a single socket call" &&
   echo "$out" | grep -qE "^client +connect\(3, 127.0.0.1:65432\) = -1 ECONNREFUSED"; then
	echo "PASS: no socket call: said, and the client's connect is refused for real"
else
	echo "FAIL: no socket call: $(echo "$out" | tail -n 3)"
fi

# A program that crashes: the signal shown, the peer's view goes on.
cat >"$T/crash.py" <<'PY'
import os, signal, socket
s = socket.create_connection(('127.0.0.1', 65432))
s.sendall(b'bye')
os.kill(os.getpid(), signal.SIGSEGV)
PY
out=$(timeout 60 ./sockstep run --plain --server "$P/echo_server" --client "$PY $T/crash.py" 2>&1)
if echo "$out" | grep -qE "^client +[+]{3} killed by SIGSEGV" &&
   echo "$out" | awk '/killed by SIGSEGV/ { k = 1 } k && /^server +recv\(4, 1024\) = 0/ { ok = 1 } END { exit !ok }'; then
	echo "PASS: crash: SIGSEGV shown, the server's recv returns 0 after"
else
	echo "FAIL: crash: $(echo "$out" | tail -n 5)"
fi

# Where ptrace is refused (as some containers do): why, and what to do.
# (LeakSanitizer, in a SAN=1 build, needs ptrace itself: not here.)
out=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 timeout 60 "$P/noptrace" ./sockstep run --plain --server "$P/echo_server" --client "$P/echo_client" 2>&1)
status=$?
if [ $status -eq 2 ] && echo "$out" | grep -q "cannot trace the program (ptrace: Operation not permitted)" &&
   echo "$out" | grep -q "SYS_PTRACE"; then
	echo "PASS: ptrace refused: the reason and the remedy, exit 2"
else
	echo "FAIL: ptrace refused: status $status: $out"
fi

# On the host's network a bind beyond loopback stops the program.
cat >"$T/wild.py" <<'PY'
import socket
s = socket.socket()
s.bind(('0.0.0.0', 65433))
s.listen()
print('listening where everyone can reach it')
PY
out=$(timeout 60 ./sockstep run --plain --no-netns --server "$PY $T/wild.py" 2>&1)
if echo "$out" | grep -q "server binds 0.0.0.0:65433, beyond loopback, on the host's network: stopped" &&
   ! echo "$out" | grep -q "listening where everyone"; then
	echo "PASS: bind beyond loopback on the host's network: stopped before it runs"
else
	echo "FAIL: bind beyond loopback: $out"
fi

# A program starts with no signal blocked (the tracer blocks SIGCHLD for
# itself; a mask survives exec).
out=$(timeout 60 ./sockstep run --plain --server "grep SigBlk /proc/self/status" 2>&1)
if echo "$out" | grep -qE '\| SigBlk:\s+0+$'; then
	echo "PASS: the program's signal mask is its own"
else
	echo "FAIL: signal mask: $(echo "$out" | grep SigBlk)"
fi

# Nothing of any run is left behind.
sleep 0.2
left=$(ps -eo stat=,args= | awk '$1 !~ /^Z/' | grep -E "$P/(echo_server|echo_client|forking_server|threaded_client|poll_server|accept_server)|$S/.*\.py|$T/" | grep -v grep)
if [ -z "$left" ]; then
	echo "PASS: no program left running"
else
	echo "FAIL: programs left running: $left"
fi
