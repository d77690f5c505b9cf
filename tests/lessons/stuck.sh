#!/bin/bash
# A lesson that gets stuck says where and why, as a teacher can act on it:
# each blocked actor's step as file:line:col, the earlier failure that led
# there (a bind that failed with EADDRINUSE), and a hint for the usual
# mistakes (both sides receive first; a missing 'actor' line).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/lib-python.sh

cat >"$tmp/both.lesson" <<'LESSON'
title: Both receive
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 5003
  listen 1
  accept
  recv 100
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 5003
  recv 100
LESSON
cat >"$tmp/noactor.lesson" <<'LESSON'
title: No client line
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 5004
  listen 1
  accept
  recv 100
  socket AF_INET SOCK_STREAM as c
  connect 127.0.0.1 5004
  send "hi"
LESSON
cat >"$tmp/inuse.lesson" <<'LESSON'
title: In use
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 5005
  listen 1
  accept
  recv 100
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 5005
  send "hi"
  close
LESSON

# Each stuck run waits 10 s for a call to return by itself: the four run
# side by side, and are checked after.
run_all() {
	./sockstep --check "$tmp/both.lesson" >"$tmp/both.out" 2>&1 &
	./sockstep --plain "$tmp/both.lesson" >/dev/null 2>"$tmp/err" &
	./sockstep --check "$tmp/noactor.lesson" >"$tmp/noactor.out" 2>&1 &
	"$PY" -c '
import socket, subprocess, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 5005))
    s.listen(5)
    r = subprocess.run(["./sockstep", "--check", "--no-netns", sys.argv[1]], capture_output=True, text=True)
    print(r.stdout + r.stderr)
' "$tmp/inuse.lesson" >"$tmp/inuse.out" 2>&1 &
	wait
}

run_all

out=$(cat "$tmp/both.out")
name="--check: both sides receive first: each blocked step's place, and the hint"
if echo "$out" | grep -q "both.lesson:7:3: the run does not reach its end: server stays blocked in step 5 (recv 100)" &&
   echo "$out" | grep -q "both.lesson:11:3: the run does not reach its end: client stays blocked in step 3 (recv 100)" &&
   echo "$out" | grep -q "hint: both sides wait to receive: one must send first"; then
	echo "PASS: $name"
else
	echo "FAIL: $name"
	echo "$out" | sed 's/^/    /'
fi
name="--plain: the same place and hint"
if grep -q "^sockstep: .*both.lesson:7:3: server is blocked in recv(4, 100) and no actor can wake it" "$tmp/err" &&
   grep -q "^sockstep: hint: both sides wait to receive" "$tmp/err"; then
	echo "PASS: $name"
else
	echo "FAIL: $name"
	sed 's/^/    /' "$tmp/err"
fi

# The client's steps without their 'actor client' line run as the
# server's, after its accept: the hint names the line that would wake it.
out=$(cat "$tmp/noactor.out")
name="--check: a missing 'actor' line is named in the hint"
if echo "$out" | grep -q "noactor.lesson:6:3: the run does not reach its end: server stays blocked in step 4 (accept)" &&
   echo "$out" | grep -q "the connect that would wake it is server's own step at line 9, after it: is an 'actor' line missing"; then
	echo "PASS: $name"
else
	echo "FAIL: $name"
	echo "$out" | sed 's/^/    /'
fi

# Two runs on one port without their own network: the second's bind fails
# with EADDRINUSE; the message names that bind, not only the accept it
# leads to. A Python listener stands in for the first run.
out=$(cat "$tmp/inuse.out")
name="--no-netns, the port taken: the failed bind is named, with its place"
if echo "$out" | grep -q "inuse.lesson:6:3: the run does not reach its end: server stays blocked in step 4 (accept)" &&
   echo "$out" | grep -q "earlier, server's bind at .*inuse.lesson:4:3 failed with EADDRINUSE"; then
	echo "PASS: $name"
else
	echo "FAIL: $name"
	echo "$out" | sed 's/^/    /'
fi
