// N-API bridge: one BPF object (open, rodata, load, attach, maps, detach). No policy here.
#include "object.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <vector>

#include "errors.h"

namespace bg {

Napi::Object BpfObject::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function fn = DefineClass(env, "BpfObject", {
    InstanceMethod("setRodata", &BpfObject::SetRodata),
    InstanceMethod("setAutoload", &BpfObject::SetAutoload),
    InstanceMethod("reuseMap", &BpfObject::ReuseMap),
    InstanceMethod("load", &BpfObject::Load),
    InstanceMethod("attach", &BpfObject::Attach),
    InstanceMethod("attachCgroup", &BpfObject::AttachCgroup),
    InstanceMethod("detachAll", &BpfObject::DetachAll),
    InstanceMethod("pinLink", &BpfObject::PinLink),
    InstanceMethod("close", &BpfObject::Close),
    InstanceMethod("programs", &BpfObject::Programs),
    InstanceMethod("maps", &BpfObject::Maps),
    InstanceMethod("mapFd", &BpfObject::MapFd),
    InstanceMethod("progFd", &BpfObject::ProgFd),
    InstanceMethod("mapLookup", &BpfObject::MapLookup),
    InstanceMethod("mapUpdate", &BpfObject::MapUpdate),
    InstanceMethod("mapDelete", &BpfObject::MapDelete),
    InstanceMethod("mapKeys", &BpfObject::MapKeys),
    InstanceMethod("progTestRun", &BpfObject::ProgTestRun),
  });
  exports.Set("BpfObject", fn);
  return exports;
}

// new BpfObject(path): opens (does not load) the ELF object.
BpfObject::BpfObject(const Napi::CallbackInfo &info) : Napi::ObjectWrap<BpfObject>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "BpfObject(path): path must be a string").ThrowAsJavaScriptException();
    return;
  }
  path_ = info[0].As<Napi::String>().Utf8Value();
  log_begin();
  obj_ = bpf_object__open_file(path_.c_str(), nullptr);
  std::string log = log_end();
  if (!obj_) {
    int err = errno;
    make_error(env, "open " + path_, err, log).ThrowAsJavaScriptException();
  }
}

BpfObject::~BpfObject() { Release(); }

void BpfObject::Release() {
  for (auto *l : links_) bpf_link__destroy(l);
  links_.clear();
  if (obj_) bpf_object__close(obj_);
  obj_ = nullptr;
}

struct bpf_map *BpfObject::FindMap(Napi::Env env, const Napi::Value &name) {
  if (!obj_) {
    make_error(env, "map: object closed", EBADF).ThrowAsJavaScriptException();
    return nullptr;
  }
  std::string n = name.As<Napi::String>().Utf8Value();
  struct bpf_map *m = bpf_object__find_map_by_name(obj_, n.c_str());
  if (!m) make_error(env, "find map " + n, ENOENT).ThrowAsJavaScriptException();
  return m;
}

struct bpf_program *BpfObject::FindProg(Napi::Env env, const Napi::Value &name) {
  if (!obj_) {
    make_error(env, "program: object closed", EBADF).ThrowAsJavaScriptException();
    return nullptr;
  }
  std::string n = name.As<Napi::String>().Utf8Value();
  struct bpf_program *p = bpf_object__find_program_by_name(obj_, n.c_str());
  if (!p) make_error(env, "find program " + n, ENOENT).ThrowAsJavaScriptException();
  return p;
}

// setRodata(varName, buffer): write a `const volatile` global before load.
Napi::Value BpfObject::SetRodata(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string var = info[0].As<Napi::String>().Utf8Value();
  Napi::Buffer<uint8_t> val = info[1].As<Napi::Buffer<uint8_t>>();
  if (!obj_ || loaded_) {
    make_error(env, "set rodata " + var + ": object loaded or closed", EBUSY).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  struct btf *btf = bpf_object__btf(obj_);
  struct bpf_map *map = nullptr, *m;
  bpf_object__for_each_map(m, obj_) {
    const char *n = bpf_map__name(m);
    size_t l = strlen(n);
    if (l >= 7 && strcmp(n + l - 7, ".rodata") == 0) map = m;
  }
  int sec_id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
  if (!map || sec_id < 0) {
    make_error(env, "set rodata " + var + ": no .rodata", ENOENT).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const struct btf_type *sec = btf__type_by_id(btf, sec_id);
  const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
  size_t size = 0;
  uint8_t *data = (uint8_t *)(uintptr_t)bpf_map__initial_value(map, &size);
  for (int i = 0; i < btf_vlen(sec); i++, vs++) {
    const struct btf_type *vt = btf__type_by_id(btf, vs->type);
    if (var != btf__name_by_offset(btf, vt->name_off)) continue;
    if (vs->size != val.Length() || vs->offset + vs->size > size) {
      make_error(env, "set rodata " + var + ": size mismatch", EINVAL).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    memcpy(data + vs->offset, val.Data(), vs->size);
    return env.Undefined();
  }
  make_error(env, "set rodata " + var, ENOENT).ThrowAsJavaScriptException();
  return env.Undefined();
}

// setAutoload(prog, bool): choose which programs load (probe first, then disable).
Napi::Value BpfObject::SetAutoload(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_program *p = FindProg(env, info[0]);
  if (!p) return env.Undefined();
  int err = bpf_program__set_autoload(p, info[1].As<Napi::Boolean>().Value());
  if (err) make_error(env, "set autoload", err).ThrowAsJavaScriptException();
  return env.Undefined();
}

// reuseMap(name, fd): share a map (ring buffer, stats) created by another object.
Napi::Value BpfObject::ReuseMap(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_map *m = FindMap(env, info[0]);
  if (!m) return env.Undefined();
  int err = bpf_map__reuse_fd(m, info[1].As<Napi::Number>().Int32Value());
  if (err) make_error(env, "reuse map", err).ThrowAsJavaScriptException();
  return env.Undefined();
}

// load(): verify and load every autoload program; errors carry the verifier log.
Napi::Value BpfObject::Load(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!obj_) {
    make_error(env, "load", EBADF).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  log_begin();
  int err = bpf_object__load(obj_);
  std::string log = log_end();
  if (err) {
    make_error(env, "load " + path_, err, log).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  loaded_ = true;
  return env.Undefined();
}

// attach(prog[, {uprobeBinary, uprobeFunc}]): auto-attach by section; returns the link count.
Napi::Value BpfObject::Attach(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_program *p = FindProg(env, info[0]);
  if (!p) return env.Undefined();
  struct bpf_link *l = nullptr;
  std::string op = std::string("attach ") + bpf_program__name(p);
  log_begin();
  if (info.Length() > 1 && info[1].IsObject()) {
    Napi::Object o = info[1].As<Napi::Object>();
    std::string bin = o.Get("binary").As<Napi::String>().Utf8Value();
    std::string func = o.Get("func").As<Napi::String>().Utf8Value();
    LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = func.c_str());
    l = bpf_program__attach_uprobe_opts(p, -1, bin.c_str(), 0, &uo);
  } else {
    l = bpf_program__attach(p);
  }
  std::string log = log_end();
  if (!l) {
    make_error(env, op, errno, log).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  links_.push_back(l);
  return Napi::Number::New(env, links_.size());
}

// attachCgroup(prog, cgroupPath): attach a cgroup program through a link.
Napi::Value BpfObject::AttachCgroup(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_program *p = FindProg(env, info[0]);
  if (!p) return env.Undefined();
  std::string path = info[1].As<Napi::String>().Utf8Value();
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    make_error(env, "open cgroup " + path, errno).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  struct bpf_link *l = bpf_program__attach_cgroup(p, fd);
  int err = errno;
  close(fd);
  if (!l) {
    make_error(env, std::string("attach cgroup ") + bpf_program__name(p), err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  links_.push_back(l);
  return Napi::Number::New(env, links_.size());
}

// pinLink(n, path): pin link n (the count attach/attachCgroup returned) in the BPF filesystem, so
// it stays attached after this object closes; removing the file detaches it.
Napi::Value BpfObject::PinLink(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t n = info[0].As<Napi::Number>().Uint32Value();
  std::string path = info[1].As<Napi::String>().Utf8Value();
  if (n < 1 || n > links_.size()) {
    make_error(env, "pin link: no link " + std::to_string(n), EINVAL).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int err = bpf_link__pin(links_[n - 1], path.c_str());
  if (err) make_error(env, "pin link " + path, -err).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value BpfObject::DetachAll(const Napi::CallbackInfo &info) {
  for (auto *l : links_) bpf_link__destroy(l);
  links_.clear();
  return info.Env().Undefined();
}

Napi::Value BpfObject::Close(const Napi::CallbackInfo &info) {
  Release();
  return info.Env().Undefined();
}

// programs(): [{name, section, autoload}]
Napi::Value BpfObject::Programs(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  if (!obj_) return out;
  struct bpf_program *p;
  uint32_t i = 0;
  bpf_object__for_each_program(p, obj_) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", bpf_program__name(p));
    o.Set("section", bpf_program__section_name(p));
    o.Set("autoload", bpf_program__autoload(p));
    out.Set(i++, o);
  }
  return out;
}

// maps(): [{name, type, keySize, valueSize, maxEntries, fd}]
Napi::Value BpfObject::Maps(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  if (!obj_) return out;
  struct bpf_map *m;
  uint32_t i = 0;
  bpf_object__for_each_map(m, obj_) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", bpf_map__name(m));
    o.Set("type", static_cast<double>(bpf_map__type(m)));
    o.Set("keySize", bpf_map__key_size(m));
    o.Set("valueSize", bpf_map__value_size(m));
    o.Set("maxEntries", bpf_map__max_entries(m));
    o.Set("fd", bpf_map__fd(m));
    out.Set(i++, o);
  }
  return out;
}

Napi::Value BpfObject::MapFd(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_map *m = FindMap(env, info[0]);
  if (!m) return env.Undefined();
  return Napi::Number::New(env, bpf_map__fd(m));
}

// progFd(name): fd of a loaded program (for prog-array dispatch tables).
Napi::Value BpfObject::ProgFd(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_program *p = FindProg(env, info[0]);
  if (!p) return env.Undefined();
  return Napi::Number::New(env, bpf_program__fd(p));
}

static bool is_percpu(enum bpf_map_type t) {
  return t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
         t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static size_t value_bytes(struct bpf_map *m) {
  size_t v = bpf_map__value_size(m);
  if (is_percpu(bpf_map__type(m))) v = ((v + 7) & ~size_t(7)) * libbpf_num_possible_cpus();
  return v;
}

// mapLookup(name, key): Buffer (per-CPU maps: one 8-aligned slot per possible CPU) or null.
Napi::Value BpfObject::MapLookup(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_map *m = FindMap(env, info[0]);
  if (!m) return env.Undefined();
  Napi::Buffer<uint8_t> key = info[1].As<Napi::Buffer<uint8_t>>();
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, value_bytes(m));
  if (bpf_map_lookup_elem(bpf_map__fd(m), key.Data(), out.Data())) {
    if (errno == ENOENT) return env.Null();
    make_error(env, std::string("lookup ") + bpf_map__name(m), errno).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return out;
}

// mapUpdate(name, key, value, flags)
Napi::Value BpfObject::MapUpdate(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_map *m = FindMap(env, info[0]);
  if (!m) return env.Undefined();
  Napi::Buffer<uint8_t> key = info[1].As<Napi::Buffer<uint8_t>>();
  Napi::Buffer<uint8_t> val = info[2].As<Napi::Buffer<uint8_t>>();
  uint64_t flags = info.Length() > 3 ? info[3].As<Napi::Number>().Int64Value() : 0;
  if (key.Length() != bpf_map__key_size(m) || val.Length() != value_bytes(m)) {
    make_error(env, std::string("update ") + bpf_map__name(m) + ": key or value size", EINVAL)
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (bpf_map_update_elem(bpf_map__fd(m), key.Data(), val.Data(), flags))
    make_error(env, std::string("update ") + bpf_map__name(m), errno).ThrowAsJavaScriptException();
  return env.Undefined();
}

// mapDelete(name, key): true when deleted, false when absent.
Napi::Value BpfObject::MapDelete(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_map *m = FindMap(env, info[0]);
  if (!m) return env.Undefined();
  Napi::Buffer<uint8_t> key = info[1].As<Napi::Buffer<uint8_t>>();
  if (bpf_map_delete_elem(bpf_map__fd(m), key.Data())) {
    if (errno == ENOENT) return Napi::Boolean::New(env, false);
    make_error(env, std::string("delete ") + bpf_map__name(m), errno).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Boolean::New(env, true);
}

// mapKeys(name): every key, as Buffers.
Napi::Value BpfObject::MapKeys(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_map *m = FindMap(env, info[0]);
  if (!m) return env.Undefined();
  size_t ks = bpf_map__key_size(m);
  std::vector<uint8_t> cur(ks), next(ks);
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  void *prev = nullptr;
  while (bpf_map_get_next_key(bpf_map__fd(m), prev, next.data()) == 0) {
    out.Set(i++, Napi::Buffer<uint8_t>::Copy(env, next.data(), ks));
    cur = next;
    prev = cur.data();
    if (i > 10000000) break;
  }
  return out;
}


// One BPF_PROG_TEST_RUN: buffers in (ctx_in, data_in) and out (ctx_out, data_out; sizes in = room,
// out = bytes written), results (retval, duration: average ns per run).
struct bg_test_run {
  void *ctx_in;
  void *ctx_out;
  uint32_t ctx_size_in;
  uint32_t ctx_size_out;
  const void *data_in;
  void *data_out;
  uint32_t data_size_in;
  uint32_t data_size_out;
  int repeat;
  uint32_t retval;
  uint32_t duration;
};

// Run the loaded program prog_fd on r's buffers: 0 or -errno.
static int bg_prog_test_run(int prog_fd, struct bg_test_run *r) {
  LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = r->data_in, .data_out = r->data_out,
              .data_size_in = r->data_size_in, .data_size_out = r->data_size_out,
              .ctx_in = r->ctx_in, .ctx_out = r->ctx_out, .ctx_size_in = r->ctx_size_in,
              .ctx_size_out = r->ctx_size_out, .repeat = r->repeat);
  int err = bpf_prog_test_run_opts(prog_fd, &o);
  if (err) return err < 0 ? err : -errno;
  r->retval = o.retval;
  r->duration = o.duration;
  r->data_size_out = o.data_size_out;
  r->ctx_size_out = o.ctx_size_out;
  return 0;
}

// Where a program type's test run leaves the context: a syscall program's in ctx_in itself,
// raw tracepoint and tracing programs nowhere (ctx_out is refused), the others in ctx_out.
enum class CtxOut { InPlace, None, Buffer };

static CtxOut ctx_out_of(enum bpf_prog_type t) {
  if (t == BPF_PROG_TYPE_SYSCALL) return CtxOut::InPlace;
  if (t == BPF_PROG_TYPE_RAW_TRACEPOINT || t == BPF_PROG_TYPE_TRACING || t == BPF_PROG_TYPE_LSM)
    return CtxOut::None;
  return CtxOut::Buffer;
}

static bool is_buffer(const Napi::Value &v) { return !v.IsUndefined() && !v.IsNull() && v.IsBuffer(); }

// progTestRun(prog, ctxIn?, dataIn?, repeat?): {retval, ctxOut, dataOut, durationNs}; ctxOut is
// the context after the run where the program type returns it (null otherwise), dataOut the
// data (null without dataIn).
Napi::Value BpfObject::ProgTestRun(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  struct bpf_program *p = FindProg(env, info[0]);
  if (!p) return env.Undefined();
  std::string op = std::string("test run ") + bpf_program__name(p);
  int fd = bpf_program__fd(p);
  if (!loaded_ || fd < 0) {
    make_error(env, op + ": not loaded", EBADF).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::vector<uint8_t> ctx, ctx_out, data, data_out;
  struct bg_test_run r = {};
  CtxOut where = ctx_out_of(bpf_program__type(p));
  if (info.Length() > 1 && is_buffer(info[1])) {
    Napi::Buffer<uint8_t> b = info[1].As<Napi::Buffer<uint8_t>>();
    ctx.assign(b.Data(), b.Data() + b.Length());
    r.ctx_in = ctx.data();
    r.ctx_size_in = ctx.size();
    if (where == CtxOut::Buffer) {
      ctx_out.resize(ctx.size());
      r.ctx_out = ctx_out.data();
      r.ctx_size_out = ctx_out.size();
    }
  }
  if (info.Length() > 2 && is_buffer(info[2])) {
    Napi::Buffer<uint8_t> b = info[2].As<Napi::Buffer<uint8_t>>();
    data.assign(b.Data(), b.Data() + b.Length());
    data_out.resize(data.size() + 256);  // room for a program that grows the packet
    r.data_in = data.data();
    r.data_size_in = data.size();
    r.data_out = data_out.data();
    r.data_size_out = data_out.size();
  }
  if (info.Length() > 3 && info[3].IsNumber()) r.repeat = info[3].As<Napi::Number>().Int32Value();
  int err = bg_prog_test_run(fd, &r);
  if (err) {
    make_error(env, op, err).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("retval", Napi::Number::New(env, r.retval));
  out.Set("durationNs", Napi::Number::New(env, r.duration));
  if (where == CtxOut::InPlace && r.ctx_in)
    out.Set("ctxOut", Napi::Buffer<uint8_t>::Copy(env, ctx.data(), ctx.size()));
  else if (where == CtxOut::Buffer && r.ctx_out)
    out.Set("ctxOut", Napi::Buffer<uint8_t>::Copy(env, ctx_out.data(), r.ctx_size_out));
  else
    out.Set("ctxOut", env.Null());
  if (r.data_out)
    out.Set("dataOut", Napi::Buffer<uint8_t>::Copy(env, data_out.data(), r.data_size_out));
  else
    out.Set("dataOut", env.Null());
  return out;
}

}  // namespace bg
