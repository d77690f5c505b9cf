#!/bin/bash
# stdin.sh - an interactive chat client waits on its standard input and its
# socket at once (issue 12): the Python client of tests/programs in the seed
# tutorial's style with select, the C one with poll and with epoll_wait. The
# line given (--input, or typed at --plain --step) reaches the program's
# terminal, the wait returns for real, the line crosses to the server and
# the answer comes back; after the last line the input ends, and the run
# ends cleanly; a client that waits on it after its end is stuck, not fed
# the end of file forever. Then the same pair without sockstep, under strace: the
# client makes the same socket calls with the same bytes.
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
S=$PWD/tests/programs
T=$(mktemp -d)
coproc_pid=
cleanup() {
	[ -n "$coproc_pid" ] && kill -9 "$coproc_pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
. tests/lib-python.sh

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1: $2"
	[ -n "$3" ] && [ -f "$3" ] && grep -v '^ *~ ' "$3" | tail -n 15 | sed 's/^/    /'
}

# crossed OUT WAIT: the --plain transcript OUT shows the client waiting in
# its WAIT call for input, then the lines hello and bye, each sent by the
# client, received by the server as sent, answered upper-cased and printed
# by the client; then the input's end, and the client's close, which the
# server's recv sees as 0.
crossed() {
	awk -v wait="$2" '
		function at(re) { return $0 ~ re }
		at("^client +" wait "\\(.*\\) \\.\\.\\. blocks$") && !w1 { w1 = NR }
		at("^client +input = \"hello\"$") && w1 && !i1 { i1 = NR }
		at("^client +" wait "\\(.*\\) = 1") && i1 && !r1 { r1 = NR }
		at("^client +send\\(3, \"hello\\\\n\", 6\\) = 6$") && r1 && !s1 { s1 = NR }
		at("^server +recv\\(4, 1024\\) = 6$") && s1 && !v1 { v1 = NR; getline; h1 = at("68 65 6c 6c 6f 0a") }
		at("^client +\\| Received from server: HELLO$") && v1 && !p1 { p1 = NR }
		at("^client +input = \"bye\"$") && p1 && !i2 { i2 = NR }
		at("^server +recv\\(4, 1024\\) = 4$") && i2 && !v2 { v2 = NR; getline; h2 = at("62 79 65 0a") }
		at("^client +\\| Received from server: BYE$") && v2 && !p2 { p2 = NR }
		at("^client +-- client.s input ends \\(end of file\\)$") && p2 && !e { e = NR }
		at("^client +close\\(3\\) = 0$") && e && !c { c = NR }
		at("^server +recv\\(4, 1024\\) = 0$") && c { ok = 1 }
		END { exit !(ok && h1 && h2) }' "$1"
}

# chat NAME WAIT CLIENT: the client given two lines with --input.
chat() {
	local name=$1 wait=$2 client=$3
	timeout 60 ./sockstep run --plain --server "$PY $S/upper-server.py" --client "$client" \
		--input client=hello --input client=bye >"$T/out" 2>"$T/err"
	local status=$?
	if [ $status -ne 0 ]; then
		fail "$name" "exit status $status: $(cat "$T/err")" "$T/out"
	elif grep -q "no actor can wake it" "$T/out" "$T/err"; then
		fail "$name" "called stuck" "$T/err"
	elif ! crossed "$T/out" "$wait"; then
		fail "$name" "the lines did not cross as typed" "$T/out"
	else
		pass "$name"
	fi
}

chat "select on stdin (Python): --input lines reach the server through the wait" "p?select6?" \
	"$PY $S/select-client.py"
chat "select on stdin and a non-blocking socket: the wait still waits for input" "p?select6?" \
	"$PY $S/select-client.py --nonblocking"
chat "poll on stdin (C): --input lines reach the server through the wait" poll "$P/poll_client"
chat "epoll_wait on stdin (C): --input lines reach the server through the wait" epoll_wait \
	"$P/poll_client --epoll"

# A client that goes on waiting on its input after its end: given the end
# of file once, then blocked, as at a terminal nobody types at; not given
# the end of file over and over (the run would never end).
timeout 60 ./sockstep run --plain --server "$PY $S/upper-server.py" --client "$P/poll_client --deaf" \
	--input client=hello >"$T/out" 2>"$T/err"
status=$?
if [ $status -eq 1 ] && [ "$(grep -c "input ends (end of file)" "$T/out")" = 1 ] &&
   grep -q "^sockstep: client is blocked in poll(.*) and no actor can wake it" "$T/err" &&
   grep -Eq '^client +\| Received from server: HELLO$' "$T/out"; then
	pass "a client that waits on its input after its end: one end of file, then stuck, said"
else
	fail "a client that waits on its input after its end" "status $status: $(cat "$T/err")" "$T/out"
fi

# --plain --step: the lines typed on sockstep's own standard input, here
# from a script that answers each prompt as a student would: Enter for a
# call, a line where the client waits for its terminal; q ends the chat.
step_chat() {
	local lines=(hello bye q) k=0 prompt waits=0
	coproc STEP { exec timeout 60 ./sockstep run --plain --step --server "$PY $S/upper-server.py" \
		--client "$PY $S/select-client.py" 2>&1 >"$T/out"; }
	coproc_pid=$STEP_PID
	local in=${STEP[1]} out=${STEP[0]}
	while IFS= read -r -u "$out" prompt; do
		echo "$prompt" >>"$T/prompts"
		case $prompt in
		"next: client waits in "*"select"*"("*", for a line from its terminal too - type it and Enter"*)
			waits=$((waits + 1))
			echo "${lines[k]}" >&"$in"
			k=$((k + 1)) ;;
		next:*)
			echo >&"$in" ;;
		esac
	done
	wait "$coproc_pid"
	local status=$?
	coproc_pid=
	if [ $status -eq 0 ] && [ $waits -eq 3 ] && grep -q "^the lesson is over: every actor ran to its end" "$T/prompts" &&
	   grep -Eq '^client +input = "hello"$' "$T/out" && grep -Eq '^server +\| from connected user: .hello\\n.$' "$T/out" &&
	   grep -Eq '^client +\| Received from server: BYE$' "$T/out" && grep -Eq '^server +recv\(4, 1024\) = 0$' "$T/out"; then
		pass "--plain --step: the lines typed where the client waits in select cross, q ends the chat"
	else
		fail "--plain --step: lines typed at the select" "status $status, $waits waits for a line" "$T/prompts"
	fi
}
step_chat

# The same pair without sockstep, in a network namespace of its own (no
# other test's port 5001), the client's calls traced by strace: the
# lines are written to its standard input one at a time, each once the
# answer to the one before has been printed. The calls from its socket()
# on, with the bytes each send and recv moved, are sockstep's.
calls_of_strace() {
	sed -n '/^socket(/,$p' "$1" | sed -E \
		-e 's/^sendto\(3, "([^"]*)".*= ([0-9]+)$/send \1/' -e 's/^recvfrom\(3, "([^"]*)".*= ([0-9]+)$/recv \1/' \
		-e 's/^(socket|connect|poll|close)\(.*$/\1/' |
	awk '/^(send|recv) / { n = split($2, b, "\\\\x"); s = $1; for (i = 2; i <= n; i++) s = s " " b[i]; print s; next } { print }'
}
calls_of_sockstep() {
	grep -v '^ *~ ' "$1" | awk '
		/^client +[a-z_0-9]+\(/ && !/\.\.\. blocks$/ { sub(/^client +/, ""); name = $0; sub(/\(.*/, "", name)
			if (name == "send" || name == "recv") { getline; sub(/^ +[0-9a-f]+  /, ""); sub(/  .*$/, ""); gsub(/ +$/, ""); print name " " $0 }
			else print name }'
}
strace_pair() {
	local netns=(unshare -n)
	[ "$(id -u)" -eq 0 ] || netns=(unshare -rn)
	if ! command -v strace >/dev/null || ! "${netns[@]}" true 2>/dev/null; then
		echo "SKIP: strace of the pair alone: needs strace and a network namespace"
		return
	fi
	timeout 60 ./sockstep run --plain --server "$PY $S/upper-server.py" --client "$P/poll_client" \
		--input client=hello --input client=bye >"$T/traced" 2>&1
	mkfifo "$T/fifo"
	timeout 60 "${netns[@]}" bash -c '
		ip link set lo up
		"$1" "$2" >/dev/null &
		for ((i = 0; i < 100; i++)); do ss -Hltn "sport = :5001" | grep -q . && break; sleep 0.05; done
		strace -qq -xx -s 64 -e trace=socket,connect,poll,sendto,recvfrom,close -e signal=none -o "$3/strace" \
			"$4" <"$3/fifo" >"$3/said" &
		exec 5>"$3/fifo"
		for line in hello bye; do
			echo "$line" >&5
			up=${line^^}
			for ((i = 0; i < 200; i++)); do grep -q "Received from server: $up" "$3/said" && break; sleep 0.05; done
		done
		exec 5>&-
		wait' _ "$PY" "$S/upper-server.py" "$T" "$P/poll_client"
	if ! [ -s "$T/strace" ]; then
		fail "strace of the pair alone" "no trace" "$T/said"
	elif diff -u <(calls_of_strace "$T/strace") <(calls_of_sockstep "$T/traced") >"$T/diff"; then
		pass "the poll client alone under strace: the same calls and bytes as under sockstep"
	else
		fail "strace of the pair alone" "the calls differ" "$T/diff"
	fi
}
strace_pair

# Nothing of any run is left behind.
sleep 0.2
left=$(ps -eo stat=,args= | awk '$1 !~ /^Z/' | grep -E "$P/poll_client|$S/(upper-server|select-client)\.py" | grep -v grep)
if [ -z "$left" ]; then
	echo "PASS: stdin: no program left running"
else
	echo "FAIL: stdin: programs left running: $left"
fi
