#!/bin/bash
# A lesson means the same at any speed: --check runs each lesson at full
# speed and again with a pause longer than the lesson's timers before each
# step, and fails where a verdict differs. A lesson whose answer holds only
# when the next key comes quickly (a poll woken before its timeout) is
# caught. (tests/lessons/check.sh runs every lesson both ways: the
# nonblocking and handshake lessons, which depended on the student's
# speed, now pass both.)
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

cat >"$tmp/hurry.lesson" <<'LESSON'
title: Right only in a hurry
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 5006
  listen 1
  accept
  poll conn timeout 1500
  ? The client sends at once. How many sockets does poll() find ready?  [1] 0
  close
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 5006
  sleep 10
  send "hi"
  close
LESSON
out=$(./sockstep --check "$tmp/hurry.lesson" 2>&1)
status=$?
name="--check: an answer right only at full speed fails, with the pause named"
if [ $status -eq 1 ] && echo "$out" | grep -q 'hurry.lesson:8:73: the answer "1" is wrong: poll blocked, then returned 0, with a pause longer than the lesson.s timers before each step (at full speed it agrees)'; then
	echo "PASS: $name"
else
	echo "FAIL: $name (status $status)"
	echo "$out" | sed 's/^/    /'
fi
