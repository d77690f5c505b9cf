#!/bin/bash
# The kernel's view in --plain: packets and socket states, in the order they
# happened, under the calls that caused them. Needs a private namespace (or
# capture rights); without one, says so and checks nothing it cannot see.
cd "$(dirname "$0")/../.." || exit 2
. tests/lessons/lib.sh
run echo || exit 0

order "handshake under connect, before accept returns" \
	'^client  connect\(3, 127\.0\.0\.1:65432\) = 0' \
	'~ client -> server  TCP \[SYN\] seq=0 ' \
	'~ server -> client  TCP \[SYN,ACK\] seq=0 ack=1 ' \
	'~ client -> server  TCP \[ACK\] seq=1 ack=1 ' \
	'~ server  tcp 127\.0\.0\.1:65432  LISTEN  queue 1/1' \
	'^server  accept\(3\) = 4'
order "listen shows the socket listening, with its backlog" \
	'^server  listen\(3, 1\) = 0' '~ server  tcp 127\.0\.0\.1:65432  CLOSE -> LISTEN  queue 0/1'
order "accept takes the connection off the queue, no packet" \
	'^server  accept\(3\) = 4' '~ server  tcp 127\.0\.0\.1:65432  LISTEN  queue 0/1' '^server  \| Connected by'
n_acc=$(at '^server  accept\(3\) = 4')
n_next=$(at '^(client|server)  [a-z]+\(' "$n_acc")
if echo "$out" | sed -n "$((n_acc + 1)),$((n_next - 1))p" | grep -q 'TCP \['; then
	echo "FAIL: accept sends no packet"
else
	echo "PASS: accept sends no packet"
fi
order "the data crosses as one segment of 12 bytes" \
	'^client  sendall\(3, "Hello, world", 12\) = 12' '~ client -> server  TCP \[PSH,ACK\] seq=1 ack=1 win=[0-9]+ len=12'
order "close sends FIN; the peer goes to CLOSE_WAIT; the closer ends in TIME_WAIT" \
	'^client  close\(3\) = 0' '~ client -> server  TCP \[FIN,ACK\]' \
	'~ server  tcp 127\.0\.0\.1:65432 -> [0-9.:]+  ESTABLISHED -> CLOSE_WAIT' \
	'^server  recv\(4, 1024\) = 0' '~ server -> client  TCP \[FIN,ACK\]' \
	'~ client  tcp [0-9.:]+ -> 127\.0\.0\.1:65432  FIN_WAIT[12] -> TIME_WAIT'

run udp || exit 0
order "UDP: one datagram each way, no handshake" \
	'^client  sendto\(3, "Hello, world", 12, 127\.0\.0\.1:65432\) = 12' '~ client -> server  UDP len=12' \
	'^server  sendto\(3, "Hello, world", 12, 127\.0\.0\.1:[0-9]+\) = 12' '~ server -> client  UDP len=12'
if echo "$out" | grep -q 'TCP \['; then echo "FAIL: UDP lesson has no TCP packet"; else echo "PASS: UDP lesson has no TCP packet"; fi
