# sendfile-server.py - answers one request with a file, by socket.sendfile():
# the kernel copies the file's bytes into the socket (os.sendfile), and
# they never pass through the program. A test program for sockstep run
# (tests/programs/bytes.sh).
import socket
import tempfile

with tempfile.TemporaryFile() as f:
    f.write(b'Bytes from a file, sent by the kernel.\n')
    f.flush()
    with socket.socket() as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(('127.0.0.1', 65432))
        srv.listen(1)
        conn, _ = srv.accept()
        with conn:
            conn.recv(1024)
            conn.sendfile(f)
