// TCP server for test/kernel/net.test: listens on ADDR (127.0.0.1 or ::1) port 0, prints
// "port=P", then N times: accept, read 5 bytes, write "abc", close. Usage: tcpserver ADDR N
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_on(const char *addr, int *port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int v6 = strchr(addr, ':') != NULL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);

	if (v6) {
		a6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &a6->sin6_addr);
		len = sizeof(*a6);
	} else {
		a4->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &a4->sin_addr);
		len = sizeof(*a4);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len))
		return -1;
	*port = ntohs(v6 ? a6->sin6_port : a4->sin_port);
	return fd;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 1, port = 0;
	int lfd = argc > 1 ? listen_on(argv[1], &port) : -1;
	char buf[8];

	if (lfd < 0) {
		perror("tcpserver");
		return 1;
	}
	printf("port=%d\n", port);
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		int c = accept(lfd, NULL, NULL), got = 0;

		if (c < 0)
			return 1;
		while (got < 5) {
			ssize_t r = read(c, buf + got, 5 - got);

			if (r <= 0)
				break;
			got += r;
		}
		if (write(c, "abc", 3) != 3)
			return 1;
		close(c);
	}
	close(lfd);
	return 0;
}
