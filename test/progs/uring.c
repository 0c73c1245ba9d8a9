// uring: one request through io_uring (raw io_uring_setup/io_uring_enter, no liburing), its result
// printed as the completion's res:
//   uring open PATH      IORING_OP_OPENAT (AT_FDCWD, O_RDONLY); then reads one byte from the fd
//   uring open-async PATH  the same with IOSQE_ASYNC (run by an io-wq worker thread, iou-wrk-*)
//   uring connect PORT   IORING_OP_CONNECT of a new TCP socket to 127.0.0.1:PORT
//   uring accept -       IORING_OP_ACCEPT on a listener on 127.0.0.1 (port printed on stderr), after
//                        a plain connect() to it from this process; prints "res 0 listener-port"
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

int main(int argc, char **argv) {
  int async = argc == 3 && !strcmp(argv[1], "open-async");
  int accepting = argc == 3 && !strcmp(argv[1], "accept");
  if (argc != 3 || (strcmp(argv[1], "open") && strcmp(argv[1], "connect") && !async && !accepting)) {
    fprintf(stderr, "usage: uring open|open-async PATH | uring connect PORT | uring accept -\n");
    return 2;
  }
  struct io_uring_params p;
  memset(&p, 0, sizeof(p));
  int ring = syscall(__NR_io_uring_setup, 4, &p);
  if (ring < 0) return fail("io_uring_setup");
  size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  char *sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
  char *cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
  struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
  if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) return fail("mmap");

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
