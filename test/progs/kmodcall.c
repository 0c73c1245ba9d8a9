/* kmodcall init FILE | finit FILE | delete NAME: one direct module syscall (init_module with the
 * file's bytes as the image, finit_module on the opened file, delete_module O_NONBLOCK), printing
 * "CALL ret=R errno=E"; exits 0. Give it a file that is no module: the load is refused everywhere. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char image[1 << 16];

int main(int argc, char **argv)
{
	long r;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: kmodcall init|finit FILE | delete NAME\n");
		return 2;
	}
	errno = 0;
	if (!strcmp(argv[1], "delete")) {
		r = syscall(SYS_delete_module, argv[2], O_NONBLOCK);
	} else {
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror("open");
			return 1;
		}
		if (!strcmp(argv[1], "finit")) {
			r = syscall(SYS_finit_module, fd, "", 0);
		} else if (!strcmp(argv[1], "init")) {
			ssize_t n = read(fd, image, sizeof(image));

			r = syscall(SYS_init_module, image, n < 0 ? 0 : n, "");
		} else {
			return 2;
		}
	}
	printf("%s ret=%ld errno=%d\n", argv[1], r, r < 0 ? errno : 0);
	return 0;
}
