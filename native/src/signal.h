// N-API bridge: signals through pidfds (reactive kills).
#pragma once
#include <napi.h>

namespace bg {

// Registers pidfdKill on exports.
void InitSignal(Napi::Env env, Napi::Object exports);

}  // namespace bg
