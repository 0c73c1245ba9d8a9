// Open storm for bench/open-storm: W workers each open(PATH, O_RDONLY) + close ITER times.
// Usage: openstorm ITER [WORKERS] [PATH]. Prints "opens=N seconds=S workers=W failed_workers=F
// cpu=C": S the wall time of the storm, C the CPU seconds (user + system) its workers used, which
// other load on the machine moves far less than S.
// Workers die with the parent (a bench that kills the storm must not leave them spinning).
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long iter = argc > 1 ? atol(argv[1]) : 100000;
	int workers = argc > 2 ? atoi(argv[2]) : 1;
	const char *path = argc > 3 ? argv[3] : "/etc/hostname";
	struct timespec t0, t1;
	struct rusage ru;
	long failed = 0;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int w = 0; w < workers; w++) {
		pid_t parent = getpid();

		if (fork() == 0) {
			long bad = 0;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
			for (long i = 0; i < iter; i++) {
				int fd = open(path, O_RDONLY);
				if (fd < 0)
					bad++;
				else
					close(fd);
			}
			_exit(bad ? 1 : 0);
		}
	}
	while (wait(&st) > 0)
		failed += WEXITSTATUS(st) != 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("opens=%ld seconds=%.6f workers=%d failed_workers=%ld cpu=%.6f\n", iter * workers,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, workers, failed,
	       ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return failed ? 1 : 0;
}
