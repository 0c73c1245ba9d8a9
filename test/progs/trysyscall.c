/* trysyscall NAME: makes one syscall (keyctl, userfaultfd, unshare-user, getppid) with harmless
 * arguments and prints "NAME ret=R errno=E"; exits 0. Used to see a seccomp profile's errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long r;

	if (argc != 2) {
		fprintf(stderr, "usage: trysyscall keyctl|userfaultfd|unshare-user|getppid\n");
		return 2;
	}
	errno = 0;
	if (!strcmp(argv[1], "keyctl"))
		r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
	else if (!strcmp(argv[1], "userfaultfd"))
		r = syscall(SYS_userfaultfd, 0);
	else if (!strcmp(argv[1], "unshare-user"))
		r = syscall(SYS_unshare, CLONE_NEWUSER);
	else if (!strcmp(argv[1], "getppid"))
		r = syscall(SYS_getppid, 0x1234, 0x5678);
	else
		return 2;
	printf("%s ret=%ld errno=%d\n", argv[1], r, r < 0 ? errno : 0);
	return 0;
}
