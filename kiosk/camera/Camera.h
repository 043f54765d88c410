#pragma once
// The capture thread: reads frames from a source into a one-slot mailbox
// where the newest frame wins (old ones are dropped, never queued), and
// reopens the source when it fails (a webcam unplugged and plugged back).
//
// Thread-safety: latest(), state() and wait_newer() are safe from any
// thread; the capture runs on its own thread, stopped and joined by the
// destructor.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "camera/FrameSource.h"

namespace fd {

class Camera {
 public:
  using Opener = std::function<Result<std::unique_ptr<FrameSource>>()>;
  explicit Camera(Opener open);
  ~Camera();
  Camera(const Camera&) = delete;
  Camera& operator=(const Camera&) = delete;

  std::shared_ptr<const Frame> latest() const;
  // Waits for a frame newer than `sequence_seen` (or the timeout).
  std::shared_ptr<const Frame> wait_newer(std::uint64_t sequence_seen,
                                          std::chrono::milliseconds timeout) const;

  struct State {
    bool running = false;
    std::string source;   // what is capturing
    std::string problem;  // plain words when not running
  };
  State state() const;

 private:
  void loop(std::stop_token stop);

  Opener open_;
  mutable std::mutex mutex_;
  mutable std::condition_variable_any cv_;
  std::shared_ptr<const Frame> latest_;
  std::uint64_t published_ = 0;  // frames published, for wait_newer
  State state_;
  std::jthread thread_;
};

}  // namespace fd
