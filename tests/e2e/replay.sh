#!/bin/bash
# replay.sh - a run recorded in the TUI, replayed in the TUI, and its cast
# played back: all in real terminals (tmux), checked as a student sees them.
#
# The echo lesson is stepped with --record and --cast; the replay, given
# the same keys (questions answered alike), must show the same screen; the
# cast's frames, written to a fresh terminal, must leave the same screen
# (and `asciinema play` too, where asciinema is installed); and the replay,
# under strace, must fork nothing and open no socket. Prints PASS:/FAIL:/SKIP:.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
LESSON=lessons/01-echo.lesson
export XDG_STATE_HOME="$TMP/state"

need_tui

# stable SESSION: wait until the pane stops changing (an arrow travels for
# a quarter second), then print it.
stable() {
	local a b i
	a=$(screen "$1")
	for ((i = 0; i < 40; i++)); do
		sleep 0.15
		b=$(screen "$1")
		[ "$a" = "$b" ] && break
		a=$b
	done
	printf '%s\n' "$a"
}

# drive SESSION: seven steps, each question answered 1, the socket pane,
# and two keys that do nothing but clear the status line.
drive() {
	local k
	for ((k = 0; k < 7; k++)); do
		tm send-keys -t "$1" Space
		sleep 0.2
		tm send-keys -t "$1" 1
		sleep 0.2
	done
	tm send-keys -t "$1" k
	tm send-keys -t "$1" x
	tm send-keys -t "$1" x
}

# --- the run, recorded and cast --------------------------------------------
start live 80 24 "$(wrapped live "$SOCKSTEP --record $TMP/run.jsonl --cast $TMP/run.cast $LESSON")"
wait_started live || fail "the run starts" "$(screen live | head -3 | tr '\n' '|')"
drive live
stable live >"$TMP/live.txt"
tm send-keys -t live q
if wait_file "$TMP/live.status" && [ "$(cat "$TMP/live.status")" = 0 ] && grep -q 'step 7' "$TMP/live.txt"; then
	pass "a run is recorded and cast from the screen"
else
	fail "a run is recorded and cast from the screen" "$(head -2 "$TMP/live.txt" | tr '\n' '|')"
fi

# --- the replay, given the same keys, shows the same screen ----------------
calls=fork,vfork,clone,clone3,unshare,setns,socket,socketpair
tracer=""
# (A sanitizer build's leak check stops the world with a clone of its own
# at exit, and cannot under strace: it is not the replay's.)
command -v strace >/dev/null 2>&1 &&
	tracer="env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=$calls -o $TMP/replay.trace"
start replay 80 24 "$(wrapped replay "$tracer $SOCKSTEP replay --cast $TMP/replay.cast $TMP/run.jsonl")"
wait_started replay || fail "the replay starts" "$(screen replay | head -3 | tr '\n' '|')"
wait_for replay "a recorded run, nothing runs" || fail "the replay says what it is" "$(screen replay | tail -3 | tr '\n' '|')"
drive replay
stable replay >"$TMP/replay.txt"
if cmp -s "$TMP/live.txt" "$TMP/replay.txt"; then
	pass "the replay shows the run's screen, questions and verdicts included"
else
	fail "the replay shows the run's screen, questions and verdicts included" \
		"$(diff "$TMP/live.txt" "$TMP/replay.txt" | head -6 | tr '\n' '|')"
fi
if [ "$(sed -n 2p "$TMP/live.txt" | grep -oE 'pid [0-9]+' | head -1)" = \
	"$(sed -n 2p "$TMP/replay.txt" | grep -oE 'pid [0-9]+' | head -1)" ]; then
	pass "the replay shows the recorded processes"
else
	fail "the replay shows the recorded processes" "$(sed -n 2p "$TMP/replay.txt")"
fi

# Back and forth.
tm send-keys -t replay b
if wait_re replay 'step 6/7'; then
	pass "b goes back a step"
else
	fail "b goes back a step" "$(screen replay | head -1)"
fi
tm send-keys -t replay g 3 Enter
wait_re replay 'step 3/' && pass "g 3 goes to step 3" || fail "g 3 goes to step 3" "$(screen replay | head -1)"
tm send-keys -t replay Space
wait_re replay 'step 4/' && pass "space goes forward again" || fail "space goes forward again" "$(screen replay | head -1)"
tm send-keys -t replay r
wait_re replay 'step 0/' && pass "r goes to the start" || fail "r goes to the start" "$(screen replay | head -1)"
tm send-keys -t replay m
wait_for replay "a replay has no menu" && pass "a replay has no menu" || fail "a replay has no menu" "$(screen replay | tail -2)"
tm send-keys -t replay q
if wait_file "$TMP/replay.status" && [ "$(cat "$TMP/replay.status")" = 0 ]; then
	pass "q leaves the replay"
else
	fail "q leaves the replay" "status $(cat "$TMP/replay.status" 2>/dev/null)"
fi
if [ -n "$tracer" ]; then
	if [ -f "$TMP/replay.trace" ] && ! grep -q . "$TMP/replay.trace"; then
		pass "the replay on screen forks nothing and opens no socket (strace)"
	else
		fail "the replay on screen forks nothing and opens no socket (strace)" "$(head -3 "$TMP/replay.trace" | tr '\n' '|')"
	fi
else
	skip "the replay on screen forks nothing and opens no socket" "strace is not installed"
fi

# --- the casts ---------------------------------------------------------------
# A valid asciicast v2: the header, then [seconds, "o" or "r", text] with
# the seconds never going back; its "o" texts, in order, are the terminal's.
cast_ok() {
	python3 - "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
h = json.loads(lines[0])
assert h["version"] == 2 and h["width"] == 80 and h["height"] == 24, h
assert isinstance(h["timestamp"], int) and h["timestamp"] > 1500000000, h
last, out = 0.0, []
for line in lines[1:]:
    t, kind, data = json.loads(line)
    assert isinstance(t, float) and t >= last and kind in ("o", "r") and isinstance(data, str), line[:80]
    last = t
    if kind == "o":
        out.append(data)
assert len(out) > 10, len(out)
assert "\x1b[" in out[0] and "\x1b[0;1" in "".join(out), "no colours"
open(sys.argv[2], "w", encoding="utf-8").write("".join(out))
PY
}
if cast_ok "$TMP/run.cast" "$TMP/run.out" 2>"$TMP/cast.err"; then
	pass "the cast is an asciicast v2"
else
	fail "the cast is an asciicast v2" "$(tail -1 "$TMP/cast.err")"
fi
cast_ok "$TMP/replay.cast" "$TMP/replay.out" 2>"$TMP/cast.err" && pass "a replay is cast too" ||
	fail "a replay is cast too" "$(tail -1 "$TMP/cast.err")"
start played 80 24 "cat $TMP/run.out; exec sleep 600"
sleep 0.5
if [ "$(stable played)" = "$(cat "$TMP/live.txt")" ]; then
	pass "the cast's frames, written to a terminal, leave the run's screen"
else
	fail "the cast's frames, written to a terminal, leave the run's screen" \
		"$(stable played | diff "$TMP/live.txt" - | head -4 | tr '\n' '|')"
fi
if command -v asciinema >/dev/null 2>&1; then
	start asciinema 80 24 "asciinema play -i 0.05 $TMP/run.cast; echo \$? > $TMP/asciinema.status; exec sleep 600"
	if wait_file "$TMP/asciinema.status" 20 && [ "$(cat "$TMP/asciinema.status")" = 0 ] &&
		[ "$(stable asciinema | sed 's/ *$//')" = "$(sed 's/ *$//' "$TMP/live.txt")" ]; then
		pass "asciinema play shows the run's screen"
	else
		fail "asciinema play shows the run's screen" "$(stable asciinema | diff "$TMP/live.txt" - | head -4 | tr '\n' '|')"
	fi
else
	skip "asciinema play shows the run's screen" "asciinema is not installed"
fi

# A resize is in the cast: an "r" event, and the frames after it, written
# to a terminal of the new size, leave the screen the student saw.
start resized 80 24 "$(wrapped resized "$SOCKSTEP --cast $TMP/resized.cast $LESSON")"
wait_started resized || true
tm send-keys -t resized Space
tm resize-window -t resized -x 100 -y 30
wait_re resized '^ sockstep .{80,}step 1$' || true
stable resized >"$TMP/resized.txt"
tm send-keys -t resized q
wait_file "$TMP/resized.status" || true
if python3 - "$TMP/resized.cast" "$TMP/resized.out" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
events = [json.loads(l) for l in lines[1:]]
at = [i for i, e in enumerate(events) if e[1] == "r"]
assert at and events[at[-1]][2] == "100x30", [e[2] for e in events if e[1] == "r"]
open(sys.argv[2], "w", encoding="utf-8").write("".join(e[2] for e in events[at[-1]:] if e[1] == "o"))
PY
then
	start replayed 100 30 "cat $TMP/resized.out; exec sleep 600"
	sleep 0.5
	if [ "$(stable replayed)" = "$(cat "$TMP/resized.txt")" ]; then
		pass "a resize is cast as an r event and a repaint"
	else
		fail "a resize is cast as an r event and a repaint" "$(stable replayed | diff "$TMP/resized.txt" - | head -4 | tr '\n' '|')"
	fi
else
	fail "a resize is cast as an r event and a repaint" "no r event 100x30"
fi

# The recording the screen made reads as every other one.
python3 tests/record-schema.py ./sockstep README.md "$TMP/run.jsonl" >"$TMP/schema.txt" 2>&1
if grep -q '^PASS: every line' "$TMP/schema.txt" && ! grep -q '^FAIL' "$TMP/schema.txt"; then
	pass "the screen's recording is as the format says"
else
	fail "the screen's recording is as the format says" "$(grep -v '^PASS' "$TMP/schema.txt" | head -2 | tr '\n' '|')"
fi

# Regression: the recording holds the lesson recorded; another lesson
# opened from the menu afterwards used to overwrite it.
start other 80 24 "$(wrapped other "$SOCKSTEP --record $TMP/other.jsonl $LESSON")"
wait_started other || true
tm send-keys -t other Space
wait_re other 'step 1' || true
tm send-keys -t other m
sleep 0.5
tm send-keys -t other j Enter
if wait_for other "not recorded: $TMP/other.jsonl holds the run of echo" 10; then
	pass "another lesson opened from the menu says it is not recorded"
else
	fail "another lesson opened from the menu says it is not recorded" "$(screen other | tail -3 | tr '\n' '|')"
fi
tm send-keys -t other Space
sleep 0.5
tm send-keys -t other q
wait_file "$TMP/other.status" || true
if [ "$(head -1 "$TMP/other.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lesson"]["name"])')" = echo ]; then
	pass "the recording still holds the lesson recorded"
else
	fail "the recording still holds the lesson recorded" "$(head -c 200 "$TMP/other.jsonl")"
fi
