/* threadcall: a second thread calls getppid(0x1234, 0x5678) (extra arguments are ignored by the
 * kernel, seen by a seccomp filter); the main thread joins it and prints "joined tid=T", exits 0.
 * Under a KILL_THREAD rule for getppid only the second thread dies. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile long tid;

static void *call(void *arg)
{
	tid = syscall(SYS_gettid);
	syscall(SYS_getppid, 0x1234, 0x5678);
	return NULL;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, call, NULL))
		return 2;
	pthread_join(t, NULL);
	printf("joined tid=%ld\n", tid);
	return 0;
}
