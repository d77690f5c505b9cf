#!/bin/bash
# console.sh - a console that prints without end stays bounded (issue 13):
# a program's console keeps its first and last lines and counts the rest,
# exactly; one that never stops ends with the timeout that stops it and
# leaves no process behind; a lesson's bounded console is recorded, and
# replayed as it ran. The bounding itself is in tests/unit/test_timeline.c.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

# 200000 lines, then the end: 1000 kept, a count, the last 100 (timeline.h).
./sockstep run --plain --free-run --actor 'y=yes | head -n 200000' >"$tmp/yes.out" 2>"$tmp/yes.err"
status=$?
first=$(grep -c '^y  *| y$' <(sed -n '/not kept/q;p' "$tmp/yes.out"))
last=$(sed -n '/not kept/,$p' "$tmp/yes.out" | grep -c '^y  *| y$')
mark=$(grep 'not kept' "$tmp/yes.out")
if [ "$status" -eq 0 ] && [ "$first" -eq 1000 ] && [ "$last" -eq 100 ] &&
   [ "$mark" = "y    ... 198,900 lines (397.8 kB) not kept ..." ]; then
	echo "PASS: 200000 lines: the first 1000, a count of 198,900, the last 100"
else
	echo "FAIL: 200000 lines: status $status, $first first lines, $last last, mark '$mark'"
	head -n 3 "$tmp/yes.err" | sed 's/^/    /'
fi

# A program that prints without end until the timeout stops sockstep: the
# timeout's status (not a crash, not the kernel's out-of-memory kill), and
# no process of it left. The word makes its processes ours to look for.
word="sockstep-console-$$"
timeout 5 ./sockstep run --plain --free-run --actor "y=yes $word" >"$tmp/endless.out" 2>&1
status=$?
sleep 0.5
left=$(pgrep -f -x "yes $word" | wc -l)
if [ "$status" -eq 124 ] && [ "$left" -eq 0 ]; then
	echo "PASS: endless output ends with the timeout, no process left"
else
	echo "FAIL: endless output: status $status (124 is the timeout's), $left processes left"
fi

# A lesson whose loop prints 300 lines a turn between two calls: the first
# 1000 lines are kept (three turns and a third); the rest of the fourth
# turn keeps its last 100 and counts 100, the fifth and sixth each keep
# their last 100 and count 200. Recorded, it replays as it ran.
{
	echo "title: A console that says a lot"
	echo "actor talker"
	echo "  repeat 6"
	for i in $(seq 300); do echo "    print \"line $i\""; done
	echo "    sleep 1"
	echo "  end"
} >"$tmp/talk.lesson"
./sockstep --plain --free-run --record "$tmp/talk.jsonl" "$tmp/talk.lesson" >"$tmp/talk.live" 2>&1
live=$?
marks=$(grep 'not kept' "$tmp/talk.live" | tr '\n' '/')
lines=$(grep -c '^talker  | line' "$tmp/talk.live")
want="talker  ... 100 lines (900 bytes) not kept .../talker  ... 200 lines (1.7 kB) not kept .../"
want="$want${want#*/}"
if [ "$live" -eq 0 ] && [ "$marks" = "$want" ] && [ "$lines" -eq $((1000 + 3 * 100)) ]; then
	echo "PASS: a lesson's long turns keep their last lines and count the rest"
else
	echo "FAIL: a lesson's long turns: status $live, marks '$marks', $lines lines"
	grep -n 'not kept' "$tmp/talk.live" | head -n 5 | sed 's/^/    /'
fi
./sockstep replay --plain "$tmp/talk.jsonl" >"$tmp/talk.replay" 2>&1
again=$?
if [ "$again" -eq "$live" ] && cmp -s "$tmp/talk.live" "$tmp/talk.replay"; then
	echo "PASS: the counts are recorded and replayed"
else
	echo "FAIL: replay differs (status $live, then $again)"
	diff "$tmp/talk.live" "$tmp/talk.replay" | head -n 6 | sed 's/^/    /'
fi

# A console shows what a terminal would (console_render): a program's
# CR LF line ends, colours and a progress counter rewritten in place are
# not "?" marks and raw escapes; the recorded text keeps no escape either.
./sockstep run --plain --free-run --record "$tmp/term.jsonl" \
	--actor "t=printf 'GET / HTTP/1.0\\r\\n\\033[1;31mred\\033[0m\\r\\n10%%\\r20%%\\r\\n\\033]0;title\\007done\\n'" \
	>"$tmp/term.out" 2>&1
got=$(grep '^t  *| ' "$tmp/term.out" | sed 's/^t  *| //' | tr '\n' '/')
if [ "$got" = "GET / HTTP/1.0/red/20%/done/" ] && ! grep -q $'\033' "$tmp/term.out" "$tmp/term.jsonl"; then
	echo "PASS: a program's terminal lines shown as a terminal shows them"
else
	echo "FAIL: a program's terminal lines: '$got'$(grep -c $'\033' "$tmp/term.out") escapes"
fi

# A lesson's print of received bytes with line ends: in --plain, each line
# under the actor's name, without its CR; in the TUI at 80x24, one row
# with a line-end mark, never "??".
cat >"$tmp/crlf.lesson" <<'LESSON'
title: A request with CR LF
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 6000
  listen
  accept
  recv 100
  print "Got: $received"
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 6000
  send "GET / HTTP/1.0\r\nHost: x\r\n\r\n"
  close
LESSON
./sockstep --plain "$tmp/crlf.lesson" >"$tmp/crlf.out" 2>&1
got=$(grep '^server  *| ' "$tmp/crlf.out" | tr '\n' '/')
if [ "$got" = "server  | Got: GET / HTTP/1.0/server  | Host: x/server  | /" ] && ! grep -q $'\r' "$tmp/crlf.out"; then
	echo "PASS: --plain: a printed text's lines each under the actor, without CR"
else
	echo "FAIL: --plain: a printed text's lines: '$got'"
fi
if command -v tmux >/dev/null 2>&1; then
	session="console-$$"
	tmux -L "$session" new-session -d -s "$session" -x 80 -y 24 "./sockstep $tmp/crlf.lesson"
	row=""
	for _ in $(seq 1 40); do
		row=$(tmux -L "$session" capture-pane -p -t "$session" | grep 'Got:')
		[ -n "$row" ] && break
		tmux -L "$session" send-keys -t "$session" ' '
		sleep 0.3
	done
	tmux -L "$session" send-keys -t "$session" q
	sleep 0.3
	tmux -L "$session" kill-server 2>/dev/null
	# The mark is the glyph set's: ⏎ in a UTF-8 locale, \n in plain ASCII.
	if echo "$row" | grep -qE 'Got: GET / HTTP/1\.0 (⏎|\\n) Hos' && ! echo "$row" | grep -q '??'; then
		echo "PASS: TUI 80x24: a printed text's line ends marked, not '??'"
	else
		echo "FAIL: TUI 80x24: console row '$row'"
	fi
else
	echo "SKIP: TUI 80x24 console row: tmux is not installed (sh .ci/deps check installs it)"
fi
