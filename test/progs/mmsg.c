// mmsg: one sendmmsg() of three UDP datagrams from one unconnected socket: a DNS query to
// 127.0.0.1:53, "x" to 127.0.0.1:PORT, the query again to 127.0.0.1:53. Prints the number sent
// and the socket's local port.
//   mmsg PORT
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: mmsg PORT\n");
    return 2;
  }
  // bpfguard.example.org, type A, class IN
  static const unsigned char q[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 8, 'b', 'p', 'f', 'g', 'u', 'a', 'r', 'd',
                                    7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 0, 1, 0, 1};
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) return perror("socket"), 1;
  struct sockaddr_in dst[3];
  struct iovec iov[3];
  struct mmsghdr m[3];
  memset(dst, 0, sizeof(dst));
  memset(m, 0, sizeof(m));
  for (int i = 0; i < 3; i++) {
    dst[i].sin_family = AF_INET;
    dst[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dst[i].sin_port = htons(i == 1 ? atoi(argv[1]) : 53);
    iov[i].iov_base = i == 1 ? (void *)"x" : (void *)q;
    iov[i].iov_len = i == 1 ? 1 : sizeof(q);
    m[i].msg_hdr.msg_name = &dst[i];
    m[i].msg_hdr.msg_namelen = sizeof(dst[i]);
    m[i].msg_hdr.msg_iov = &iov[i];
    m[i].msg_hdr.msg_iovlen = 1;
  }
  int n = sendmmsg(s, m, 3, 0);
  if (n < 0) return perror("sendmmsg"), 1;
  struct sockaddr_in me;
  socklen_t len = sizeof(me);
  getsockname(s, (struct sockaddr *)&me, &len);
  printf("%d %d\n", n, ntohs(me.sin_port));
  return 0;
}
