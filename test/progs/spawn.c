// Test helper: fork, exec argv[1..] in the child, wait; exits with the child's status. Copied under
// other names (nginx, make) to play a parent process with that name.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st = 0;
	pid_t p;

	if (argc < 2)
		return 2;
	p = fork();
	if (p == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
