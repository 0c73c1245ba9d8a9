// N-API bridge: errors carrying code, errno, op and the libbpf/verifier log.
#include "errors.h"

#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace bg {

static std::mutex g_log_mu;
static bool g_capture = false;
static std::string g_log;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args) {
  // A verifier log arrives as one message, often far over 4 KiB: format it whole (its tail
  // names the cause).
  char small[4096];
  std::string big;
  const char *buf = small;
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(small, sizeof(small), fmt, args);
  if (n >= (int)sizeof(small)) {
    big.resize(n + 1);
    vsnprintf(&big[0], big.size(), fmt, again);
    big.resize(n);
    buf = big.c_str();
  }
  va_end(again);
  {
    std::lock_guard<std::mutex> lk(g_log_mu);
    if (g_capture && g_log.size() < (8u << 20)) g_log += buf;
  }
  if (getenv("BPFGUARD_LIBBPF_DEBUG") && (level != LIBBPF_DEBUG || getenv("BPFGUARD_LIBBPF_DEBUG")[0] == '2'))
    fputs(buf, stderr);
  return 0;
}

void install_libbpf_print() { libbpf_set_print(libbpf_print); }

void log_begin() {
  std::lock_guard<std::mutex> lk(g_log_mu);
  g_capture = true;
  g_log.clear();
}

std::string log_end() {
  std::lock_guard<std::mutex> lk(g_log_mu);
  g_capture = false;
  std::string out;
  out.swap(g_log);
  return out;
}

static const char *errno_code(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case E2BIG: return "E2BIG";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case ENOTSUP: return "ENOTSUP";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EMSGSIZE: return "EMSGSIZE";
    case ENOBUFS: return "ENOBUFS";
    case ENOTSOCK: return "ENOTSOCK";
    case EPROTOTYPE: return "EPROTOTYPE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    default: return "EUNKNOWN";
  }
}

Napi::Error make_error(Napi::Env env, const std::string &op, int err, const std::string &log) {
  if (err < 0) err = -err;
  char msg[512];
  snprintf(msg, sizeof(msg), "%s: %s", op.c_str(), strerror(err));
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, errno_code(err)));
  e.Set("errno", Napi::Number::New(env, err));
  e.Set("op", Napi::String::New(env, op));
  if (!log.empty()) {
    // Head and tail of the verifier log: the cause is usually at the end.
    std::string l = log;
    if (l.size() > 16384) l = l.substr(0, 4096) + "\n...\n" + l.substr(l.size() - 12288);
    e.Set("log", Napi::String::New(env, l));
  }
  return e;
}

}  // namespace bg
