// frontdesk demo: the demo event in a store of its own, and the kiosk on it.
// What scripts/start does for a source checkout, for an installed copy: the
// attendee list and logo are the shipped ones (base/Paths.h demo_dir()).
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "auth/Pin.h"
#include "base/Paths.h"
#include "import/Importer.h"

namespace fd {
namespace {

constexpr const char* kDemoEvent = "PyMeetup Demo Night";
constexpr const char* kDemoPin = "1234";
constexpr int kDemoCapacity = 320;

bool have_display() {
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}

int run_demo(GlobalOptions g, bool no_kiosk, std::vector<std::string> kiosk_args) {
  namespace fs = std::filesystem;
  const fs::path demo = demo_dir();
  const fs::path list = demo / "attendees.csv";
  std::error_code ec;
  if (!fs::exists(list, ec)) {
    std::cerr << "frontdesk: the demo's attendee list is missing (" << list.string()
              << "); is frontdesk fully installed?\n";
    return exit_code::failure;
  }
  // The demo never touches the real store or configuration: a data dir of
  // its own, with its configuration inside.
  if (g.data_dir.empty())
    g.data_dir = (default_data_dir().parent_path() / "frontdesk-demo").string();
  if (g.config_dir.empty()) g.config_dir = (fs::path(g.data_dir) / "config").string();
  g.event = kDemoEvent;
  const fs::path config_dir = g.config_dir;
  try {
    ensure_private_dir(g.data_dir);
    ensure_private_dir(config_dir);
  } catch (const fs::filesystem_error& e) {
    std::cerr << "frontdesk: cannot create the demo's folder: " << e.what() << "\n";
    return exit_code::failure;
  }
  if (!fs::exists(config_dir / "organizer.pin", ec)) {
    if (auto saved = save_pin(config_dir / "organizer.pin", kDemoPin); !saved) {
      std::cerr << "frontdesk: " << saved.error().message << "\n";
      return exit_code::failure;
    }
  }
  // Badges "print" as PDFs into a folder; set [printer] name to a real
  // printer in this file to print labels.
  if (!fs::exists(config_dir / "frontdesk.toml", ec)) {
    std::ofstream toml(config_dir / "frontdesk.toml");
    toml << "# The demo's configuration (written by `frontdesk demo`).\n[kiosk]\nlogo = \""
         << (demo / "logo.png").string()
         << "\"\n\n[printer]\nname = \"folder:" << (fs::path(g.data_dir) / "badges").string()
         << "\"\n";
    if (!toml) {
      std::cerr << "frontdesk: cannot write " << (config_dir / "frontdesk.toml").string() << "\n";
      return exit_code::failure;
    }
  }
  // Imported every time: a merge, so nothing changes after the first.
  auto batch = read_attendee_file(list, ImportOptions{});
  if (!batch) {
    std::cerr << "frontdesk: " << batch.error().message << "\n";
    return exit_code::failure;
  }
  auto session = Session::open(g, {.create_event = true});
  if (!session) {
    std::cerr << "frontdesk: " << session.error().message << "\n";
    return exit_code::failure;
  }
  Engine& engine = (*session)->engine();
  const Decision d = engine.run(MergeImport{std::move(*batch), list.string(), false});
  if (d.verdict != Verdict::Imported) {
    std::cerr << "frontdesk: " << d.message << "\n";
    return exit_code::failure;
  }
  if (d.import.added > 0) engine.run(SetEventDetails{"", kDemoCapacity, -1});
  const auto snap = engine.snapshot();
  const std::string flags =
      "--data-dir " + shell_word(g.data_dir) + " --config-dir " + shell_word(g.config_dir);
  if (!g.quiet)
    std::cerr << "The demo event: " << snap->event.name << ", " << snap->rsvp_yes << " RSVPs, "
              << snap->checked_in << " checked in (store in " << g.data_dir << ").\n";
  if (no_kiosk || !have_display()) {
    // Someone on the list who has not come yet, to try the door with.
    std::string code, name;
    for (const AttendeeRecord& a : engine.attendees().get())
      if (!a.ticket_code.empty() && a.rsvp == Rsvp::Yes && code.empty() && !snap->presence(a.id)) {
        code = a.ticket_code;
        name = a.last_name.empty() ? a.full_name : a.last_name;
      }
    std::cout << (have_display() ? "" : "No display here, so no kiosk. ")
              << "Try the demo from the command line:\n";
    if (!code.empty())
      std::cout << "  frontdesk " << flags << " checkin " << shell_word(code) << "\n";
    if (!name.empty())
      std::cout << "  frontdesk " << flags << " search " << shell_word(name) << "\n";
    std::cout << "  frontdesk " << flags << " stats\n";
    return exit_code::ok;
  }
  if (!g.quiet)
    std::cerr << "Organizer dashboard: F2 or a long press on the top-left corner, PIN " << kDemoPin
              << ".\n";
  // Without a webcam, a synthetic camera shows demo tickets every few seconds.
  bool camera_given = false;
  for (const auto& a : kiosk_args) camera_given = camera_given || a.rfind("--camera", 0) == 0;
  if (!camera_given && !fs::exists("/dev/video0", ec)) {
    std::cerr << "No webcam found: a synthetic camera shows demo tickets.\n";
    kiosk_args.insert(kiosk_args.begin(), {"--camera", "synthetic"});
  }
  session->reset();  // the kiosk opens the store itself
  return exec_kiosk(g, kiosk_args);
}

}  // namespace

void add_demo_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "demo", "Try Frontdesk on a demo event: a store of its own, the kiosk on it (PIN 1234)");
  auto no_kiosk = std::make_shared<bool>(false);
  cmd->add_flag("--no-kiosk", *no_kiosk, "Prepare the demo and say how to use it; no kiosk");
  cmd->footer(
      "The demo lives in $XDG_DATA_HOME/frontdesk-demo (or --data-dir), never in your own "
      "store. Options after these go to the kiosk: --window 800x480, --lang de, --camera DEV.");
  // Like `kiosk`: what this command does not know belongs to frontdesk-kiosk.
  cmd->fallthrough(false);
  cmd->prefix_command();
  cmd->callback([&g, &exit_status, cmd, no_kiosk] {
    exit_status = run_demo(g, *no_kiosk, cmd->remaining());
  });
}

}  // namespace fd
