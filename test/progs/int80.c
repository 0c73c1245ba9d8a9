// SPDX-License-Identifier: GPL-2.0
/*
 * int80: a 64-bit process making a 32-bit (ia32) open through int $0x80, the classic way past
 * monitors that read syscall numbers as 64-bit ones. Prints "pid=N ret=R" (R: fd or -errno),
 * or "pid=N ret=unsupported" off x86_64.
 *   int80 PATH
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
#if defined(__x86_64__)
	/* ia32 syscalls take 32-bit pointers: the path must live below 4 GiB */
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long ret;

	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	strncpy(p, argc > 1 ? argv[1] : "/etc/hostname", 4095);
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(5L /* __NR_open in the ia32 table */), "b"((long)p), "c"(0L), "d"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	printf("pid=%d ret=%ld\n", getpid(), ret);
#else
	printf("pid=%d ret=unsupported\n", getpid());
#endif
	return 0;
}
