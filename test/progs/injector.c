/* injector attach|seize|vmread|vmwrite|memwrite PID | own: what an injector does, with direct syscalls.
 *   attach PID   PTRACE_ATTACH, wait, PEEKUSER, GETREGS, SETREGS (the same registers back), DETACH
 *   seize PID    PTRACE_SEIZE, DETACH
 *   vmread PID   process_vm_readv of 64 bytes at the start of the target's first readable mapping
 *   vmwrite PID  process_vm_readv then process_vm_writev of the same 8 bytes back into the
 *                target's first writable mapping (its memory is left as it was)
 *   memwrite PID open /proc/PID/mem read-write, read 8 bytes of the first writable mapping and
 *                write them back (pread, pwrite)
 *   own          the same on its own child (PTRACE_TRACEME + SIGSTOP) and process_vm_readv of itself
 * Prints one "STEP ret=R errno=E" line per call (own: first "child=PID"); exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *step, long r)
{
	printf("%s ret=%ld errno=%d\n", step, r, r < 0 ? errno : 0);
	fflush(stdout);
}

/* Start of the first mapping of pid whose permissions begin with perm ("r" or "rw"). */
static unsigned long mapping(pid_t pid, const char *perm)
{
	char path[64], line[512], p[8];
	unsigned long lo = 0, hi;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) == 3 && !strncmp(p, perm, strlen(perm)))
			break;
		lo = 0;
	}
	fclose(f);
	return lo;
}

static void regs(pid_t pid)
{
	struct user_regs_struct r;

	errno = 0;
	show("peekuser", ptrace(PTRACE_PEEKUSER, pid, 0, 0) == -1 && errno ? -1 : 0);
	show("getregs", ptrace(PTRACE_GETREGS, pid, 0, &r));
	show("setregs", ptrace(PTRACE_SETREGS, pid, 0, &r));
}

static void vm(pid_t pid, int write)
{
	char buf[64];
	unsigned long at = mapping(pid, write ? "rw" : "r");
	struct iovec l = { buf, write ? 8 : sizeof(buf) }, r = { (void *)at, l.iov_len };
	long n = process_vm_readv(pid, &l, 1, &r, 1, 0);

	if (!write) {
		show("vmread", n);
		return;
	}
	show("vmwrite", n < 0 ? n : process_vm_writev(pid, &l, 1, &r, 1, 0));
}

static void memwrite(pid_t pid)
{
	char path[64], buf[8];
	unsigned long at = mapping(pid, "rw");
	long n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	show("memopen", fd);
	if (fd < 0)
		return;
	n = pread(fd, buf, sizeof(buf), at);
	show("memwrite", n < 0 ? n : pwrite(fd, buf, n, at));
	close(fd);
}

static int own(void)
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	printf("child=%d\n", c);
	waitpid(c, &st, 0);
	regs(c);
	vm(c, 0);
	vm(c, 1);
	vm(getpid(), 0);
	memwrite(c);
	ptrace(PTRACE_CONT, c, 0, 0);
	waitpid(c, &st, 0);
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pid;
	int st;

	if (argc == 2 && !strcmp(argv[1], "own"))
		return own();
	if (argc != 3) {
		fprintf(stderr, "usage: injector attach|seize|vmread|vmwrite|memwrite PID | own\n");
		return 2;
	}
	pid = atoi(argv[2]);
	if (!strcmp(argv[1], "attach")) {
		long r = ptrace(PTRACE_ATTACH, pid, 0, 0);

		show("attach", r);
		if (r == 0) {
			waitpid(pid, &st, __WALL);
			regs(pid);
			ptrace(PTRACE_DETACH, pid, 0, 0);
		}
	} else if (!strcmp(argv[1], "seize")) {
		long r = ptrace(PTRACE_SEIZE, pid, 0, 0);

		show("seize", r);
		if (r == 0)
			ptrace(PTRACE_DETACH, pid, 0, 0);
	} else if (!strcmp(argv[1], "memwrite")) {
		memwrite(pid);
	} else if (!strcmp(argv[1], "vmread") || !strcmp(argv[1], "vmwrite")) {
		vm(pid, argv[1][2] == 'w');
	} else {
		return 2;
	}
	return 0;
}
