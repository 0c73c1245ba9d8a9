// Syscall storm for bench/setuid-storm: W workers each call MODE in a loop for S seconds.
// MODE: setuid (raw setuid(0), as root: succeeds, changes nothing) or read (1 byte of /dev/zero).
// Usage: setuidstorm MODE SECONDS [WORKERS]. Prints "calls=N seconds=S workers=W".
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long storm(int setuid_mode, double secs)
{
	struct timespec t0, t;
	int fd = open("/dev/zero", O_RDONLY);
	long n = 0;
	char c;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		for (int i = 0; i < 1000; i++, n++) {
			if (setuid_mode)
				syscall(SYS_setuid, 0);
			else if (read(fd, &c, 1) != 1)
				return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
	}
	return n;
}

int main(int argc, char **argv)
{
	int setuid_mode = argc > 1 && !strcmp(argv[1], "setuid");
	double secs = argc > 2 ? atof(argv[2]) : 2;
	int workers = argc > 3 ? atoi(argv[3]) : 1;
	int fds[2];
	long total = 0, n;

	if (pipe(fds))
		return 1;
	for (int i = 0; i < workers; i++) {
		if (fork() == 0) {
			n = storm(setuid_mode, secs);
			if (write(fds[1], &n, sizeof(n)) != sizeof(n))
				_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	while (read(fds[0], &n, sizeof(n)) == sizeof(n))
		total += n;
	while (wait(NULL) > 0)
		;
	printf("calls=%ld seconds=%.3f workers=%d\n", total, secs, workers);
	return 0;
}
