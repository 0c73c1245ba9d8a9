/* bpfcall load NAME | badload NAME | rawtp NAME: direct bpf() calls, the way a loader without
 * libbpf makes them. load: a socket filter program named NAME ("return 0"); badload: the same
 * with an invalid instruction (refused by the verifier); rawtp: a raw tracepoint program named
 * NAME attached to sys_enter (BPF_RAW_TRACEPOINT_OPEN) and detached at once. Prints
 * "CMD ret=R errno=E"; exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static long load(const char *name, __u32 type, int bad)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },	/* r0 = 0 */
		{ .code = BPF_JMP | BPF_EXIT },						/* exit */
	};
	union bpf_attr a;

	if (bad)
		insns[0].code = 0xff;	/* no such opcode */
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (__u64)(unsigned long)insns;
	a.insn_cnt = 2;
	a.license = (__u64)(unsigned long)"GPL";
	strncpy(a.prog_name, name, sizeof(a.prog_name) - 1);
	return bpf(BPF_PROG_LOAD, &a);
}

int main(int argc, char **argv)
{
	union bpf_attr a;
	long r, fd;

	if (argc != 3) {
		fprintf(stderr, "usage: bpfcall load|badload|rawtp NAME\n");
		return 2;
	}
	errno = 0;
	if (!strcmp(argv[1], "load") || !strcmp(argv[1], "badload")) {
		r = load(argv[2], BPF_PROG_TYPE_SOCKET_FILTER, argv[1][0] == 'b');
	} else if (!strcmp(argv[1], "rawtp")) {
		fd = load(argv[2], BPF_PROG_TYPE_RAW_TRACEPOINT, 0);
		if (fd < 0) {
			perror("load");
			return 1;
		}
		memset(&a, 0, sizeof(a));
		a.raw_tracepoint.name = (__u64)(unsigned long)"sys_enter";
		a.raw_tracepoint.prog_fd = fd;
		r = bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
	} else {
		return 2;
	}
	printf("%s ret=%ld errno=%d\n", argv[1], r, r < 0 ? errno : 0);
	return 0;
}
