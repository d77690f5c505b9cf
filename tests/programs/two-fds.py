# Two descriptors passed in one SCM_RIGHTS message over a socketpair: a
# test program for sockstep run (tests/programs/bytes.sh), which shows the
# first of them and counts the other, on both sides.
import socket

a, b = socket.socketpair()
tcp, udp = socket.socket(), socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
socket.send_fds(a, [b"two"], [tcp.fileno(), udp.fileno()])
msg, fds, flags, addr = socket.recv_fds(b, 16, 2)
print(msg.decode(), len(fds))
