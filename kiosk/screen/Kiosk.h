#pragma once
// The kiosk's frame loop: each frame it lets the flow drain what arrived
// (flow/KioskFlow.h), reads input, reads one snapshot and draws. It never
// waits on the engine, the disk or the camera, and when nothing changes or
// moves it does not draw at all: it sleeps until an input event, a wake-up
// from another thread or the flow's next timeout.
#include <chrono>
#include <filesystem>
#include <string>

#include "flow/KioskFlow.h"
#include "screen/Script.h"
#include "screen/Window.h"
#include "shell/Shell.h"

namespace fd {

struct KioskOptions {
  // A kiosk closes only from the organizer dashboard: Alt+F4, Ctrl+Q and
  // the window manager's close are ignored. Off for a development window
  // (--window) unless --locked.
  bool locked = true;
  std::filesystem::path shots_dir;  // where script screenshots go
  bool sound = true;
  std::filesystem::path logo;  // PNG next to the event's name
  int bench_frames = 0;        // >0: render this many frames of a busy door and print timings
  // The organizer pages this kiosk serves ([web] serve = true): shown on the
  // organizer screen as a QR code with the certificate's fingerprint.
  std::string web_url;
  std::string web_fingerprint;
  // When the process started (main's first line): "ready in N ms" counts from here.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// Why run_kiosk returned.
struct KioskEnd {
  int exit_code = 0;
  // The flow asked for the door process to be opened again
  // (KioskFlow::restart): the caller closes it and opens the next.
  bool restart = false;
};

// Runs until the organizer exits kiosk mode, the window is closed (an
// unlocked one), the script ends, SIGTERM/SIGINT, or the flow asks for a
// restart. `script` carries on across restarts.
KioskEnd run_kiosk(Window& window, Shell& shell, KioskFlow& flow, const KioskOptions& options,
                   Script& script);

// SIGTERM (systemctl stop) and SIGINT close the kiosk even when it ignores
// the window manager's close (SDL, whose handlers are off, would turn both
// into the same SDL_QUIT). Install once, before the window opens.
void install_stop_signals();
// The signal that asked the kiosk to stop, 0 when none did.
int stop_signal();

}  // namespace fd
