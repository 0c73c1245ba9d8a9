// N-API bridge: ring-buffer poll thread that hands JavaScript batches of records.
#pragma once
#include <napi.h>
#include <bpf/libbpf.h>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace bg {

struct Batch {
  std::vector<uint8_t> buf;
  size_t used = 0;
  uint32_t count = 0;
  bool last = false;
};

class RingReader : public Napi::ObjectWrap<RingReader> {
 public:
  static Napi::Object Init(Napi::Env env, Napi::Object exports);
  explicit RingReader(const Napi::CallbackInfo &info);
  ~RingReader() override;

  int OnRecord(void *data, size_t size);

 private:
  Napi::Value Start(const Napi::CallbackInfo &info);
  Napi::Value Stop(const Napi::CallbackInfo &info);
  Napi::Value Stats(const Napi::CallbackInfo &info);
  void Run();
  bool Flush(bool last);
  Batch *Acquire();
  void Release(Batch *b);
  static void CallJs(Napi::Env env, Napi::Function cb, RingReader *self, Batch *b);

  struct ring_buffer *rb_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool started_ = false;
  Napi::ThreadSafeFunction tsfn_;
  Napi::Promise::Deferred *stopped_ = nullptr;
  std::vector<Batch> pool_;
  std::deque<Batch *> free_;
  std::mutex mu_;
  std::condition_variable cv_;
  Batch *cur_ = nullptr;
  int poll_ms_ = 10;
  std::atomic<uint64_t> records_{0}, batches_{0}, bytes_{0}, oversize_{0};
};

}  // namespace bg
