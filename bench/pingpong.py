#!/usr/bin/env python3
# pingpong.py - the benchmark's syscall-heavy program (make bench): an
# interpreter, so thousands of system calls that are not socket calls
# (start-up, imports, memory), around ROUNDS round trips of 64 bytes on
# loopback TCP between a server and the client it forks, as pingpong.c.
# Usage: pingpong.py [ROUNDS] [PORT]   (1000 and 65432 by default)
import os
import socket
import sys

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 65432
MSG = b'x' * 64

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', PORT))
    s.listen(1)
    pid = os.fork()
    if pid == 0:
        s.close()
        with socket.create_connection(('127.0.0.1', PORT)) as c:
            for _ in range(ROUNDS):
                c.sendall(MSG)
                c.recv(64, socket.MSG_WAITALL)
        os._exit(0)
    conn, _ = s.accept()
    with conn:
        while conn.recv(64, socket.MSG_WAITALL):
            conn.sendall(MSG)
    os.waitpid(pid, 0)
