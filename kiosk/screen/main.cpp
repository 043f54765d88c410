// frontdesk-kiosk: the door's screen. A binary of its own so that the
// `frontdesk` command line never links SDL or ImGui; `frontdesk kiosk`
// starts this one with the same options.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "app/Session.h"
#include "base/Paths.h"
#include "screen/Kiosk.h"
#include "web/DoorWeb.h"
#include "web/WebServer.h"

int main(int argc, char** argv) {
  using namespace fd;
  CLI::App app{"Frontdesk kiosk: the self-service check-in screen.", "frontdesk-kiosk"};
  GlobalOptions g;
  KioskOptions k;
  std::string size, i18n, script, shots, k_camera;
  int camera_width = 1280, camera_height = 720;
  app.add_option("--data-dir", g.data_dir, "Where the store lives");
  app.add_option("--config-dir", g.config_dir, "Where frontdesk.toml and organizer.pin live");
  app.add_option("--store", g.store, "The store file itself");
  app.add_option("--event", g.event, "Event slug or name");
  app.add_option("--door", g.door, "This kiosk's door name");
  app.add_option("--window", size,
                 "Run in a closable window of WxH instead of the locked fullscreen kiosk, e.g. "
                 "800x480");
  bool locked = false;
  app.add_flag("--locked", locked,
               "With --window: lock it like the kiosk (only the organizer PIN closes it)");
  app.add_option("--lang", k.language, "Start in this language (en, de, es, ...)");
  app.add_option("--i18n-dir", i18n, "Folder of <lang>.toml translations");
  app.add_option("--script", script, "Test driver: run these steps, then exit");
  app.add_option("--shots", shots, "Where the script's screenshots go");
  app.add_option("--bench-frames", k.bench_frames,
                 "Render this many frames of a busy door and print frame times");
  app.add_flag("!--no-sound", k.sound, "Silence");
  app.add_option(
      "--camera", k_camera,
      "Webcam device (default /dev/video0), a folder of images, \"synthetic\" or \"none\"");
  std::string camera_size;
  app.add_option("--camera-size", camera_size,
                 "Picture size to ask the webcam for (default 1280x720)");
  bool display_info = false;
  app.add_flag("--display-info", display_info,
               "Print what the display and sound look like (JSON, for frontdesk doctor) and exit");
  CLI11_PARSE(app, argc, argv);
  if (display_info) {
    std::cout << display_info_json(probe_display()) << "\n";
    return 0;
  }
  if (!camera_size.empty() &&
      std::sscanf(camera_size.c_str(), "%dx%d", &camera_width, &camera_height) != 2) {
    std::cerr << "frontdesk-kiosk: --camera-size wants WxH, e.g. 1920x1080\n";
    return 2;
  }

  if (!size.empty() && std::sscanf(size.c_str(), "%dx%d", &k.width, &k.height) != 2) {
    std::cerr << "frontdesk-kiosk: --window wants WxH, e.g. 800x480\n";
    return 2;
  }
  const std::filesystem::path config_dir = resolve_config_dir(g);
  // Translations: --i18n-dir, else the shipped ones (installed, or the source
  // tree of a developer build), else a folder in the config dir.
  k.i18n_dir = !i18n.empty() ? std::filesystem::path(i18n) : translations_dir();
  if (!std::filesystem::exists(k.i18n_dir)) k.i18n_dir = config_dir / "i18n";
  k.script = script;
  k.shots_dir = shots.empty() ? std::filesystem::current_path() : std::filesystem::path(shots);
  auto session = Session::open(g);
  if (!session) {
    std::cerr << "frontdesk-kiosk: " << session.error().message << "\n";
    return 1;
  }
  k.logo = (*session)->config().logo;
  k.locked = size.empty() || locked;
  k.timings.idle = (*session)->config().idle_seconds * 1000LL;
  k.large_text = (*session)->config().large_text;
  k.config = (*session)->config();
  k.store = (*session)->store_path();
  k.camera_name = k_camera.empty() ? "/dev/video0" : k_camera;
  k.high_contrast = (*session)->config().high_contrast;
  auto setup = door_setup(**session, k_camera.empty() ? "/dev/video0" : k_camera);
  if (!setup) {
    std::cerr << "frontdesk-kiosk: " << setup.error().message << "\n";
    return 2;
  }
  k.badge = setup->badge;
  k.pin_file = setup->shell.pin_file;
  setup->shell.camera_width = camera_width;
  setup->shell.camera_height = camera_height;
  // Held in an optional so that a kiosk restarting on a joined event closes
  // it (workers, then the engine) before it replaces itself.
  std::optional<Shell> door;
  door.emplace((*session)->take_engine(), setup->shell);
  Shell& shell = *door;
  const Config& cfg = (*session)->config();
  if (cfg.web_serve) {
    // The organizer pages from this kiosk ([web] serve = true). The door
    // works without them: a failure is said, not fatal.
    DoorWebOptions wo;
    wo.listen = cfg.web_listen;
    wo.port = cfg.web_port;
    wo.loopback_port = cfg.web_loopback_port;
    wo.config_dir = config_dir;
    wo.health = [&shell] { return shell.health(); };
    if (auto web = start_door_web(shell.engine(), wo)) {
      k.web_url = web->url;
      k.web_fingerprint = web->fingerprint;
      std::cerr << "frontdesk-kiosk: organizer pages at " << web->url
                << (web->fingerprint.empty() ? ""
                                             : " (certificate SHA-256 " + web->fingerprint + ")")
                << "\n";
      std::string doors_note;
      if (auto doors = start_door_exchange(shell.engine(), *web->server, **session, doors_note)) {
        shell.add(std::move(doors));
        // The organizer screen's "Pair another door": where this door
        // answers, as the exchange offers it (start_door_exchange).
        k.pairing_code = [&engine = shell.engine(), config_dir,
                          addresses = door_addresses(web->server->endpoints())] {
          return make_pairing_code(engine, config_dir, addresses);
        };
      } else {
        k.pairing_problem = "Pairing needs the door exchange, which did not start: " + doors_note;
        if (!doors_note.empty()) std::cerr << "frontdesk-kiosk: doors: " << doors_note << "\n";
      }
      shell.add(std::move(web->server));
    } else {
      std::cerr << "frontdesk-kiosk: no organizer pages: " << web.error().message << "\n";
      k.pairing_problem =
          "Pairing needs this door's web server, which did not start: " + web.error().message;
    }
  } else {
    k.pairing_problem =
        "Pairing needs this door to serve the other doors: set serve = true under [web] in "
        "frontdesk.toml, then restart the kiosk.";
  }
  k.join = [g](const PairingCode& code) { return join_event(g, code); };
  add_unattended_workers(shell, **session);
  std::string joined;
  const int code = run_kiosk(shell, k, &joined);
  if (joined.empty()) return code;
  // An organizer joined another door's event: close this door cleanly
  // (everything acknowledged is in the store) and start again on that event.
  door.reset();
  const std::vector<std::string> args(argv, argv + argc);
  std::cerr << "frontdesk-kiosk: restarting on the event \"" << joined << "\"\n";
  const std::string why = restart_kiosk(restart_arguments(args, joined), joined);
  std::cerr << "frontdesk-kiosk: " << why << "\n";
  return 1;
}
