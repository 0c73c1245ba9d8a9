/*
 * bpfguard-sandbox: installs a seccomp filter built with libseccomp, then execs a command.
 *
 * Usage: bpfguard-sandbox FD CMD ARGS...  (started by `bpfguard sandbox`, not by hand)
 *        bpfguard-sandbox --names ARCH NR...  prints each syscall's name on a line ("?" if none);
 *                                             ARCH is the audit arch in hex (c000003e)
 *
 * FD is a socket the parent wrote the filter spec to and shut down for writing. The spec is
 * one directive per line, numbers in decimal, syscall names as libseccomp knows them:
 *
 *   arch NAME                                   e.g. x86_64, x86, x32 (seccomp_arch_resolve_name)
 *   default ACTION DATA                         the default action
 *   rule ACTION DATA NAME NARGS [INDEX OP A B]... one seccomp_rule_add_array call
 *
 * ACTION is allow, errno, kill_thread, kill_process, trap, log or trace; DATA is the errno or
 * trace value (0 when unused). OP is libseccomp's enum scmp_compare value (1..7).
 *
 * On any failure the launcher writes one line "LINE CODE message" to FD (LINE: the spec line,
 * 0 when none; CODE: a word) and exits 125 without running anything (126 or 127 when the exec
 * failed, like a shell, since the filter may deny the write of that line). FD is close-on-exec, so a
 * successful exec closes it with nothing written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPEC_MAX (4 << 20)
#define ARGS_MAX 6

static int report_fd = -1;
static int fail_status = 125;	/* after a failed exec: 127 (not found) or 126, as a shell */

static void fail(unsigned int line, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n = snprintf(msg, sizeof(msg), "%u %s ", line, code);

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	if (report_fd < 0 || dprintf(report_fd, "%s\n", msg) < 0)
		fprintf(stderr, "bpfguard-sandbox: %s\n", msg);
	_exit(fail_status);
}

static int parse_action(const char *name, unsigned long data, unsigned int line, uint32_t *out)
{
	if (!strcmp(name, "allow"))
		*out = SCMP_ACT_ALLOW;
	else if (!strcmp(name, "errno"))
		*out = SCMP_ACT_ERRNO(data);
	else if (!strcmp(name, "kill_thread"))
		*out = SCMP_ACT_KILL_THREAD;
	else if (!strcmp(name, "kill_process"))
		*out = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(name, "trap"))
		*out = SCMP_ACT_TRAP;
	else if (!strcmp(name, "log"))
		*out = SCMP_ACT_LOG;
	else if (!strcmp(name, "trace"))
		*out = SCMP_ACT_TRACE(data);
	else
		fail(line, "spec", "unknown action %s", name);
	return 0;
}

static char *read_spec(int fd)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	ssize_t n;

	if (!buf)
		fail(0, "nomem", "cannot allocate the spec buffer");
	for (;;) {
		if (len == cap) {
			if (cap >= SPEC_MAX)
				fail(0, "spec", "spec larger than %d bytes", SPEC_MAX);
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				fail(0, "nomem", "cannot allocate the spec buffer");
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail(0, "io", "read spec: %s", strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static void add_rule(scmp_filter_ctx ctx, char *rest, unsigned int line)
{
	char action[16], name[64];
	unsigned long data;
	unsigned int nargs, i;
	int off = 0, rc, nr;
	struct scmp_arg_cmp cmp[ARGS_MAX];
	uint32_t act;

	if (sscanf(rest, "%15s %lu %63s %u%n", action, &data, name, &nargs, &off) != 4 ||
	    nargs > ARGS_MAX)
		fail(line, "spec", "malformed rule");
	parse_action(action, data, line, &act);
	rest += off;
	for (i = 0; i < nargs; i++) {
		unsigned int idx, op;
		unsigned long long a, b;

		if (sscanf(rest, " %u %u %llu %llu%n", &idx, &op, &a, &b, &off) != 4 ||
		    idx >= ARGS_MAX || op < SCMP_CMP_NE || op > SCMP_CMP_MASKED_EQ)
			fail(line, "spec", "malformed argument %u", i);
		cmp[i] = (struct scmp_arg_cmp){ idx, (enum scmp_compare)op, a, b };
		rest += off;
	}
	nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		fail(line, "syscall", "unknown syscall %s", name);
	rc = seccomp_rule_add_array(ctx, act, nr, nargs, cmp);
	if (rc < 0)
		fail(line, "rule", "add rule for %s: %s", name, strerror(-rc));
}

static scmp_filter_ctx build(char *spec)
{
	scmp_filter_ctx ctx = NULL;
	unsigned int line = 0;
	char *save = NULL, *l;

	for (l = strtok_r(spec, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char word[16], arg[32];
		unsigned long data;
		int off = 0, rc;
		uint32_t act;

		line++;
		if (sscanf(l, "%15s%n", word, &off) != 1)
			fail(line, "spec", "empty line");
		if (!strcmp(word, "default")) {
			if (ctx || sscanf(l + off, "%31s %lu", arg, &data) != 2)
				fail(line, "spec", "malformed default");
			parse_action(arg, data, line, &act);
			ctx = seccomp_init(act);
			if (!ctx)
				fail(line, "init", "seccomp_init failed");
			/* denials of ERRNO/TRAP/TRACE are logged where the kernel logs (actions_logged) */
			seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
			continue;
		}
		if (!ctx)
			fail(line, "spec", "default must come first");
		if (!strcmp(word, "arch")) {
			uint32_t a;

			if (sscanf(l + off, "%31s", arg) != 1 || !(a = seccomp_arch_resolve_name(arg)))
				fail(line, "arch", "unknown architecture %s", l + off);
			rc = seccomp_arch_add(ctx, a);
			if (rc < 0 && rc != -EEXIST)
				fail(line, "arch", "add architecture %s: %s", arg, strerror(-rc));
		} else if (!strcmp(word, "rule")) {
			add_rule(ctx, l + off, line);
		} else {
			fail(line, "spec", "unknown directive %s", word);
		}
	}
	if (!ctx)
		fail(line, "spec", "no default action");
	return ctx;
}

static int print_names(int argc, char **argv)
{
	unsigned long arch = strtoul(argv[2], NULL, 16);
	int i;

	for (i = 3; i < argc; i++) {
		char *name = seccomp_syscall_resolve_num_arch((uint32_t)arch, atoi(argv[i]));

		printf("%s\n", name ? name : "?");
		free(name);
	}
	return 0;
}

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	char *end;
	long fd;
	int rc;

	if (argc >= 3 && !strcmp(argv[1], "--names"))
		return print_names(argc, argv);

	if (argc < 3) {
		fprintf(stderr, "usage: bpfguard-sandbox FD CMD [ARGS...] (run by `bpfguard sandbox`)\n");
		return 125;
	}
	fd = strtol(argv[1], &end, 10);
	if (*end || fd < 3 || fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "bpfguard-sandbox: bad spec fd %s\n", argv[1]);
		return 125;
	}
	report_fd = (int)fd;
	ctx = build(read_spec(report_fd));
	/* libseccomp sets no_new_privs itself (SCMP_FLTATR_CTL_NNP defaults to 1) */
	rc = seccomp_load(ctx);
	if (rc < 0)
		fail(0, "load", "seccomp_load: %s", strerror(-rc));
	seccomp_release(ctx);
	execvp(argv[2], argv + 2);
	/* the filter is in place: this report may itself be denied, hence the exit status too */
	fail_status = errno == ENOENT ? 127 : 126;
	fail(0, errno == ENOENT ? "enoent" : "exec", "exec %s: %s", argv[2], strerror(errno));
	return 125;
}
