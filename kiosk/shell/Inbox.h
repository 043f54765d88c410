#pragma once
// What reaches the door's main thread from the threads of its process: one
// queue, drained once per frame, so the screen only draws and never waits.
//
// Thread-safety: push() from any thread; drain() from the owner's thread.
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "base/Error.h"
#include "base/Time.h"
#include "doctor/Doctor.h"
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
// The organizer PIN typed at the kiosk, checked off the UI thread.
struct PinChecked {
  bool ok = false;
};
// A welcome screen's badge preview, drawn off the UI thread.
struct BadgePreviewDrawn {
  std::string checkin_uuid;
  Result<std::string> png = Error{"badge.none", "not drawn"};
};
// Something a worker wants the person at the kiosk to know (a pairing
// scanned, a sync that needs a token), in plain words.
struct Notice {
  std::string text;
};

// The door checks (frontdesk doctor) run off the UI thread.
struct DoorChecked {
  DoctorReport report;
};

// The headcount forecast, made off the UI thread (it reads the group's
// history from the engine); the screen words it in its language.
struct ForecastMade {
  bool any = false;  // false: nothing to forecast from (no RSVPs)
  int expected = 0, low = 0, high = 0;
  TimeMs full_at = 0;  // 0: not expected to fill
  bool full_now = false, may_fill = false;
};

// Pairing doors from the organizer screen, off the UI thread: this door's
// pairing code to show (or why there is none), and how joining a scanned
// code's event went (event_slug set when it worked: the kiosk switches to it).
struct PairingCodeMade {
  Result<std::string> code = Error{"pairing.none", "not made"};
};
struct DoorJoined {
  Result<std::string> summary = Error{"pairing.none", "not joined"};
  std::string event_slug;
};

using ShellEvent = std::variant<CodeScanned, Decided, PinChecked, BadgePreviewDrawn, Notice,
                                DoorChecked, ForecastMade, PairingCodeMade, DoorJoined>;

class Inbox {
 public:
  void push(ShellEvent e) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
  }
  std::vector<ShellEvent> drain() {
    std::vector<ShellEvent> out;
    std::lock_guard lock(mutex_);
    out.swap(events_);
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<ShellEvent> events_;
};

}  // namespace fd
