// frontdesk kiosk: opens the door's screen. The screen is its own binary
// (frontdesk-kiosk, next to this one) so that this command line never links
// SDL or ImGui; this passes the same options on and replaces the process.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <vector>

#include "app/Commands.h"
#include "app/ExitCodes.h"

namespace fd {

std::filesystem::path kiosk_binary() {
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  for (const auto& c : {self.parent_path() / "frontdesk-kiosk",
                        self.parent_path().parent_path() / "screen" / "frontdesk-kiosk"})
    if (std::filesystem::exists(c)) return c;
  return {};
}

int exec_kiosk(const GlobalOptions& g, const std::vector<std::string>& kiosk_args) {
  std::vector<std::string> args{"frontdesk-kiosk"};
  auto add = [&](const char* flag, const std::string& v) {
    if (!v.empty()) {
      args.push_back(flag);
      args.push_back(v);
    }
  };
  add("--data-dir", g.data_dir);
  add("--config-dir", g.config_dir);
  add("--store", g.store);
  add("--event", g.event);
  add("--door", g.door);
  for (const auto& extra : kiosk_args) args.push_back(extra);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (const auto kiosk = kiosk_binary(); !kiosk.empty()) ::execv(kiosk.c_str(), argv.data());
  std::cerr
      << "frontdesk: the kiosk screen (frontdesk-kiosk) is not installed next to this program\n";
  return exit_code::failure;
}

void add_kiosk_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("kiosk", "Open the check-in screen (fullscreen)");
  // Everything after `kiosk` belongs to frontdesk-kiosk (--camera, --window,
  // --lang, ...): stop parsing there. allow_extras() alone is not enough, as
  // the fallthrough() it inherits hands unknown options back to `frontdesk`.
  cmd->fallthrough(false);
  cmd->prefix_command();
  // --help too: frontdesk-kiosk lists its own options (camera, window,
  // language), which this command passes on.
  cmd->set_help_flag();
  cmd->callback([&g, &exit_status, cmd] { exit_status = exec_kiosk(g, cmd->remaining()); });
}

}  // namespace fd
