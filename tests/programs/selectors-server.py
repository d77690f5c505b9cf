# A multi-connection echo server on Python's selectors module, as the
# Python documentation's example: a non-blocking listener and its
# connections registered with the default selector (epoll), each served
# when ready. Exits once three clients have come and gone. A test program
# for sockstep run (tests/programs/world.sh).
import selectors
import socket

sel = selectors.DefaultSelector()
served = 0


def accept(sock):
    conn, _ = sock.accept()
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ, echo)


def echo(conn):
    global served
    data = conn.recv(1024)
    if data:
        conn.send(data)
        return
    sel.unregister(conn)
    conn.close()
    served += 1


lsock = socket.socket()
lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsock.bind(('127.0.0.1', 65432))
lsock.listen()
lsock.setblocking(False)
sel.register(lsock, selectors.EVENT_READ, accept)
while served < 3:
    for key, _ in sel.select():
        key.data(key.fileobj)
sel.close()
lsock.close()
