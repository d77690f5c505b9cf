#!/bin/bash
# --pcap writes a capture that tshark reads, with the same segments, in the
# same order, that sockstep showed: flags, relative seq and ack, length.
cd "$(dirname "$0")/../.." || exit 2
command -v tshark >/dev/null || { echo "SKIP: --pcap: tshark is not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for lesson in echo udp; do
	out=$(./sockstep --plain --pcap "$tmp/$lesson.pcap" "$lesson" 2>&1)
	if echo "$out" | grep -q "^# kernel view:"; then
		echo "$out" | grep '^# kernel view:' | sed 's/^# /SKIP: --pcap: /'
		exit 0
	fi
	# What sockstep printed: "TCP [SYN,ACK] seq=0 ack=1 len=0" -> "SYN,ACK 0 1 0"
	echo "$out" | sed -nE 's/.*~ [a-z0-9_-]+ -> [a-z0-9_-]+  TCP \[([A-Z,]+)\] seq=([0-9]+)( ack=([0-9]+))? win=[0-9]+ len=([0-9]+).*/\1 \2 \4 \5/p; s/.*~ [a-z0-9_-]+ -> [a-z0-9_-]+  UDP len=([0-9]+).*/UDP \1/p' \
		| awk '{ if ($1 == "UDP") print; else { if (NF == 3) print $1, $2, "-", $3; else print } }' >"$tmp/ours"
	# What tshark reads from the file, in the same shape.
	tshark -r "$tmp/$lesson.pcap" -T fields -E separator=' ' -E occurrence=f \
		-e tcp.flags.syn -e tcp.flags.fin -e tcp.flags.reset -e tcp.flags.push -e tcp.flags.ack \
		-e tcp.seq -e tcp.ack -e tcp.len -e udp.length 2>/dev/null |
	awk '
	function on(v) { return v == "1" || v == "True" }
	NF == 1 { print "UDP", $1 - 8; next }
	{
		s = ""
		split("SYN FIN RST PSH ACK", nm, " ")
		for (i = 1; i <= 5; i++) if (on($i)) s = s (s == "" ? "" : ",") nm[i]
		print s, $6, (on($5) ? $7 : "-"), $8
	}' >"$tmp/theirs"
	if [ -s "$tmp/ours" ] && diff "$tmp/ours" "$tmp/theirs" >"$tmp/diff"; then
		echo "PASS: $lesson: tshark reads the same $(wc -l <"$tmp/ours") segments from --pcap"
	else
		echo "FAIL: $lesson: --pcap differs from what sockstep showed"
		head -n 20 "$tmp/diff" | sed 's/^/    /'
	fi
done
