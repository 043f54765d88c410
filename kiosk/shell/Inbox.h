#pragma once
// What reaches the door's owner thread (the kiosk's frame loop) from the
// threads of its process: the scanner's codes and the engine's decisions,
// in one queue drained once per frame, so the screen never waits.
//
// Thread-safety: push() from any thread; drain() and set_wake() from the
// owner's thread (set_wake before the threads that push start).
#include <functional>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "engine/Decision.h"
#include "model/CheckIn.h"

namespace fd {

// A code the camera's scanner read (past tense: it happened).
struct CodeScanned {
  std::string text;
  Method method = Method::Qr;
};
// The engine's answer to a command the shell posted.
struct Decided {
  Decision decision;
};

using ShellEvent = std::variant<CodeScanned, Decided>;

class Inbox {
 public:
  void push(ShellEvent e) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
      wake = wake_;
    }
    if (wake) wake();
  }
  std::vector<ShellEvent> drain() {
    std::vector<ShellEvent> out;
    std::lock_guard lock(mutex_);
    out.swap(events_);
    return out;
  }
  // Called after each push, on the pushing thread: how an idle frame loop
  // that waits for events hears that something arrived.
  void set_wake(std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    wake_ = std::move(wake);
  }

 private:
  std::mutex mutex_;
  std::vector<ShellEvent> events_;
  std::function<void()> wake_;
};

}  // namespace fd
