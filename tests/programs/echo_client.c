/* echo_client.c - says hello to the echo server and prints the answer.
 * Built twice by the tests: dynamically linked, and statically linked
 * (no libc calls to hook: only the system calls are there to see). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(65432) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		return 1;
	}
	const char msg[] = "Hello, world";
	write(s, msg, strlen(msg));
	char buf[1024];
	ssize_t n = read(s, buf, sizeof buf);
	printf("Received %.*s\n", (int)(n > 0 ? n : 0), buf);
	close(s);
	return 0;
}
