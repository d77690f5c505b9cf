#!/bin/bash
# calltext.sh - a traced program's calls read as strace writes them. Each
# program pair runs twice: under strace -f alone (in a network namespace of
# its own, so its port is nobody else's), then under sockstep run --plain,
# stepped and free. The calls this suite is about (socket with its flags,
# fcntl, connect, poll, select, epoll, accept and its restart after a
# signal) must read the same in both: the same calls, flags, descriptor
# sets, revents and ready events. strace's lines are put in sockstep's
# words first where the two differ on purpose (sockstep writes an address
# as 127.0.0.1:65432, omits socket's protocol, shows epoll_wait's events in
# its result, and says why a call was interrupted in its own words).
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

CALLS='socket|fcntl|connect|poll|ppoll|select|pselect6|epoll_create1|epoll_ctl|epoll_wait|epoll_pwait|accept|accept4'
TRACE=socket,fcntl,connect,poll,ppoll,select,pselect6,epoll_create1,epoll_ctl,epoll_wait,epoll_pwait,accept,accept4

# strace's lines (one process's file of strace -ff), in sockstep's words.
from_strace() {
	sed -E -e '/^(\+\+\+|---) /d' -e 's/ +=/ =/' \
	       -e 's/^(socket\([^,]+, [^,]+), [^)]+\)/\1)/' \
	       -e 's/\{sa_family=AF_INET, sin_port=htons\(([0-9]+)\), sin_addr=inet_addr\("([0-9.]+)"\)\}, [0-9]+/\2:\1/' \
	       -e 's/^(accept4?\([0-9]+), NULL, NULL\)/\1)/' \
	       -e 's/^epoll_wait\(([0-9]+), \[\], ([0-9]+), (-?[0-9]+)\) = 0$/epoll_wait(\1, \2, \3) = 0/' \
	       -e 's/^epoll_wait\(([0-9]+), (\[.*\]), ([0-9]+), (-?[0-9]+)\) = ([0-9]+)$/epoll_wait(\1, \3, \4) = \5 (\2)/' \
	       -e 's/, left \{[^}]*\}\)$/)/' \
	       -e 's/ \(To be restarted[^)]*\)$//'
}

# sockstep's lines for the same calls, without what strace does not say
# (the peer an accept found, the address a connect got).
from_sockstep() {
	sed -E -n -e 's/^[a-z0-9.]+ +//p' | grep -E "^($CALLS)\(" | grep -v ' \.\.\. blocks$' |
		sed -E -e 's/ (from|as) [0-9.]+:[0-9]+$//' -e 's/ (ERESTART[A-Z_]*) \(.*\)$/ \1/'
}

# strace_pair NAME SERVER [CLIENT]: each program's calls under strace -f,
# in $T/NAME.strace, sorted (its processes' calls interleave as they will).
# Their standard input is open, as under sockstep (a terminal there): a run
# started with it closed (CI's) would give the programs' first socket 0.
strace_pair() {
	local name=$1 server=$2 client=$3
	mkdir -p "$T/$name"
	# shellcheck disable=SC2016
	unshare -n sh -c '
		ip link set lo up || exit 1
		strace -f -ff -qq -e trace="$1" -o "$2/s" $3 >/dev/null 2>&1 &
		srv=$!
		if [ -n "$4" ]; then
			while kill -0 $srv 2>/dev/null &&
			      ! grep -q " 0100007F:FF98 00000000:0000 0A" /proc/net/tcp; do sleep 0.02; done
			strace -f -ff -qq -e trace="$1" -o "$2/c" $4 >/dev/null 2>&1
		fi
		wait $srv' sh "$TRACE" "$T/$name" "$server" "$client" </dev/null || return 1
	cat "$T/$name"/s.* 2>/dev/null | from_strace | sort >"$T/$name.server"
	: >"$T/$name.client"
	[ -z "$client" ] || cat "$T/$name"/c.* | from_strace | sort >"$T/$name.client"
}

# compare NAME MODE ARGS...: sockstep run --plain MODE shows each program's
# calls as strace did.
compare() {
	local name=$1 mode=$2 server=$3 client=$4
	local args=(--server "$server")
	[ -z "$client" ] || args+=(--client "$client")
	# shellcheck disable=SC2086
	timeout 60 ./sockstep run --plain $mode "${args[@]}" >"$T/out" 2>&1
	local status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: $name ${mode:---step}: exit status $status"
		tail -n 5 "$T/out" | sed 's/^/    /'
		return
	fi
	grep -E '^server' "$T/out" | from_sockstep | sort >"$T/got.server"
	grep -E '^client' "$T/out" | from_sockstep | sort >"$T/got.client"
	if diff -u "$T/$name.server" "$T/got.server" >"$T/diff" &&
	   diff -u "$T/$name.client" "$T/got.client" >>"$T/diff"; then
		echo "PASS: $name (${mode:-stepped}): the calls read as strace writes them"
	else
		echo "FAIL: $name (${mode:-stepped}): strace (-) and sockstep (+) differ"
		head -n 30 "$T/diff" | sed 's/^/    /'
	fi
}

# must NAME FILE PATTERN: the reference itself holds the call this suite is
# about (a test of nothing passes too easily).
must() {
	if grep -qE "$3" "$2"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: no line like $3 in:"
		sed 's/^/    /' "$2"
	fi
}

if ! command -v strace >/dev/null 2>&1; then
	echo "SKIP: call text against strace: strace is not installed"
	exit 0
fi
if ! unshare -n true 2>/dev/null; then
	echo "SKIP: call text against strace: cannot make a network namespace (unshare -n)"
	exit 0
fi

pair() {
	local name=$1 server=$2 client=$3
	if ! strace_pair "$name" "$server" "$client"; then
		echo "FAIL: $name: the programs did not run under strace"
		return
	fi
	compare "$name" "" "$server" "$client"
	compare "$name" --free-run "$server" "$client"
}

pair nonblock "$P/epoll_server" "$P/nonblock_client"
must "non-blocking socket, its flags" "$T/nonblock.client" '^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC\|SOCK_NONBLOCK\) = 3$'
must "connect in progress" "$T/nonblock.client" '^connect\(3, 127.0.0.1:65432\) = -1 EINPROGRESS'
must "poll, events and revents" "$T/nonblock.client" '^poll\(\[\{fd=3, events=POLLIN\}, \{fd=4, events=POLLIN\}\], 2, -1\) = 1 \(\[\{fd=3, revents=POLLIN\}\]\)$'
must "fcntl F_SETFL" "$T/nonblock.client" '^fcntl\(4, F_SETFL, O_RDWR\|O_NONBLOCK\) = 0$'
must "select, both sets in and out" "$T/nonblock.client" '^pselect6\(5, \[3 4\], \[3\], NULL, \{tv_sec=5, tv_nsec=0\}, NULL\) = 2 \(in \[3\], out \[3\]\)$'
must "epoll_ctl with its event" "$T/nonblock.server" '^epoll_ctl\(4, EPOLL_CTL_ADD, 5, \{events=EPOLLIN\|EPOLLRDHUP, data=\{u32=5, u64=5\}\}\) = 0$'
must "epoll_wait's ready events" "$T/nonblock.server" '^epoll_wait\(4, 8, -1\) = 1 \(\[\{events=EPOLLIN\|EPOLLRDHUP, data=\{u32=5, u64=5\}\}\]\)$'

pair sigchld "$P/sigchld_server" ""
must "accept interrupted by SIGCHLD" "$T/sigchld.server" '^accept\(3\) = \? ERESTARTSYS$'
# The interrupted call is no failure in sockstep's words, and never "E?".
if grep -qE '^server +accept\(3\) = \? ERESTARTSYS \(interrupted by a signal; restarted if its handler has SA_RESTART' "$T/out" &&
   ! grep -q 'E?' "$T/out"; then
	echo "PASS: an interrupted accept: said so, no error"
else
	echo "FAIL: an interrupted accept: $(grep 'accept' "$T/out")"
fi

# A recording keeps it all: its replay writes the same lines.
timeout 60 ./sockstep run --plain --record "$T/run.jsonl" --server "$P/epoll_server" \
	--client "$P/nonblock_client" 2>&1 | grep -v '^#' >"$T/live"
timeout 60 ./sockstep replay --plain "$T/run.jsonl" 2>&1 | grep -v '^#' >"$T/replay"
if grep -q 'revents=POLLIN' "$T/replay" && grep -q 'EPOLL_CTL_ADD' "$T/replay" &&
   diff -u "$T/live" "$T/replay" >"$T/diff"; then
	echo "PASS: a recording replays the same call text"
else
	echo "FAIL: a recording replays other call text"
	head -n 20 "$T/diff" | sed 's/^/    /'
fi

# Nothing of any run is left behind.
sleep 0.2
left=$(ps -eo stat=,args= | awk '$1 !~ /^Z/' | grep -E "$P/(epoll_server|nonblock_client|sigchld_server)" | grep -v grep)
if [ -z "$left" ]; then
	echo "PASS: no program left running"
else
	echo "FAIL: programs left running: $left"
fi
