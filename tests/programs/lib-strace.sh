# lib-strace.sh - what sockstep run shows, held to strace and to itself
# (sourced, not run; needs PY from tests/lib-python.sh).
#
# strace_pair DIR SERVER CLIENT
#     Runs the pair without sockstep: SERVER, then (once it listens) CLIENT,
#     each under `strace -f -y`, in a network namespace of their own, so
#     nothing else on the machine can take the port. Writes DIR/server.strace
#     and DIR/client.strace. Returns 1 and says why on stdout when it cannot.
# strace_compare DIR PLAIN
#     Compares sockstep run --plain's output PLAIN with those traces, side by
#     side (an actor server.2 is the server's side): the same socket calls
#     (strace's network class, and read, write, readv, writev, sendfile,
#     splice on a socket), each with the same return value, as many times.
#     Prints the differences and returns 1, or returns 0.
# plain_balanced PLAIN
#     Every byte one side received in PLAIN was sent by a call the other side
#     is shown making, in the same order, and the reverse: no byte appears
#     from nowhere. Connections at once (threads, an event loop) may
#     interleave in any order: then each connection's bytes, the calls on
#     one descriptor of one actor until it closes it, must be a connection's
#     bytes on the other side. Prints why and returns 1, or returns 0.

strace_pair() {
	local dir=$1 server=$2 client=$3
	if ! command -v strace >/dev/null 2>&1; then
		echo "strace is not installed"
		return 1
	fi
	if ! unshare -n -p -f --mount-proc true 2>/dev/null; then
		echo "cannot make a network and a process namespace (unshare -n -p -f --mount-proc)"
		return 1
	fi
	local calls=network,read,write,readv,writev,sendfile,splice
	# The client starts once the server listens (any listener in the new
	# namespace is the server's; strace's own output is buffered); the
	# wait is bounded, and a server that never listens fails the comparison.
	# A server that outlives its client (http.server) is given 2 s to end
	# by itself, then everything left in the pair's process namespace is
	# stopped, as sockstep stops it: its last wait stays unfinished.
	# The programs start with the descriptors sockstep gives them, 0 to 2:
	# whatever else the test's caller left open would shift their numbers.
	unshare -n -p -f --mount-proc bash -c '
		for fd in /proc/$$/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done
		ip link set lo up 2>/dev/null || exit 3
		strace -f -qq -y -s 100 -e trace="$1" -o "$2/server.strace" sh -c "$3" >"$2/server.out" 2>&1 &
		server=$!
		i=0
		while [ $i -lt 200 ] && [ -z "$(ss -Hltux 2>/dev/null)" ]; do
			sleep 0.05
			i=$((i + 1))
		done
		timeout 30 strace -f -qq -y -s 100 -e trace="$1" -o "$2/client.strace" sh -c "$4" >"$2/client.out" 2>&1
		status=$?
		i=0
		while [ $i -lt 40 ] && kill -0 $server 2>/dev/null; do
			sleep 0.05
			i=$((i + 1))
		done
		if kill -0 $server 2>/dev/null; then
			kill -KILL $(pgrep -v -x strace | grep -vx 1) 2>/dev/null
			wait $server 2>/dev/null
			exit $status
		fi
		wait $server || exit $?
		exit $status
	' sh "$calls" "$dir" "$server" "$client"
	local status=$?
	if [ $status -ne 0 ]; then
		echo "the pair under strace ended with status $status"
		return 1
	fi
	return 0
}

strace_compare() {
	"$PY" - "$1" "$2" <<'PY'
import collections, re, sys

DATA = {'read', 'write', 'readv', 'writev', 'sendfile', 'splice'}
NETWORK = {'socket', 'socketpair', 'bind', 'listen', 'accept', 'accept4', 'connect', 'getsockname',
           'getpeername', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg',
           'shutdown', 'setsockopt', 'getsockopt'}
# sockstep names a sendto without an address send, as the program wrote it.
RENAME = {'send': 'sendto', 'recv': 'recvfrom', 'splice-recv': 'splice'}
# How a stream's bytes are cut into calls, and whether a non-blocking read
# finds nothing yet (EAGAIN), is the peers' timing, which tracing changes:
# for the calls that move bytes, the bytes each kind of call moved are
# compared in all, and an EAGAIN of theirs is not counted.
MOVING = DATA | {'sendto', 'recvfrom', 'sendmsg', 'recvmsg'}

def count(calls, name, ret, err):
    if name in MOVING and ret > 0:
        calls[(name, 'bytes')] += ret
    elif not (name in MOVING and err == 'EAGAIN'):
        calls[(name, ret)] += 1

def from_strace(path):
    """(call, return value) of each socket call in an strace -f -y log."""
    calls, pending = collections.Counter(), {}
    for line in open(path, errors='replace'):
        m = re.match(r'(\d+)\s+(.*)$', line.rstrip('\n'))
        if not m:
            continue
        pid, rest = m.groups()
        r = re.match(r'<\.\.\. (\w+) resumed>(.*)$', rest)
        if r:
            name, text = r.group(1), pending.pop(pid, '') + r.group(2)
        else:
            c = re.match(r'(\w+)\((.*)$', rest)
            if not c:
                continue
            name, text = c.groups()
            if text.endswith('<unfinished ...>'):
                pending[pid] = text
                continue
        ret = re.search(r'\) += (-?\d+)(?: (E[A-Z0-9]+))?', text)
        if not ret or name not in DATA | NETWORK:
            continue
        if name in DATA and '<socket:[' not in text:
            continue
        count(calls, name, int(ret.group(1)), ret.group(2))
    return calls

def from_plain(path):
    """The same, per side, of sockstep run --plain's lines."""
    sides = collections.defaultdict(collections.Counter)
    for line in open(path, errors='replace'):
        m = re.match(r'(\S+)\s+([a-z0-9-]+)\(.*\) = (-?\d+)(?: (E[A-Z0-9]+))?', line)
        if not m:
            continue
        actor, name, ret, err = m.groups()
        name = RENAME.get(name, name)
        if name in DATA | NETWORK:
            count(sides[actor.split('.')[0]], name, int(ret), err)
    return sides

dirname, plain = sys.argv[1], sys.argv[2]
shown = from_plain(plain)
bad = False
for side in ('server', 'client'):
    traced = from_strace(f'{dirname}/{side}.strace')
    if traced != shown[side]:
        bad = True
        for key in sorted(set(traced) | set(shown[side]), key=str):
            if traced[key] != shown[side][key]:
                print(f'    {side}: {key[0]} = {key[1]}: strace {traced[key]}, sockstep {shown[side][key]}')
sys.exit(1 if bad else 0)
PY
}

plain_balanced() {
	"$PY" - "$1" <<'PY'
import collections, re, sys

SENDS = {'send', 'sendto', 'sendmsg', 'sendmmsg', 'write', 'writev', 'sendfile', 'splice'}
RECVS = {'recv', 'recvfrom', 'recvmsg', 'recvmmsg', 'read', 'readv'}
# Bytes as lists of values; --plain shows a call's first 256 bytes and
# counts the rest ("... 556 more bytes"): those are None, a byte unseen,
# which matches any byte the other side shows.
sent, got = {'server': [], 'client': []}, {'server': [], 'client': []}
# The same bytes per connection as each side sees it: an actor's
# descriptor, until it closes it (then its number is another connection's).
streams = {id(sent): collections.defaultdict(list), id(got): collections.defaultdict(list)}
closed = collections.Counter()
# A side's own socketpairs (a server talking to its worker) carry bytes
# that stay on that side: each actor's descriptors made by socketpair,
# until closed or taken again. A process an actor makes shows at its first
# call, maybe after its parent closed its copies: it starts with all of
# them.
internal, made = collections.defaultdict(set), collections.defaultdict(set)
# A splice is written the same both ways: it receives when its first
# descriptor is a socket, which the lines say (socket, accept, socketpair,
# a descriptor received; a process starts with its parent's).
socks = collections.defaultdict(set)
where = None
for line in open(sys.argv[1], errors='replace'):
    note = re.match(r'\S+\s+-- (\S+) has a new (?:process|thread)\b.*: (\S+)$', line)
    if note:
        internal[note.group(2)] = set(made[note.group(1)])
        socks[note.group(2)] = set(socks[note.group(1)]) | made[note.group(1)]
        continue
    m = re.match(r'(\S+)\s+([a-z0-9-]+)\((\d*)(.*) = (-?\d+)(.*)$', line)
    if m:
        actor, name, fd, _, ret, rest = m.groups()
        side, ret, where = actor.split('.')[0], int(ret), None
        fd = int(fd) if fd else -1
        if name == 'socketpair':
            pair = {int(x) for x in re.findall(r'\d+', rest)}
            made[actor] |= pair
            internal[actor] |= pair
            socks[actor] |= pair
        elif name == 'close':
            closed[(actor, fd)] += 1
            internal[actor].discard(fd)
            socks[actor].discard(fd)
        elif name in ('socket', 'accept', 'accept4') and ret >= 0:
            internal[actor].discard(ret)
            socks[actor].add(ret)
        elif (name in ('dup', 'dup2', 'dup3') or (name == 'fcntl' and 'F_DUPFD' in rest)) and ret >= 0:
            # A second number for the same socket: one of the side's own
            # socketpairs stays its own (socat's EXEC puts it on 0 and 1).
            for table in (internal, socks):
                if fd in table[actor]:
                    table[actor].add(ret)
                else:
                    table[actor].discard(ret)
        elif name == 'recvmsg' and 'SCM_RIGHTS fd' in rest:
            passed = int(re.search(r'SCM_RIGHTS fd (\d+)', rest).group(1))
            internal[actor].discard(passed)
            socks[actor].add(passed)
        sends = name in SENDS and not (name == 'splice' and fd in socks[actor])
        if name == 'splice':
            fd = fd if not sends else int(re.match(r'.*?splice\(\d+, \S+, (\d+)', line).group(1))
        if ret > 0 and name in SENDS | RECVS and side in sent and fd not in internal[actor]:
            where = (sent if sends else got, side, (side, actor, fd, closed[(actor, fd)]))
        continue
    h = re.match(r'\s+[0-9a-f]{4}  ((?:[0-9a-f]{2} )*[0-9a-f]{2})', line)
    more = re.match(r'\s+\.\.\. (\d+) more bytes$', line)
    if (h or more) and where:
        table, side, stream = where
        values = list(bytes.fromhex(h.group(1).replace(' ', ''))) if h else [None] * int(more.group(1))
        table[side] += values
        streams[id(table)][stream] += values
        continue
    if not line.startswith(' '):
        where = None

def same(x, y):
    return len(x) == len(y) and all(p is None or q is None or p == q for p, q in zip(x, y))

def text(v):
    return bytes(b if b is not None else ord('?') for b in v[:80])

bad = False
for a, b in (('server', 'client'), ('client', 'server')):
    def each(table, side):
        return sorted((v for k, v in streams[id(table)].items() if k[0] == side),
                      key=lambda v: [-1 if x is None else x for x in v])
    if not same(got[b], sent[a]) and len(each(got, b)) == len(each(sent, a)) and \
            all(same(x, y) for x, y in zip(each(got, b), each(sent, a))):
        continue
    if not same(got[b], sent[a]) or not got[b]:
        bad = True
        print(f'    {b} received {text(got[b])!r} ({len(got[b])} bytes) but {a} was shown sending '
              f'{text(sent[a])!r} ({len(sent[a])} bytes)')
sys.exit(1 if bad else 0)
PY
}
