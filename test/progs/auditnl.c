/* auditnl set-enabled N | set-pid PID | batch | many: audit configuration messages sent straight on a
 * NETLINK_AUDIT socket, as any program can, without libaudit or auditctl.
 *  set-enabled N  sendto: AUDIT_SET, mask AUDIT_STATUS_ENABLED, enabled N (seq 1)
 *  set-pid PID    sendto: AUDIT_SET, mask AUDIT_STATUS_PID, pid PID (seq 2; the kernel refuses a
 *                 pid other than the caller's with EINVAL, so nothing changes)
 *  batch          sendmsg, one iovec, two messages: AUDIT_GET (seq 3, a query) and AUDIT_DEL_RULE
 *                 of a rule that does not exist (seq 4)
 *  many           sendmsg: eight AUDIT_GET (seq 10-17) and that AUDIT_DEL_RULE (seq 18), one buffer
 * Every message asks for an ack. Prints "send ret=R errno=E", then "ack seq=S type=T err=E" for
 * each ack read back; exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>

static char buf[8192] __attribute__((aligned(8)));

static size_t put(size_t off, __u16 type, __u32 seq, const void *body, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(buf + off);

	h->nlmsg_len = NLMSG_LENGTH(len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = 0;
	if (len)
		memcpy(NLMSG_DATA(h), body, len);
	return off + NLMSG_ALIGN(h->nlmsg_len);
}

static void acks(int fd)
{
	static char in[65536] __attribute__((aligned(8)));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (poll(&p, 1, 500) > 0 && (n = recv(fd, in, sizeof(in), MSG_DONTWAIT)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)in; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_ERROR)
				printf("ack seq=%u type=%u err=%d\n", e->msg.nlmsg_seq, e->msg.nlmsg_type, e->error);
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct audit_status s = {};
	struct audit_rule_data r = {};
	struct iovec iov = { buf, 0 };
	struct msghdr m = { .msg_name = &kernel, .msg_namelen = sizeof(kernel), .msg_iov = &iov, .msg_iovlen = 1 };
	size_t len = 0;
	ssize_t ret;
	int fd;

	if (argc < 2 || (strcmp(argv[1], "batch") && strcmp(argv[1], "many") && argc != 3)) {
		fprintf(stderr, "usage: auditnl set-enabled N | set-pid PID | batch | many\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	errno = 0;
	if (!strcmp(argv[1], "set-enabled") || !strcmp(argv[1], "set-pid")) {
		int en = !strcmp(argv[1], "set-enabled");

		s.mask = en ? AUDIT_STATUS_ENABLED : AUDIT_STATUS_PID;
		if (en)
			s.enabled = atoi(argv[2]);
		else
			s.pid = atoi(argv[2]);
		len = put(0, AUDIT_SET, en ? 1 : 2, &s, sizeof(s));
		ret = sendto(fd, buf, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	} else if (!strcmp(argv[1], "batch") || !strcmp(argv[1], "many")) {
		int many = !strcmp(argv[1], "many");

		r.flags = AUDIT_FILTER_EXIT;
		r.action = AUDIT_ALWAYS;
		for (int i = 0; i < (many ? 8 : 1); i++)
			len = put(len, AUDIT_GET, many ? 10 + i : 3, NULL, 0);
		len = put(len, AUDIT_DEL_RULE, many ? 18 : 4, &r, sizeof(r));
		iov.iov_len = len;
		ret = sendmsg(fd, &m, 0);
	} else {
		return 2;
	}
	printf("send ret=%zd errno=%d\n", ret, ret < 0 ? errno : 0);
	fflush(stdout);
	acks(fd);
	close(fd);
	return 0;
}
