#!/bin/bash
# The command line as a user meets it: help, version, list, bad usage, and
# the promises behind every run: real calls in child processes, no child
# left behind, private ports. (make install: tests/install.sh.)
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

status_is() {  # expected status, command...
	local want=$1
	shift
	"$@"
	[ $? -eq "$want" ]
}

check "--help explains usage" bash -c './sockstep --help | grep -q "^Usage: sockstep"'
# The keys come from the key table (test_keys holds the README and the man
# page to it): c continues, s is the source, and f is no key.
check "--help lists the keys as they are" bash -c './sockstep --help | grep -Eq "^  c +continue" &&
	./sockstep --help | grep -Eq "^  s +the source" && ! ./sockstep --help | grep -Eq "^  f "'
check "--version" bash -c './sockstep --version | grep -Eq "^sockstep [0-9]+\.[0-9]+"'
check "--list shows the three first lessons" bash -c \
	'./sockstep --list | grep -q echo && ./sockstep --list | grep -q chat && ./sockstep --list | grep -q udp'
check "an unknown option is status 2" status_is 2 ./sockstep --no-such-option
check "an unknown lesson is status 2 with a message" bash -c \
	'./sockstep --plain no-such-lesson 2>&1 >/dev/null | grep -q "no lesson" ; [ ${PIPESTATUS[0]} -eq 2 ]'
check "an unknown theme is status 2" status_is 2 ./sockstep --theme neon echo
check "a lesson by number" bash -c './sockstep --plain 1 | grep -q "sendall(3, \"Hello, world\", 12) = 12"'

# Every call is made by a child process, never by sockstep itself: strace
# sees accept in one child and connect in another.
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=accept,accept4,connect -o "$tmp/trace" ./sockstep --plain echo >/dev/null 2>&1
	main_pid=$(head -n 1 "$tmp/trace" | awk '{print $1}')
	acc=$(grep -E '^[0-9]+ +accept' "$tmp/trace" | grep -v resumed | awk '{print $1}' | head -n 1)
	con=$(grep -E '^[0-9]+ +connect\(3' "$tmp/trace" | awk '{print $1}' | head -n 1)
	if [ -n "$acc" ] && [ -n "$con" ] && [ "$acc" != "$con" ] && ! grep -Eq "^$$ " "$tmp/trace"; then
		echo "PASS: accept and connect are real calls in two processes"
	else
		echo "FAIL: accept and connect are real calls in two processes (accept pid '$acc', connect pid '$con', first '$main_pid')"
	fi
else
	echo "SKIP: accept and connect are real calls in two processes: strace is not installed"
fi

# No child outlives a run, even when sockstep is killed with SIGKILL while
# an actor is blocked.
# (Under a name of this run's own: another test run may be running echo.)
ln -s "$PWD/sockstep" "$tmp/sockstep-$$"
check "no process left after a plain run" bash -c "
	'$tmp/sockstep-$$' --plain echo >/dev/null 2>&1
	! pgrep -f '^$tmp/sockstep-$$ --plain echo' >/dev/null"

# Does a run get a private network namespace here? Some checks need one.
netns=
./sockstep --plain echo 2>/dev/null | grep -q "^# network: private" && netns=1

# Two runs of the same lesson at once, same port: private namespaces keep
# them apart (only where namespaces exist).
if [ -n "$netns" ]; then
	./sockstep --plain echo >"$tmp/a" 2>&1 &
	./sockstep --plain echo >"$tmp/b" 2>&1 &
	wait
	if grep -q "= 12" "$tmp/a" && grep -q "= 12" "$tmp/b" && ! grep -q EADDRINUSE "$tmp/a" "$tmp/b"; then
		echo "PASS: two runs at once on the same port do not clash"
	else
		echo "FAIL: two runs at once on the same port do not clash"
	fi
else
	echo "SKIP: two runs at once on the same port do not clash: no private network namespace here"
fi

# (make install, and DESTDIR, are tests/install.sh's, in a copy of the tree:
# an install elsewhere rebuilds, and this tree's ./sockstep is the other
# suites'.)

# Safe by default: on the host's own network, binding beyond loopback is
# refused unless asked for.
printf 'title: exposed\nactor s\n  socket AF_INET SOCK_STREAM\n  bind 0.0.0.0 0\n  close\n' >"$tmp/exposed.lesson"
check "outside a namespace, a bind beyond loopback is refused with its place" bash -c \
	"./sockstep --plain --no-netns '$tmp/exposed.lesson' 2>&1 >/dev/null | grep -q 'exposed.lesson:4:3: binds 0.0.0.0, beyond loopback' ; [ \${PIPESTATUS[0]} -eq 2 ]"
check "--allow-external lets it run" bash -c "./sockstep --plain --no-netns --allow-external '$tmp/exposed.lesson' | grep -q 'bind(3, 0.0.0.0:0) = 0'"

# A busy host: a TIME_WAIT that is not the run's lies on the loopback (the
# socket table once gave such a socket an owner it read from memory it had
# not written, and the run crashed). The run goes as on a quiet host.
if command -v python3 >/dev/null; then
	port=$(python3 -c 'import socket
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname()); a, _ = l.accept()
print(c.getsockname()[1]); c.close(); a.close()')
	check "a foreign TIME_WAIT on the host's loopback is not the run's, and crashes nothing" bash -c \
		"./sockstep --plain --no-netns --allow-external '$tmp/exposed.lesson' >'$tmp/busy1' &&
		./sockstep --plain --no-netns echo >'$tmp/busy2' &&
		grep -q 'bind(3, 0.0.0.0:0) = 0' '$tmp/busy1' && grep -q 'client  | Received Hello, world' '$tmp/busy2' &&
		! grep -q ':$port ' '$tmp/busy1' '$tmp/busy2'"
else
	echo "SKIP: a foreign TIME_WAIT on the host's loopback is not the run's, and crashes nothing: no python3"
fi
if [ -n "$netns" ]; then
	check "inside a private namespace it runs" bash -c \
		"./sockstep --plain '$tmp/exposed.lesson' | grep -q 'bind(3, 0.0.0.0:0) = 0'"
else
	echo "SKIP: inside a private namespace it runs: no private network namespace here"
fi
check "--free-run without --plain is refused (status 2)" status_is 2 ./sockstep --free-run echo
# 20,000 round trips are 80,000 calls; past the first thousand events a long
# transfer keeps its last ones and counts the rest in one line, which says
# how many calls and bytes it folded: with the calls shown, every one.
free_run_counts() {
	./sockstep --plain --free-run bench/lessons/pingpong.lesson | awk '
		/^(client|server)  (sendall|recv)\(/ { calls++ }
		/^(client|server)  sendall\(.*= 64$/ { sent += 64 }
		/folded here/ { match($0, /[0-9]+ calls \([0-9]+ bytes sent/); split(substr($0, RSTART, RLENGTH), w, " ");
			calls += w[1]; sent += substr(w[3], 2); folds++ }
		END { print calls, sent, folds }'
}
check "--free-run runs a lesson to its end, a long transfer folded: 80000 calls, 2560000 bytes sent" \
	test "$(free_run_counts)" = "80000 2560000 1"
