// Loopback TCP connection storm for bench/connect-storm: a server thread accepts on
// 127.0.0.1:<ephemeral> and closes; the main thread connects and closes for SECONDS. Both sides
// close with SO_LINGER 0 (RST), so no TIME_WAIT piles up. Prints "connects=N failed=F accepted=A seconds=S".
// Usage: connstorm SECONDS (at most 60)
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int lfd;
static volatile int done;
static long accepted;

static void linger0(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

static void *acceptor(void *unused)
{
	(void)unused;
	while (!done) {
		int c = accept(lfd, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break; /* shutdown() at the end */
		}
		linger0(c);
		close(c);
		accepted++;
	}
	return NULL;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5, t0, t;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	long ok = 0, failed = 0;
	pthread_t th;

	if (secs <= 0 || secs > 60)
		return 2;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, alen) || listen(lfd, 4096) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) || pthread_create(&th, NULL, acceptor, NULL)) {
		perror("connstorm");
		return 1;
	}
	t0 = now();
	do {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0)
			return 1;
		linger0(s);
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			ok++;
		else if (++failed > 1000 && failed > ok)
			return 1; /* bounded: give up when connects keep failing */
		close(s);
		t = now();
	} while (t - t0 < secs);
	done = 1;
	shutdown(lfd, SHUT_RDWR);
	pthread_join(th, NULL);
	printf("connects=%ld failed=%ld accepted=%ld seconds=%.3f\n", ok, failed, accepted, t - t0);
	return 0;
}
