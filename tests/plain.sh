#!/bin/bash
# Plain mode as a pipe, a dumb terminal and a screen reader meet it: plain
# chosen by itself where no screen can be drawn, the TUI kept where one can,
# and --plain --step driven line by line through a pipe and a terminal.
cd "$(dirname "$0")/.." || exit 2
. tests/lib-python.sh
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
# A sockstep that ends too soon must fail a check, not kill the script that
# writes to its fifo.
trap '' PIPE

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1: $2"
	[ -n "$3" ] && [ -f "$3" ] && head -n 12 "$3" | sed 's/^/    /'
}

# Ephemeral ports and the machine's network line masked, packet and socket
# lines left out: as tests/lessons/run.sh compares runs with the goldens.
normalize() {
	sed -E -e '/^# (network|kernel view):/d' -e '/^ +~ /d' \
	       -e 's/:(3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\b/:EPHEMERAL/g'
}

# A command in a terminal of its own (see interm.py).
interm() { python3 tests/interm.py "$@"; }

# Is the process running? A zombie is not.
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# wait_until SECONDS COMMAND...: until the command succeeds.
wait_until() {
	local i limit=$(($1 * 20))
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# The calls in a transcript: "server socket", "client connect", ... (an
# input counts as a step too; console, hex and kernel lines do not).
calls() { grep -oE '^[a-z]+ +([a-z]+\(|input =)' "$1" | sed -E 's/ +/ /; s/[(]$//; s/ =$//'; }
ncalls() { calls "$1" | wc -l; }

# --- plain by itself -------------------------------------------------------
./sockstep echo 2>"$tmp/err" | cat >"$tmp/out"
st=${PIPESTATUS[0]}
if [ "$st" = 0 ] && normalize <"$tmp/out" | diff -q tests/lessons/echo.expect - >/dev/null; then
	pass "sockstep echo | cat prints the plain run, status 0"
else
	fail "sockstep echo | cat prints the plain run, status 0" "status $st" "$tmp/out"
fi

./sockstep run --server "$PY tests/programs/echo-server.py" --client "$PY tests/programs/echo-client.py" \
	2>"$tmp/err" | cat >"$tmp/out"
st=${PIPESTATUS[0]}
if [ "$st" = 0 ] && grep -Eq '^client +send\(3, "Hello, world", 12\) = 12$' "$tmp/out"; then
	pass "sockstep run ... | cat: your programs' plain run, status 0"
else
	fail "sockstep run ... | cat: your programs' plain run, status 0" "status $st" "$tmp/err"
fi

interm -e TERM=dumb -- ./sockstep echo >"$tmp/out"
if grep -q '^STATUS 0' "$tmp/out" && grep -q '^client  sendall(3, "Hello, world", 12) = 12' "$tmp/out" &&
   ! grep -q $'\e' "$tmp/out"; then
	pass "TERM=dumb on a terminal prints the plain run, status 0, no escape sequence"
else
	fail "TERM=dumb on a terminal prints the plain run" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi

interm -u TERM -- ./sockstep echo >"$tmp/out"
if grep -q '^STATUS 0' "$tmp/out" && grep -q '^server  close(3) = 0' "$tmp/out"; then
	pass "no TERM at all: the plain run"
else
	fail "no TERM at all: the plain run" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi

./sockstep >"$tmp/out" 2>"$tmp/err"
st=$?
if [ "$st" = 2 ] && [ ! -s "$tmp/out" ] && grep -q 'no screen for the lesson menu (standard output is not a terminal)' "$tmp/err" &&
   grep -q 'sockstep --plain --step LESSON' "$tmp/err" && grep -q '^01  echo  ' "$tmp/err"; then
	pass "no lesson and no screen: says how to name one, lists them, status 2"
else
	fail "no lesson and no screen: says how to name one, lists them, status 2" "status $st" "$tmp/err"
fi

interm -e TERM=dumb -- ./sockstep >"$tmp/out"
if grep -q '^STATUS 2' "$tmp/out" && grep -q 'no screen for the lesson menu (TERM=dumb' "$tmp/out"; then
	pass "no lesson on a dumb terminal: the same message"
else
	fail "no lesson on a dumb terminal: the same message" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi

# Where a screen can be drawn, the screen it is.
interm -e TERM=xterm-256color -x 'pid [0-9]+ +ready' -s 'q' -- ./sockstep echo >"$tmp/out"
if grep -q '^STATUS 0' "$tmp/out" && grep -q $'\e\\[' "$tmp/out" && ! grep -q '^server  socket(' "$tmp/out"; then
	pass "a terminal that can draw one still gets the screen"
else
	fail "a terminal that can draw one still gets the screen" "$(tail -n 1 "$tmp/out")"
fi

interm -e TERM=xterm-256color -- sh -c './sockstep echo </dev/null' >"$tmp/out"
if grep -q '^STATUS 1' "$tmp/out" && grep -q '^sockstep: standard input is not a terminal, and the screen reads its keys there; use --plain' "$tmp/out" &&
   ! grep -q $'\e\\[' "$tmp/out"; then
	pass "the screen with no keyboard (stdin not a terminal): a clear error, status 1"
else
	fail "the screen with no keyboard (stdin not a terminal): a clear error, status 1" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi

interm -e TERM=xterm-256color -- sh -c './sockstep --tui echo >/dev/null' >"$tmp/out"
if grep -q '^STATUS 1' "$tmp/out" && grep -q '^sockstep: standard output is not a terminal; use --plain' "$tmp/out"; then
	pass "--tui with standard output not a terminal: a clear error, status 1"
else
	fail "--tui with standard output not a terminal: a clear error, status 1" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi

interm -e TERM=dumb -- ./sockstep --tui echo >"$tmp/out"
if grep -q '^STATUS 1' "$tmp/out" && grep -q '^sockstep: TERM=dumb, a terminal that cannot draw a screen' "$tmp/out" &&
   ! grep -q $'\e' "$tmp/out"; then
	pass "--tui on a dumb terminal: a clear error rather than a broken screen"
else
	fail "--tui on a dumb terminal: a clear error rather than a broken screen" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi

if ./sockstep --tui --plain echo >/dev/null 2>&1; [ $? = 2 ] &&
   ./sockstep --step --free-run echo >/dev/null 2>&1; [ $? = 2 ]; then
	pass "--tui with --plain, and --step with --free-run, are refused (status 2)"
else
	fail "--tui with --plain, and --step with --free-run, are refused (status 2)" "accepted"
fi

# --- --plain --step through a pipe -----------------------------------------
# A fifo the test keeps open: sockstep reads one line per step, and must
# wait, not run on, while no line comes.
mkfifo "$tmp/in"
./sockstep --plain --step echo <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
pids+=("$pid")
exec 3>"$tmp/in"
prompts() { grep -c '^next: ' "$tmp/err"; }
has_prompts() { [ "$(prompts)" -ge "$1" ]; }
wait_until 10 has_prompts 1
printf '\n\n\n' >&3
wait_until 10 has_prompts 4
sleep 1   # time to run on, if it wrongly did
got=$(calls "$tmp/out" | tr '\n' ',')
if [ "$got" = "server socket,server bind,server listen," ] && [ "$(prompts)" = 4 ] &&
   tail -n 1 "$tmp/err" | grep -qx 'next: client socket(AF_INET, SOCK_STREAM) - Enter to run, q to quit'; then
	pass "--step: three Enters run exactly three calls, and the prompt names the fourth"
else
	fail "--step: three Enters run exactly three calls, and the prompt names the fourth" "calls '$got', $(prompts) prompts" "$tmp/err"
fi
children=$(pgrep -P "$pid" | tr '\n' ' ')
printf 'q\n' >&3
exec 3>&-
wait_until 5 eval '! alive $pid'
wait "$pid"
st=$?
left=""
for c in $children; do alive "$c" && left="$left $c"; done
if [ "$st" = 0 ] && [ -n "$children" ] && [ -z "$left" ] && [ "$(ncalls "$tmp/out")" = 3 ]; then
	pass "--step: q quits with status 0 and leaves no actor process"
else
	fail "--step: q quits with status 0 and leaves no actor process" "status $st, actors '$children', left '$left'"
fi

# The end of the input quits as q does, whenever it comes.
./sockstep --plain --step echo <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
pids+=("$pid")
exec 3>"$tmp/in"
wait_until 10 has_prompts 1
printf '\n' >&3
wait_until 10 has_prompts 2
children=$(pgrep -P "$pid" | tr '\n' ' ')
exec 3>&-
wait_until 5 eval '! alive $pid'
wait "$pid"
st=$?
left=""
for c in $children; do alive "$c" && left="$left $c"; done
if [ "$st" = 0 ] && [ -n "$children" ] && [ -z "$left" ] && [ "$(ncalls "$tmp/out")" = 1 ]; then
	pass "--step: the end of the input quits with status 0, no actor left"
else
	fail "--step: the end of the input quits with status 0, no actor left" "status $st, actors '$children', left '$left'"
fi

# Enter all the way (an empty line takes an input step's example): the same
# transcript as --plain, and with --narrate the same as --plain --narrate.
for lesson in echo chat; do
	yes '' 2>/dev/null | ./sockstep --plain --step "$lesson" >"$tmp/out" 2>"$tmp/err"
	st=${PIPESTATUS[1]}
	if [ "$st" = 0 ] && normalize <"$tmp/out" | diff -u "tests/lessons/$lesson.expect" - >"$tmp/diff" &&
	   tail -n 1 "$tmp/err" | grep -q '^the lesson is over: every actor ran to its end$'; then
		pass "--step with Enter all the way through $lesson: the --plain transcript, status 0"
	else
		fail "--step with Enter all the way through $lesson: the --plain transcript, status 0" "status $st" "$tmp/diff"
	fi
done
yes '' 2>/dev/null | ./sockstep --plain --step --narrate echo >"$tmp/out" 2>"$tmp/err"
if normalize <"$tmp/out" | diff -u tests/lessons/narrate/echo.expect - >"$tmp/diff"; then
	pass "--step --narrate: the --plain --narrate transcript, questions before their calls"
else
	fail "--step --narrate: the --plain --narrate transcript" "differs" "$tmp/diff"
fi

# A line typed at the chat's input step is what the server receives.
./sockstep --plain --step chat <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
pids+=("$pid")
exec 3>"$tmp/in"
at_input() { tail -n 1 "$tmp/err" | grep -q '^next: client input " ? " - type the line to send'; }
for ((k = 1; k < 20; k++)); do
	wait_until 10 has_prompts "$k" || break
	at_input && break
	printf '\n' >&3
done
printf 'ping me\n' >&3
wait_until 10 grep -q '^server  | from connected user: ping me$' "$tmp/out"
wait_until 10 has_prompts $((k + 4))
printf '\n\n\n\n' >&3   # send, recv, send upper, recv
wait_until 10 grep -q '^client  | Received from server: PING ME$' "$tmp/out"
printf 'q\n' >&3        # at the input step: the chat's own goodbye, sent as typed
wait_until 10 grep -q '^client  input = "q"$' "$tmp/out"
exec 3>&-
wait "$pid"
st=$?
if [ "$st" = 0 ] && grep -q '^client  input = "ping me"$' "$tmp/out" && grep -q '^server  recv(4, 1024) = 7$' "$tmp/out" &&
   grep -q '^client  | Received from server: PING ME$' "$tmp/out" && ! grep -q 'input = "hello"' "$tmp/out"; then
	pass "--step: a line typed at the chat's input step reaches the server"
else
	fail "--step: a line typed at the chat's input step reaches the server" "status $st" "$tmp/out"
fi

# enter_until REGEX: Enter at each new prompt until the last one matches.
asked=0
enter_until() {
	local k
	for ((k = 0; k < 40; k++)); do
		wait_until 10 has_prompts $((asked + 1)) || return 1
		asked=$(prompts)
		tail -n 1 "$tmp/err" | grep -Eq "$1" && return 0
		printf '\n' >&3
	done
	return 1
}

# sockstep run: a line typed when a traced program reads its terminal is the
# line it reads; an empty one is its next --input line.
./sockstep run --plain --step --server "$PY tests/programs/chat-server.py" \
	--client "$PY tests/programs/chat-client.py" --input server=hi <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
pids+=("$pid")
exec 3>"$tmp/in"
asked=0
enter_until '^next: client reads a line from its terminal - type it and Enter \(empty: an empty line\)' &&
	printf 'hello there\n' >&3
enter_until '^next: server reads a line from its terminal - type it and Enter \(empty: its next --input line "hi"\)' &&
	printf '\n' >&3
enter_until '^next: client reads a line' && printf 'q\n' >&3
printf '\n%.0s' 1 2 3 4 5 6 7 8 9 10 >&3
exec 3>&-
wait "$pid"
st=$?
if [ "$st" = 0 ] && grep -Eq '^client +input = "hello there"$' "$tmp/out" &&
   grep -Eq '^server +\| from connected  user: hello there$' "$tmp/out" &&
   grep -Eq '^client +\| Received from server: hi$' "$tmp/out" && grep -Eq '^client +close\(3\) = 0$' "$tmp/out"; then
	pass "--step with sockstep run: typed lines and --input lines reach the programs"
else
	fail "--step with sockstep run: typed lines and --input lines reach the programs" "status $st" "$tmp/err"
fi

# What an actor does by itself while the prompt waits is printed at once,
# and the prompt made again: in the timeout lesson the server's recv gives
# up after 1.5 s with no Enter, and then the server's poll is next.
./sockstep --plain --step timeout <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
pids+=("$pid")
exec 3>"$tmp/in"
for ((k = 1; k < 20; k++)); do
	wait_until 10 has_prompts "$k" || break
	tail -n 1 "$tmp/err" | grep -q '^next: client sleep(3200 ms)' && break
	printf '\n' >&3
done
n=$(prompts)
wait_until 5 grep -q '^server  recv(4, 1024) = -1 EAGAIN' "$tmp/out"
wait_until 5 has_prompts $((n + 1))
sleep 0.5   # one new prompt, not two
if [ "$(ncalls "$tmp/out")" = 10 ] && grep -q '^server  recv(4, 1024) = -1 EAGAIN' "$tmp/out" && [ "$(prompts)" = $((n + 1)) ] &&
   tail -n 1 "$tmp/err" | grep -q '^next: server poll(\[4\], POLLIN, 500) - predict: 1-3 and Enter runs it'; then
	pass "--step: a call that returns by itself is printed while the prompt waits, and the prompt made again"
else
	fail "--step: a call that returns by itself is printed while the prompt waits" "$(ncalls "$tmp/out") calls, $(prompts) prompts after $n" "$tmp/err"
fi
printf 'q\n' >&3
exec 3>&-
wait "$pid"

# --- --plain --step on a terminal -------------------------------------------
# The prompt waits on its own line; what the step prints starts on the next.
interm -e TERM=xterm -x 'next: server socket\(AF_INET, SOCK_STREAM\) - Enter to run, q to quit $' -s '\n' \
	-x 'next: server bind.* q to quit $' -s 'q\n' -- ./sockstep --plain --step --narrate echo >"$tmp/out"
if grep -q '^STATUS 0' "$tmp/out" && grep -q '^server  socket(AF_INET, SOCK_STREAM) = 3' "$tmp/out" &&
   grep -q '^        > server: socket() asks the kernel' "$tmp/out" && ! grep -q '^server  bind(' "$tmp/out" &&
   grep -q 'q to quit q' "$tmp/out"; then
	pass "--step on a terminal: Enter runs one call, q quits, status 0"
else
	fail "--step on a terminal: Enter runs one call, q quits, status 0" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi
# A question comes before the prompt of its call: predict, then press Enter.
interm -e TERM=xterm -x 'next: server socket.* q to quit $' -s '\n\n\n\n\n' -x 'next: server accept\(3\).* q to quit $' -s 'q\n' \
	-- ./sockstep --plain --step --narrate echo >"$tmp/out"
q=$(grep -n '^        ? The listening socket s is descriptor 3\. Which descriptor does accept() return?  1) 4  2) 3, the listening socket again  3) 0' "$tmp/out" | cut -d: -f1)
p=$(grep -n '^next: server accept(3) - predict: 1-3 and Enter runs it' "$tmp/out" | cut -d: -f1)
if grep -q '^STATUS 0' "$tmp/out" && [ -n "$q" ] && [ -n "$p" ] && [ $((q + 1)) = "$p" ]; then
	pass "--step --narrate on a terminal: accept's question, numbered, just before its prompt"
else
	fail "--step --narrate on a terminal: accept's question, numbered, just before its prompt" "question at line '$q', prompt at '$p'" "$tmp/out"
fi
interm -e TERM=xterm -x 'next: server socket.* q to quit $' -s '\x04' -- ./sockstep --plain --step echo >"$tmp/out"
if grep -q '^STATUS 0' "$tmp/out" && grep -q '^quit: every actor is stopped' "$tmp/out"; then
	pass "--step on a terminal: Ctrl-D quits, status 0"
else
	fail "--step on a terminal: Ctrl-D quits, status 0" "$(tail -n 1 "$tmp/out")" "$tmp/out"
fi
exit 0
