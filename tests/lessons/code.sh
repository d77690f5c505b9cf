#!/bin/bash
# The code pane's programs are real: for every lesson and every actor,
# `sockstep --code python|c` must give a Python program that compiles and a
# C program that builds with `cc -std=c11 -Wall -Wextra -Werror`. Then the
# lesson's programs run for real, all at once, in a private network
# namespace: started in the lesson's order, each once the one before waits
# (blocked in a call, or ended), input steps fed
# the lines --plain typed, each must end as the lesson says (exit 0, or
# killed by its "dies" signal) and print the console lines ("|") of the
# --plain run. Lessons on two hosts need two namespaces and a link: they are
# compiled but not run (SKIP). Run from anywhere; SOCKSTEP names the binary;
# lesson names as arguments check only those.
cd "$(dirname "$0")/../.." || exit 2
sockstep=${SOCKSTEP:-./sockstep}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A private network namespace: as root directly, else as a user namespace's root.
if [ "$(id -u)" -eq 0 ]; then
	netns=(unshare -n)
else
	netns=(unshare -rn)
fi
"${netns[@]}" true 2>/dev/null || netns=()
# The interpreter itself: a version manager's python3 wrapper can take a
# second to start, which is more than the programs' timing allows.
. tests/lib-python.sh
python=$PY

# The runner: starts the programs, feeds and times them, compares their
# console with --plain's. Python, since it needs timeouts and exact bytes.
cat >"$tmp/run.py" <<'EOF'
import ast, os, platform, re, signal, subprocess, sys, time

EPHEMERAL = re.compile(r":(3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\b")
FAILED = re.compile(r" = -[0-9]+ E[A-Z0-9_]+ \((.*)\)$")      # --plain: a call that failed
SAID = re.compile(r"^[a-z_]+: (?:\[Errno -?[0-9]+\] )?(.*)$")    # perror, or print(op, err)
TIMEOUT = 15


def unquote(s):
    """The inside of a calltext_quote()d string, back to its text."""
    out, i = [], 0
    escapes = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            if s[i + 1] == "x":
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append(escapes.get(s[i + 1], s[i + 1]))
            i += 2
            continue
        out.append(s[i])
        i += 1
    return "".join(out)


def plain_of(path, actors):
    """Per actor: console lines, input lines, the messages of its failed
    calls, and its death signal if any."""
    seen = {a: {"console": [], "input": [], "errors": [], "killed": None} for a in actors}
    for line in open(path, encoding="utf-8", errors="replace").read().splitlines():
        parts = line.split(None, 1)
        if len(parts) < 2 or parts[0] not in seen:
            continue
        who, rest = seen[parts[0]], parts[1]
        if rest.startswith("| "):
            who["console"].append(EPHEMERAL.sub(":EPHEMERAL", rest[2:]))
        elif rest.startswith('input = "') and rest.endswith('"'):
            who["input"].append(unquote(rest[9:-1]))
        elif rest.startswith("+++ killed by "):
            who["killed"] = rest.split()[3].removeprefix("SIG")
        elif FAILED.search(rest):
            who["errors"].append(FAILED.search(rest).group(1))
    return seen


def prompts_of(pyfile):
    """The prompts of the program's input() calls, longest first."""
    found = set()
    for node in ast.walk(ast.parse(open(pyfile).read())):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "input"
                and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    return sorted((p for p in found if p), key=len, reverse=True)


def console(text, prompts):
    """stdout without the prompts input() wrote before each line it read."""
    lines = []
    for line in text.split("\n"):
        stripped = True
        while stripped:
            stripped = False
            for p in prompts:
                if line.startswith(p):
                    line, stripped = line[len(p):], True
        lines.append(EPHEMERAL.sub(":EPHEMERAL", line))
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# The calls a program waits in when it waits for a step: reading stdin,
# socket calls, poll/select, sleeps. A program starting up waits in others
# (reading its files), which must not count.
WAITS = {
    "x86_64": {0: "read", 7: "poll", 23: "select", 35: "nanosleep", 42: "connect", 43: "accept",
               44: "sendto", 45: "recvfrom", 46: "sendmsg", 47: "recvmsg", 230: "clock_nanosleep",
               270: "pselect6", 271: "ppoll", 288: "accept4"},
    "aarch64": {63: "read", 72: "pselect6", 73: "ppoll", 101: "nanosleep", 115: "clock_nanosleep",
                202: "accept", 203: "connect", 206: "sendto", 207: "recvfrom", 211: "sendmsg",
                212: "recvmsg", 242: "accept4"},
}.get(platform.machine())


def waiting(pid):
    """Is the process asleep in one of the calls of WAITS (read: on stdin)?"""
    state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    if state != "S" or WAITS is None:
        return state == "S"
    call = open(f"/proc/{pid}/syscall").read().split()
    if not call or not call[0].isdigit() or int(call[0]) not in WAITS:
        return False
    return WAITS[int(call[0])] != "read" or int(call[1], 16) == 0


def settle(p):
    """Wait until a program just started waits (blocked in a call, or
    sleeping) for 30 ms, or has ended: like sockstep's scheduler, which runs
    the next actor when this one would block. A loaded machine starts
    programs slowly, so a fixed delay is not enough."""
    start, quiet = time.time(), 0
    while time.time() - start < 5 and p.poll() is None:
        try:
            quiet = quiet + 1 if waiting(p.pid) else 0
        except (OSError, IndexError, ValueError):
            return
        if quiet >= 3:
            return
        time.sleep(0.01)


# Python starts slowly on a loaded machine, slower than a lesson's sleep
# of half a second: each Python program is started at once, with the
# modules it may import, and stops itself; its turn only lets it go on
# into the program file, run as __main__ exactly as `python3 FILE` would.
PRELOAD = ("import os, runpy, signal, sys, select, socket, struct, time; "
           "os.kill(os.getpid(), signal.SIGSTOP); sys.argv = sys.argv[1:]; "
           "runpy.run_path(sys.argv[0], run_name='__main__')")


def stopped(p):
    """Wait until a preloaded program has stopped itself."""
    for _ in range(1000):
        if p.poll() is not None:
            return
        if open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.01)


def start(lang, path):
    """Start a program (C: line-buffered, as on a terminal); Python is
    preloaded and stopped until go()."""
    files = {"stdin": open(path + ".in"), "stdout": open(path + ".out", "w"),
             "stderr": open(path + ".err", "w")}
    if lang == "python":
        p = subprocess.Popen([sys.executable, "-u", "-c", PRELOAD, path + ".py"], **files)
        stopped(p)
        return p
    return subprocess.Popen(["stdbuf", "-oL", path], **files)


def go(lang, path, p):
    if lang == "python":
        os.kill(p.pid, signal.SIGCONT)
        return p
    return start(lang, path)


def main():
    name, lang, work, plain = sys.argv[1:5]
    actors = sys.argv[5:]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    want = plain_of(plain, actors)
    prompts = prompts_of(f"{work}/{actors[0]}.py") if actors else []
    for a in actors[1:]:
        prompts = sorted(set(prompts) | set(prompts_of(f"{work}/{a}.py")), key=len, reverse=True)
    for a in actors:
        with open(f"{work}/{a}.in", "w") as f:
            f.write("".join(line + "\n" for line in want[a]["input"]))
    procs = [start(lang, f"{work}/{a}") if lang == "python" else None for a in actors]
    for k, a in enumerate(actors):
        procs[k] = go(lang, f"{work}/{a}", procs[k])
        settle(procs[k])
    end = time.time() + TIMEOUT
    for p in procs:
        try:
            p.wait(timeout=max(0.1, end - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            p.timed_out = True
    for a, p in zip(actors, procs):
        what = f"{name}: {lang} {a}"
        if getattr(p, "timed_out", False):
            print(f"FAIL: {what}: still running after {TIMEOUT} s")
            continue
        sig = want[a]["killed"]
        got = f"killed by SIG{-p.returncode}" if p.returncode < 0 else f"exit {p.returncode}"
        if sig:
            ok = p.returncode == -getattr(signal, "SIG" + sig, 0)
        else:
            ok = p.returncode == 0
        if not ok:
            err = open(f"{work}/{a}.err").read().strip().splitlines()[-3:]
            print(f"FAIL: {what}: {got}, expected {'killed by SIG' + sig if sig else 'exit 0'}")
            for line in err:
                print(f"    {line}")
            continue
        have = console(open(f"{work}/{a}.out", errors="replace").read(), prompts)
        if have != want[a]["console"]:
            print(f"FAIL: {what}: console differs from --plain")
            print(f"    want {want[a]['console']!r}")
            print(f"    have {have!r}")
            continue
        said = [m.group(1) for m in map(SAID.match, open(f"{work}/{a}.err").read().splitlines()) if m]
        if said != want[a]["errors"]:
            print(f"FAIL: {what}: its calls fail otherwise than in --plain")
            print(f"    want {want[a]['errors']!r}")
            print(f"    have {said!r}")
            continue
        print(f"PASS: {what}: runs as the lesson ({got}, {len(have)} console lines, "
              f"{len(said)} failed calls)")


main()
EOF

# The command line: one actor or all, and what it refuses.
cli() {  # name, expected status, arguments...
	local name=$1 want=$2
	shift 2
	"$sockstep" --code "$@" >"$tmp/cli.out" 2>&1
	local got=$?
	if [ $got -eq "$want" ]; then
		echo "PASS: --code: $name"
	else
		echo "FAIL: --code: $name: status $got, expected $want"
		head -n 3 "$tmp/cli.out" | sed 's/^/    /'
	fi
}
cli "one actor, no heading" 0 c echo client
grep -q -- '---- actor' "$tmp/cli.out" && echo "FAIL: --code: one actor has a heading"
cli "every actor, each after a heading" 0 python echo
[ "$(grep -c '^# ---- actor' "$tmp/cli.out")" -eq 2 ] || echo "FAIL: --code: not one heading per actor"
cli "an unknown language" 2 rust echo
cli "an unknown actor" 2 c echo nobody
cli "no lesson of that name" 2 c no-such-lesson

# Lessons whose programs cannot behave the same free-running: the order
# they need is one only sockstep's step-by-step scheduler gives.
scheduled() {
		case $1 in
		unix) echo "the client's datagrams must come after the server has bound @dgram, which only the step order makes sure of: free-running, they are refused and both programs wait for ever" ;;
		eventloop) echo "which client's bytes one poll() finds is the step order's doing: free-running, both clients' bytes may wait for the same poll(), and the server's lines come in another order" ;;
		esac
}

# Generate and build one lesson's programs; its lines go to stdout. Leaves
# $work/actors when everything built.
build_lesson() {
	local lesson=$1 name=$2 work="$tmp/$2" a built=1 actors
	mkdir -p "$work"
	if ! "$sockstep" --code python "$lesson" >"$work/all.py" 2>"$work/gen.err"; then
		echo "FAIL: $name: --code python: $(head -n 1 "$work/gen.err")"
		return
	fi
	actors=$(sed -n 's/^# ---- actor \(.*\) ----$/\1/p' "$work/all.py")
	for a in $actors; do
		"$sockstep" --code python "$lesson" "$a" >"$work/$a.py" &&
			"$python" -m py_compile "$work/$a.py" 2>"$work/$a.pyerr"
		if [ $? -eq 0 ]; then
			echo "PASS: $name: python $a compiles"
		else
			echo "FAIL: $name: python $a does not compile"
			head -n 5 "$work/$a.pyerr" | sed 's/^/    /'
			built=0
		fi
		"$sockstep" --code c "$lesson" "$a" >"$work/$a.c" &&
			cc -std=c11 -Wall -Wextra -Werror -o "$work/$a" "$work/$a.c" 2>"$work/$a.cerr"
		if [ $? -eq 0 ]; then
			echo "PASS: $name: c $a builds"
		else
			echo "FAIL: $name: c $a does not build"
			head -n 5 "$work/$a.cerr" | sed 's/^/    /'
			built=0
		fi
	done
	[ $built -eq 1 ] && echo $actors >"$work/actors"
}

# Run one lesson's programs, if they built; its lines go to stdout.
run_lesson() {
	local lesson=$1 name=$2 work="$tmp/$2" a lang actors why
	[ -f "$work/actors" ] || return
	actors=$(cat "$work/actors")
	why=$(scheduled "$name")
	if grep -q -E '^[[:space:]]*host[[:space:]]' "$lesson"; then
		why="runs on two hosts (two namespaces and a veth link)"
	elif [ ${#netns[@]} -eq 0 ]; then
		why="no private network namespace here (unshare)"
	elif ! "$sockstep" --plain "$lesson" >"$work/plain" 2>&1; then
		why="its own --plain run fails (see tests/lessons/run.sh)"
	fi
	if [ -n "$why" ]; then
		echo "SKIP: $name: not run, compiled only: $why"
		return
	fi
	# Each run has a namespace of its own, so the two can run at once.
	for lang in python c; do
		mkdir -p "$work/$lang"
		cp "$work"/*.py "$work/$lang/"
		for a in $actors; do
			cp "$work/$a" "$work/$lang/"
		done
		# shellcheck disable=SC2086  # actor names are single words
		"${netns[@]}" "$python" "$tmp/run.py" "$name" "$lang" "$work/$lang" "$work/plain" $actors \
			>"$work/$lang.log" 2>&1 &
	done
	wait
	cat "$work/python.log" "$work/c.log"
}

# All lessons are built first, a few at a time; then run, a few at a time
# (each in its own namespaces). Compilers running next to a lesson's
# programs would slow them enough to miss a lesson's short sleeps. The
# reports come in lesson order.
jobs_max=3
lessons=()
for lesson in lessons/*.lesson; do
	name=$(basename "$lesson" .lesson)
	name=${name#[0-9][0-9]-}
	if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx -- "$name"; then
		lessons+=("$lesson")
	fi
done
for phase in build run; do
	for lesson in "${lessons[@]}"; do
		name=$(basename "$lesson" .lesson)
		name=${name#[0-9][0-9]-}
		while [ "$(jobs -rp | wc -l)" -ge $jobs_max ]; do
			wait -n
		done
		${phase}_lesson "$lesson" "$name" >"$tmp/$name.$phase.log" 2>&1 &
	done
	wait
done
for lesson in "${lessons[@]}"; do
	name=$(basename "$lesson" .lesson)
	name=${name#[0-9][0-9]-}
	cat "$tmp/$name.build.log" "$tmp/$name.run.log"
done

# A receive timeout set and never read back: the C declares no struct
# timeval it does not use (-Werror would refuse it).
mkdir -p "$tmp/rcvtimeo"
cat >"$tmp/rcvtimeo/rcvtimeo.lesson" <<'LESSON'
title: A timeout set, never read
actor server
  socket AF_INET SOCK_STREAM
  setsockopt SOL_SOCKET SO_RCVTIMEO_MS 1500
  bind 127.0.0.1 6000
  listen
  accept
  recv 10
  close
LESSON
if [ $# -eq 0 ]; then
	build_lesson "$tmp/rcvtimeo/rcvtimeo.lesson" rcvtimeo-only-set
fi

# Every lesson that loads, not only the course's: the fuzz corpus's lesson
# inputs that sockstep accepts give C that builds and Python that compiles.
# (Most of the corpus is refused as it loads, which is what it is for.)
if [ $# -eq 0 ]; then
	mkdir -p "$tmp/corpus"
	loaded=0 bad=0
	for f in tests/fuzz/corpus/lesson/*; do
		b=$(basename "$f")
		cp "$f" "$tmp/corpus/$b.lesson"
		"$sockstep" --code python "$tmp/corpus/$b.lesson" >"$tmp/corpus/$b.all.py" 2>/dev/null || continue
		loaded=$((loaded + 1))
		for a in $(sed -n 's/^# ---- actor \(.*\) ----$/\1/p' "$tmp/corpus/$b.all.py"); do
			w="$tmp/corpus/$b.$a"
			"$sockstep" --code python "$tmp/corpus/$b.lesson" "$a" >"$w.py" &&
				"$python" -m py_compile "$w.py" 2>"$w.err" ||
				{ bad=$((bad + 1)); echo "FAIL: corpus $b: python $a does not compile"; head -n 3 "$w.err" | awk '{ print "    " $0 }'; }
			"$sockstep" --code c "$tmp/corpus/$b.lesson" "$a" >"$w.c" &&
				cc -std=c11 -Wall -Wextra -Werror -fsyntax-only "$w.c" 2>"$w.err" ||
				{ bad=$((bad + 1)); echo "FAIL: corpus $b: c $a does not build"; head -n 3 "$w.err" | awk '{ print "    " $0 }'; }
		done
	done
	if [ $loaded -eq 0 ]; then
		echo "FAIL: corpus: no lesson of tests/fuzz/corpus/lesson loads"
	elif [ $bad -eq 0 ]; then
		echo "PASS: corpus: the $loaded lessons of the fuzz corpus that load give C that builds and Python that compiles"
	fi
fi
