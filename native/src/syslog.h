// N-API bridge: unix datagram send for the syslog sink and sd_notify.
#pragma once
#include <napi.h>

namespace bg {

// Registers sendUnixDgram on exports.
void InitSyslog(Napi::Env env, Napi::Object exports);

}  // namespace bg
