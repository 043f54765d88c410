#pragma once
// The kiosk window: SDL2 + OpenGL 3 + Dear ImGui on the main thread. Each
// frame it drains the shell's inbox (scans, decisions, PIN checks, badge
// previews), reads input, reads the engine's latest snapshot once and draws
// the door's flow. It never waits on the engine, the disk or the camera.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "badge/BadgeTemplate.h"
#include "config/Config.h"
#include "doctor/Doctor.h"
#include "doors/Join.h"
#include "flow/DoorFlow.h"
#include "shell/Shell.h"

namespace fd {

struct KioskOptions {
  int width = 0, height = 0;  // 0: fullscreen on the desktop's size
  std::string language = "en";
  std::filesystem::path i18n_dir;   // config/i18n
  std::filesystem::path pin_file;   // organizer PIN hash (to say when none is set)
  std::filesystem::path script;     // test driver: steps to run, screenshots to take
  std::filesystem::path shots_dir;  // where script screenshots go
  bool sound = true;
  std::filesystem::path logo;                      // PNG next to the event's name
  BadgeTemplate badge = default_badge_template();  // for the preview on the welcome screen
  int bench_frames = 0;  // >0: render this many frames of a busy door and print timings
  // The organizer pages this kiosk serves ([web] serve = true): shown on the
  // organizer screen as a QR code with the certificate's fingerprint.
  std::string web_url;
  std::string web_fingerprint;
  // --- Unattended --------------------------------------------------------
  // A kiosk closes only from the organizer dashboard: Alt+F4, Ctrl+Q and
  // the window manager's close are ignored. Off for a development window
  // (--window) unless --locked.
  bool locked = true;
  DoorTimings timings;                             // [kiosk] idle_seconds
  bool large_text = false, high_contrast = false;  // the door's default modes
  // For the organizer's door checks (the same as `frontdesk doctor`).
  Config config;
  std::filesystem::path store;
  std::string camera_name;
  // --- Pairing doors (the organizer screen) --------------------------------
  // This door's pairing code, made on the task thread when an organizer
  // asks for it. Null when the kiosk runs no door exchange (it does not
  // serve): pairing_problem then says why, in plain words.
  std::function<Result<PairingCode>()> pairing_code;
  std::string pairing_problem;
  // Joins the event of a scanned pairing code, on the task thread.
  std::function<Result<JoinReport>(const PairingCode&)> join;
  // When the process started (main's first line): "ready in N ms" counts from here.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// The display and sound as SDL sees them (`frontdesk-kiosk --display-info`
// for `frontdesk doctor`): initialises SDL, looks, and shuts it down.
DisplayInfo probe_display();

// Runs until the organizer exits kiosk mode, the window is closed, or the
// script ends. Returns a process exit code. `joined_event` is set when an
// organizer joined another door's event from the organizer screen: the
// caller closes the shell (the engine last) and restarts the kiosk on it.
int run_kiosk(Shell& shell, const KioskOptions& options, std::string* joined_event = nullptr);

// The kiosk's command line to restart with on `event_slug`: argv with its
// --event replaced (or added).
std::vector<std::string> restart_arguments(const std::vector<std::string>& argv,
                                           const std::string& event_slug);
// Replaces this process with the kiosk binary (/proc/self/exe) on those
// arguments, telling the new one it was restarted (FRONTDESK_KIOSK_RESTARTED,
// which a test script reads). Returns only on failure, with why.
std::string restart_kiosk(const std::vector<std::string>& arguments, const std::string& event_slug);

}  // namespace fd
