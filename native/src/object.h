// N-API bridge: one BPF object (open, rodata, load, attach, maps, detach).
#pragma once
#include <napi.h>
#include <bpf/libbpf.h>
#include <string>
#include <vector>

namespace bg {

class BpfObject : public Napi::ObjectWrap<BpfObject> {
 public:
  static Napi::Object Init(Napi::Env env, Napi::Object exports);
  explicit BpfObject(const Napi::CallbackInfo &info);
  ~BpfObject() override;

 private:
  Napi::Value SetRodata(const Napi::CallbackInfo &info);
  Napi::Value SetAutoload(const Napi::CallbackInfo &info);
  Napi::Value ReuseMap(const Napi::CallbackInfo &info);
  Napi::Value Load(const Napi::CallbackInfo &info);
  Napi::Value Attach(const Napi::CallbackInfo &info);
  Napi::Value AttachCgroup(const Napi::CallbackInfo &info);
  Napi::Value DetachAll(const Napi::CallbackInfo &info);
  Napi::Value PinLink(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  Napi::Value Programs(const Napi::CallbackInfo &info);
  Napi::Value Maps(const Napi::CallbackInfo &info);
  Napi::Value MapFd(const Napi::CallbackInfo &info);
  Napi::Value ProgFd(const Napi::CallbackInfo &info);
  Napi::Value MapLookup(const Napi::CallbackInfo &info);
  Napi::Value MapUpdate(const Napi::CallbackInfo &info);
  Napi::Value MapDelete(const Napi::CallbackInfo &info);
  Napi::Value MapKeys(const Napi::CallbackInfo &info);
  Napi::Value ProgTestRun(const Napi::CallbackInfo &info);

  struct bpf_map *FindMap(Napi::Env env, const Napi::Value &name);
  struct bpf_program *FindProg(Napi::Env env, const Napi::Value &name);
  void Release();

  std::string path_;
  struct bpf_object *obj_ = nullptr;
  std::vector<struct bpf_link *> links_;
  bool loaded_ = false;
};

}  // namespace bg
