// Test helper: prints its pid, then execv(argv[1], argv+1); on failure prints the errno and exits with it.
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	printf("pid=%d\n", getpid());
	fflush(stdout);
	execv(argv[1], argv + 1);
	printf("errno=%d\n", errno);
	return errno;
}
