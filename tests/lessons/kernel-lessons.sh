#!/bin/bash
# The kernel's view of the lessons handshake, close, half-close, reset,
# refused and addrinuse in --plain: the packets and socket states each lesson's
# narration points at, in the order they happened, under the calls that caused
# them. Like kernel.sh: needs a private namespace (or capture rights); without
# one, says so and checks nothing it cannot see.
# SOCKSTEP names the binary to run (default ./sockstep).
cd "$(dirname "$0")/../.." || exit 2
. tests/lessons/lib.sh

# name, regex that must not appear, and optionally the lines it must not
# appear between: after the first line matching FROM, before the next line
# matching TO (or to the end). Both FROM and TO must be there.
absent() {
	local name=$1 re=$2 from=1 to n
	to=$(echo "$out" | wc -l)
	if [ -n "$3" ]; then
		from=$(at "$3")
		if [ -z "$from" ]; then
			echo "FAIL: $name: no '$3'"
			return
		fi
		if [ -n "$4" ]; then
			to=$(at "$4" "$from")
			if [ -z "$to" ]; then
				echo "FAIL: $name: no '$4' after line $from"
				return
			fi
		fi
	fi
	n=$(echo "$out" | awk -v from="$from" -v to="$to" -v re="$re" \
		'NR >= from && NR <= to && $0 ~ re { print NR; exit }')
	if [ -n "$n" ]; then
		echo "FAIL: $name: line $n matches '$re'"
	else
		echo "PASS: $name"
	fi
}

# A call that returns at once sends no packet: nothing between its line and
# the next call's line (or the end) is a packet, or with a third argument no
# packet to or from that actor (another connection's packets may pass then).
no_packet() {  # name, regex of the call's line[, actor]
	local n next re='TCP \['
	[ -n "$3" ] && re="~ ($3 -> [a-z0-9_-]+|[a-z0-9_-]+ -> $3)  TCP \\["
	n=$(at "$2")
	if [ -z "$n" ]; then
		echo "FAIL: $1: no '$2'"
		return
	fi
	next=$(at '^[a-z0-9_-]+ +[a-z]+\(' "$n")
	[ -n "$next" ] || next=$(($(echo "$out" | wc -l) + 1))
	if echo "$out" | sed -n "$((n + 1)),$((next - 1))p" | grep -q -E "$re"; then
		echo "FAIL: $1"
	else
		echo "PASS: $1"
	fi
}

ADDR='[0-9.]+:[0-9]+'
SRV='127\.0\.0\.1:65432'
# A socket whose program has closed it or ended is the kernel's: its state
# lines may name the actor or "kernel", depending on when they were seen.
CLIENT='(client|kernel)'
SERVER='(server|kernel)'

if run handshake; then
	order "handshake: SYN, SYN/ACK, ACK under connect(), queued before accept() returns" \
		'^client1 +connect\(3, 127\.0\.0\.1:65432\) = 0' \
		'~ client1 -> server  TCP \[SYN\] seq=0 ' \
		'~ server -> client1  TCP \[SYN,ACK\] seq=0 ack=1 ' \
		'~ client1 -> server  TCP \[ACK\] seq=1 ack=1 ' \
		"~ server  tcp $SRV  LISTEN  queue 1/1" \
		'^server +accept\(3\) = 4'
	order "handshake: with backlog 1 the queue holds 2, and accept() empties it" \
		'^client2 +connect\(3, 127\.0\.0\.1:65432\) = 0' \
		'~ server -> client2  TCP \[SYN,ACK\]' \
		"~ server  tcp $SRV  LISTEN  queue 2/1" \
		'^server +accept\(3\) = 4' "~ server  tcp $SRV  LISTEN  queue 1/1" \
		'^server +accept\(3\) = 5' "~ server  tcp $SRV  LISTEN  queue 0/1"
	order "handshake: the third client's connect() blocks in SYN_SENT" \
		'^client3 +connect\(3, 127\.0\.0\.1:65432\) \.\.\. blocks' \
		'~ client3 -> server  TCP \[SYN\] seq=0 ' \
		"~ client3  tcp $ADDR -> $SRV  new -> SYN_SENT"
	order "handshake: the SYN sent again a second later, queue still full, is dropped too" \
		'^client3 +connect\(3, 127\.0\.0\.1:65432\) \.\.\. blocks' \
		'~ client3 -> server  TCP \[SYN\] seq=0 ' '~ client3 -> server  TCP \[SYN\] seq=0 ' \
		'^server +accept\(3\) = 4'
	absent "handshake: the full queue does not answer the third client's SYN" \
		'TCP \[(SYN,ACK|RST)' '^client3 +connect\(3, 127\.0\.0\.1:65432\) \.\.\. blocks' '^server +accept\(3\) = 5'
	order "handshake: a retransmitted SYN gets through once there is room; connect() returns 0" \
		'^client3 +connect\(3, 127\.0\.0\.1:65432\) \.\.\. blocks' \
		'~ client3 -> server  TCP \[SYN\] seq=0 ' \
		'^server +accept\(3\) = 5' \
		'~ client3 -> server  TCP \[SYN\] seq=0 ' \
		'~ server -> client3  TCP \[SYN,ACK\] seq=0 ack=1 ' \
		'~ client3 -> server  TCP \[ACK\] seq=1 ack=1 ' \
		"~ server  tcp $SRV  LISTEN  queue 1/1" \
		'^client3 +connect\(3, 127\.0\.0\.1:65432\) = 0' \
		'^server +accept\(3\) = 6'
	for k in 1 2 3; do
		no_packet "handshake: accept() = $((k + 3)) sends client$k no packet" \
			"^server +accept\\(3\\) = $((k + 3))" "client$k"
	done
fi

if run close; then
	order "close: close() sends FIN, the peer goes to CLOSE_WAIT, its recv() returns 0" \
		'^client +close\(3\) = 0' '~ client -> server  TCP \[FIN,ACK\]' \
		"~ server  tcp $SRV -> $ADDR  ESTABLISHED -> CLOSE_WAIT" \
		"~ $CLIENT  tcp $ADDR -> $SRV  ESTABLISHED -> FIN_WAIT[12]" \
		'^server +recv\(4, 1024\) = 0'
	order "close: the FIN is acknowledged before the server's sleep ends; the client waits in FIN_WAIT2" \
		'~ client -> server  TCP \[FIN,ACK\] seq=17 ' '~ server -> client  TCP \[ACK\] seq=1 ack=18 ' \
		"~ $CLIENT  tcp $ADDR -> $SRV  [A-Za-z_0-9]+ -> FIN_WAIT2" '^server +sleep\(500 ms\) = 0'
	absent "close: the server stays in CLOSE_WAIT until it closes" \
		"~ server  tcp $SRV -> $ADDR  CLOSE_WAIT -> " '^client +close\(3\) = 0' '^server +close\(4\) = 0'
	order "close: the server's close() sends its FIN; the client, which closed first, is in TIME_WAIT" \
		'^server +close\(4\) = 0' '~ server -> client  TCP \[FIN,ACK\]' \
		"~ $CLIENT  tcp $ADDR -> $SRV  [A-Za-z_0-9]+ -> TIME_WAIT"
	absent "close: the server, which closed last, is not left in TIME_WAIT" "~ $SERVER  tcp $SRV -> $ADDR  .*TIME_WAIT"
fi

if run half-close; then
	order "half-close: shutdown(SHUT_WR) sends FIN; the server reads to 0" \
		'^client +shutdown\(3, SHUT_WR\) = 0' '~ client -> server  TCP \[FIN,ACK\]' \
		"~ server  tcp $SRV -> $ADDR  ESTABLISHED -> CLOSE_WAIT" \
		'^server +recv\(4, 1024\) = 0'
	order "half-close: the reply crosses after the client's FIN, and the client still reads it" \
		'~ client -> server  TCP \[FIN,ACK\]' \
		'^server +sendall\(4, "Got all 24 bytes", 16\) = 16' \
		'~ server -> client  TCP \[PSH,ACK\] .*len=16$' \
		'^client +recv\(3, 1024\) = 16' '^client +recv\(3, 1024\) = 0'
	order "half-close: the server's FIN leaves the client in TIME_WAIT" \
		'^server +close\(4\) = 0' '~ server -> client  TCP \[FIN,ACK\]' \
		"~ $CLIENT  tcp $ADDR -> $SRV  [A-Za-z_0-9]+ -> TIME_WAIT" '^client +close\(3\) = 0'
	no_packet "half-close: the client's close() sends no packet" '^client +close\(3\) = 0'
fi

if run reset; then
	order "reset: close() with unread data sends RST; the peer's recv() fails with ECONNRESET" \
		'^server +recv\(4, 5\) = 5' '^server +close\(4\) = 0' '~ server -> client  TCP \[RST' \
		'^client +recv\(3, 1024\) = -1 ECONNRESET'
	absent "reset: no FIN is sent" '~ server -> client  TCP \[FIN'
	absent "reset: no CLOSE_WAIT or TIME_WAIT on either side" '(CLOSE_WAIT|TIME_WAIT)'
fi

if run refused; then
	order "refused: the SYN to a port with no listener gets RST,ACK from the kernel" \
		'^client +connect\(3, 127\.0\.0\.1:65433\) = -1 ECONNREFUSED' \
		'~ [a-z0-9_-]+ -> [a-z0-9_-]+  TCP \[SYN\] seq=0 ' \
		'~ kernel -> [a-z0-9_-]+  TCP \[RST,ACK\] seq=0 ack=1 ' \
		'^client +close\(3\) = 0'
	absent "refused: no SYN/ACK for the refused connect()" 'TCP \[SYN,ACK\]' \
		'^client +connect\(3, 127\.0\.0\.1:65433\)' '^client +close\(3\) = 0'
	order "refused: the right port then connects" \
		'^client +close\(3\) = 0' '^client +connect\(3, 127\.0\.0\.1:65432\) = 0' \
		'~ server -> client  TCP \[SYN,ACK\]' '^server +accept\(3\) = 4'
fi

if run addrinuse; then
	TW="~ $SERVER  tcp $SRV -> $ADDR  [A-Za-z_0-9]+ -> TIME_WAIT"
	order "addrinuse: the server closes first, so its side ends in TIME_WAIT" \
		'^server +close\(4\) = 0' '~ server -> client  TCP \[FIN,ACK\]' \
		'^client +close\(3\) = 0' "$TW"
	order "addrinuse: bind() = -1 EADDRINUSE while TIME_WAIT holds the port" \
		"$TW" '^restarted +bind\(3, 127\.0\.0\.1:65432\) = -1 EADDRINUSE'
	order "addrinuse: with SO_REUSEADDR, bind() = 0 and the new server listens" \
		'^restarted +bind\(3, 127\.0\.0\.1:65432\) = -1 EADDRINUSE' \
		'^fixed +setsockopt\(3, SOL_SOCKET, SO_REUSEADDR, 1\) = 0' \
		'^fixed +bind\(3, 127\.0\.0\.1:65432\) = 0' \
		"~ fixed  tcp $SRV  CLOSE -> LISTEN"
	absent "addrinuse: the TIME_WAIT is still there when the fixed bind() succeeds" \
		"$SRV -> $ADDR  TIME_WAIT -> gone" "$TW" '^fixed +bind\(3, 127\.0\.0\.1:65432\) = 0'
fi
