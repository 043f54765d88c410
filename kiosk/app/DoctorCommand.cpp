// frontdesk doctor: is this door ready? Every check in plain words with what
// to fix; exit 0 only when nothing failed; --json for scripts and dashboards.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "camera/Camera.h"
#include "doctor/Doctor.h"
#include "shell/Shell.h"

namespace fd {
namespace {

// The screen and sound are the kiosk's business (the CLI never links SDL):
// `frontdesk-kiosk --display-info` answers for them.
std::optional<DisplayInfo> ask_kiosk_about_display() {
  if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return std::nullopt;
  if (const auto kiosk = kiosk_binary(); !kiosk.empty()) {
    FILE* p = ::popen(("'" + kiosk.string() + "' --display-info 2>/dev/null").c_str(), "r");
    std::string out;
    if (p) {
      char buf[1024];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
      ::pclose(p);
    }
    if (auto d = parse_display_info(out)) return *d;
  }
  DisplayInfo none;
  none.problem = "The kiosk screen (frontdesk-kiosk) could not describe the display";
  return none;
}

}  // namespace

void add_doctor_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "doctor", "Check everything the door needs (camera, printer, clock, disk, network, screen)");
  struct Args {
    std::string camera = "/dev/video0";
    std::string camera_size;
    bool test_label = false;
    bool json = false;
    bool no_display = false;
    int camera_seconds = 3;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--camera", a->camera,
                  "The webcam the kiosk uses (default /dev/video0), a folder, synthetic or none");
  cmd->add_option("--camera-size", a->camera_size, "Picture size to ask for (default 1280x720)");
  cmd->add_option("--camera-seconds", a->camera_seconds,
                  "How long to watch the camera (default 3)");
  cmd->add_flag("--test-label", a->test_label, "Print a test label on the configured printer");
  cmd->add_flag("--json", a->json, "Machine-readable output");
  cmd->add_flag("--no-display", a->no_display, "Skip the screen and sound checks");
  cmd->callback([&g, &exit_status, a] {
    // A config that does not read is the first thing doctor reports; the
    // other checks go on with the defaults.
    DoctorOptions o;
    o.config_file = resolve_config_dir(g) / "frontdesk.toml";
    auto config = load_config(o.config_file, false);
    if (!config) {
      o.config_error = config.error().message;
      config = Config{};
    }
    if (!g.door.empty()) config->door = g.door;
    o.config = *config;
    o.store = resolve_store_path(g, *config);
    o.test_label = a->test_label;
    o.camera_watch = std::chrono::seconds(std::clamp(a->camera_seconds, 1, 20));
    // The badge template's label, as the kiosk would load it.
    const auto tfile = !config->badge_template.empty() ? config->badge_template
                                                       : resolve_config_dir(g) / "badge.toml";
    o.label = default_badge_template().label;
    if (std::filesystem::exists(tfile)) {
      if (auto t = load_badge_template(tfile)) o.label = t->label;
    }
    ShellOptions so;
    so.camera = a->camera;
    if (!a->camera_size.empty() &&
        std::sscanf(a->camera_size.c_str(), "%dx%d", &so.camera_width, &so.camera_height) != 2) {
      std::cerr << "frontdesk: --camera-size wants WxH, e.g. 1280x720\n";
      exit_status = exit_code::usage;
      return;
    }
    std::unique_ptr<Camera> camera;
    if (a->camera == "synthetic") {
      // A test ticket held in view the whole time: the reading check has
      // something to read (the demo's scenes come and go).
      SyntheticOptions test;
      test.codes = {"FRONTDESK-DOCTOR-TEST"};
      test.show_frames = 100000;
      test.gap_frames = 1;
      camera = std::make_unique<Camera>(
          [test] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(test)); });
    } else if (auto opener = camera_opener(so, {})) {
      camera = std::make_unique<Camera>(opener);
    }
    // The other doors of the event, when this store has one that was paired.
    if (std::filesystem::exists(o.store) && o.config_error.empty())
      if (auto s = Session::open(g)) o.clock_peers = door_clock_peers((*s)->engine().peers().get());
    o.camera_name = a->camera;
    o.camera = camera.get();
    if (!a->no_display) o.display = ask_kiosk_about_display();
    if (!a->json && !g.quiet)
      std::cerr << "Checking the door (about " << a->camera_seconds + 2 << " s)…\n";
    const DoctorReport report = run_doctor(o);
    std::cout << (a->json ? report_json(report) + "\n" : report_text(report));
    exit_status = report.ready() ? exit_code::ok : exit_code::not_ready;
  });
}

}  // namespace fd
