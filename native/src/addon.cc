// N-API bridge entry: registers BpfObject, RingReader, small kernel helpers and sendUnixDgram.
#include <napi.h>
#include <bpf/libbpf.h>
#include <time.h>

#include "errors.h"
#include "object.h"
#include "ringbuf.h"
#include "signal.h"
#include "syslog.h"

namespace bg {

// bootTimeNs(): CLOCK_BOOTTIME in ns as a BigInt (the clock of bg_hdr.ktime_ns).
static Napi::Value BootTimeNs(const Napi::CallbackInfo &info) {
  struct timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec));
}

static Napi::Value PossibleCpus(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), libbpf_num_possible_cpus());
}

static Napi::Value LibbpfVersion(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), libbpf_version_string());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  install_libbpf_print();
  BpfObject::Init(env, exports);
  RingReader::Init(env, exports);
  InitSyslog(env, exports);
  InitSignal(env, exports);
  exports.Set("bootTimeNs", Napi::Function::New(env, BootTimeNs));
  exports.Set("possibleCpus", Napi::Function::New(env, PossibleCpus));
  exports.Set("libbpfVersion", Napi::Function::New(env, LibbpfVersion));
  return exports;
}

}  // namespace bg

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return bg::Init(env, exports); }

NODE_API_MODULE(bpfguard, InitModule)
