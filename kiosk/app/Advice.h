#pragma once
// Commands the program suggests ("go ahead with: frontdesk import ... --yes")
// must work as printed, on this machine, now: they carry the global options
// (--data-dir, --config-dir, --store, --event, --door) this run was given.
#include <string>

#include "shell/Session.h"

namespace fd {

// A word as a POSIX shell reads it back: quoted only when it has to be.
std::string shell_word(const std::string& s);
// "frontdesk" with this run's global options; `with_event` false when the
// suggestion names the event itself.
std::string frontdesk_command(const GlobalOptions& g, bool with_event = true);
// The example frontdesk.toml that ships with Frontdesk (installed, or the
// source tree's), to name where every setting is explained.
std::string example_config();

}  // namespace fd
