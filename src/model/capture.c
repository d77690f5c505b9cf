/* capture.c - packets from libpcap (see capture.h).
 *
 * Immediate mode, so a packet is seen as soon as the kernel sends it rather
 * than when a buffer fills: the engine reads the capture before it records a
 * call's result, which puts a connect()'s SYN, SYN/ACK and ACK before the
 * connect() returns in the timeline, as they happened. */
#include "model/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct capture {
	pcap_t *p;
	pcap_dumper_t *dump;
	CaptureFn fn;
	void *ctx;
	char error[300];       /* the pcap file could not be written: why */
};

static void fail(char *why, size_t cap, const char *what, const char *detail)
{
	snprintf(why, cap, "%s: %s", what, detail);
}

Capture *capture_open(const char *dev, char *why, size_t cap)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	Capture *c = calloc(1, sizeof *c);
	if (!c) {
		fail(why, cap, "no capture", "out of memory");
		return NULL;
	}
	c->p = pcap_create(dev, errbuf);
	if (!c->p) {
		fail(why, cap, "no capture", errbuf);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->p, 65535);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, 4 << 20);
	int rc = pcap_activate(c->p);
	if (rc < 0) {
		fail(why, cap, "no capture", rc == PCAP_ERROR_PERM_DENIED
		     ? "not permitted (needs a private namespace or CAP_NET_RAW)" : pcap_geterr(c->p));
		capture_close(c);
		return NULL;
	}
	if (pcap_setnonblock(c->p, 1, errbuf) < 0) {
		fail(why, cap, "no capture", errbuf);
		capture_close(c);
		return NULL;
	}
	/* libpcap opens its socket without O_CLOEXEC: nothing of sockstep's
	 * may leak into an actor or a program it runs. */
	int fd = pcap_get_selectable_fd(c->p);
	if (fd >= 0)
		fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	return c;
}

void capture_close(Capture *c)
{
	if (!c)
		return;
	if (c->dump)
		pcap_dump_close(c->dump);
	if (c->p)
		pcap_close(c->p);
	free(c);
}

int capture_fd(const Capture *c)
{
	return pcap_get_selectable_fd(c->p);
}

int capture_link(const Capture *c)
{
	return pcap_datalink(c->p);
}

int capture_save(Capture *c, const char *path, char *why, size_t cap)
{
	FILE *fp = fopen(path, "we");
	if (!fp) {
		fail(why, cap, path, strerror(errno));
		return -1;
	}
	c->dump = pcap_dump_fopen(c->p, fp);
	if (!c->dump) {
		fail(why, cap, path, pcap_geterr(c->p));
		fclose(fp);
		return -1;
	}
	/* The file's header, at once: /dev/full or a full disk says so now. */
	if (pcap_dump_flush(c->dump) < 0) {
		fail(why, cap, path, strerror(errno));
		pcap_dump_close(c->dump);
		c->dump = NULL;
		return -1;
	}
	return 0;
}

const char *capture_error(const Capture *c)
{
	return c && c->error[0] ? c->error : NULL;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	Capture *c = (Capture *)user;
	/* Written at once: a full disk is seen with the packet that filled
	 * it, and the file is whole up to there. */
	if (c->dump && !c->error[0]) {
		pcap_dump((u_char *)c->dump, h, bytes);
		if (pcap_dump_flush(c->dump) < 0)
			snprintf(c->error, sizeof c->error, "%s", strerror(errno));
	}
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec * 1000u;
	c->fn(c->ctx, ts, bytes, h->caplen, h->len);
}

int capture_read(Capture *c, CaptureFn fn, void *ctx)
{
	c->fn = fn;
	c->ctx = ctx;
	return pcap_dispatch(c->p, -1, on_packet, (u_char *)c);
}
