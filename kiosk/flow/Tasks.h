#pragma once
// Background work of the kiosk that must not run on the frame loop (Argon2
// PIN checks, badge previews, the forecast, door checks, pairing): one named
// thread, jobs in order. A job returns what to do with its result on the
// owner's thread; drain() runs those there, once per frame, so results
// never need locks.
//
// Thread-safety: run() from any thread; drain() from the owner's thread.
// The destructor finishes the job in hand, drops the rest, and joins.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fd {

class Tasks {
 public:
  using Done = std::function<void()>;  // runs on the owner's thread
  using Job = std::function<Done()>;   // runs on the task thread

  // `wake`: called on the task thread after each job, so a waiting frame
  // loop hears that a result is there. `failed`: what a job's exception
  // becomes, on the owner's thread.
  explicit Tasks(std::function<void()> wake = {},
                 std::function<void(const std::string&)> failed = {});
  ~Tasks();
  Tasks(const Tasks&) = delete;
  Tasks& operator=(const Tasks&) = delete;

  void run(Job job);
  // Runs the results that arrived since the last call; true when any did.
  bool drain();
  // A job waits, runs, or has a result not drained yet.
  bool busy() const;

 private:
  void loop(std::stop_token stop);
  std::function<void()> wake_;
  std::function<void(const std::string&)> failed_;
  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  std::deque<Job> jobs_;
  std::vector<Done> done_;
  bool running_job_ = false;
  std::jthread thread_;  // last: started after everything above exists
};

}  // namespace fd
