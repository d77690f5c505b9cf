#!/bin/bash
# hostile.sh - a recording is made to be shared, so one crafted to harm is
# read as safely as one made by sockstep: refused with its place, never a
# crash, never memory without bound, never an escape sequence reaching the
# terminal; and every output sockstep writes is checked (a full disk is an
# error, not a truncated file and status 0). The files are the fuzz
# corpus's recordings, changed here: no run is needed, and it takes a
# second or two.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

echo_rec=tests/fuzz/corpus/record/echo.jsonl
chat_rec=tests/fuzz/corpus/record/chat.jsonl
run_rec=tests/fuzz/corpus/record/run-python-echo.jsonl

# mutate FROM TO PYTHON: a copy of FROM with PYTHON run on every line's
# object e (L is the line's index, and the result is e, or the object
# PYTHON sets as e).
mutate() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
out = []
for L, line in enumerate(open(sys.argv[1]).read().splitlines()):
    e = json.loads(line)
    exec(sys.argv[3])
    out.append(json.dumps(e, separators=(",", ":")))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
}

# every_mode NAME FILE TEST: TEST (a command on $out, $err and $status)
# holds for replay --plain, --narrate and --step (fed Enter).
every_mode() {
	local mode status
	for mode in --plain --narrate --step; do
		yes '' 2>/dev/null | head -n 400 | ./sockstep replay $mode "$2" >"$tmp/out" 2>"$tmp/err"
		status=$?
		if ! out="$tmp/out" err="$tmp/err" status=$status bash -c "$3"; then
			echo "FAIL: $1 ($mode): status $status, said: $(head -c 300 "$tmp/err" | cat -v)"
			return
		fi
	done
	echo "PASS: $1"
}

# A crafted event whose actor is none, where only an actor makes one:
# every view looks its actor up.
for kind in exit call return print input; do
	mutate "$chat_rec" "$tmp/$kind.jsonl" "
if e.get('kind') == '$kind' and not globals().get('done'):
    e['actor'] = -1; e['step'] = -1; e.setdefault('text', 'x'); done = 1"
	every_mode "a recorded $kind of no actor is refused, with its place" "$tmp/$kind.jsonl" \
		"[ \$status -eq 2 ] && grep -q ':[0-9]*: event: $kind by actor -1' \$err"
done

# Escape sequences in a recording's texts (OSC 52 writes the clipboard,
# OSC 0 the window's title) reach no terminal, in any mode. A printed text
# is shown as a terminal shows it (console_render): the OSC is dropped
# whole, and the C1 byte left on its own is a '?'.
esc=$(printf '\033]52;c;aGk=\007')
mutate "$echo_rec" "$tmp/esc.jsonl" "
if e.get('kind') == 'print': e['text'] = '$esc' + 'hi\x9b31m'
if e['type'] == 'header': e['network'] = '\x1b]0;pwned\x07net'; e['kernel_note'] = 'k\x1b[2J'"
every_mode "escape sequences in a recording's texts reach no terminal" "$tmp/esc.jsonl" \
	"[ \$status -eq 0 ] && ! grep -q \$'[\x01-\x08\x0b-\x1f\x7f]' \$out \$err && grep -q '| hi??31m\$' \$out"
mutate "$run_rec" "$tmp/esc-name.jsonl" "
if e['type'] == 'header':
    e['programs'][0]['name'] = e['actors'][0] = 'se\x1b]0;x\x07rver'
    e['lesson']['title'] = 't\x1b[2Jitle'
if e['type'] == 'snapshot': e['actors'][0]['name'] = 'se\x1b]0;x\x07rver'"
every_mode "escape sequences in a recorded program's name and title reach no terminal" "$tmp/esc-name.jsonl" \
	"[ \$status -eq 0 ] && ! grep -q \$'[\x01-\x08\x0b-\x1f\x7f]' \$out \$err && grep -q 'se?\]0;x?rver' \$out"
mutate "$echo_rec" "$tmp/esc-kind.jsonl" "
if e.get('kind') == 'print': e['kind'] = 'x\x1b]0;x\x07'"
every_mode "a refusal that quotes the file quotes no escape sequence" "$tmp/esc-kind.jsonl" \
	"[ \$status -eq 2 ] && ! grep -q \$'[\x01-\x08\x0b-\x1f\x7f]' \$err && grep -q 'unknown kind \"x?\]0;x?\"' \$err"

# A line with no end is refused once it is longer than a recording's
# lines can be, not read whole first: /dev/zero never ends. (Its memory
# is capped here so a regression fails rather than eats the machine; a
# sanitizer build reserves too much address space for the cap.)
if [ "$(cat build/flavour 2>/dev/null)" = san ]; then
	limit=:
else
	limit="ulimit -v 400000"
fi
check "a line without an end (/dev/zero) is refused before it fills memory" bash -c \
	"$limit; timeout 60 ./sockstep replay --plain /dev/zero 2>&1 >/dev/null | grep -q '/dev/zero:1: a line longer than'"

# Every file sockstep writes is checked: a write that fails is a message
# and status 2, never a cut file and status 0. /dev/full fails every write;
# a file size limit (with SIGXFSZ ignored, so the write fails with EFBIG)
# is a disk that fills in the middle of a run.
check "the standard output full is an error (replay --plain)" bash -c \
	"./sockstep replay --plain $echo_rec >/dev/full 2>$tmp/full.err; [ \$? -eq 2 ] && grep -q 'cannot write the standard output' $tmp/full.err"
check "the standard output full is an error (--list)" bash -c \
	"./sockstep --list >/dev/full 2>$tmp/full.err; [ \$? -eq 2 ] && grep -q 'cannot write the standard output' $tmp/full.err"
check "the standard output full is an error (--plain)" bash -c \
	"./sockstep --plain echo >/dev/full 2>$tmp/full.err; [ \$? -eq 2 ] && grep -q 'cannot write the standard output' $tmp/full.err"
check "--pcap to a full disk is an error" bash -c \
	"./sockstep --plain --pcap /dev/full echo >/dev/null 2>$tmp/full.err; [ \$? -eq 2 ] && grep -q 'cannot write the packets (--pcap /dev/full)' $tmp/full.err"
check "--record to a full disk is an error" bash -c \
	"./sockstep --plain --record /dev/full echo >/dev/null 2>$tmp/full.err; [ \$? -eq 2 ] && grep -q '/dev/full' $tmp/full.err"
check "a recording cut short by a full disk says so" bash -c \
	"trap '' XFSZ; ulimit -f 16; ./sockstep --plain --record $tmp/cut.jsonl echo >/dev/null 2>$tmp/full.err
	 [ \$? -eq 2 ] && grep -q 'cannot write the recording $tmp/cut.jsonl: File too large; what was written ends there' $tmp/full.err"
check "replaying a recording cut short says it was cut" bash -c \
	"./sockstep replay --plain $tmp/cut.jsonl 2>&1 >/dev/null | grep -q 'cut.jsonl:[0-9]*: .*; the file ends in this line: it was cut short'"
if command -v script >/dev/null 2>&1; then
	# The screen needs a terminal: script gives it one, and q quits.
	check "--cast to a full disk is an error" bash -c \
		"printf q | TERM=xterm script -qec './sockstep replay --cast /dev/full $echo_rec; echo status=\$?' /dev/null >$tmp/cast.out 2>&1
		 grep -q 'cannot write the cast /dev/full: No space left on device' $tmp/cast.out && grep -q 'status=2' $tmp/cast.out"
else
	echo "SKIP: --cast to a full disk is an error: script (util-linux) is not installed"
fi

# A traced program's step counts its calls: a program of more than a
# lesson's 512 steps replays (its steps here moved past 1000).
mutate "$run_rec" "$tmp/long.jsonl" "
if e['type'] == 'event' and e['step'] >= 0: e['step'] += 1000
if e['type'] == 'snapshot':
    for a in e['actors']:
        if a['step'] >= 0: a['step'] += 1000
        if a['pending']: a['pending']['step'] += 1000"
check "a recorded program of more than 512 calls replays" bash -c \
	"./sockstep replay --plain $tmp/long.jsonl >$tmp/long.out && ./sockstep replay --plain $run_rec | cmp - $tmp/long.out"

# A recording costs about its size in memory: each moment's actors are
# kept packed, and once when they did not change. 2000 snapshots whose
# actors all differ (the worst case) stay under 4 times the file.
python3 - "$chat_rec" "$tmp/many.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
last = [json.loads(l) for l in lines if '"type":"snapshot"' in l][-1]
for i in range(2000):
    last['n'] += 1
    for a in last['actors']:
        a['next_example'] = i
    lines.append(json.dumps(last, separators=(",", ":")))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
if [ "$(cat build/flavour 2>/dev/null)" = san ] || [ ! -x /usr/bin/time ]; then
	echo "SKIP: a recording costs about its size in memory: needs /usr/bin/time and a build without sanitizers"
else
	check "a recording costs about its size in memory" bash -c "
		/usr/bin/time -f %M ./sockstep replay --plain $tmp/many.jsonl 2>$tmp/rss >/dev/null
		size=\$(( \$(stat -c %s $tmp/many.jsonl) / 1024 )); rss=\$(tail -n 1 $tmp/rss)
		echo \"file \$size KiB, resident \$rss KiB\"; [ \$rss -lt \$((4 * size + 8000)) ]"
fi
