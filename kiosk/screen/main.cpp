// frontdesk-kiosk: the door's screen. A binary of its own so that the
// `frontdesk` command line never links SDL or ImGui; `frontdesk kiosk`
// starts this one with the same options. It only wires: the door process
// comes from shell/DoorProcess, the door's flow from flow/KioskFlow, the
// window and the drawing from screen/.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "base/Log.h"
#include "base/Paths.h"
#include "doctor/Doctor.h"
#include "flow/KioskFlow.h"
#include "i18n/Catalog.h"
#include "screen/Kiosk.h"
#include "screen/Window.h"
#include "shell/DoorProcess.h"

namespace {

using namespace fd;

struct Args {
  GlobalOptions where;
  std::string window, i18n, script, shots, camera, camera_size, language;
  bool locked = false, display_info = false, sound = true;
  int bench_frames = 0;
};

void add_options(CLI::App& app, Args& a) {
  app.add_option("--data-dir", a.where.data_dir, "Where the store lives");
  app.add_option("--config-dir", a.where.config_dir, "Where frontdesk.toml and organizer.pin live");
  app.add_option("--store", a.where.store, "The store file itself");
  app.add_option("--event", a.where.event,
                 "Event slug or name (default: the store's current event, which the door "
                 "follows when an organizer changes it)");
  app.add_option("--door", a.where.door, "This kiosk's door name");
  app.add_option("--window", a.window,
                 "Run in a closable window of WxH instead of the locked fullscreen kiosk, e.g. "
                 "800x480");
  app.add_flag("--locked", a.locked,
               "With --window: lock it like the kiosk (only the organizer PIN closes it)");
  app.add_option("--lang", a.language,
                 "The door's language (en, de, es, ...; default: [kiosk] language, else English)");
  app.add_option("--i18n-dir", a.i18n,
                 "Folder of <lang>.toml translations (default: the shipped ones, then the config "
                 "dir's i18n/)");
  app.add_option("--script", a.script, "Test driver: run these steps, then exit");
  app.add_option("--shots", a.shots, "Where the script's screenshots go");
  app.add_option("--bench-frames", a.bench_frames,
                 "Render this many frames of a busy door and print frame times");
  app.add_flag("!--no-sound", a.sound, "Silence");
  app.add_option(
      "--camera", a.camera,
      "Webcam device (default /dev/video0), a folder of images, \"synthetic\" or \"none\"");
  app.add_option("--camera-size", a.camera_size,
                 "Picture size to ask the webcam for (default 1280x720)");
  app.add_flag("--display-info", a.display_info,
               "Print what the display and sound look like (JSON, for frontdesk doctor) and exit");
}

// The door checks of the organizer screen: `frontdesk doctor` on the
// running door (its camera watched as it runs, its window's screen).
std::function<DoctorReport()> door_checks(DoorProcess& door, const std::string& camera_name,
                                          const DisplayInfo& display) {
  DoctorOptions d;
  d.config = door.config();
  d.store = door.store_path();
  d.camera_name = door.shell().camera() ? camera_name : "none";
  d.camera = door.shell().camera();
  d.label = door.badge().label;
  d.display = display;
  return [d, &engine = door.shell().engine()]() mutable {
    d.clock_peers = door_clock_peers(engine.peers().get());
    return run_doctor(d);
  };
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  set_log_program("frontdesk-kiosk");
  CLI::App app{"Frontdesk kiosk: the self-service check-in screen.", "frontdesk-kiosk"};
  Args a;
  add_options(app, a);
  CLI11_PARSE(app, argc, argv);
  if (a.display_info) {
    std::cout << display_info_json(probe_display()) << "\n";
    return 0;
  }
  DoorProcessOptions door_options;
  door_options.where = a.where;
  door_options.camera = a.camera.empty() ? "/dev/video0" : a.camera;
  if (!a.camera_size.empty() &&
      std::sscanf(a.camera_size.c_str(), "%dx%d", &door_options.camera_width,
                  &door_options.camera_height) != 2) {
    std::cerr << "frontdesk-kiosk: --camera-size wants WxH, e.g. 1920x1080\n";
    return 2;
  }
  WindowOptions wo;
  if (!a.window.empty() && std::sscanf(a.window.c_str(), "%dx%d", &wo.width, &wo.height) != 2) {
    std::cerr << "frontdesk-kiosk: --window wants WxH, e.g. 800x480\n";
    return 2;
  }
  wo.locked = a.window.empty() || a.locked;
  wo.vsync = a.script.empty() && a.bench_frames == 0;

  // Translations: --i18n-dir, else the shipped ones (installed, or the source
  // tree of a developer build) with the config dir's i18n/ laid over them.
  const std::vector<std::filesystem::path> i18n = !a.i18n.empty()
                                                      ? std::vector<std::filesystem::path>{a.i18n}
                                                      : catalogue_dirs(resolve_config_dir(a.where));
  door_options.language = a.language;  // the organizer pages speak it too
  door_options.i18n_dirs = i18n;
  Script script;
  if (!a.script.empty()) {
    auto loaded = Script::load(a.script);
    if (!loaded) {
      log_error(loaded.error().message);
      return 2;
    }
    script = std::move(*loaded);
  }

  install_stop_signals();
  auto window = Window::open(wo);
  if (!window) return 1;
  std::optional<std::pair<bool, std::string>> joined;
  for (;;) {
    auto door = DoorProcess::open(door_options);
    if (!door) {
      std::cerr << "frontdesk-kiosk: " << door.error().message << "\n";
      return door.error().code.rfind("badge.", 0) == 0 ? 2 : 1;
    }
    DoorProcess& d = **door;
    if (const auto& j = d.join_result())
      joined = *j ? std::pair{true, describe(**j) + "."} : std::pair{false, j->error().message};
    const Config& cfg = d.config();
    KioskOptions k;
    k.locked = wo.locked;
    k.shots_dir =
        a.shots.empty() ? std::filesystem::current_path() : std::filesystem::path(a.shots);
    k.sound = a.sound;
    k.logo = cfg.logo;
    k.bench_frames = a.bench_frames;
    k.started = started;
    if (d.served()) {
      k.web_url = d.served()->url;
      k.web_fingerprint = d.served()->fingerprint;
      log_notice(
          "organizer pages at " + k.web_url +
          (k.web_fingerprint.empty() ? "" : " (certificate SHA-256 " + k.web_fingerprint + ")"));
    } else if (cfg.web_serve) {
      log_warning("no organizer pages: " + d.web_problem());
    }
    if (!d.doors_note().empty() && d.served()) log_notice("doors: " + d.doors_note());
    KioskFlowOptions f;
    f.timings.idle = cfg.idle_seconds * 1000LL;
    f.language = !a.language.empty() ? a.language : cfg.language;
    f.i18n_dirs = i18n;
    f.large_text = cfg.large_text;
    f.high_contrast = cfg.high_contrast;
    f.badge = d.badge();
    f.pin_file = d.pin_file();
    if (d.exchange_running())
      f.pairing_code = [&d] { return d.pairing_code(); };
    else
      f.pairing_problem = "Pairing needs this door to serve the other doors. " + d.web_problem();
    f.run_checks = door_checks(d, door_options.camera, current_display());
    f.moved_to = [&d] { return d.moved_to(); };
    f.wake = &Window::wake;
    f.joined = std::exchange(joined, std::nullopt);
    d.shell().inbox().set_wake(&Window::wake);
    KioskEnd end;
    {
      KioskFlow flow(d.shell(), f);
      end = run_kiosk(*window, d.shell(), flow, k, script);
      if (!end.restart || stop_signal()) return end.exit_code;
      door_options.join = flow.restart_to_join();
      if (door_options.join)
        std::cerr << "frontdesk-kiosk: restarting on the event \"" << door_options.join->event_slug
                  << "\"\n";
      else
        std::cerr << "frontdesk-kiosk: restarting on the event \"" << flow.moved_to_event()
                  << "\"\n";
    }
    // The door process closes (workers, then the engine: everything
    // acknowledged is in the store) before the next one opens.
    door->reset();
    script.note_restart();  // a test script carries on in the door opened again
  }
}
