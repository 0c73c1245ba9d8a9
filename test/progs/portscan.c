// Connect scan for test/kernel/rules-net: one blocking TCP connect to ADDR:PORT for each port in
// [FROM, FROM+N). Prints "refused=R open=O other=E". Usage: portscan ADDR FROM N
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int from, n, refused = 0, open = 0, other = 0;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1)
		return 2;
	from = atoi(argv[2]);
	n = atoi(argv[3]);
	for (int p = from; p < from + n; p++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			return 1;
		a.sin_port = htons(p);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			open++;
		else if (errno == ECONNREFUSED)
			refused++;
		else
			other++;
		close(fd);
	}
	printf("refused=%d open=%d other=%d\n", refused, open, other);
	return 0;
}
