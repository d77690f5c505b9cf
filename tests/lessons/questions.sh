#!/bin/bash
# Questions that follow the run: the student's own input never makes the
# lesson "wrong" (chat, typed "hello world" where the example is "hello"),
# a question asked on a later pass of a loop, and an answer about the bytes
# received. Driven through --plain --step, one line per prompt.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

# Six Enters to the client's input; the line; Enter to send it and to the
# server's recv; prediction 1 for the server's send and the client's recv;
# q at the next input.
printf '\n\n\n\n\n\nhello world\n\n\n1\n1\nq\n\n\n\n\n' | ./sockstep --plain --step chat >"$tmp/chat" 2>&1
name="chat: the student types \"hello world\": both answers follow the input, both verdicts right"
if grep -q '^  1) 11$' "$tmp/chat" && grep -q '^  1) HELLO WORLD$' "$tmp/chat" &&
   [ "$(grep -c 'Right. You said' "$tmp/chat")" = 2 ] && ! grep -q 'bug' "$tmp/chat"; then
	echo "PASS: $name"
else
	echo "FAIL: $name"
	grep -i 'question\|said\|bug\|  [0-9])' "$tmp/chat" | head -n 12 | sed 's/^/    /'
fi

# A question on the third pass of a repeat, and one about bytes: --check
# holds both to the run, and says where a wrong one is.
cat >"$tmp/pass.lesson" <<'LESSON'
title: Passes
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 5002
  listen 1
  accept
  repeat 3
    recv 1 MSG_WAITALL
    ? pass 3: The client sent "abc". What does the third recv() return?  ["c"] "abc" "0 bytes"
  end
  recv 10
  ? The client has closed. What does this recv() return?  ["0 bytes"] "c"
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 5002
  send "abc"
  close
LESSON
check "--check: a question on pass 3 of a repeat, and an answer of bytes, agree with the run" \
	./sockstep --check "$tmp/pass.lesson"
sed 's/\["c"\] "abc"/"c" ["abc"]/' "$tmp/pass.lesson" >"$tmp/wrong.lesson"
out=$(./sockstep --check "$tmp/wrong.lesson" 2>&1)
if echo "$out" | grep -q 'wrong.lesson:9:78: the answer "abc" is wrong: recv returned 1 bytes: "c"'; then
	echo "PASS: --check: a wrong answer of bytes, about pass 3, at its place"
else
	echo "FAIL: --check: a wrong answer of bytes, about pass 3, at its place"
	echo "$out" | sed 's/^/    /'
fi

# Answers the run cannot check are refused as the lesson loads, in every
# mode, at the answer.
sed 's/\["c"\] "abc"/[yes] no/' "$tmp/pass.lesson" >"$tmp/bad.lesson"
for mode in --check --plain; do
	out=$(./sockstep $mode "$tmp/bad.lesson" 2>&1)
	if echo "$out" | grep -q 'bad.lesson:9:74: question: the answer \[yes\] cannot be checked against a run'; then
		echo "PASS: $mode refuses an answer no run can check, at its place"
	else
		echo "FAIL: $mode refuses an answer no run can check, at its place"
		echo "$out" | head -n 3 | sed 's/^/    /'
	fi
done
