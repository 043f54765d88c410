#pragma once
// What the door checks found (`frontdesk doctor`, the organizer screen's
// "Door checks"): values the doctor makes and the kiosk draws, so that the
// screen needs none of the doctor's workings.
#include <string>
#include <vector>

#include "base/Time.h"

namespace fd {

enum class CheckStatus { Ok, Warn, Fail, Skip };
const char* to_string(CheckStatus s);  // "ok", "warn", "fail", "skip"

struct Check {
  std::string area;  // config, camera, printer, clock, disk, network, screen, sound
  std::string name;  // "Picture", "Labels", "Synchronised", ...
  CheckStatus status = CheckStatus::Ok;
  std::string summary;  // what was found: "1280x720 at 30 fps"
  std::string fix;      // what to do, when not ok
};

struct DoctorReport {
  std::vector<Check> checks;
  TimeMs at = 0;
  double seconds = 0;  // how long the checks took
  bool ready() const;  // no check failed
};

// What the kiosk's window knows about the screen (SDL); the CLI asks
// `frontdesk-kiosk --display-info` for it.
struct DisplayInfo {
  std::string driver;  // x11, wayland, kmsdrm, offscreen
  int width = 0, height = 0;
  float vdpi = 0;  // 0: unknown
  int touch_devices = 0;
  int audio_outputs = 0;
  std::string audio_driver;
  std::string problem;  // no display at all, in plain words
};

}  // namespace fd
