/* Writes "opening\n", then openat("/etc/hostname"); exits with the errno if it failed, else 0. Raw syscalls only. x86-64. */
#include <sys/syscall.h>

static long sc4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

void _start(void)
{
	static const char msg[] = "opening\n";
	long fd;

	sc4(SYS_write, 1, (long)msg, sizeof(msg) - 1, 0);
	fd = sc4(SYS_openat, -100 /* AT_FDCWD */, (long)"/etc/hostname", 0, 0);
	sc4(SYS_exit_group, fd < 0 ? -fd : 0, 0, 0, 0);
	for (;;)
		;
}
