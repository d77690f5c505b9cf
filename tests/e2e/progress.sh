#!/bin/bash
# progress.sh - a lesson finished where its progress cannot be saved says
# so, under autoplay as when stepped by hand: the status line keeps
# "could not save your progress" once the run is over (autoplay used to
# clear the status line right after it was said). The progress
# directory is a file here, which stops root as anyone (a read-only
# folder would not).
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1; then
	skip "autoplay says the progress could not be saved" "tmux is not installed"
	exit 0
fi
mkdir -p "$TMP/lessons"
cat >"$TMP/lessons/01-short.lesson" <<'LESSON'
title: Short
about: A server and a client, a byte each way, no question.
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  recv 100
  close
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  send "hi"
  close
LESSON
: >"$TMP/not-a-folder"

# finished NAME SESSION KEYS OPTION: the lesson played to its end, by
# autoplay at its fastest (+ five times), or stepped by hand (Space).
finished() {
	local name=$1 session=$2 keys=$3 k
	start "$session" 100 30 "env XDG_STATE_HOME=$TMP/not-a-folder $SOCKSTEP $4 $TMP/lessons/01-short.lesson"
	if ! wait_started "$session"; then
		fail "$name" "the lesson did not open: $(screen "$session" | tail -3 | tr '\n' '|')"
		return
	fi
	for k in $keys; do
		tm send-keys -t "$session" "$k"
	done
	for ((k = 0; k < 40; k++)); do
		screen "$session" | grep -qF "could not save your progress" && break
		[ "$keys" = Space ] && tm send-keys -t "$session" Space
		sleep 0.1
	done
	if wait_for "$session" "could not save your progress" 10; then
		pass "$name"
	else
		fail "$name" "$(screen "$session" | tail -3 | tr '\n' '|')"
	fi
	tm send-keys -t "$session" q
}
finished "autoplay to the end says the progress could not be saved" auto "+ + + + +" --autoplay
finished "stepped by hand to the end, it says the progress could not be saved" hand "Space" ""
