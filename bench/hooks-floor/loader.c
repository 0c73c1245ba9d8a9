// hooks-floor loader: loads floor.bpf.o, attaches the programs named on the command line (all
// when none), prints "ready" and waits for SIGINT/SIGTERM.
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int s) { stop = s; }

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: loader OBJ [PROG...]\n");
    return 2;
  }
  struct bpf_object *o = bpf_object__open_file(argv[1], NULL);
  struct bpf_program *p;
  if (!o) return fprintf(stderr, "open %s failed\n", argv[1]), 1;
  bpf_object__for_each_program(p, o) {
    int on = argc == 2;
    for (int i = 2; i < argc; i++) on |= !strcmp(argv[i], bpf_program__name(p));
    bpf_program__set_autoload(p, on);
  }
  if (bpf_object__load(o)) return fprintf(stderr, "load failed\n"), 1;
  bpf_object__for_each_program(p, o) {
    if (bpf_program__autoload(p) && !bpf_program__attach(p))
      return fprintf(stderr, "attach %s failed\n", bpf_program__name(p)), 1;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  printf("ready\n");
  fflush(stdout);
  while (!stop) pause();
  return 0;
}
