/* netns.c - a fresh network namespace with loopback up (see netns.h). */
#include "model/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

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
static int enter_userns(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (unshare(CLONE_NEWUSER) < 0)
		return -1;
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return -1;
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		return -1;
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

static int loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
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
	if (loopback_up() < 0) {
		snprintf(why, cap, "loopback would not come up (%s)", strerror(errno));
		return -1;
	}
	return 0;
}
