#include "camera/Camera.h"

#include <pthread.h>

namespace fd {

Camera::Camera(Opener open) : open_(std::move(open)) {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-camera");
}

Camera::~Camera() {
  thread_.request_stop();
  cv_.notify_all();
}

std::shared_ptr<const Frame> Camera::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

std::shared_ptr<const Frame> Camera::wait_newer(std::uint64_t seen,
                                                std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return latest_ && published_ > seen; });
  return latest_;
}

Camera::State Camera::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void Camera::loop(std::stop_token stop) {
  std::chrono::milliseconds backoff(500);
  while (!stop.stop_requested()) {
    auto source =
        open_ ? open_()
              : Result<std::unique_ptr<FrameSource>>(Error{"camera.none", "No camera configured"});
    if (!source) {
      {
        std::lock_guard lock(mutex_);
        state_ = {false, "", source.error().message};
      }
      // Try again, less often the longer it stays away.
      std::mutex m;
      std::unique_lock l(m);
      std::condition_variable_any().wait_for(l, stop, backoff, [] { return false; });
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
      continue;
    }
    backoff = std::chrono::milliseconds(500);
    {
      std::lock_guard lock(mutex_);
      state_ = {true, (*source)->describe(), ""};
    }
    while (!stop.stop_requested()) {
      auto frame = (*source)->next(std::chrono::milliseconds(2000));
      if (!frame) {
        std::lock_guard lock(mutex_);
        state_ = {false, "", frame.error().message};
        break;  // reopen
      }
      // Every published frame gets a fresh number, also across reopens.
      {
        std::lock_guard lock(mutex_);
        frame->source_sequence = frame->sequence;
        frame->sequence = ++published_;
        latest_ = std::make_shared<const Frame>(std::move(*frame));
      }
      cv_.notify_all();
    }
  }
}

}  // namespace fd
