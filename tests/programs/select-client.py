# The seed tutorial's chat client (Python-Client.py) as an interactive chat
# client is usually written: it waits on its standard input and its socket
# at once, with select, sends each line typed, prints what comes back, and
# ends at q, as the tutorial's does, or at the end of its input. With
# --nonblocking its socket is non-blocking, which the wait ignores.
import select
import socket
import sys

def Main():
		host = '127.0.0.1'
		port = 5001

		mySocket = socket.socket()
		mySocket.connect((host,port))
		if '--nonblocking' in sys.argv:
				mySocket.setblocking(False)   # as an event loop's sockets are

		while True:
				ready, _, _ = select.select([sys.stdin, mySocket], [], [])
				if sys.stdin in ready:
						message = sys.stdin.readline()
						if not message or message.strip() == 'q':
								break
						mySocket.send(message.encode())
				if mySocket in ready:
						data = mySocket.recv(1024).decode()
						if not data:
								break
						print ('Received from server: ' + data.rstrip())

		mySocket.close()

if __name__ == '__main__':
	Main()
