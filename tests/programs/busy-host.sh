#!/bin/bash
# busy-host.sh - on the host's loopback (--no-netns) other programs' sockets
# are no lesson's: a listener on each side of the lesson's port and a
# TIME_WAIT another program left behind must neither crash sockstep nor show
# in its socket table (a regression: they were credited to the actors, and
# sockstep aborted or read an actor that does not exist).
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
T=$(mktemp -d)
helper=
cleanup() {
	[ -n "$helper" ] && kill "$helper" 2>/dev/null && wait "$helper" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# The host's own sockets: listeners on 65431 and 65434, and a connection to
# 65434 that the listening side closes first, so its TIME_WAIT is
# 127.0.0.1:65434's. Held until this script ends.
cat >"$T/host.py" <<'PY'
import socket, sys, time
def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', port))
    s.listen()
    return s
a, b = listener(65431), listener(65434)
c = socket.create_connection(('127.0.0.1', 65434))
d, _ = b.accept()
d.close()                      # this side closes first: it keeps the TIME_WAIT
c.recv(1)                      # the FIN has arrived
port = c.getsockname()[1]
c.close()
print(port, flush=True)
sys.stdin.read()               # until the test ends
PY
if ! command -v python3 >/dev/null; then
	echo "SKIP: busy host: python3 is not installed"
	exit 0
fi
mkfifo "$T/in"
python3 "$T/host.py" <"$T/in" >"$T/port" 2>"$T/err" &
helper=$!
exec 3>"$T/in"
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
if ! [ -s "$T/port" ]; then
	echo "FAIL: busy host: the host's sockets could not be made: $(cat "$T/err")"
	exit 0
fi

# busy NAME ARGS...: sockstep --plain --no-netns ARGS ends with status 0 and
# its socket table names none of the host's sockets.
busy() {
	local name=$1
	shift
	timeout 60 ./sockstep "$@" >"$T/out" 2>&1
	local status=$?
	if grep -q '^# kernel view:.*no socket table' "$T/out"; then
		echo "SKIP: busy host, $name: no socket table here"
	elif [ $status -ne 0 ]; then
		echo "FAIL: busy host, $name: exit status $status"
		tail -n 5 "$T/out" | sed 's/^/    /'
	elif grep -E '^ +~ .*(tcp|udp)6? .*:6543[14]\b' "$T/out" >"$T/foreign"; then
		echo "FAIL: busy host, $name: the host's sockets in the table"
		head -n 5 "$T/foreign" | sed 's/^/    /'
	elif ! grep -qE '^ +~ server +tcp 127.0.0.1:65432 +.*LISTEN' "$T/out"; then
		echo "FAIL: busy host, $name: the run's own listener is not in the table"
		grep '~' "$T/out" | head -n 5 | sed 's/^/    /'
	else
		echo "PASS: busy host, $name: status 0, only the run's sockets in the table"
	fi
}

busy "echo lesson" --plain --no-netns echo
busy "C pair" run --plain --no-netns --server "$P/echo_server" --client "$P/echo_client"
