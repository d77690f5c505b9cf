# A chat client that waits on its terminal and its socket at once, with
# select(), as a chat client must: a line typed is sent, a line received is
# printed, and the end of its input ends the chat. A test program for
# sockstep run (tests/programs/world.sh); any echo server is its peer.
import select
import socket
import sys

s = socket.create_connection(('127.0.0.1', 65432))
typing = True
while True:
    ready, _, _ = select.select([sys.stdin, s] if typing else [s], [], [])
    if sys.stdin in ready:
        line = sys.stdin.readline()
        if line:
            s.sendall(line.encode())
        else:
            typing = False
            s.shutdown(socket.SHUT_WR)
    if s in ready:
        data = s.recv(1024)
        if not data:
            break
        print('>', data.decode(), end='')
s.close()
