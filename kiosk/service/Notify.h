#pragma once
// Tells systemd how a door process is doing (sd_notify(3) through
// libsystemd): READY=1 once the door shows its ready screen, WATCHDOG=1 from
// the loop that must never hang (the kiosk's frame loop), so that with
// `WatchdogSec=` a hung UI thread is killed and restarted, and STOPPING=1 on
// the way out. Outside systemd (no NOTIFY_SOCKET) every call does nothing.
//
// Thread-safety: call from the one loop it watches.
#include <chrono>
#include <string>

namespace fd {

class ServiceNotifier {
 public:
  ServiceNotifier();
  // Whether a supervisor listens at all, and its watchdog interval (0: none).
  bool supervised() const { return supervised_; }
  std::chrono::microseconds watchdog_interval() const { return watchdog_; }

  void ready(const std::string& status);
  // Cheap enough to call every frame: sends at most every quarter interval.
  void alive();
  void status(const std::string& status);
  void stopping();

 private:
  bool supervised_ = false;
  std::chrono::microseconds watchdog_{0};
  std::chrono::steady_clock::time_point last_ping_{};
};

}  // namespace fd
