// TCP client for test/kernel/net.test: N times connect to ADDR:PORT, write "hello", read 3
// bytes, close. Prints "ok=N", or "err=ERRNO" when a connect fails. Usage: tcpclient ADDR PORT N
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int one(const char *addr, int port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	int v6 = strchr(addr, ':') != NULL, got = 0;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	socklen_t len;
	char buf[4];

	if (v6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a6->sin6_addr);
		len = sizeof(*a6);
	} else {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a4->sin_addr);
		len = sizeof(*a4);
	}
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&ss, len)) {
		int e = errno;

		close(fd);
		return e;
	}
	if (write(fd, "hello", 5) != 5)
		return errno;
	while (got < 3) {
		ssize_t r = read(fd, buf + got, 3 - got);

		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 3 ? atoi(argv[3]) : 1, e;

	if (argc < 3)
		return 2;
	for (int i = 0; i < n; i++) {
		e = one(argv[1], atoi(argv[2]));
		if (e) {
			printf("err=%d\n", e);
			return 0;
		}
	}
	printf("ok=%d\n", n);
	return 0;
}
