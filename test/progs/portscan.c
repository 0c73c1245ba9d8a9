// Connect scan for test/kernel/rules-net: one TCP connect to ADDR:PORT for each port in
// [FROM, FROM+N), blocking, or with nb non-blocking and a wait for the outcome (nmap -sT style).
// Prints "refused=R open=O other=E". Usage: portscan ADDR FROM N [nb]
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int from, n, refused = 0, open = 0, other = 0;

	int nb = argc == 5;

	if (argc < 4 || argc > 5 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1)
		return 2;
	from = atoi(argv[2]);
	n = atoi(argv[3]);
	for (int p = from; p < from + n; p++) {
		int fd = socket(AF_INET, SOCK_STREAM | (nb ? SOCK_NONBLOCK : 0), 0), err = 0;
		socklen_t len = sizeof(err);

		if (fd < 0)
			return 1;
		a.sin_port = htons(p);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			err = 0;
		else if (errno == EINPROGRESS) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, 1000);
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		} else
			err = errno;
		if (err == 0)
			open++;
		else if (err == ECONNREFUSED)
			refused++;
		else
			other++;
		close(fd);
	}
	printf("refused=%d open=%d other=%d\n", refused, open, other);
	return 0;
}
