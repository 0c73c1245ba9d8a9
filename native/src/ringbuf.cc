// N-API bridge: ring-buffer poll thread that hands JavaScript batches of records.
//
// Batch framing (little endian): repeated [u32 size][u32 0][record bytes, padded to 8].
// JavaScript gets one call per batch with a Buffer over native memory that is valid only
// during the call (it is detached afterwards and the memory reused): decode, do not keep.
#include "ringbuf.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include "errors.h"

namespace bg {

static int on_record(void *ctx, void *data, size_t size) {
  return static_cast<RingReader *>(ctx)->OnRecord(data, size);
}

Napi::Object RingReader::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function fn = DefineClass(env, "RingReader", {
    InstanceMethod("start", &RingReader::Start),
    InstanceMethod("stop", &RingReader::Stop),
    InstanceMethod("stats", &RingReader::Stats),
  });
  exports.Set("RingReader", fn);
  return exports;
}

// new RingReader(fds: number[], {batchBytes, batches, pollMs})
RingReader::RingReader(const Napi::CallbackInfo &info) : Napi::ObjectWrap<RingReader>(info) {
  Napi::Env env = info.Env();
  Napi::Array fds = info[0].As<Napi::Array>();
  size_t batch_bytes = 1 << 20, nbatches = 4;
  if (info.Length() > 1 && info[1].IsObject()) {
    Napi::Object o = info[1].As<Napi::Object>();
    if (o.Has("batchBytes")) batch_bytes = o.Get("batchBytes").As<Napi::Number>().Uint32Value();
    if (o.Has("batches")) nbatches = o.Get("batches").As<Napi::Number>().Uint32Value();
    if (o.Has("pollMs")) poll_ms_ = o.Get("pollMs").As<Napi::Number>().Int32Value();
  }
  if (batch_bytes < 65536) batch_bytes = 65536;
  if (nbatches < 2) nbatches = 2;
  pool_.resize(nbatches);
  for (auto &b : pool_) {
    b.buf.resize(batch_bytes);
    free_.push_back(&b);
  }
  for (uint32_t i = 0; i < fds.Length(); i++) {
    int fd = fds.Get(i).As<Napi::Number>().Int32Value();
    int err = 0;
    if (!rb_) {
      rb_ = ring_buffer__new(fd, on_record, this, nullptr);
      if (!rb_) err = errno;
    } else {
      err = ring_buffer__add(rb_, fd, on_record, this);
    }
    if (err) {
      make_error(env, "open ring buffer", err).ThrowAsJavaScriptException();
      return;
    }
  }
}

RingReader::~RingReader() {
  stop_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (rb_) ring_buffer__free(rb_);
}

Batch *RingReader::Acquire() {
  std::unique_lock<std::mutex> lk(mu_);
  // Back-pressure: while JavaScript holds every batch, records wait in the ring buffer
  // (and the kernel counts what it cannot store).
  while (free_.empty()) cv_.wait_for(lk, std::chrono::milliseconds(100));
  Batch *b = free_.front();
  free_.pop_front();
  b->used = 0;
  b->count = 0;
  b->last = false;
  return b;
}

void RingReader::Release(Batch *b) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    free_.push_back(b);
  }
  cv_.notify_one();
}

int RingReader::OnRecord(void *data, size_t size) {
  size_t need = 8 + ((size + 7) & ~size_t(7));
  if (need > cur_->buf.size()) {
    oversize_++;
    return 0;
  }
  if (cur_->used + need > cur_->buf.size()) Flush(false);
  uint8_t *p = cur_->buf.data() + cur_->used;
  uint32_t hdr[2] = {static_cast<uint32_t>(size), 0};
  memcpy(p, hdr, 8);
  memcpy(p + 8, data, size);
  cur_->used += need;
  cur_->count++;
  records_++;
  bytes_ += size;
  return 0;
}

bool RingReader::Flush(bool last) {
  Batch *b = cur_;
  b->last = last;
  batches_++;
  napi_status st = tsfn_.BlockingCall(
      b, [this](Napi::Env env, Napi::Function cb, Batch *batch) { CallJs(env, cb, this, batch); });
  if (st != napi_ok) {
    Release(b);
    cur_ = last ? nullptr : Acquire();
    return false;
  }
  cur_ = last ? nullptr : Acquire();
  return true;
}

// The kernel wakes this thread for a record that follows a quiet spell (BG_WAKEUP_NS, 2 ms) or
// when much is waiting, never once per record; a steady stream is drained every pollMs. When
// records resume after 2 ms without any (a wakeup), those that follow (an exec's fork, exec,
// exit) are picked up by polling every 1 ms for 5 ms rather than at the next pollMs; quick
// polling never re-arms itself.
void RingReader::Run() {
  using clock = std::chrono::steady_clock;
  const auto quiet = std::chrono::milliseconds(2);
  auto quick_until = clock::now();
  auto last_rec = clock::now() - quiet;
  cur_ = Acquire();
  const auto long_poll = std::chrono::milliseconds(poll_ms_);
  while (!stop_) {
    auto t0 = clock::now();
    bool quick = t0 < quick_until;
    int n = ring_buffer__poll(rb_, quick ? 1 : poll_ms_);
    int m = ring_buffer__consume(rb_);
    if (n > 0 || m > 0) {
      auto now = clock::now();
      // woken before the long timeout, after 2 ms without records: the kernel's quiet-spell
      // wakeup (a steady stream is drained at the timeout, or finds records already waiting)
      if (!quick && now - t0 < long_poll * 9 / 10 && now - last_rec >= quiet)
        quick_until = now + std::chrono::milliseconds(5);
      last_rec = now;
    }
    if (cur_->count) Flush(false);
    // a persistent poll error must not spin (EINTR is not one)
    if (n < 0 && n != -EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms_));
  }
  ring_buffer__consume(rb_);
  Flush(true);
  tsfn_.Release();
}

void RingReader::CallJs(Napi::Env env, Napi::Function cb, RingReader *self, Batch *b) {
  if (env != nullptr && b->count) {
    Napi::Buffer<uint8_t> view = Napi::Buffer<uint8_t>::New(env, b->buf.data(), b->used);
    cb.Call({view, Napi::Number::New(env, b->count)});
    view.ArrayBuffer().Detach();
    if (env.IsExceptionPending()) {
      // The poll thread never throws into JS; a throwing handler is reported, not fatal.
      Napi::Error e = env.GetAndClearPendingException();
      fprintf(stderr, "bpfguard: batch handler threw: %s\n", e.Message().c_str());
    }
  }
  bool last = b->last;
  self->Release(b);
  if (last && env != nullptr && self->stopped_) {
    if (self->thread_.joinable()) self->thread_.join();
    self->stopped_->Resolve(env.Undefined());
    delete self->stopped_;
    self->stopped_ = nullptr;
    self->Unref();
  }
}

// start(onBatch(buffer, count)): start the poll thread.
Napi::Value RingReader::Start(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (started_ || !rb_) {
    make_error(env, "start ring reader", EBUSY).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "bpfguard-ringbuf", 0, 1);
  started_ = true;
  Ref();
  thread_ = std::thread([this] { Run(); });
  return env.Undefined();
}

// stop(): Promise resolved after the final drain has been delivered.
Napi::Value RingReader::Stop(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto d = Napi::Promise::Deferred::New(env);
  if (!started_ || stop_) {
    d.Resolve(env.Undefined());
    return d.Promise();
  }
  stopped_ = new Napi::Promise::Deferred(d);
  stop_ = true;
  cv_.notify_all();
  return d.Promise();
}

Napi::Value RingReader::Stats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("records", static_cast<double>(records_.load()));
  o.Set("batches", static_cast<double>(batches_.load()));
  o.Set("bytes", static_cast<double>(bytes_.load()));
  o.Set("oversize", static_cast<double>(oversize_.load()));
  return o;
}

}  // namespace bg
