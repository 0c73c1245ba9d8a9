// uring: one request through io_uring (raw io_uring_setup/io_uring_enter, no liburing), its result
// printed as the completion's res:
//   uring open PATH      IORING_OP_OPENAT (AT_FDCWD, O_RDONLY); then reads one byte from the fd
//   uring open-async PATH  the same with IOSQE_ASYNC (run by an io-wq worker thread, iou-wrk-*)
//   uring connect PORT   IORING_OP_CONNECT of a new TCP socket to 127.0.0.1:PORT
//   uring accept -       IORING_OP_ACCEPT on a listener on 127.0.0.1 (port printed on stderr), after
//                        a plain connect() to it from this process; prints "res 0 listener-port"
//   uring accept-slot -  the same into a fixed-file slot (IORING_FILE_INDEX_ALLOC): res is the slot
// File changes and other opens (issue #14), each printing the completion's res:
//   uring [-s] [-d DIR] rename OLD NEW | link OLD NEW | symlink TARGET LINK | unlink PATH |
//         mkdir PATH | open PATH | slot-open PATH
//   -s  IOSQE_CQE_SKIP_SUCCESS (no completion on success), linked to a NOP whose completion is
//       awaited: prints the request's res if it failed, else 0; an open's fd is the lowest free one
//       (read one byte from it: "0 1")
//   -d  names relative to DIR (an O_PATH dirfd) instead of the cwd
//   slot-open  IORING_OP_OPENAT into fixed-file slot 0 (registered sparse): res 0, no fd
//   uring -s connect PORT  IORING_OP_CONNECT of a new TCP socket to 127.0.0.1:PORT without a
//       completion on success
//   uring -o open PATH  fill the completion queue with NOPs first (not reaped): the open's
//       completion overflows it (no io_uring_complete); prints "fd 1" after reading a byte
// Sends from an unconnected UDP socket to 127.0.0.1:PORT (4 bytes "ping"), printing res:
//   uring send PORT | sendmsg PORT   IORING_OP_SEND (destination in addr2) | IORING_OP_SENDMSG (msg_name)
//   uring tfo PORT   IORING_OP_SENDMSG with MSG_FASTOPEN from a new TCP socket (a connect)
//   -f  (send, sendmsg, tfo, connect) the socket registered as fixed file 0, the request IOSQE_FIXED_FILE
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *what) {
  perror(what);
  return 1;
}

// A ring of 4 entries, its rings and entries mapped; -1 (reported) on failure.
static int ring_setup(struct io_uring_params *p, char **sq, char **cq, struct io_uring_sqe **sqes) {
  memset(p, 0, sizeof(*p));
  int ring = syscall(__NR_io_uring_setup, 4, p);
  if (ring < 0) return fail("io_uring_setup"), -1;
  size_t sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
  size_t cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
  *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
  *cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
  *sqes = mmap(NULL, p->sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
               IORING_OFF_SQES);
  if (*sq == MAP_FAILED || *cq == MAP_FAILED || *sqes == MAP_FAILED) return fail("mmap"), -1;
  return ring;
}

static int changes(int argc, char **argv);

int main(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-o") || !strcmp(argv[1], "-f") || !strcmp(argv[1], "-d") || !strcmp(argv[1], "rename") ||
                    !strcmp(argv[1], "link") || !strcmp(argv[1], "symlink") || !strcmp(argv[1], "unlink") ||
                    !strcmp(argv[1], "mkdir") || !strcmp(argv[1], "slot-open") || !strcmp(argv[1], "send") ||
                    !strcmp(argv[1], "sendmsg") || !strcmp(argv[1], "tfo")))
    return changes(argc, argv);
  int async = argc == 3 && !strcmp(argv[1], "open-async");
  int in_slot = argc == 3 && !strcmp(argv[1], "accept-slot");
  int accepting = argc == 3 && (!strcmp(argv[1], "accept") || in_slot);
  if (argc != 3 || (strcmp(argv[1], "open") && strcmp(argv[1], "connect") && !async && !accepting)) {
    fprintf(stderr, "usage: uring open|open-async PATH | uring connect PORT | uring accept|accept-slot -\n");
    return 2;
  }
  struct io_uring_params p;
  char *sq, *cq;
  struct io_uring_sqe *sqes;
  int ring = ring_setup(&p, &sq, &cq, &sqes);
  if (ring < 0) return 1;

  struct sockaddr_in dst;
  struct io_uring_sqe *e = &sqes[0];
  memset(e, 0, sizeof(*e));
  int sock = -1;
  if (accepting) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    memset(&dst, 0, sizeof(dst));
    dst.sin_family = AF_INET;
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t dl = sizeof(dst);
    if (l < 0 || bind(l, (struct sockaddr *)&dst, sizeof(dst)) || listen(l, 4) || getsockname(l, (struct sockaddr *)&dst, &dl))
      return fail("listen");
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0 || connect(c, (struct sockaddr *)&dst, sizeof(dst))) return fail("connect");
    e->opcode = IORING_OP_ACCEPT;
    e->fd = l;
    if (in_slot) {
      int none = -1;
      if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_FILES, &none, 1) < 0) return fail("register");
      e->file_index = IORING_FILE_INDEX_ALLOC;
    }
    sock = ntohs(dst.sin_port);  // printed as the last column
  } else if (strcmp(argv[1], "connect")) {
    e->opcode = IORING_OP_OPENAT;
    e->flags = async ? IOSQE_ASYNC : 0;
    e->fd = AT_FDCWD;
    e->addr = (unsigned long)argv[2];
    e->open_flags = O_RDONLY;
  } else {
    sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0) return fail("socket");
    memset(&dst, 0, sizeof(dst));
    dst.sin_family = AF_INET;
    dst.sin_port = htons(atoi(argv[2]));
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    e->opcode = IORING_OP_CONNECT;
    e->fd = sock;
    e->addr = (unsigned long)&dst;
    e->off = sizeof(dst);
  }
  unsigned *tail = (unsigned *)(sq + p.sq_off.tail);
  unsigned *array = (unsigned *)(sq + p.sq_off.array);
  unsigned mask = *(unsigned *)(sq + p.sq_off.ring_mask);
  array[*tail & mask] = 0;
  __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
  if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) return fail("io_uring_enter");
  unsigned *head = (unsigned *)(cq + p.cq_off.head);
  struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
  unsigned cmask = *(unsigned *)(cq + p.cq_off.ring_mask);
  int res = cqes[*head & cmask].res;
  __atomic_store_n(head, *head + 1, __ATOMIC_RELEASE);
  char c;
  ssize_t n = res >= 0 && sock < 0 ? read(res, &c, 1) : 0;
  if (accepting) n = 0;
  printf("%d %zd %d\n", res, n, sock);
  return 0;
}

static int changes(int argc, char **argv) {
  int skip = 0, dfd = AT_FDCWD, i = 1, overflow = 0, fixed = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-s")) {
      skip = 1;
    } else if (!strcmp(argv[i], "-o")) {
      overflow = 1;
    } else if (!strcmp(argv[i], "-f")) {
      fixed = 1;
    } else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
      dfd = open(argv[++i], O_PATH | O_DIRECTORY);
      if (dfd < 0) return fail("dirfd");
    } else {
      return 2;
    }
  }
  if (i >= argc) return 2;
  const char *op = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL, *b = i + 2 < argc ? argv[i + 2] : NULL;
  int two = !strcmp(op, "rename") || !strcmp(op, "link") || !strcmp(op, "symlink");
  struct sockaddr_in dst;
  struct iovec iov = {.iov_base = "ping", .iov_len = 4};
  struct msghdr mh;
  memset(&dst, 0, sizeof(dst));
  memset(&mh, 0, sizeof(mh));
  dst.sin_family = AF_INET;
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!a || (two && !b)) {
    fprintf(stderr, "usage: uring [-s] [-d DIR] rename|link|symlink A B | unlink|mkdir|open|slot-open PATH\n");
    return 2;
  }
  struct io_uring_params p;
  char *sq, *cq;
  struct io_uring_sqe *sqes;
  int ring = ring_setup(&p, &sq, &cq, &sqes);
  if (ring < 0) return 1;
  int slot = !strcmp(op, "slot-open");
  if (slot) {
    int none = -1;
    if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_FILES, &none, 1) < 0) return fail("register");
  }
  unsigned *tail = (unsigned *)(sq + p.sq_off.tail);
  unsigned *array = (unsigned *)(sq + p.sq_off.array);
  unsigned mask = *(unsigned *)(sq + p.sq_off.ring_mask);
  for (unsigned k = 0; overflow && k < p.cq_entries; k++) {
    memset(&sqes[0], 0, sizeof(sqes[0]));
    sqes[0].opcode = IORING_OP_NOP;
    array[*tail & mask] = 0;
    __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, ring, 1, 0, 0, NULL, 0) < 0) return fail("io_uring_enter");
  }
  int lowest = dup(0);  // the fd an open will get
  close(lowest);
  struct io_uring_sqe *e = &sqes[0];
  memset(&sqes[0], 0, 2 * sizeof(*e));
  e->fd = dfd;
  e->addr = (unsigned long)a;
  if (!strcmp(op, "rename")) {
    e->opcode = IORING_OP_RENAMEAT;
    e->addr2 = (unsigned long)b;
    e->len = dfd;
  } else if (!strcmp(op, "link")) {
    e->opcode = IORING_OP_LINKAT;
    e->addr2 = (unsigned long)b;
    e->len = dfd;
  } else if (!strcmp(op, "symlink")) {
    e->opcode = IORING_OP_SYMLINKAT;
    e->addr2 = (unsigned long)b;
  } else if (!strcmp(op, "unlink")) {
    e->opcode = IORING_OP_UNLINKAT;
  } else if (!strcmp(op, "mkdir")) {
    e->opcode = IORING_OP_MKDIRAT;
    e->len = 0755;
  } else if (!strcmp(op, "connect")) {
    dst.sin_port = htons(atoi(a));
    e->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (e->fd < 0) return fail("socket");
    e->opcode = IORING_OP_CONNECT;
    e->addr = (unsigned long)&dst;
    e->off = sizeof(dst);
  } else if (!strcmp(op, "send") || !strcmp(op, "sendmsg") || !strcmp(op, "tfo")) {
    dst.sin_port = htons(atoi(a));
    e->fd = socket(AF_INET, strcmp(op, "tfo") ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (e->fd < 0) return fail("socket");
    if (!strcmp(op, "send")) {
      e->opcode = IORING_OP_SEND;
      e->addr = (unsigned long)iov.iov_base;
      e->len = iov.iov_len;
      e->addr2 = (unsigned long)&dst;
      e->addr_len = sizeof(dst);
    } else {
      mh.msg_name = &dst;
      mh.msg_namelen = sizeof(dst);
      mh.msg_iov = &iov;
      mh.msg_iovlen = 1;
      e->opcode = IORING_OP_SENDMSG;
      e->addr = (unsigned long)&mh;
      if (!strcmp(op, "tfo")) e->msg_flags = MSG_FASTOPEN;
    }
  } else if (!strcmp(op, "open") || slot) {
    e->opcode = IORING_OP_OPENAT;
    e->open_flags = O_RDONLY;
    if (slot) e->file_index = 1;  // slot 0
  } else {
    return 2;
  }
  if (fixed) {
    int sfd = e->fd;
    if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_FILES, &sfd, 1) < 0) return fail("register");
    e->fd = 0;
    e->flags |= IOSQE_FIXED_FILE;
  }
  unsigned n = 1;
  if (skip) {
    e->flags |= IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK;
    sqes[1].opcode = IORING_OP_NOP;
    sqes[1].user_data = 1;
    n = 2;
  }
  for (unsigned k = 0; k < n; k++) array[(*tail + k) & mask] = k;
  __atomic_store_n(tail, *tail + n, __ATOMIC_RELEASE);
  if (syscall(__NR_io_uring_enter, ring, n, overflow ? 0 : 1, overflow ? 0 : IORING_ENTER_GETEVENTS, NULL, 0) < 0)
    return fail("io_uring_enter");
  if (overflow) {
    char ch;
    usleep(50000);
    printf("%d %zd\n", lowest, read(lowest, &ch, 1));
    return 0;
  }
  unsigned *head = (unsigned *)(cq + p.cq_off.head);
  struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
  unsigned cmask = *(unsigned *)(cq + p.cq_off.ring_mask);
  // the request's completion (with -s: only on failure, else only the NOP's is posted)
  unsigned *ctail = (unsigned *)(cq + p.cq_off.tail);
  if (skip) usleep(50000);  // a failure posts two (the NOP is cancelled): let both land
  int res = 0;
  for (unsigned h = *head; h != __atomic_load_n(ctail, __ATOMIC_ACQUIRE); h++)
    if (cqes[h & cmask].user_data == 0) res = cqes[h & cmask].res;
  if (!strcmp(op, "open") && res >= 0) {
    int fd = skip ? lowest : res;
    char ch;
    printf("%d %zd\n", fd, read(fd, &ch, 1));
    return 0;
  }
  printf("%d\n", res);
  return 0;
}
