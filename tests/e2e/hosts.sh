#!/bin/bash
# hosts.sh - what a column says at 80x24 (tmux): its heading names the
# host the actor is on, in a lesson with hosts; a socket option's name is
# never cut in a call line when the level its name implies can go instead
# ("setsockopt(3, SO_REUSEADDR, 1) = 0", not "SO_REU…").
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"
need_tui

cat >"$TMP/options.lesson" <<'LESSON'
title: Options in a narrow column
actor server
  socket AF_INET SOCK_DGRAM
  setsockopt SOL_SOCKET SO_REUSEADDR 1
  setsockopt SOL_SOCKET SO_BROADCAST 1
  getsockopt SOL_SOCKET SO_BROADCAST
  bind 127.0.0.1 6010
  recvfrom 100
actor client
  socket AF_INET SOCK_DGRAM
  setsockopt SOL_SOCKET SO_BROADCAST 1
  sendto "hi" 127.0.0.1 6010
LESSON

S=options
# In UTF-8, as a student's terminal is: a call's mark is then one cell
# ("ok" in ASCII takes two, and the option's value gives way instead).
start $S 80 24 "env LC_ALL=C.UTF-8 $SOCKSTEP $TMP/options.lesson"
wait_started $S 5
for _ in 1 2 3 4 5 6; do
	tm send-keys -t $S " "
	wait_re $S "step [0-9]+/[0-9]+" 2 || break
done
wait_for $S "getsockopt(3, SO_BROADCAST) = 0" 5
options_whole() {
	screen $S >"$TMP/screen"
	grep -qF 'setsockopt(3, SO_REUSEADDR, 1) = 0' "$TMP/screen" &&
		grep -qF 'setsockopt(3, SO_BROADCAST, 1) = 0' "$TMP/screen" &&
		! grep -qE '(SO|SOL)_[A-Z]*(…|\.\.\.)' "$TMP/screen"
}
check "80x24: socket options whole in the call lines, without the level their names imply" options_whole
tm kill-session -t $S

S=hosts
start $S 80 24 "$SOCKSTEP ethernet"
if ! wait_re $S "SERVER|cannot|needs" 5 || ! screen $S | grep -q SERVER; then
	skip "80x24: the column headings name the hosts" "the ethernet lesson does not start here: $(screen $S | head -n 3 | tr '\n' ' ')"
	exit 0
fi
headings() { screen $S | grep -qE '^ SERVER on b .* CLIENT on a '; }
check "80x24: the column headings name the hosts (SERVER on b, CLIENT on a)" headings
