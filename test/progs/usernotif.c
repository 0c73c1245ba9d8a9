/* usernotif: a thread installs a seccomp filter that hands getppid to a supervisor
 * (SECCOMP_RET_USER_NOTIF, the listener fd shared with the main thread) and calls
 * getppid(0x1234); the main thread answers with the value 42 without running the call. Prints
 * "getppid ret=42" and exits 0. x86-64 (the filter checks AUDIT_ARCH_X86_64). A test helper:
 * the filter is written out by hand, unlike bpfguard sandbox's (libseccomp). */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int listener = -1;	/* -1: not yet; -2: the filter could not be installed */
static long got;

static void *call(void *arg)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	long l = -2;

	if (!prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		l = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	listener = l < 0 ? -2 : (int)l;
	if (l < 0)
		return NULL;
	got = syscall(SYS_getppid, 0x1234);
	return NULL;
}

int main(void)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	pthread_t t;

	if (pthread_create(&t, NULL, call, NULL))
		return 2;
	while (listener == -1)
		usleep(1000);
	if (listener < 0)
		return 2;
	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
		return 2;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.val = 42;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		return 2;
	pthread_join(t, NULL);
	printf("getppid ret=%ld\n", got);
	return 0;
}
