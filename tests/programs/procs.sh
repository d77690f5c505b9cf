#!/bin/bash
# procs.sh - a program's later processes and threads, and shell lines, in
# every way a run can go: stepped (--plain), one step per Enter (--step),
# unstopped (--free-run), and played back from a recording. A pre-forking
# server whose workers accept before any client has started, a threaded
# server, two programs on one line, the shell's own syntax, more tasks
# than there are columns, and Node.js (threads and epoll) when installed.
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
S=$PWD/tests/programs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# in_modes NAME CHECK ARGS...: sockstep run ARGS in each mode of $modes
# (all three unless set); CHECK is a function given the output file, which
# fails with a reason on stdout.
in_modes() {
	local name=$1 check=$2 mode why status
	shift 2
	for mode in ${modes:-stepped step free}; do
		case $mode in
		stepped) timeout 60 ./sockstep run --plain "$@" >"$T/out" 2>&1 </dev/null ;;
		step) yes '' 2>/dev/null | timeout 60 ./sockstep run --plain --step "$@" >"$T/out" 2>"$T/err" ;;
		free) timeout 60 ./sockstep run --plain --free-run "$@" >"$T/out" 2>&1 </dev/null ;;
		esac
		status=$?
		if [ $status -ne 0 ]; then
			echo "FAIL: $name ($mode): exit status $status"
			tail -n 5 "$T/out" | sed 's/^/    /'
		elif why=$($check "$T/out"); then
			echo "PASS: $name ($mode)"
		else
			echo "FAIL: $name ($mode): $why"
			grep -vE '^ +(~|0000)' "$T/out" | tail -n 8 | sed 's/^/    /'
		fi
	done
}

# count FILE REGEX: how many lines match.
count() {
	grep -cE "$2" "$1"
}

prefork() {
	[ "$(count "$1" '^server\.[23] +accept\(3\) = 4 from')" = 2 ] || { echo "not two workers' accepts"; return 1; }
	[ "$(count "$1" '^(client|c2) +\| Received Hello, world')" = 2 ] || { echo "not two echoes"; return 1; }
	grep -qE '^server\.2 +-- server has a new process \(prefork_server, pid [0-9]+\)|^server\.2 +-- server has a new process or thread \(pid [0-9]+\)' "$1" ||
		{ echo "the new column is not named"; return 1; }
}
in_modes "pre-forking server, two clients" prefork --server "$P/prefork_server" --client "$P/echo_client" \
	--actor "c2=$P/echo_client"

threaded() {
	grep -qE '^server\.2 +accept\(3\) = 4 from' "$1" || { echo "no accept in the thread's column"; return 1; }
	grep -qE '^client +\| Received Hello, world' "$1" || { echo "no echo"; return 1; }
}
in_modes "threaded server, its thread's calls before the client starts" threaded \
	--server "$P/threaded_server" --client "$P/echo_client"

# Two programs on one line: the second's calls come in the same column,
# after the first has ended.
two() {
	[ "$(count "$1" '^a +\| Received Hello, world')" = 2 ] || { echo "not both programs' echoes"; return 1; }
	grep -qE "^a +-- a's next (process|process or thread) makes socket calls" "$1" || { echo "the second program is not said"; return 1; }
}
in_modes "'prog1; prog2': both programs shown" two --server "$P/forking_server" \
	--actor "a=$P/echo_client; $P/echo_client"

# The shell's own words start a command line as sh -c runs it.
shell_line() {
	local name=$1 line=$2
	out=$(timeout 60 ./sockstep run --plain --server "$P/forking_server" --actor "a=$line" 2>&1 </dev/null)
	local status=$?
	local n
	n=$(echo "$out" | grep -cE '^a +\| Received Hello, world')
	if [ $status -eq 0 ] && [ "$n" = 2 ]; then
		echo "PASS: shell line: $name"
	else
		echo "FAIL: shell line: $name: status $status, $n echoes: $(echo "$out" | grep -E 'sockstep|^a ' | tail -n 3)"
	fi
}
shell_line "for" "for i in 1 2; do $P/echo_client; done"
shell_line "while" "n=0; while [ \$n -lt 2 ]; do $P/echo_client; n=\$((n + 1)); done"
shell_line "if and !" "if ! false; then $P/echo_client; $P/echo_client; fi"
shell_line "export" "export X=1; $P/echo_client && X=2 $P/echo_client"

# More tasks than columns: each of ten children's calls is shown, those
# beyond the columns in the program's own, marked with their pid.
many() {
	[ "$(count "$1" 'getsockname\(3\) = 0')" = 10 ] || { echo "not ten getsockname calls"; return 1; }
	grep -q 'than the 8 columns' "$1" || { echo "no note that the columns are full"; return 1; }
	[ "$(count "$1" '^server +getsockname\(3\) = 0 .*\[pid [0-9]+\]$')" = 3 ] ||
		{ echo "not three calls marked with their pid"; return 1; }
}
in_modes "ten children, eight columns" many --server "$P/fork_many"

# The same, played back from its recording.
timeout 60 ./sockstep run --plain --record "$T/many.jsonl" --server "$P/fork_many" >/dev/null 2>&1 </dev/null
./sockstep replay --plain "$T/many.jsonl" >"$T/out" 2>&1
status=$?
if [ $status -eq 0 ] && why=$(many "$T/out") &&
   why="no column named fork_many in the recording" && grep -q '"comm":"fork_many"' "$T/many.jsonl"; then
	echo "PASS: ten children, eight columns (replay), each column's process named"
else
	echo "FAIL: ten children, eight columns (replay): status $status: $why"
fi

# Node.js: a net server and client (threads of their own, epoll), stepped
# and free. Stepped, the server is declared first and its calls up to
# listen() do not block, so they go first (sched.h, rule 1); its event
# loop's waits that return at once are polling, which lets the client go:
# the client never finds the port closed.
node=$(command -v node || command -v nodejs)
nodes() {
	grep -qE '^server(\.[0-9])? +accept4\(' "$1" || { echo "no accept4"; return 1; }
	grep -qE '^client +\| echo: hello from node' "$1" || { echo "no echo"; return 1; }
}
if [ -z "$node" ]; then
	echo "SKIP: Node.js: node is not installed"
else
	in_modes "Node.js net server and client" nodes --server "$node $S/node-server.js" \
		--client "$node $S/node-client.js"
fi

# Nothing of any run is left behind.
sleep 0.2
left=$(ps -eo stat=,args= | awk '$1 !~ /^Z/' | grep -E "$P/|$S/node-" | grep -v grep)
if [ -z "$left" ]; then
	echo "PASS: no program left running"
else
	echo "FAIL: programs left running: $left"
fi
