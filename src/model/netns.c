/* netns.c - a fresh network namespace with loopback up (see netns.h). */
#include "model/netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "model/sockdiag.h"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Become root of a new user namespace, mapped to who we were outside.
 * Done once per process: after it, later unshare(CLONE_NEWNET) calls are
 * allowed by the namespace's own capabilities. */
static int write_maps(uid_t uid, gid_t gid)
{
	char map[64];
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return -1;
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		return -1;
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

/* A process that is not dumpable (sockstep makes itself so, main.c) has
 * its /proc files owned by root, and cannot write its own maps: it is
 * dumpable while it writes them. This happens once, before the first run,
 * so no program of sockstep's is there to take the moment. */
static int enter_userns(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (unshare(CLONE_NEWUSER) < 0)
		return -1;
	int dumpable = prctl(PR_GET_DUMPABLE);
	prctl(PR_SET_DUMPABLE, 1);
	int rc = write_maps(uid, gid);
	int err = errno;
	prctl(PR_SET_DUMPABLE, dumpable > 0 ? dumpable : 0);
	errno = err;
	return rc;
}

static int link_up(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

int netns_enter(char *why, size_t cap)
{
	static int in_userns;
	if (unshare(CLONE_NEWNET) < 0) {
		if (errno != EPERM || in_userns) {
			snprintf(why, cap, "no network namespace (%s)", strerror(errno));
			return -1;
		}
		if (enter_userns() < 0) {
			snprintf(why, cap, "no user namespace (%s)", strerror(errno));
			return -1;
		}
		in_userns = 1;
		if (unshare(CLONE_NEWNET) < 0) {
			snprintf(why, cap, "no network namespace (%s)", strerror(errno));
			return -1;
		}
	}
	if (link_up("lo") < 0) {
		snprintf(why, cap, "loopback would not come up (%s)", strerror(errno));
		return -1;
	}
	/* The programs run without capabilities (tracer.c), so without
	 * CAP_NET_BIND_SERVICE: in this namespace, which is the lesson's
	 * alone, a port below 1024 is anyone's, as a server on port 80 in a
	 * lesson expects. The setting is the namespace's own; a kernel
	 * without it keeps the usual rule. */
	write_file("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0");
	return 0;
}

/* ---- two hosts: rtnetlink, the kernel's own interface for links ---- */

typedef struct {
	struct nlmsghdr h;
	char buf[1024];
} Msg;

static struct rtattr *attr(Msg *m, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)m + NLMSG_ALIGN(m->h.nlmsg_len));
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	m->h.nlmsg_len = NLMSG_ALIGN(m->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

/* Close a nested attribute opened by attr(m, type, NULL, 0). */
static void nest_end(Msg *m, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)m + m->h.nlmsg_len - (char *)nest);
}

/* Send one request and read its acknowledgement. */
static int talk(Msg *m)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	m->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	int rc = -1;
	if (sendto(fd, m, m->h.nlmsg_len, 0, (struct sockaddr *)&nl, sizeof nl) >= 0) {
		char buf[4096];
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_type == NLMSG_ERROR) {
			int err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			errno = err;
			rc = err ? -1 : 0;
		}
	}
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* A veth pair: eth0 here, eth0 in the namespace ns. */
static int make_veth(int ns)
{
	Msg m;
	memset(&m, 0, sizeof m);
	m.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	m.h.nlmsg_type = RTM_NEWLINK;
	m.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	attr(&m, IFLA_IFNAME, "eth0", 5);
	struct rtattr *info = attr(&m, IFLA_LINKINFO, NULL, 0);
	attr(&m, IFLA_INFO_KIND, "veth", 4);
	struct rtattr *data = attr(&m, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *peer = attr(&m, VETH_INFO_PEER, NULL, 0);
	m.h.nlmsg_len += sizeof(struct ifinfomsg);  /* the peer's own ifinfomsg, zeroed */
	attr(&m, IFLA_IFNAME, "eth0", 5);
	uint32_t fd = (uint32_t)ns;
	attr(&m, IFLA_NET_NS_FD, &fd, sizeof fd);
	nest_end(&m, peer);
	nest_end(&m, data);
	nest_end(&m, info);
	return talk(&m);
}

static int add_address(const char *addr, int prefix)
{
	Msg m;
	struct in_addr in;
	if (inet_pton(AF_INET, addr, &in) != 1) {
		errno = EINVAL;
		return -1;
	}
	memset(&m, 0, sizeof m);
	m.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	m.h.nlmsg_type = RTM_NEWADDR;
	m.h.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifaddrmsg *ifa = NLMSG_DATA(&m.h);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = if_nametoindex("eth0");
	if (ifa->ifa_index == 0)
		return -1;
	attr(&m, IFA_LOCAL, &in, sizeof in);
	attr(&m, IFA_ADDRESS, &in, sizeof in);
	return talk(&m);
}

/* A new veth link carries nothing until the kernel has seen its carrier
 * come on (its link watch, which runs a little later): a datagram sent
 * before that is dropped, and nothing sends it again, as a lesson's UDP
 * broadcast at full speed found. Wait, a bounded time, until the link
 * says it is running. */
static void wait_running(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	struct timespec pause = { .tv_sec = 0, .tv_nsec = 2000000 };
	for (int tries = 0; tries < 1000; tries++) {
		memset(&ifr, 0, sizeof ifr);
		snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || (ifr.ifr_flags & IFF_RUNNING))
			break;
		nanosleep(&pause, NULL);
	}
	close(fd);
}

static int configure(const char *addr, int prefix)
{
	if (add_address(addr, prefix) < 0)
		return -1;
	return link_up("eth0");
}

int netns_link(const char *addr_a, const char *addr_b, int prefix, int *other, char *why, size_t cap)
{
	int here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int there = -1;
	const char *step = "cannot open this namespace";
	if (here < 0)
		goto fail;
	step = "cannot make the second host";
	if (unshare(CLONE_NEWNET) < 0 || link_up("lo") < 0)
		goto fail;
	there = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	step = "cannot come back to the first host";
	if (there < 0 || setns(here, CLONE_NEWNET) < 0)
		goto fail;
	step = "cannot make the veth pair";
	if (make_veth(there) < 0)
		goto fail;
	step = "cannot configure host a";
	if (configure(addr_a, prefix) < 0)
		goto fail;
	step = "cannot configure host b";
	if (setns(there, CLONE_NEWNET) < 0)
		goto fail;
	int rc = configure(addr_b, prefix);
	int saved = errno;
	if (rc == 0)
		wait_running("eth0");
	if (setns(here, CLONE_NEWNET) < 0 || rc < 0) {
		errno = rc < 0 ? saved : errno;
		goto fail;
	}
	wait_running("eth0");
	close(here);
	*other = there;
	return 0;
fail:
	snprintf(why, cap, "%s: %s", step, strerror(errno));
	if (here >= 0) {
		setns(here, CLONE_NEWNET);
		close(here);
	}
	if (there >= 0)
		close(there);
	return -1;
}

int netns_diag_socket(int ns)
{
	int here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (here < 0)
		return -1;
	int fd = -1;
	if (setns(ns, CLONE_NEWNET) == 0) {
		fd = sockdiag_open();
		if (setns(here, CLONE_NEWNET) < 0) {
			close(fd);
			fd = -1;
		}
	}
	close(here);
	return fd;
}

int netns_join(int ns)
{
	return setns(ns, CLONE_NEWNET);
}

int netns_hostname(const char *name)
{
	if (unshare(CLONE_NEWUTS) < 0)
		return -1;
	return sethostname(name, strlen(name));
}
