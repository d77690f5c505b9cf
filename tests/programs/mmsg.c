/* mmsg.c - several UDP datagrams in one call each way, as dig and DNS
 * servers do: `mmsg server` takes two with recvmmsg() and answers both with
 * one sendmmsg(); `mmsg client` sends two with sendmmsg() and takes the
 * answers with recvmmsg(). A test program for sockstep run
 * (tests/programs/bytes.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { N = 2, SIZE = 64 };

/* Takes N datagrams (a blocking recvmmsg waits for all of them); returns
 * how many came, their senders in from. */
static int take(int s, char buf[N][SIZE], struct sockaddr_in *from)
{
	struct mmsghdr m[N];
	struct iovec iov[N];
	memset(m, 0, sizeof m);
	for (int i = 0; i < N; i++) {
		iov[i] = (struct iovec){ buf[i], SIZE - 1 };
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = from ? &from[i] : NULL;
		m[i].msg_hdr.msg_namelen = from ? sizeof from[i] : 0;
	}
	int n = recvmmsg(s, m, N, 0, NULL);
	for (int i = 0; i < n; i++)
		buf[i][m[i].msg_len] = '\0';
	return n;
}

static int give(int s, const char *const text[N], struct sockaddr_in *to)
{
	struct mmsghdr m[N];
	struct iovec iov[N];
	memset(m, 0, sizeof m);
	for (int i = 0; i < N; i++) {
		iov[i] = (struct iovec){ (void *)text[i], strlen(text[i]) };
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = to ? &to[i] : NULL;
		m[i].msg_hdr.msg_namelen = to ? sizeof to[i] : 0;
	}
	return sendmmsg(s, m, N, 0);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[N][SIZE];
	if (argc == 2 && strcmp(argv[1], "server") == 0) {
		struct sockaddr_in from[N];
		static const char *const answers[N] = { "pong one", "pong two" };
		if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || take(s, buf, from) != N)
			return 1;
		give(s, answers, from);
	} else if (argc == 2 && strcmp(argv[1], "client") == 0) {
		static const char *const asks[N] = { "ping one", "ping two" };
		if (connect(s, (struct sockaddr *)&a, sizeof a) < 0 || give(s, asks, NULL) != N ||
		    take(s, buf, NULL) != N)
			return 1;
		printf("%s, %s\n", buf[0], buf[1]);
	} else {
		fprintf(stderr, "usage: mmsg server|client\n");
		return 2;
	}
	close(s);
	return 0;
}
