#include "shell/Tasks.h"

#include <pthread.h>

namespace fd {

Tasks::Tasks(Inbox& inbox) : inbox_(inbox) {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-tasks");
}

Tasks::~Tasks() {
  thread_.request_stop();
  cv_.notify_all();
}

void Tasks::run(std::function<ShellEvent()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

bool Tasks::busy() const {
  std::lock_guard lock(mutex_);
  return running_job_ || !jobs_.empty();
}

void Tasks::loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::function<ShellEvent()> job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, stop, [&] { return !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      running_job_ = true;
    }
    try {
      inbox_.push(job());
    } catch (const std::exception& e) {
      inbox_.push(Notice{std::string("A background task failed: ") + e.what()});
    }
    std::lock_guard lock(mutex_);
    running_job_ = false;
  }
}

}  // namespace fd
