#!/bin/bash
# world.sh - sockstep run on real programs from real tools (issue 12): curl
# against python3 -m http.server, socat, nc, busybox, redis, Node.js net and http,
# a selectors server and client, a threaded server with several clients, a
# C epoll server with a client that connects without blocking, a forking
# server that reaps in a SIGCHLD handler, a chat client that selects on its
# terminal, and IPv6. Each pair runs stepped and free; each run must end
# with status 0 and show every byte either side received being sent by the
# other (plain_balanced); and the pair under `strace -f` must make the same
# socket calls with the same results, side by side (strace_compare).
#
# The table below has a row per pair. A mode a known problem still breaks
# names that problem (a key of WHY) in its column instead of "-", and is
# reported as a skip with the reason: enabling it once fixed is a one-word
# change; WORLD_KNOWN=1 checks those modes too, to see what a fix changed.
# The sendfile, writev, splice and SCM_RIGHTS pairs are in bytes.sh.
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
S=$PWD/tests/programs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/lib-python.sh
. tests/programs/lib-strace.sh

declare -A WHY=(
	[nodeeof]="Node.js reads the end of the stream with a read that returns 0 only when the end came after the data; when it came with it (as stepping makes it), the event loop sees it from epoll and makes no such read: timing, not a call shown wrong"
)

# socat's client, once its input has ended, waits 0.5 s for the rest of the
# reply and then quits: stepping on a busy machine can take longer, so it
# is given 5 s (-t 5).
#
# The pairs: name; stepped, free run and strace columns ("-": checked, else
# a key of WHY); server; client; the lines the client types, separated by
# "|" (under strace they come through a pipe). Fields are tab-separated.
TAB=$'\t'
rows() {
	cat <<EOF
curl, python3 -m http.server	-	-	-	$PY -m http.server --bind 127.0.0.1 --directory $S 65432	curl -s http://127.0.0.1:65432/echo-server.py	
curl, python3 -m http.server, IPv6	-	-	-	$PY -m http.server --bind ::1 --directory $S 65432	curl -s -g http://[::1]:65432/echo-server.py	
curl, Node.js http	-	-	-	node $S/http-server.js	curl -s http://127.0.0.1:65432/hello	
Node.js net echo	-	-	nodeeof	node $S/net-echo-server.js	node $S/net-echo-client.js	
Node.js net echo, IPv6	-	-	nodeeof	node $S/net-echo-server.js ::1	node $S/net-echo-client.js ::1	
socat, PIPE	-	-	-	socat TCP-LISTEN:65432,reuseaddr,bind=127.0.0.1 PIPE	socat -t 5 - TCP:127.0.0.1:65432	hello through socat|and a second line
socat, EXEC:cat through a socketpair	-	-	-	socat TCP-LISTEN:65432,reuseaddr,bind=127.0.0.1 EXEC:cat	socat -t 5 - TCP:127.0.0.1:65432	hello to cat
socat, IPv6	-	-	-	socat TCP6-LISTEN:65432,reuseaddr,bind=[::1] PIPE	socat -t 5 - TCP6:[::1]:65432	hello over IPv6
nc	-	-	-	nc -l 127.0.0.1 65432 <$S/echo-server.py	nc -N 127.0.0.1 65432	hello to nc
nc, IPv6	-	-	-	nc -6 -l ::1 65432 <$S/echo-server.py	nc -N ::1 65432	hello to nc over IPv6
redis-server, redis-cli	-	-	-	redis-server --port 65432 --bind 127.0.0.1 --save '' --appendonly no	redis-cli -p 65432 set lesson sockets	
busybox httpd, wget	-	-	-	busybox httpd -f -p 127.0.0.1:65432 -h $S	busybox wget -q -O - http://127.0.0.1:65432/echo-server.py	
selectors server, selectors client	-	-	-	$PY $S/selectors-server.py	$PY $S/selectors-client.py	
threaded server, three clients	-	-	-	$PY $S/threaded-server.py	$PY $S/threaded-clients.py	
C epoll server, non-blocking connect	-	-	-	$P/epoll_count_server	$P/nb_client	
forking server reaping in SIGCHLD	-	-	-	$P/reaping_server	$P/threaded_client	
chat client selecting on stdin	-	-	-	$P/epoll_count_server 1	$PY $S/select-chat.py	hello through select
EOF
}

# check NAME MODE SERVER CLIENT INPUT: one run of the pair (MODE stepped or
# free) ends with status 0 and its bytes balance. Its output stays in
# $T/NAME.MODE for the strace comparison.
check() {
	local name=$1 mode=$2 server=$3 client=$4 input=$5 out="$T/$1.$2" flag="" args=() line
	[ "$mode" = free ] && flag=--free-run
	if [ -n "$input" ]; then
		while IFS= read -r line; do
			args+=(--input "client=$line")
		done <<<"${input//|/$'\n'}"
	fi
	timeout 60 ./sockstep run --plain $flag --server "$server" --client "$client" "${args[@]}" >"$out" 2>&1
	local status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: $name, $mode: exit status $status"
		grep -vE '^ +~ ' "$out" | tail -n 5 | sed 's/^/    /'
		rm -f "$out"
	elif why=$(plain_balanced "$out"); then
		echo "PASS: $name, $mode: ends, and every byte received was shown sent"
	else
		echo "FAIL: $name, $mode: bytes from nowhere"
		echo "$why"
		rm -f "$out"
	fi
}

# pair NAME STEPPED FREE STRACE SERVER CLIENT INPUT: the row's checks; the
# strace comparison holds against a run that passed, stepped if it did.
pair() {
	local name=$1 stepped=$2 free=$3 strace=$4 server=$5 client=$6 input=$7 mode
	if [ -n "${WORLD_KNOWN:-}" ]; then
		stepped=- free=- strace=-
	fi
	local -A known=([stepped]=$stepped [free]=$free)
	local tool
	for tool in "${server%% *}" "${client%% *}"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "SKIP: $name: $tool is not installed (sh .ci/deps check installs it)"
			return
		fi
	done
	for mode in stepped free; do
		if [ "${known[$mode]}" != - ]; then
			echo "SKIP: $name, $mode: ${WHY[${known[$mode]}]}"
		else
			check "$name" "$mode" "$server" "$client" "$input"
		fi
	done
	if [ "$strace" != - ]; then
		echo "SKIP: $name, strace: ${WHY[$strace]}"
		return
	fi
	local shown="$T/$name.stepped" dir="$T/$name.strace"
	[ -f "$shown" ] || shown="$T/$name.free"
	if [ ! -f "$shown" ]; then
		echo "SKIP: $name, strace: no run of sockstep to compare with"
		return
	fi
	[ -n "$input" ] && client="printf '%s\\n' '${input//|/"' '"}' | $client"
	mkdir -p "$dir"
	if ! why=$(strace_pair "$dir" "$server" "$client"); then
		echo "FAIL: $name, strace: $why"
	elif why=$(strace_compare "$dir" "$shown"); then
		echo "PASS: $name, strace: the same socket calls, with the same results"
	else
		echo "FAIL: $name, strace: the calls differ"
		echo "$why"
	fi
}

# The pairs run four at a time (each run has a network namespace of its
# own, so their ports do not clash); their lines print in the table's order.
# WORLD_ONLY=TEXT runs only the pairs whose name holds TEXT.
n=0
while IFS=$TAB read -r name stepped free strace server client input; do
	[[ "$name" == *"${WORLD_ONLY:-}"* ]] || continue
	pair "$name" "$stepped" "$free" "$strace" "$server" "$client" "$input" >"$T/$n.result" 2>&1 &
	n=$((n + 1))
	[ $((n % 4)) -eq 0 ] && wait
done < <(rows)
wait
for ((i = 0; i < n; i++)); do
	cat "$T/$i.result"
done

sleep 0.2
left=$(ps -eo stat=,args= | awk '$1 !~ /^Z/' | grep -E "$P/|$S/|127\.0\.0\.1:65432|\[::1\]:65432|::1 65432" | grep -v grep)
if [ -z "$left" ]; then
	echo "PASS: world: no program left running"
else
	echo "FAIL: world: programs left running: $left"
fi
