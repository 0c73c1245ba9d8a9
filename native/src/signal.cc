// N-API bridge: kill one process through a pidfd (pidfd_open + pidfd_send_signal), so a reused pid is never hit.
#include "signal.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

namespace bg {

// The start time (field 22 of /proc/PID/stat, clock ticks after boot), or -1 when unreadable.
static long long proc_start_ticks(int pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  // comm (field 2) may hold spaces and parentheses: fields after it start past the last ')'.
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  p++;
  for (int field = 3; field < 22; field++) {
    p = strchr(p + 1, ' ');
    if (!p) return -1;
  }
  return strtoll(p + 1, nullptr, 10);
}

// pidfdKill(pid, startNs?: bigint, signal?: number): 'signalled' | 'gone' | 'reused'; throws {code, errno, op}.
// startNs is the process's start time (task->start_boottime, ns): a process at pid that started at
// another time is another process ('reused'), and is never signalled. The pidfd is taken before the
// check, so a process exiting and its pid reused after the check is not hit either (ESRCH: 'gone').
static Napi::Value PidfdKill(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "pidfdKill(pid: number, startNs?: bigint, signal?: number)");
  int pid = info[0].As<Napi::Number>().Int32Value();
  int sig = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : SIGKILL;
  if (pid <= 1) throw make_error(env, "pidfd kill " + std::to_string(pid), -EPERM);
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) {
    if (errno == ESRCH) return Napi::String::New(env, "gone");
    throw make_error(env, "pidfd_open " + std::to_string(pid), -errno);
  }
  if (info.Length() > 1 && info[1].IsBigInt()) {
    bool lossless = false;
    uint64_t start_ns = info[1].As<Napi::BigInt>().Uint64Value(&lossless);
    long hz = sysconf(_SC_CLK_TCK);
    long long ticks = proc_start_ticks(pid);
    if (ticks < 0) {
      close(fd);
      return Napi::String::New(env, "gone");
    }
    if (hz > 0 && static_cast<uint64_t>(ticks) != start_ns / (1000000000ULL / static_cast<uint64_t>(hz))) {
      close(fd);
      return Napi::String::New(env, "reused");
    }
  }
  long r = syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0);
  int err = r < 0 ? errno : 0;
  close(fd);
  if (err == ESRCH) return Napi::String::New(env, "gone");
  if (err) throw make_error(env, "pidfd_send_signal " + std::to_string(pid), -err);
  return Napi::String::New(env, "signalled");
}

void InitSignal(Napi::Env env, Napi::Object exports) {
  exports.Set("pidfdKill", Napi::Function::New(env, PidfdKill));
}

}  // namespace bg
