// Test helper: prints "pid=N", then runs each operation in order and prints "OP=RET ERRNO".
// Operations: uid:U gid:G reuid:R,E regid:R,E resuid:R,E,S resgid:R,E,S fsuid:U fsgid:G
// groups:G1,G2 (setgroups) capset:EFF,PRM (hex, v3, low 32 bits) exec:PATH (execv, no return)
// Raw syscalls, not glibc wrappers (glibc would broadcast to threads; here there are none).
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long op(const char *name, const char *a)
{
	unsigned long v[3] = { -1UL, -1UL, -1UL };
	gid_t groups[16];
	int n = sscanf(a, "%li,%li,%li", (long *)&v[0], (long *)&v[1], (long *)&v[2]);

	if (!strcmp(name, "uid"))
		return syscall(SYS_setuid, v[0]);
	if (!strcmp(name, "gid"))
		return syscall(SYS_setgid, v[0]);
	if (!strcmp(name, "reuid"))
		return syscall(SYS_setreuid, v[0], v[1]);
	if (!strcmp(name, "regid"))
		return syscall(SYS_setregid, v[0], v[1]);
	if (!strcmp(name, "resuid"))
		return syscall(SYS_setresuid, v[0], v[1], v[2]);
	if (!strcmp(name, "resgid"))
		return syscall(SYS_setresgid, v[0], v[1], v[2]);
	if (!strcmp(name, "fsuid"))
		return syscall(SYS_setfsuid, v[0]);
	if (!strcmp(name, "fsgid"))
		return syscall(SYS_setfsgid, v[0]);
	if (!strcmp(name, "groups")) {
		for (int i = 0; i < n && i < 3; i++)
			groups[i] = v[i];
		return syscall(SYS_setgroups, n, groups);
	}
	if (!strcmp(name, "capset")) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2] = {};
		unsigned long e = 0, p = 0;

		sscanf(a, "%lx,%lx", &e, &p);
		d[0].effective = e;
		d[0].permitted = p;
		return syscall(SYS_capset, &h, d);
	}
	errno = EINVAL;
	return -1;
}

int main(int argc, char **argv)
{
	printf("pid=%d\n", getpid());
	fflush(stdout);
	for (int i = 1; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		long r;

		if (!colon)
			return 2;
		*colon = 0;
		if (!strcmp(argv[i], "exec")) {
			execv(colon + 1, argv + i + 1);
			return 127;
		}
		errno = 0;
		r = op(argv[i], colon + 1);
		printf("%s=%ld %d\n", argv[i], r, r < 0 ? errno : 0);
		fflush(stdout);
	}
	return 0;
}
