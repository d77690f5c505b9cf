#!/bin/bash
# escape.sh - a program sockstep runs is the student's, or anyone's: what
# it can do must not take sockstep over nor leave the lesson's network.
# Hostile programs (tests/programs, built by make) try, each under
# `sockstep run --plain`, and what they reached is read from their own
# output. Run as root (as CI is) the programs could do the most; each
# check says what it needs.
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
. tests/lib.sh

# The private channel is private: for each ancestor up to sockstep's first
# process the program tries pidfd_getfd on its descriptors, ptrace and
# /proc/PID/mem for writing; then setns into the network of pid 1 and of
# what started sockstep. Neither sockstep nor its tracer is reached, and
# the program stays in the lesson's network, in a namespace or not.
for net in "" --no-netns; do
	timeout 60 ./sockstep run --plain $net --server "$P/reach_ancestors" >"$tmp/reach" 2>&1
	status=$?
	what="a program reaches neither sockstep nor its tracer, nor another network${net:+ ($net)}"
	if [ $status -eq 0 ] && grep -q '| reached sockstep: 0 of 2$' "$tmp/reach" &&
	   grep -q '| left the network: 0$' "$tmp/reach"; then
		echo "PASS: $what"
	else
		echo "FAIL: $what: status $status"
		grep -E '\| (ancestor|reached|setns|left)' "$tmp/reach" | sed 's/^/    /'
	fi
done

# Without any capability (none effective, permitted or in the bounding
# set), a server still binds port 80 in the lesson's own namespace, as it
# could before: there low ports are anyone's.
cat >"$tmp/low.py" <<'PY'
import socket
print(" ".join(l.split()[0] + l.split()[1] for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm", "CapBnd"))))
s = socket.socket()
s.bind(("127.0.0.1", 80))
s.listen()
print("bound", s.getsockname()[1])
PY
timeout 60 ./sockstep run --plain --server "python3 $tmp/low.py" >"$tmp/low" 2>&1
if grep -q '| CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000$' "$tmp/low" &&
   grep -q '| bound 80$' "$tmp/low"; then
	echo "PASS: a program runs without capabilities, and binds port 80 in its namespace"
elif grep -q '^# network: host' "$tmp/low"; then
	echo "SKIP: a program binds port 80 in its namespace: no network namespace here"
else
	echo "FAIL: a program runs without capabilities, and binds port 80 in its namespace"
	grep '|' "$tmp/low" | sed 's/^/    /'
fi

# On the host's network (--no-netns) nothing listens beyond loopback:
# every way a program tried is stopped with a note, and it never said it
# was listening (it prints where it listens, from getsockname).
guarded() {
	local name=$1 note=$2 out=$3
	if grep -qF -- "$note" "$out" && ! grep -q '| listening on' "$out"; then
		echo "PASS: $name"
	else
		echo "FAIL: $name"
		grep -vE '^ +~ ' "$out" | tail -n 8 | sed 's/^/    /'
	fi
}
# A free run waits at a bind or a listen too, for sockstep to look first.
for mode in "" --free-run; do
	timeout 60 ./sockstep run --plain $mode --no-netns --server "$P/listen_unbound" >"$tmp/unbound" 2>&1
	guarded "--no-netns${mode:+ $mode}: listen() on a socket never bound (0.0.0.0) is stopped" \
		"server listens on a socket it did not bind, which the kernel binds to 0.0.0.0 (every address), beyond loopback, on the host's network: stopped" \
		"$tmp/unbound"
done

# Another ABI: socketcall through int 0x80 from an x86-64 program. The
# filter sends every call of another ABI to the tracer, which refuses it.
if [ "$("$P/int80" 2>&1 | head -c 12)" != "listening on" ]; then
	echo "SKIP: --no-netns: an int 0x80 socketcall is refused: this machine runs no i386 call ($("$P/int80" 2>&1))"
else
	timeout 60 ./sockstep run --plain --no-netns --server "$P/int80" >"$tmp/int80" 2>&1
	guarded "--no-netns: a socket call of the i386 ABI (int 0x80) is refused, the program stopped" \
		"made a system call of another ABI, i386 (int 0x80); sockstep traces only the native calls, so it cannot show it: stopped" \
		"$tmp/int80"
fi

# io_uring makes socket calls no tracer sees: setting one up is refused
# (ENOSYS), in a namespace or not.
timeout 60 ./sockstep run --plain --no-netns --server "$P/io_uring" >"$tmp/uring" 2>&1
check "io_uring_setup is refused with ENOSYS" grep -q '| io_uring_setup: Function not implemented$' "$tmp/uring"

# A second thread rewrites the address the bind passes once sockstep has
# read it (127.0.0.1) and before the kernel does (0.0.0.0). --step holds
# the bind until Enter: the rewrite is made while it waits, then Enter
# lets it go. What counts is the address as the kernel holds it.
race() {
	trap '' PIPE   # sockstep may end between a look and an Enter
	mkfifo "$tmp/in"
	timeout 60 ./sockstep run --plain --step --no-netns --server "$P/bind_race $tmp/go $tmp/done" \
		<"$tmp/in" >"$tmp/race" 2>"$tmp/race.err" &
	local pid=$! prompts=0 n i
	exec 3>"$tmp/in"
	for ((i = 0; i < 1200 && prompts < 50; i++)); do
		kill -0 $pid 2>/dev/null || break
		n=$(grep -c '^next:' "$tmp/race.err")
		if [ "$n" -gt "$prompts" ]; then
			prompts=$n
			if tail -n 1 "$tmp/race.err" | grep -q '^next: server bind(.*127.0.0.1'; then
				touch "$tmp/go"
				while [ ! -e "$tmp/done" ] && kill -0 $pid 2>/dev/null; do sleep 0.05; done
			fi
			echo >&3 2>/dev/null || break   # sockstep has ended meanwhile
		fi
		sleep 0.05
	done
	exec 3>&-
	wait $pid
	cat "$tmp/race.err" >>"$tmp/race"
}
race
if [ ! -e "$tmp/done" ]; then
	echo "FAIL: --no-netns: an address rewritten after it was read is stopped: the bind was never shown with 127.0.0.1"
	tail -n 5 "$tmp/race" | sed 's/^/    /'
else
	guarded "--no-netns: an address rewritten after it was read is stopped (the kernel's address counts)" \
		"server has its socket on 0.0.0.0:" "$tmp/race"
fi

# A program's calls are counted past 16 bits: the last of 70002 calls is
# step 70002 (a free run, recorded; the last snapshot says where each
# actor is).
timeout 120 ./sockstep run --plain --free-run --record "$tmp/many.jsonl" --server "$P/many_calls" >"$tmp/many" 2>&1
status=$?
last=$(tail -n 1 "$tmp/many.jsonl" | grep -o '"state":"done","step":[0-9]*' | grep -o '[0-9]*$')
rm -f "$tmp/many.jsonl"
if [ $status -eq 0 ] && grep -q '| 70002 calls$' "$tmp/many" && [ "$last" = 70002 ]; then
	echo "PASS: a program of more than 65535 calls counts them all (step 70002)"
else
	echo "FAIL: a program of more than 65535 calls counts them all: status $status, last step ${last:-none}"
fi

# select's nfds and timeouts are the program's to choose: INT_MAX,
# negative, LONG_MAX and LONG_MIN seconds are shown as passed, and the
# tracer lives through them (the sanitizer build, make SAN=1, stops it at
# any signed overflow).
timeout 60 ./sockstep run --plain --server "$P/select_hostile" >"$tmp/select" 2>&1
status=$?
missing=""
for line in "select(2147483647, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [3])" \
	"select(-1, NULL, NULL, NULL, {tv_sec=0, tv_usec=0}) = -1 EINVAL" \
	"select(4, [3], NULL, NULL, {tv_sec=9223372036854775807, tv_usec=0}) = 1 (in [3])" \
	"select(4, [3], NULL, NULL, {tv_sec=-9223372036854775808, tv_usec=0}) = -1 EINVAL" \
	"pselect6(4, [3], NULL, NULL, {tv_sec=9223372036854775807, tv_nsec=...}, NULL) = 1 (in [3])" \
	"pselect6(4, [3], NULL, NULL, {tv_sec=-9223372036854775808, tv_nsec=0}, NULL) = -1 EINVAL" \
	"pselect6(-2147483648, NULL, NULL, NULL, {tv_sec=" \
	"| pselect6 INT_MIN = -1 Invalid argument"; do
	grep -qF -- "$line" "$tmp/select" || missing="$missing [$line]"
done
if [ $status -eq 0 ] && [ -z "$missing" ]; then
	echo "PASS: select's hostile nfds and timeouts are shown as passed, and the tracer lives"
else
	echo "FAIL: select's hostile nfds and timeouts: status $status, missing:$missing"
	grep -E 'select|\|' "$tmp/select" | sed 's/^/    /'
fi
