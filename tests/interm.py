#!/usr/bin/env python3
"""interm.py - run a command in a pseudo-terminal, as a student's terminal does.

Usage: interm.py [-e NAME=VALUE | -u NAME]... [-x REGEX -s TEXT]... -- COMMAND...

-e sets and -u unsets a variable of the command's environment (TERM, say).
Each -x waits (10 s at most) until the output so far matches REGEX, then the
-s after it is typed ("\\n" is Enter, "\\x04" Ctrl-D). At the end it waits
(20 s at most) for the command to exit, prints all it wrote to the terminal,
then "STATUS N", and exits 0; 124 when a wait ran out (the command is then
killed with its process group).

For the tests of what a terminal changes: TERM=dumb, a prompt that waits on
its line, typed lines. tmux would do too, but reads the screen, not the bytes.
"""
import os
import pty
import re
import select
import signal
import sys
import time


def parse(argv):
    env, script, i = dict(os.environ), [], 0
    while i < len(argv) and argv[i] != "--":
        opt, val = argv[i], argv[i + 1]
        if opt == "-e":
            name, _, value = val.partition("=")
            env[name] = value
        elif opt == "-u":
            env.pop(val, None)
        elif opt == "-x":
            script.append(("expect", val))
        elif opt == "-s":
            text = val.encode().decode("unicode_escape").encode()
            script.append(("send", text))
        else:
            sys.exit("interm.py: unknown option " + opt)
        i += 2
    return env, script, argv[i + 1:]


def main():
    env, script, cmd = parse(sys.argv[1:])
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(cmd[0], cmd, env)
    out = bytearray()

    def read_for(seconds, until=None):
        end = time.time() + seconds
        while time.time() < end:
            if until and re.search(until, out.decode(errors="replace")):
                return True
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                return until is None or bool(re.search(until, out.decode(errors="replace")))
            out.extend(data)
        return until is None

    ok = True
    for kind, arg in script:
        if kind == "expect" and not read_for(10, arg):
            ok = False
            break
        if kind == "send":
            os.write(fd, arg)
    status = None
    end = time.time() + (20 if ok else 0)
    while True:
        read_for(0.1)
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
            break
        if time.time() > end:
            ok = False
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
    read_for(0.1)
    sys.stdout.write(out.decode(errors="replace"))
    print("\nSTATUS", status)
    sys.exit(0 if ok else 124)


main()
