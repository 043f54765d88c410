#include "flow/Tasks.h"

#include <pthread.h>

namespace fd {

Tasks::Tasks(std::function<void()> wake, std::function<void(const std::string&)> failed)
    : wake_(std::move(wake)), failed_(std::move(failed)) {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-tasks");
}

Tasks::~Tasks() {
  thread_.request_stop();
  cv_.notify_all();
}

void Tasks::run(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

bool Tasks::drain() {
  std::vector<Done> done;
  {
    std::lock_guard lock(mutex_);
    done.swap(done_);
  }
  for (Done& d : done)
    if (d) d();
  return !done.empty();
}

bool Tasks::busy() const {
  std::lock_guard lock(mutex_);
  return running_job_ || !jobs_.empty() || !done_.empty();
}

void Tasks::loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, stop, [&] { return !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      running_job_ = true;
    }
    Done done;
    try {
      done = job();
    } catch (const std::exception& e) {
      // A failing job is said where the door can show it, not lost.
      done = [f = failed_, what = std::string(e.what())] {
        if (f) f("A background task failed: " + what);
      };
    }
    {
      std::lock_guard lock(mutex_);
      done_.push_back(std::move(done));
      running_job_ = false;
    }
    if (wake_) wake_();
  }
}

}  // namespace fd
