#pragma once
// Background work of a door process that must not run on the UI thread
// (Argon2 PIN checks, badge previews): one named thread, jobs in order, each
// job's result delivered to the inbox. Replaces unowned std::async calls.
//
// Thread-safety: run() from any thread. The destructor finishes the job in
// hand, drops the rest, and joins.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "shell/Inbox.h"

namespace fd {

class Tasks {
 public:
  explicit Tasks(Inbox& inbox);
  ~Tasks();
  Tasks(const Tasks&) = delete;
  Tasks& operator=(const Tasks&) = delete;

  void run(std::function<ShellEvent()> job);
  bool busy() const;

 private:
  void loop(std::stop_token stop);
  Inbox& inbox_;
  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  std::deque<std::function<ShellEvent()>> jobs_;
  bool running_job_ = false;
  std::jthread thread_;
};

}  // namespace fd
