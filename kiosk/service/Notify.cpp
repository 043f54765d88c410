#include "service/Notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace fd {

ServiceNotifier::ServiceNotifier() {
  supervised_ = std::getenv("NOTIFY_SOCKET") != nullptr;
  std::uint64_t usec = 0;
  // > 0 only when WATCHDOG_USEC is set for this very process (WATCHDOG_PID).
  if (sd_watchdog_enabled(0, &usec) > 0) watchdog_ = std::chrono::microseconds(usec);
}

void ServiceNotifier::ready(const std::string& status) {
  if (!supervised_) return;
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
  last_ping_ = std::chrono::steady_clock::now();
  if (watchdog_.count()) sd_notify(0, "WATCHDOG=1");
}

void ServiceNotifier::alive() {
  if (!watchdog_.count()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ping_ < watchdog_ / 4) return;
  last_ping_ = now;
  sd_notify(0, "WATCHDOG=1");
}

void ServiceNotifier::status(const std::string& status) {
  if (supervised_) sd_notify(0, ("STATUS=" + status).c_str());
}

void ServiceNotifier::stopping() {
  if (supervised_) sd_notify(0, "STOPPING=1");
}

}  // namespace fd
