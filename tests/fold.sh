#!/bin/bash
# fold.sh - a long transfer keeps its first and last events and says how
# many it folded (issue 14): stepped and in a free run, --plain shows a
# marker for each run of calls and packets folded, and what is shown and
# what is counted add up exactly to every call made and every byte moved;
# the recording holds the markers with their counts, and a replay prints
# what the run printed. The folding itself is in tests/unit/test_timeline.c.
# About 8 s.
cd "$(dirname "$0")/.." || exit 2
. tests/lib-python.sh
. tests/lib.sh

lesson=tests/fold/transfer.lesson
calls=1200      # 600 sendall, 600 recv (transfer.lesson)
bytes=60000     # each way

# balance NAME FILE: FILE (--plain output) says it folded, and the calls
# shown plus those the markers count are every call; the same of bytes.
balance() {
	"$PY" - "$2" "$calls" "$bytes" <<'PY' && echo "PASS: $1" || echo "FAIL: $1"
import re, sys
text = open(sys.argv[1]).read().splitlines()
calls, total = int(sys.argv[2]), int(sys.argv[3])
marks = [re.search(r"folded here, .*: (\d+) calls \((\d+) bytes sent, (\d+) received\), (\d+) packets", l)
         for l in text if l.startswith("sockstep  -- folded here")]
sends = sum(1 for l in text if re.match(r"^server  sendall\(4, .*\) = 100$", l))
recvs = sum(1 for l in text if re.match(r"^client  recv\(3, 100, MSG_WAITALL\) = 100$", l))
folded = sum(int(m.group(1)) for m in marks)
sent = sum(int(m.group(2)) for m in marks)
received = sum(int(m.group(3)) for m in marks)
ok = (marks and all(marks) and folded > 0 and sends + recvs + folded == calls and
      sends * 100 + sent == total and recvs * 100 + received == total)
if not ok:
    print("    %d markers, %d calls folded + %d sendall + %d recv shown (of %d); "
          "bytes sent %d + %d, received %d + %d (of %d each)" %
          (len(marks), folded, sends, recvs, calls, sent, sends * 100, received, recvs * 100, total))
sys.exit(0 if ok else 1)
PY
}

./sockstep --plain --record "$tmp/stepped.jsonl" "$lesson" >"$tmp/stepped" 2>&1
check "stepped: the transfer ends" test $? -eq 0
balance "stepped: what is shown and what is folded add up to every call and byte" "$tmp/stepped"
./sockstep --plain --free-run "$lesson" >"$tmp/free" 2>&1
check "free run: the transfer ends" test $? -eq 0
balance "free run: what is shown and what is folded add up to every call and byte" "$tmp/free"

# The recording: each marker a note of no actor, its counts in ret, arg
# and total as the README's event table says, and the text the same.
check "the recording holds the markers with their counts" "$PY" - "$tmp/stepped.jsonl" <<'PY'
import json, re, sys
marks = [e for e in map(json.loads, open(sys.argv[1]))
         if e.get("type") == "event" and e["kind"] == "note" and e["ret"] > 0]
assert marks, "no marker"
for e in marks:
    m = re.search(r": (\d+) calls \((\d+) bytes sent, (\d+) received\), (\d+) packets, (\d+) socket", e["text"])
    assert m, e["text"]
    c, s, r, p, q = map(int, m.groups())
    assert e["actor"] == -1 and e["arg"] == [c, p, q] and e["total"] == s + r, e
    assert e["ret"] >= c + p + q, e
PY
./sockstep replay --plain "$tmp/stepped.jsonl" >"$tmp/replayed" 2>&1
check "replay --plain prints what the run printed, markers and all" cmp "$tmp/stepped" "$tmp/replayed"
# And every line of it is as the README's schema says.
"$PY" tests/record-schema.py ./sockstep README.md "$tmp/stepped.jsonl"
