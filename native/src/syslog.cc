// N-API bridge: one datagram to a unix socket (syslog's /dev/log, systemd's NOTIFY_SOCKET), which Node's dgram cannot do.
#include "syslog.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "errors.h"

namespace bg {

// bg_send_unix_dgram(): 0 or -errno. Never blocks: a full receiver queue gives -EAGAIN.
static int bg_send_unix_dgram(const std::string &path, const void *data, size_t len) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) return -ENAMETOOLONG;
  memcpy(addr.sun_path, path.data(), path.size());
  // "@name" is an abstract socket (sd_notify's convention): a leading NUL, and the address is only as long as the name.
  socklen_t alen = sizeof(addr);
  if (path[0] == '@') {
    addr.sun_path[0] = '\0';
    alen = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size());
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -errno;
  ssize_t n = sendto(fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<struct sockaddr *>(&addr), alen);
  int err = n < 0 ? -errno : 0;
  close(fd);
  return err;
}

// sendUnixDgram(path: string, data: Buffer): void; throws {code, errno, op}.
static Napi::Value SendUnixDgram(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBuffer()) {
    throw Napi::TypeError::New(env, "sendUnixDgram(path: string, data: Buffer)");
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  Napi::Buffer<uint8_t> data = info[1].As<Napi::Buffer<uint8_t>>();
  int err = bg_send_unix_dgram(path, data.Data(), data.Length());
  if (err) throw make_error(env, "send datagram " + path, err);
  return env.Undefined();
}

void InitSyslog(Napi::Env env, Napi::Object exports) {
  exports.Set("sendUnixDgram", Napi::Function::New(env, SendUnixDgram));
}

}  // namespace bg
