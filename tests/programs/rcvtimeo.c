/* rcvtimeo.c - a receive timeout set, then turned off again, before a
 * recvfrom() no datagram ever comes to.
 *
 * SO_RCVTIMEO takes a struct timeval: { 1, 500000 } is 1.5 s, { 0, 0 } no
 * timeout at all. sockstep shows both in milliseconds (SO_RCVTIMEO_MS,
 * 1500 and 0), and with the timeout off the recvfrom() waits for ever: the
 * run is stuck, not waiting for a timer (tests/programs/timeo.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	struct timeval on = { 1, 500000 }, off = { 0, 0 };
	char buf[64];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("rcvtimeo");
		return 1;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &on, sizeof on);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &off, sizeof off);
	return recvfrom(s, buf, sizeof buf, 0, NULL, NULL) < 0;
}
