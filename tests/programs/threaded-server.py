# A threaded echo server: the main thread accepts, a thread per connection
# echoes until its client closes. Serves three clients, then waits for its
# threads and exits. A test program for sockstep run
# (tests/programs/world.sh); its client is threaded-clients.py.
import socket
import threading


def serve(conn):
    with conn:
        while data := conn.recv(1024):
            conn.sendall(data)


lsock = socket.socket()
lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsock.bind(('127.0.0.1', 65432))
lsock.listen()
threads = []
for _ in range(3):
    conn, _ = lsock.accept()
    t = threading.Thread(target=serve, args=(conn,))
    t.start()
    threads.append(t)
lsock.close()
for t in threads:
    t.join()
