// frontdesk pin set: the organizer PIN that opens the kiosk's dashboard.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "auth/Pin.h"
#include "base/Paths.h"

namespace fd {
namespace {

// Reads a line without echo when a person types it; as is from a pipe.
std::string read_secret(const char* prompt) {
  const bool tty = ::isatty(0);
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(0, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(0, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(0, TCSANOW, &old);
    std::cerr << "\n";
  }
  return line;
}

}  // namespace

void add_pin_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "pin", "Set the organizer PIN of the kiosk's dashboard (or the volunteer code)");
  auto* set = cmd->add_subcommand(
      "set", "Set the PIN (4 to 12 digits), read from the terminal or standard input");
  cmd->require_subcommand(1);
  // The volunteer code: checks people in by hand and reprints on the
  // organizer pages, but cannot undo, export or see e-mail addresses.
  auto volunteer = std::make_shared<bool>(false);
  auto yes = std::make_shared<bool>(false);
  set->add_flag("--volunteer", *volunteer,
                "Set the weaker volunteer code of the organizer pages instead");
  set->add_flag("--yes", *yes, "Keep a PIN that is easy to guess (1234, 0000, 2580, a year, ...)");
  set->callback([&g, &exit_status, volunteer, yes] {
    const std::filesystem::path dir =
        g.config_dir.empty() ? default_config_dir() : std::filesystem::path(g.config_dir);
    const std::filesystem::path file = dir / (*volunteer ? "volunteer.pin" : "organizer.pin");
    const std::string pin =
        read_secret(*volunteer ? "New volunteer code: " : "New organizer PIN: ");
    if (::isatty(0) && read_secret("Again: ") != pin) {
      std::cerr << "frontdesk: the two entries differ; nothing changed\n";
      exit_status = exit_code::usage;
      return;
    }
    const char* what = *volunteer ? "volunteer code" : "organizer PIN";
    if (const std::string why = guessable_pin(pin); !why.empty()) {
      // The phone pages answer anyone on the venue's Wi-Fi: a PIN from the
      // top of every guessing list opens them.
      if (!*yes) {
        std::cerr << "frontdesk: not saved: this " << what << " is easy to guess (" << why
                  << "). Choose another, e.g. six digits that are not a date or a pattern; to "
                  << "keep it anyway: " << frontdesk_command(g) << " pin set"
                  << (*volunteer ? " --volunteer" : "") << " --yes\n";
        exit_status = exit_code::usage;
        return;
      }
      std::cerr << "frontdesk: warning: this " << what << " is easy to guess (" << why
                << "); kept as asked\n";
    }
    auto saved = save_pin(file, pin);
    if (!saved) {
      std::cerr << "frontdesk: " << saved.error().message << "\n";
      exit_status = exit_code::usage;
      return;
    }
    // Never echo the PIN itself: only where its hash went.
    std::cout << (*volunteer ? "Volunteer code" : "Organizer PIN") << " saved (hashed) in "
              << file.string() << "\n";
    exit_status = exit_code::ok;
  });
}

}  // namespace fd
