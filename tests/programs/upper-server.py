# The seed tutorial's chat server (Python-Server.py) without its own
# input(): it sends back what it receives upper-cased, until the client
# closes.
import socket

def Main():
    host = "127.0.0.1"
    port = 5001

    mySocket = socket.socket()
    mySocket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    mySocket.bind((host,port))

    mySocket.listen(1)
    conn, addr = mySocket.accept()
    while True:
        data = conn.recv(1024)
        if not data:
            break
        print ("from connected user: " + repr(data.decode()))
        conn.send(data.upper())

    conn.close()

if __name__ == '__main__':
    Main()
