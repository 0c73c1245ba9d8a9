// Unix datagram receiver for the syslog sink tests. Usage: dgramrecv PATH COUNT [TIMEOUT_S].
// Binds PATH, prints "ready", then prints each datagram followed by "\n" until COUNT arrive or
// TIMEOUT_S (default 10) seconds pass without one. Exit 0 when COUNT arrived, 1 otherwise.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = argc > 3 ? atoi(argv[3]) : 10 };
	static char buf[65536];
	int fd, want, got = 0;

	if (argc < 3 || strlen(argv[1]) >= sizeof(addr.sun_path))
		return 2;
	want = atoi(argv[2]);
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("bind");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("ready\n");
	fflush(stdout);
	while (got < want) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			break;
		fwrite(buf, 1, n, stdout);
		fputc('\n', stdout);
		fflush(stdout);
		got++;
	}
	unlink(argv[1]);
	return got == want ? 0 : 1;
}
