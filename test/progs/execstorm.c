// Exec storm for bench/exec-storm: W workers each fork + execve("/bin/true storm TOKEN") + waitpid
// for S seconds. Usage: execstorm SECONDS [WORKERS] [TOKEN] [env]. Prints "execs=N seconds=S".
// With "env" each exec gets this process's environment (else an empty one).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long storm(double secs, char *token, char **env)
{
	struct timespec t0, t;
	long n = 0;
	char *args[] = { "true", "storm", token, NULL };

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
			return -1;
		waitpid(p, NULL, 0);
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;
	int workers = argc > 2 ? atoi(argv[2]) : 1;
	char *token = argc > 3 ? argv[3] : "x";
	char *none[] = { NULL };
	char **env = argc > 4 && !strcmp(argv[4], "env") ? environ : none;
	int fds[2];
	long total = 0, n;

	if (pipe(fds))
		return 1;
	for (int i = 0; i < workers; i++) {
		if (fork() == 0) {
			n = storm(secs, token, env);
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
	printf("execs=%ld seconds=%.3f workers=%d\n", total, secs, workers);
	return 0;
}
