# Several clients at once: three threads, each with its own connection,
# each sending a line and printing its echo. Each keeps its connection
# until all three have their echo, so the server holds three connections
# at once (and numbers them the same in every run). A test program for
# sockstep run (tests/programs/world.sh); its server is threaded-server.py.
import socket
import threading

all_answered = threading.Barrier(3)


def talk(i):
    with socket.create_connection(('127.0.0.1', 65432)) as s:
        s.sendall(f'client {i}\n'.encode())
        print(s.recv(1024).decode(), end='')
        all_answered.wait()


threads = [threading.Thread(target=talk, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
