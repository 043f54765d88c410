#pragma once
// The kiosk window: SDL2 + OpenGL 3 + Dear ImGui on the main thread. Each
// frame it reads the engine's latest snapshot, draws the door's flow and
// posts commands; it never waits on the engine, the disk or the network.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "badge/BadgeTemplate.h"
#include "engine/Engine.h"

namespace fd {

struct KioskOptions {
  int width = 0, height = 0;  // 0: fullscreen on the desktop's size
  std::string language = "en";
  std::filesystem::path i18n_dir;   // config/i18n
  std::filesystem::path pin_file;   // organizer PIN hash
  std::filesystem::path script;     // test driver: steps to run, screenshots to take
  std::filesystem::path shots_dir;  // where script screenshots go
  bool sound = true;
  std::filesystem::path logo;                      // PNG next to the event's name
  BadgeTemplate badge = default_badge_template();  // for the preview on the welcome screen
  // Camera: a V4L2 device path, "synthetic" (generated scenes showing the
  // tickets below), a folder of images, or "none". Empty: /dev/video0.
  std::string camera;
  std::vector<std::string> synthetic_codes;
  int camera_width = 1280, camera_height = 720;  // what to ask a webcam for
  int bench_frames = 0;  // >0: render this many frames of a busy door and print timings
};

// Runs until the organizer exits kiosk mode, the window is closed, or the
// script ends. Returns a process exit code.
int run_kiosk(Engine& engine, const KioskOptions& options);

}  // namespace fd
