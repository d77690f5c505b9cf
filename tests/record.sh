#!/bin/bash
# record.sh - --record and sockstep replay from the command line: every
# line of a recording as the README's schema says, replay --plain printing
# what --plain (or sockstep run --plain) printed (and ending the same), the reader's refusals with
# their file:line and status 2, and a replay that runs nothing (strace: no
# fork, no clone, no unshare, no socket). The screen's side is in
# tests/e2e/replay.sh, the frames in tests/unit/test_record.c.
cd "$(dirname "$0")/.." || exit 2
. tests/lib-python.sh
. tests/lib.sh

# refused NAME FILE TEXT: replay --plain FILE fails with status 2 and TEXT
# (a fixed string) on stderr.
refused() {
	local status
	./sockstep replay --plain "$2" >/dev/null 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 2 ] && grep -qF -- "$3" "$tmp/err"; then
		echo "PASS: $1"
	else
		echo "FAIL: $1: status $status, said: $(head -c 300 "$tmp/err")"
	fi
}

# Recorded with --plain, replayed with --plain: the same lines, the same
# status. echo and chat (input lines), unix (AF_UNIX addresses), ipv6,
# timeout (calls that return by themselves), sigpipe (an actor that dies),
# refused (a failed call) and a free run.
for lesson in echo chat unix ipv6 timeout sigpipe refused; do
	./sockstep --plain --record "$tmp/$lesson.jsonl" "$lesson" >"$tmp/$lesson.live" 2>"$tmp/$lesson.live-err"
	live=$?
	./sockstep replay --plain "$tmp/$lesson.jsonl" >"$tmp/$lesson.replay" 2>"$tmp/$lesson.replay-err"
	again=$?
	if [ "$live" -eq "$again" ] && cmp -s "$tmp/$lesson.live" "$tmp/$lesson.replay"; then
		echo "PASS: replay --plain prints what --plain printed: $lesson"
	else
		echo "FAIL: replay --plain prints what --plain printed: $lesson (status $live, then $again)"
		diff "$tmp/$lesson.live" "$tmp/$lesson.replay" | head -n 8 | sed 's/^/    /'
		head -n 3 "$tmp/$lesson.replay-err" | sed 's/^/    /'
	fi
done
# --narrate prints the lesson's words under each step, from the recorded
# lesson; and where no screen can be drawn (output to a file here), a
# replay is printed as a run is.
./sockstep --narrate --record "$tmp/narrate.jsonl" chat >"$tmp/narrate.live" 2>&1
check "replay --narrate prints what --narrate printed" bash -c \
	"./sockstep replay --narrate '$tmp/narrate.jsonl' 2>&1 | cmp -s - '$tmp/narrate.live'"
check "replay without a screen prints the run" bash -c \
	"./sockstep replay '$tmp/echo.jsonl' </dev/null 2>/dev/null | cmp -s - '$tmp/echo.live'"

# sockstep run: the seed chat in Python with lines typed to it, and a
# forking server with a threaded client, whose child and thread become
# actors of their own as the run goes (tests/programs, built by make).
P=${BUILD:-build}/programs
runs=()
record_programs() {  # NAME, then sockstep run's options
	local name=$1
	shift
	timeout 60 ./sockstep run --plain --record "$tmp/$name.jsonl" "$@" >"$tmp/$name.live" 2>&1
	local live=$?
	./sockstep replay --plain "$tmp/$name.jsonl" >"$tmp/$name.replay" 2>&1
	local again=$?
	if [ "$live" -eq 0 ] && [ "$again" -eq 0 ] && cmp -s "$tmp/$name.live" "$tmp/$name.replay"; then
		echo "PASS: replay --plain prints what sockstep run --plain printed: $name"
	else
		echo "FAIL: replay --plain prints what sockstep run --plain printed: $name (status $live, then $again)"
		diff "$tmp/$name.live" "$tmp/$name.replay" | head -n 8 | sed 's/^/    /'
	fi
	runs+=("$tmp/$name.jsonl")
}
record_programs python-chat --server "$PY tests/programs/chat-server.py" \
	--client "$PY tests/programs/chat-client.py" --input client=hello --input server='hi there' --input client=q
if [ -x "$P/forking_server" ] && [ -x "$P/threaded_client" ]; then
	record_programs fork-thread --server "$P/forking_server" --client "$P/threaded_client"
	check "a traced program's processes and threads are actors of the replay" python3 -c "
import json
last = [json.loads(l) for l in open('$tmp/fork-thread.jsonl') if l.startswith('{\"type\":\"snapshot\"')][-1]
names = [a['name'] for a in last['actors']]
assert len(names) > 2 and 'server.2' in names, names
assert all(a['owner'] < 2 for a in last['actors']), last['actors']
"
else
	# make unit builds them (make check does): not built is a failure, not a skip.
	echo "FAIL: a traced program's processes and threads are actors of the replay: $P/forking_server or $P/threaded_client not built (make unit)"
fi

# The free run of the benchmark's ping-pong: thousands of events, one moment.
./sockstep --plain --free-run --record "$tmp/free.jsonl" bench/lessons/pingpong.lesson >"$tmp/free.live" 2>&1
check "a free run replays as it ran" bash -c "./sockstep replay --plain '$tmp/free.jsonl' | cmp -s - '$tmp/free.live'"

python3 tests/record-schema.py ./sockstep README.md "$tmp"/echo.jsonl "$tmp"/unix.jsonl "$tmp"/ipv6.jsonl "$tmp"/sigpipe.jsonl \
	"$tmp"/chat.jsonl "$tmp"/free.jsonl "${runs[@]}"

check "the header names the lesson, its file without a directory, and carries its source" python3 -c "
import json, sys
h = json.loads(open('$tmp/echo.jsonl').readline())
src = open('lessons/01-echo.lesson').read()
assert h['lesson']['name'] == 'echo' and h['lesson']['file'] == '01-echo.lesson', h['lesson']
assert h['lesson']['source'] == src
assert h['actors'] == ['server', 'client'] and h['sockstep'] and h['version'] == 1
"
check "an event has the bytes as hex and the address as family, port and bytes" python3 -c "
import json
ev = [json.loads(l) for l in open('$tmp/echo.jsonl')]
ret = [e for e in ev if e['type'] == 'event' and e['kind'] == 'return' and e['op'] == 'recv' and e['ret'] == 12][0]
assert ret['data'] == '48656c6c6f2c20776f726c64', ret['data']
con = [e for e in ev if e['type'] == 'event' and e['kind'] == 'call' and e['op'] == 'connect'][0]
assert con['addr'] == {'text': '127.0.0.1:65432', 'len': 16, 'family': 'AF_INET', 'port': 65432, 'bytes': '7f000001'}, con['addr']
snaps = [e for e in ev if e['type'] == 'snapshot']
assert snaps[0]['cause'] == 'start' and snaps[0]['steps'] == 0
assert sum(s['cause'] == 'step' for s in snaps) == snaps[-1]['steps'] > 10
"
check "a failed call's errno has its name" python3 -c "
import json
ev = [json.loads(l) for l in open('$tmp/refused.jsonl')]
r = [e for e in ev if e['type'] == 'event' and e['kind'] == 'return' and e['errno']][0]
assert r['errno_name'] == 'ECONNREFUSED' and r['ret'] == -1, r
"

# The reader's refusals, each with its place.
refused "a missing file" "$tmp/none.jsonl" "$tmp/none.jsonl: cannot open"
refused "a lesson is not a recording" lessons/01-echo.lesson "lessons/01-echo.lesson:1: not a sockstep recording"
: >"$tmp/empty.jsonl"
refused "an empty file" "$tmp/empty.jsonl" "empty.jsonl:1: empty: not a sockstep recording"
sed '1s/"version":1/"version":2/' "$tmp/echo.jsonl" >"$tmp/newer.jsonl"
refused "a newer recording says so" "$tmp/newer.jsonl" "newer.jsonl:1: a recording of format version 2, made by sockstep"
# mutate NAME PYTHON: a copy of the echo recording with one event line
# changed by PYTHON (on e, the event); prints the line number changed.
mutate() {
	python3 - "$tmp/echo.jsonl" "$tmp/$1.jsonl" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
n = next(i for i, l in enumerate(lines) if '"kind":"return"' in l)
e = json.loads(lines[n])
exec(sys.argv[3])
lines[n] = json.dumps(e, separators=(",", ":"))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print(n + 1)
PY
}
line=$(mutate cut "pass")
head -n "$line" "$tmp/cut.jsonl" | head -c -40 >"$tmp/cut2.jsonl"
refused "a recording cut in the middle of a line" "$tmp/cut2.jsonl" "cut2.jsonl:$line: not JSON"
line=$(mutate actor "e['actor'] = 7")
refused "an event of an actor the run does not have" "$tmp/actor.jsonl" "snapshot: 2 actors, but its events name actor 7"
line=$(mutate step "e['step'] = 40")
refused "an event at a step the actor does not have" "$tmp/step.jsonl" "step.jsonl:$line: event: step 40 is not one"
line=$(mutate seq "e['seq'] = 99")
refused "events out of order" "$tmp/seq.jsonl" "seq.jsonl:$line: event: seq 99 where"
line=$(mutate hex "e['data'] = 'xyz'")
refused "bytes that are not hex" "$tmp/hex.jsonl" "hex.jsonl:$line: event: \"data\" must be hex"
line=$(mutate kind "e['kind'] = 'teleport'")
refused "an unknown kind of event" "$tmp/kind.jsonl" "kind.jsonl:$line: event: unknown kind \"teleport\""
check "the screen refuses a broken recording before taking the terminal" bash -c \
	"./sockstep replay '$tmp/seq.jsonl' 2>&1 >/dev/null </dev/null | grep -q 'seq.jsonl:[0-9]*: event: seq 99'; [ \${PIPESTATUS[0]} -eq 2 ]"
check "replay takes one file" bash -c "./sockstep replay >/dev/null 2>&1; [ \$? -eq 2 ]"
check "replay with --check is bad usage" bash -c \
	"./sockstep --check replay '$tmp/echo.jsonl' 2>&1 | grep -q 'does not go with replay'"
check "--cast with --plain is bad usage" bash -c "./sockstep --plain --cast '$tmp/x.cast' echo >/dev/null 2>&1; [ \$? -eq 2 ]"
check "an unwritable recording is refused" bash -c \
	"./sockstep --plain --record '$tmp/no/such/dir.jsonl' echo 2>&1 >/dev/null | grep -q 'cannot write the recording'"

# A replay runs nothing: no process, no namespace, no socket of any kind
# (the run itself makes all of them: the trace would show them).
if command -v strace >/dev/null 2>&1; then
	calls=fork,vfork,clone,clone3,unshare,setns,socket,socketpair,execve
	strace -f -qq -e trace=$calls -o "$tmp/run.trace" ./sockstep --plain echo >/dev/null 2>&1
	# (A sanitizer build's leak check stops the world with a clone of its
	# own at exit, and cannot under strace: it is not the replay's.)
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=$calls -o "$tmp/replay.trace" \
		./sockstep replay --plain "$tmp/echo.jsonl" >/dev/null 2>&1
	made=$(grep -cE '(fork|clone|unshare|socket)' "$tmp/run.trace")
	if [ "$made" -gt 0 ] && ! grep -vE '^[0-9]+ +execve\(' "$tmp/replay.trace" | grep -q .; then
		echo "PASS: a replay forks nothing and opens no socket (strace)"
	else
		echo "FAIL: a replay forks nothing and opens no socket (strace): run made $made, replay:"
		head -n 5 "$tmp/replay.trace" | sed 's/^/    /'
	fi
else
	echo "SKIP: a replay forks nothing and opens no socket: strace is not installed"
fi
