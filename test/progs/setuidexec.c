// Test helper: optionally drop to a uid, then execve(argv[2..]); prints nothing. Usage: setuidexec UID PATH [ARGS...]
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (setresuid(atoi(argv[1]), atoi(argv[1]), atoi(argv[1])))
		return 3;
	execv(argv[2], argv + 2);
	return 127;
}
