// N-API bridge: errors carrying code, errno, op and the libbpf/verifier log.
#pragma once
#include <napi.h>
#include <string>

namespace bg {

// Start collecting libbpf's messages (verifier logs) for the next operation.
void log_begin();
// Stop collecting and return what was logged.
std::string log_end();
// Throw a JS Error {code, errno, op, log}. err is a positive or negative errno.
Napi::Error make_error(Napi::Env env, const std::string &op, int err, const std::string &log = "");
void install_libbpf_print();

}  // namespace bg
