// SPDX-License-Identifier: GPL-2.0
/*
 * ia32: 32-bit (ia32) syscalls through int $0x80 from a 64-bit process, the way past monitors
 * that read syscall numbers as 64-bit ones. Buffers live below 4 GiB (MAP_32BIT): ia32 calls
 * take 32-bit pointers. Prints "pid=N ret=R" (R: the call's result or -errno), or
 * "pid=N ret=unsupported" off x86_64.
 *   ia32 open PATH                 open (5), O_RDONLY
 *   ia32 openat PATH               openat (295), AT_FDCWD, O_RDONLY
 *   ia32 unlink PATH               unlink (10)
 *   ia32 chmod PATH MODE           chmod (15), MODE in octal
 *   ia32 setuid32 UID              setuid32 (213)
 *   ia32 setuid16 UID              setuid (23, 16-bit uid)
 *   ia32 setresuid32 R E S         setresuid32 (208)
 *   ia32 regain32 | regain16 UID   as root: drop to uid UID keeping saved uid 0 (64-bit setresuid),
 *                                  then back to root with setuid32 (213) or setuid (23) 0
 *   ia32 connect IPV4 PORT         socket (64-bit), then connect (362)
 *   ia32 socketcall IPV4 PORT      socket (64-bit), then socketcall (102) SYS_CONNECT
 *   ia32 exec PATH                 execve (11) of PATH, no arguments (no return on success)
 *   ia32 serve direct|socketcall   socket (64-bit), bind 127.0.0.1:0, listen, prints "port=P",
 *                                  accepts one connection: bind (361), listen (363), accept4 (364)
 *                                  or socketcall SYS_BIND, SYS_LISTEN, SYS_ACCEPT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__x86_64__)
static long int80(long nr, long b, long c, long d)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(b), "c"(c), "d"(d), "S"(0L), "D"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

/* A TCP socket and the destination, in memory below 4 GiB. */
static int ia32_dest(char *low, const char *ip, const char *port)
{
	struct sockaddr_in *sa = (struct sockaddr_in *)low;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa->sin_family = AF_INET;
	sa->sin_port = htons(atoi(port));
	inet_pton(AF_INET, ip, &sa->sin_addr);
	return fd;
}

/* A call through socketcall (102): its arguments in the u32 array below 4 GiB. */
static long sockcall(unsigned int *args, int call, long a0, long a1, long a2)
{
	args[0] = a0;
	args[1] = a1;
	args[2] = a2;
	return int80(102, call, (long)args, 0);
}

/* Bind to 127.0.0.1:0, listen, print the port, accept one: every step a 32-bit call. */
static int serve(char *low, int direct)
{
	unsigned int *args = (unsigned int *)(low + 4096);
	struct sockaddr_in got = { 0 };
	socklen_t len = sizeof(got);
	int fd = ia32_dest(low, "127.0.0.1", "0");
	long b, l, a;

	b = direct ? int80(361, fd, (long)low, sizeof(struct sockaddr_in))
		   : sockcall(args, 2 /* SYS_BIND */, fd, (long)low, sizeof(struct sockaddr_in));
	l = direct ? int80(363, fd, 8, 0) : sockcall(args, 4 /* SYS_LISTEN */, fd, 8, 0);
	getsockname(fd, (struct sockaddr *)&got, &len);
	printf("port=%d bind=%ld listen=%ld\n", ntohs(got.sin_port), b, l);
	fflush(stdout);
	a = direct ? int80(364, fd, 0, 0) : sockcall(args, 5 /* SYS_ACCEPT */, fd, 0, 0);
	printf("pid=%d fd=%d ret=%ld\n", getpid(), fd, a);
	return 0;
}
#endif

int main(int argc, char **argv)
{
#if defined(__x86_64__)
	char *low = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	const char *op = argc > 1 ? argv[1] : "";
	long ret;

	if (low == MAP_FAILED || argc < 3) {
		fprintf(stderr, "usage: ia32 open|openat|unlink|chmod|setuid32|setuid16|setresuid32|regain32|regain16|exec|connect|socketcall|serve ARGS\n");
		return 2;
	}
	if (!strcmp(op, "open") || !strcmp(op, "openat")) {
		strncpy(low, argv[2], 4095);
		ret = op[4] ? int80(295, -100 /* AT_FDCWD */, (long)low, 0) : int80(5, (long)low, 0, 0);
	} else if (!strcmp(op, "unlink")) {
		strncpy(low, argv[2], 4095);
		ret = int80(10, (long)low, 0, 0);
	} else if (!strcmp(op, "chmod") && argc > 3) {
		strncpy(low, argv[2], 4095);
		ret = int80(15, (long)low, strtol(argv[3], NULL, 8), 0);
	} else if (!strcmp(op, "setuid32")) {
		ret = int80(213, atol(argv[2]), 0, 0);
	} else if (!strcmp(op, "setuid16")) {
		ret = int80(23, atol(argv[2]), 0, 0);
	} else if (!strcmp(op, "regain32") || !strcmp(op, "regain16")) {
		if (setresuid(atol(argv[2]), atol(argv[2]), 0))
			perror("setresuid");
		ret = int80(op[6] == '3' ? 213 : 23, 0, 0, 0);
	} else if (!strcmp(op, "setresuid32") && argc > 4) {
		ret = int80(208, atol(argv[2]), atol(argv[3]), atol(argv[4]));
	} else if (!strcmp(op, "exec")) {
		unsigned int *argv32 = (unsigned int *)(low + 4096);

		strncpy(low, argv[2], 4095);
		argv32[0] = (unsigned int)(unsigned long)low;
		argv32[1] = 0;
		ret = int80(11, (long)low, (long)argv32, 0);
	} else if (!strcmp(op, "serve")) {
		return serve(low, !strcmp(argv[2], "direct"));
	} else if ((!strcmp(op, "connect") || !strcmp(op, "socketcall")) && argc > 3) {
		unsigned int *args = (unsigned int *)(low + 4096);
		int fd = ia32_dest(low, argv[2], argv[3]);

		if (op[0] == 'c') {
			ret = int80(362, fd, (long)low, sizeof(struct sockaddr_in));
		} else {
			args[0] = fd;
			args[1] = (unsigned int)(unsigned long)low;
			args[2] = sizeof(struct sockaddr_in);
			ret = int80(102, 3 /* SYS_CONNECT */, (long)args, 0);
		}
		printf("pid=%d fd=%d ret=%ld\n", getpid(), fd, ret);
		return 0;
	} else {
		fprintf(stderr, "ia32: unknown operation %s\n", op);
		return 2;
	}
	printf("pid=%d ret=%ld\n", getpid(), ret);
#else
	printf("pid=%d ret=unsupported\n", getpid());
#endif
	return 0;
}
