// Test helper: one file operation by a direct syscall, so tests know which syscall ran.
// Usage: fileops OP ARGS... ; prints "pid=N sys=NAME ret=R" (ret is -errno on failure).
// OPs: openat-dir DIR NAME | open PATH FLAGS_OCTAL | creat PATH | rename OLD NEW | unlink PATH |
//      chmod PATH MODE_OCTAL | fchmod PATH MODE_OCTAL | chown PATH UID GID | mkdir PATH |
//      rmdir PATH | symlink TARGET LINK | link OLD NEW | truncate PATH | ftruncate PATH
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SYS_rename
#define LEGACY(name, legacy_call, at_call) (sys = #name, legacy_call)
#else
#define LEGACY(name, legacy_call, at_call) (sys = #name "at", at_call)
#endif

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "", *sys = "none";
	const char *a = argc > 2 ? argv[2] : "", *b = argc > 3 ? argv[3] : "";
	long r = -1, fd;

	if (!strcmp(op, "openat-dir")) {
		fd = open(a, O_RDONLY | O_DIRECTORY);
		sys = "openat";
		r = syscall(SYS_openat, fd, b, O_RDONLY);
	} else if (!strcmp(op, "open")) {
		r = LEGACY(open, syscall(SYS_open, a, strtol(b, 0, 8), 0644),
			   syscall(SYS_openat, AT_FDCWD, a, strtol(b, 0, 8), 0644));
	} else if (!strcmp(op, "creat")) {
		r = LEGACY(creat, syscall(SYS_creat, a, 0640), syscall(SYS_openat, AT_FDCWD, a, O_CREAT | O_WRONLY | O_TRUNC, 0640));
	} else if (!strcmp(op, "rename")) {
		r = LEGACY(rename, syscall(SYS_rename, a, b), syscall(SYS_renameat, AT_FDCWD, a, AT_FDCWD, b));
	} else if (!strcmp(op, "unlink")) {
		r = LEGACY(unlink, syscall(SYS_unlink, a), syscall(SYS_unlinkat, AT_FDCWD, a, 0));
	} else if (!strcmp(op, "chmod")) {
		r = LEGACY(chmod, syscall(SYS_chmod, a, strtol(b, 0, 8)), syscall(SYS_fchmodat, AT_FDCWD, a, strtol(b, 0, 8)));
	} else if (!strcmp(op, "fchmod")) {
		fd = open(a, O_RDONLY);
		sys = "fchmod";
		r = syscall(SYS_fchmod, fd, strtol(b, 0, 8));
	} else if (!strcmp(op, "chown")) {
		const char *c = argc > 4 ? argv[4] : "-1";
		r = LEGACY(chown, syscall(SYS_chown, a, atoi(b), atoi(c)), syscall(SYS_fchownat, AT_FDCWD, a, atoi(b), atoi(c), 0));
	} else if (!strcmp(op, "mkdir")) {
		r = LEGACY(mkdir, syscall(SYS_mkdir, a, 0750), syscall(SYS_mkdirat, AT_FDCWD, a, 0750));
	} else if (!strcmp(op, "rmdir")) {
		r = LEGACY(rmdir, syscall(SYS_rmdir, a), syscall(SYS_unlinkat, AT_FDCWD, a, AT_REMOVEDIR));
	} else if (!strcmp(op, "symlink")) {
		r = LEGACY(symlink, syscall(SYS_symlink, a, b), syscall(SYS_symlinkat, a, AT_FDCWD, b));
	} else if (!strcmp(op, "link")) {
		r = LEGACY(link, syscall(SYS_link, a, b), syscall(SYS_linkat, AT_FDCWD, a, AT_FDCWD, b, 0));
	} else if (!strcmp(op, "truncate")) {
		sys = "truncate";
		r = syscall(SYS_truncate, a, 0);
	} else if (!strcmp(op, "ftruncate")) {
		fd = open(a, O_WRONLY);
		sys = "ftruncate";
		r = syscall(SYS_ftruncate, fd, 0);
	} else {
		fprintf(stderr, "fileops: unknown op '%s'\n", op);
		return 2;
	}
	printf("pid=%d sys=%s ret=%ld\n", getpid(), sys, r < 0 ? -errno : r);
	return 0;
}
