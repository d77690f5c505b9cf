/* explain.c - what a socket call does, in general (see explain.h). */
#include "views/explain.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "model/lesson.h"
#include "views/calltext.h"

static const char *what(LessonOp op)
{
	switch (op) {
	case OP_SOCKET:
		return "socket() makes an endpoint and returns a descriptor for it; it has no address yet.";
	case OP_SOCKETPAIR:
		return "socketpair() makes two sockets already connected to each other, a private pipe both ways.";
	case OP_BIND:
		return "bind() gives the socket its local address: the port clients will ask for.";
	case OP_LISTEN:
		return "listen() turns the socket into a listener: the kernel now completes handshakes "
		       "and queues the connections, up to the backlog.";
	case OP_ACCEPT:
		return "accept() takes a connection the kernel has already set up off the listener's queue, "
		       "as a new socket; it waits while the queue is empty.";
	case OP_CONNECT:
		return "connect() asks the kernel to open a connection: for TCP, the SYN, SYN/ACK, ACK handshake.";
	case OP_SEND: case OP_SENDALL: case OP_WRITE: case OP_SENDMSG:
		return "The bytes go into the kernel's send buffer; the kernel sends them when it can. "
		       "Returning is not arriving.";
	case OP_SENDTO:
		return "sendto() sends one datagram to the address given: no connection, no guarantee.";
	case OP_RECV: case OP_READ: case OP_RECVMSG:
		return "recv() takes what has arrived, up to the size asked: maybe less than was sent, "
		       "maybe several sends at once. It waits while nothing has.";
	case OP_RECVFROM:
		return "recvfrom() takes one datagram and tells who sent it.";
	case OP_SHUTDOWN:
		return "shutdown() closes one direction: SHUT_WR sends a FIN, and the peer's recv() returns 0.";
	case OP_CLOSE:
		return "close() gives the descriptor back; the last one closed ends the socket (a FIN for TCP).";
	case OP_SETSOCKOPT:
		return "setsockopt() changes how the kernel treats this socket.";
	case OP_GETSOCKOPT:
		return "getsockopt() asks the kernel a setting of this socket.";
	case OP_GETSOCKNAME:
		return "getsockname() asks which local address the socket has.";
	case OP_GETPEERNAME:
		return "getpeername() asks which address the socket is connected to.";
	case OP_POLL: case OP_SELECT: case OP_EPOLL_WAIT:
		return "The program waits for any of several sockets to be ready, so one process serves many.";
	case OP_WRITEV:
		return "writev() sends several pieces of the program's memory in one call, as one run of bytes: "
		       "a header and a body without copying them together first.";
	case OP_READV:
		return "readv() takes what has arrived into several buffers in one call, filling each in turn.";
	case OP_SENDMMSG:
		return "sendmmsg() sends several messages in one system call (for UDP, several datagrams); "
		       "it returns how many went.";
	case OP_RECVMMSG:
		return "recvmmsg() takes several messages in one system call; it returns how many came.";
	case OP_SENDFILE:
		return "sendfile() has the kernel copy bytes from a file straight into the socket: they never "
		       "pass through the program's memory. The bytes shown were read from the file at the "
		       "offset the call starts from.";
	case OP_SPLICE:
		return "splice() moves bytes from a pipe (or a file) into the socket inside the kernel, without "
		       "passing them through the program's memory.";
	case OP_SPLICE_RECV:
		return "splice() moves what has arrived on the socket into a pipe inside the kernel, without "
		       "passing it through the program's memory.";
	case OP_EPOLL_CREATE:
		return "epoll_create1() makes an epoll set: descriptors the kernel watches for the program, "
		       "so that one epoll_wait() waits on all of them.";
	case OP_EPOLL_CTL:
		return "epoll_ctl() changes the epoll set: which descriptor the kernel watches, and for what "
		       "(EPOLLIN: something to read or a connection to accept; EPOLLOUT: room to send).";
	case OP_FCNTL:
		return "fcntl() reads (F_GETFL) or sets (F_SETFL) the descriptor's status flags.";
	case OP_DUP:
		return "dup2() (and dup, dup3, fcntl F_DUPFD) gives the socket a second descriptor number: both numbers name the same "
		       "socket, which stays open until every one is closed. A server started by inetd, or "
		       "socat's EXEC, puts the connection on 0 and 1 this way, so that the program it runs "
		       "reads and writes the connection as its standard input and output.";
	default:
		return "A system call on a socket.";
	}
}

/* What the call's own flags mean: a socket made non-blocking, by socket()
 * or by fcntl(). */
static const char *flags_said(const Event *call)
{
	switch ((LessonOp)call->op) {
	case OP_SOCKET:
	case OP_SOCKETPAIR:
		if (call->arg[1] & SOCK_NONBLOCK)
			return " SOCK_NONBLOCK makes it non-blocking from the start: a call that would wait "
			       "returns at once instead, with EAGAIN (connect: EINPROGRESS).";
		return "";
	case OP_FCNTL:
		if (call->arg[0] == F_SETFL && (call->arg[1] & O_NONBLOCK))
			return " O_NONBLOCK makes the socket non-blocking: from now on a call that would wait "
			       "returns at once instead, with EAGAIN (connect: EINPROGRESS).";
		if (call->arg[0] == F_SETFL)
			return " Without O_NONBLOCK the socket blocks: its calls wait again.";
		return " Programs read them to add O_NONBLOCK with F_SETFL and keep the rest.";
	case OP_EPOLL_CREATE:
		return " (Python's selectors module makes one and closes it at once when imported, to see "
		       "whether epoll works.)";
	default:
		return "";
	}
}

/* What the result says, beyond the general rule. */
static const char *outcome(const Event *call, const Event *ret)
{
	LessonOp op = (LessonOp)call->op;
	if (!ret)
		return call->blocked ? " It is waiting in the kernel: another actor's step can wake it." : "";
	if (ret->ret < 0 && calltext_interrupted(ret->err))
		return " A signal came while it waited (SIGCHLD, say: a child process ended), and the "
		       "kernel stopped the call to run the program's handler for it. The program never "
		       "sees this code: the kernel restarts the call, the next line (if the handler was "
		       "installed with SA_RESTART), or the call fails with EINTR.";
	if (ret->ret < 0) {
		switch (ret->err) {
		case ECONNREFUSED: return " Refused: nothing listens on that port (the kernel answered RST).";
		case EADDRINUSE: return " That address is taken: another socket is bound to it.";
		case EPIPE: return " The peer has closed: writing now is an error (and SIGPIPE).";
		case ECONNRESET: return " The peer reset the connection (RST).";
		case EAGAIN: return " Nothing was ready, and the call did not wait: the socket is "
				    "non-blocking (or a receive timeout ran out). Try again when poll or "
				    "select says it is ready.";
		case EINPROGRESS: return " The socket is non-blocking: the handshake has begun, and connect() "
					 "does not wait for it. The program waits for POLLOUT (poll, select, "
					 "epoll), then getsockopt(SO_ERROR) says whether it worked.";
		default: return " It failed: the kernel says why in errno.";
		}
	}
	if (lesson_op_receives(op) && ret->ret == 0)
		return " It returned 0: the peer closed its side, and no more bytes will come.";
	if (op == OP_ACCEPT)
		return " The new socket is the conversation; the listener keeps listening.";
	if ((op == OP_SENDMSG && call->arg[2]) || (op == OP_RECVMSG && ret->arg[2]))
		return " It carries a descriptor (SCM_RIGHTS): the kernel gives the receiver its own descriptor "
		       "for the same open socket, under a number of the receiver's; the inode shows it is the same.";
	return "";
}

/* glibc asks the name service cache daemon before it reads /etc/passwd or
 * /etc/hosts: a program that looks up a user (a shell with no HOME, id) or
 * a host makes these calls without a line of its own asking for them. */
static int is_nscd(const Event *call)
{
	static const char *const paths[] = { "/var/run/nscd/socket", "/run/nscd/socket" };
	const struct sockaddr_un *un = (const struct sockaddr_un *)&call->addr;
	size_t at = offsetof(struct sockaddr_un, sun_path);
	if ((LessonOp)call->op != OP_CONNECT || call->addrlen <= at || un->sun_family != AF_UNIX)
		return 0;
	size_t n = strnlen(un->sun_path, call->addrlen - at);
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (n == strlen(paths[i]) && memcmp(un->sun_path, paths[i], n) == 0)
			return 1;
	return 0;
}

void explain_call(const Event *call, const Event *ret, char *buf, size_t cap)
{
	if (is_nscd(call)) {
		snprintf(buf, cap, "The C library makes this call, not the program's own code: to look up a "
			 "user or host name it first asks the name service cache daemon (nscd) on a local "
			 "socket.%s", ret && ret->ret < 0 ? " None runs here, so it reads /etc/passwd or "
			 "/etc/hosts itself." : "");
		return;
	}
	/* A traced close of an epoll set (arg[0] 1) ends no socket. */
	if ((LessonOp)call->op == OP_CLOSE && call->arg[0] == 1) {
		snprintf(buf, cap, "close() gives the descriptor back: this one is an epoll set, not a "
			 "socket, and the set ends with it.%s", outcome(call, ret));
		return;
	}
	snprintf(buf, cap, "%s%s%s", what((LessonOp)call->op), flags_said(call), outcome(call, ret));
}
