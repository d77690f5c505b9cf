# A multi-connection client on Python's selectors module: opens three
# non-blocking connections at once (connect_ex, EINPROGRESS), sends a line
# on each when it is writable, and reads each echo back until all three are
# done. A test program for sockstep run (tests/programs/world.sh); its
# server is selectors-server.py.
import selectors
import socket

sel = selectors.DefaultSelector()
for i in range(3):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(('127.0.0.1', 65432))
    sel.register(s, selectors.EVENT_WRITE, {'out': f'message {i}\n'.encode(), 'got': b''})
left = 3
while left:
    for key, mask in sel.select():
        s, conn = key.fileobj, key.data
        if mask & selectors.EVENT_WRITE:
            s.send(conn['out'])
            sel.modify(s, selectors.EVENT_READ, conn)
            continue
        data = s.recv(1024)
        conn['got'] += data
        if not data or conn['got'] == conn['out']:
            print(conn['got'].decode(), end='')
            sel.unregister(s)
            s.close()
            left -= 1
sel.close()
