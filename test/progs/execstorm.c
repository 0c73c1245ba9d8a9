// Exec storm for bench/exec-storm: fork + execve(/bin/true) + waitpid for N seconds; prints "execs=N".
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;
	struct timespec t0, t;
	long n = 0;
	char *args[] = { "true", "storm", NULL };
	char *env[] = { NULL };

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
		pid_t p = fork();
		if (p == 0) {
			execve("/bin/true", args, env);
			_exit(127);
		}
		if (p < 0)
			return 1;
		waitpid(p, NULL, 0);
		n++;
	}
	printf("execs=%ld seconds=%.3f\n", n, secs);
	return 0;
}
