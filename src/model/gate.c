/* gate.c - records and commands on an actor's private channel (see gate.h).
 *
 * A record on the wire is a fixed header, then addrlen address bytes, then
 * len data bytes. Both ends are the same program on the same machine, so
 * fields are copied in host byte order; the decoder still checks every length,
 * because it is the parent's only view of what a child says, and a fuzzer
 * feeds it. */
#include "model/gate.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

enum { HDR = 1 + 1 + 4 + 4 + 4 + 3 * 8 + 8 + 4 + 8 + 8 + 8 + 4 + 4 };

#define PUT(field) do { memcpy(p, &(field), sizeof(field)); p += sizeof(field); } while (0)
#define GET(field) do { memcpy(&(field), p, sizeof(field)); p += sizeof(field); } while (0)

int gate_encode(const GateRecord *r, uint8_t *buf, size_t cap)
{
	if (r->addrlen > sizeof r->addr || r->len > GATE_DATA_MAX)
		return -1;
	size_t need = HDR + r->addrlen + r->len;
	if (need > cap)
		return -1;
	uint8_t *p = buf;
	PUT(r->kind); PUT(r->op); PUT(r->step); PUT(r->task); PUT(r->fd);
	PUT(r->arg[0]); PUT(r->arg[1]); PUT(r->arg[2]);
	PUT(r->ret); PUT(r->err); PUT(r->ns); PUT(r->at_ns); PUT(r->total);
	PUT(r->addrlen); PUT(r->len);
	memcpy(p, &r->addr, r->addrlen);
	p += r->addrlen;
	memcpy(p, r->data, r->len);
	return (int)need;
}

int gate_decode(const uint8_t *buf, size_t n, GateRecord *r)
{
	if (n < HDR)
		return -1;
	const uint8_t *p = buf;
	memset(r, 0, offsetof(GateRecord, data));
	GET(r->kind); GET(r->op); GET(r->step); GET(r->task); GET(r->fd);
	GET(r->arg[0]); GET(r->arg[1]); GET(r->arg[2]);
	GET(r->ret); GET(r->err); GET(r->ns); GET(r->at_ns); GET(r->total);
	GET(r->addrlen); GET(r->len);
	if (r->kind < GATE_CALL || r->kind >= GATE_KIND_MAX_)
		return -1;
	if (r->addrlen > sizeof r->addr || r->len > GATE_DATA_MAX)
		return -1;
	if ((size_t)HDR + r->addrlen + r->len != n)
		return -1;
	memcpy(&r->addr, p, r->addrlen);
	p += r->addrlen;
	memcpy(r->data, p, r->len);
	return 0;
}

int gate_pair(int fds[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds);
}

/* One message from the gate. A peer that exits with commands it never read
 * resets the connection: the first recv() after that fails with ECONNRESET,
 * but the records it sent before exiting are still queued behind the error
 * (the last batch of a free run, its end), so read on once. */
static ssize_t gate_read(int fd, void *buf, size_t cap)
{
	ssize_t n;
	int resets = 0;
	for (;;) {
		n = recv(fd, buf, cap, 0);
		if (n >= 0 || (errno != EINTR && (errno != ECONNRESET || resets++)))
			return n;
	}
}

int gate_send(int fd, const GateRecord *r)
{
	uint8_t buf[GATE_WIRE_MAX];
	int n = gate_encode(r, buf, sizeof buf);
	if (n < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	ssize_t w;
	do
		w = send(fd, buf, (size_t)n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == n ? 0 : -1;
}

int gate_recv(int fd, GateRecord *r)
{
	uint8_t buf[GATE_WIRE_MAX];
	ssize_t n = gate_read(fd, buf, sizeof buf);
	if (n <= 0)
		return (int)n;
	if (gate_decode(buf, (size_t)n, r) < 0) {
		errno = EPROTO;
		return -1;
	}
	return 1;
}

int gate_batch_flush(int fd, GateBatch *b)
{
	if (b->n == 0)
		return 0;
	ssize_t w;
	do
		w = send(fd, b->buf, b->n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	int ok = w == (ssize_t)b->n;
	b->n = 0;
	return ok ? 0 : -1;
}

int gate_batch_add(int fd, GateBatch *b, const GateRecord *r)
{
	uint8_t rec[GATE_WIRE_MAX];
	int n = gate_encode(r, rec, sizeof rec);
	if (n < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	if (b->n + 4 + (size_t)n > sizeof b->buf && gate_batch_flush(fd, b) < 0)
		return -1;
	if (b->n == 0)
		b->buf[b->n++] = GATE_BATCH_MARK;
	uint32_t len = (uint32_t)n;
	memcpy(b->buf + b->n, &len, 4);
	memcpy(b->buf + b->n + 4, rec, (size_t)n);
	b->n += 4 + (size_t)n;
	return 0;
}

int gate_recv_each(int fd, void (*fn)(void *ctx, const GateRecord *r), void *ctx)
{
	static uint8_t buf[GATE_BATCH_MAX + GATE_WIRE_MAX];
	static GateRecord r;
	ssize_t n = gate_read(fd, buf, sizeof buf);
	if (n <= 0)
		return (int)n;
	if (buf[0] != GATE_BATCH_MARK) {
		if (gate_decode(buf, (size_t)n, &r) < 0) {
			errno = EPROTO;
			return -1;
		}
		fn(ctx, &r);
		return 1;
	}
	int count = 0;
	for (size_t off = 1; off < (size_t)n;) {
		uint32_t len;
		if ((size_t)n - off < 4) {
			errno = EPROTO;
			return -1;
		}
		memcpy(&len, buf + off, 4);
		off += 4;
		if (len > (size_t)n - off || gate_decode(buf + off, len, &r) < 0) {
			errno = EPROTO;
			return -1;
		}
		fn(ctx, &r);
		off += len;
		count++;
	}
	return count;
}

int gate_command(int fd, char cmd)
{
	return gate_command_task(fd, cmd, 0);
}

int gate_command_task(int fd, char cmd, int32_t task)
{
	char buf[1 + sizeof task];
	size_t n = 1;
	buf[0] = cmd;
	if (task) {
		memcpy(buf + 1, &task, sizeof task);
		n += sizeof task;
	}
	ssize_t w;
	do
		w = send(fd, buf, n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)n ? 0 : -1;
}

int gate_send_line(int fd, const char *line, size_t len)
{
	char buf[GATE_DATA_MAX + 1];
	if (len > GATE_DATA_MAX)
		len = GATE_DATA_MAX;
	buf[0] = GATE_CMD_LINE;
	memcpy(buf + 1, line, len);
	ssize_t w;
	do
		w = send(fd, buf, len + 1, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)(len + 1) ? 0 : -1;
}

int gate_wait(int fd, char *line, size_t cap)
{
	int32_t task;
	return gate_wait_task(fd, &task, line, cap);
}

int gate_wait_task(int fd, int32_t *task, char *line, size_t cap)
{
	char buf[GATE_DATA_MAX + 1];
	ssize_t n;
	do
		n = recv(fd, buf, sizeof buf, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	if (buf[0] == GATE_CMD_LINE && line && cap > 0) {
		size_t len = (size_t)n - 1;
		if (len > cap - 1)
			len = cap - 1;
		memcpy(line, buf + 1, len);
		line[len] = '\0';
	}
	*task = 0;
	if (buf[0] != GATE_CMD_LINE && (size_t)n >= 1 + sizeof *task)
		memcpy(task, buf + 1, sizeof *task);
	return (unsigned char)buf[0];
}
