#pragma once
// Exit codes of `frontdesk`, documented in `frontdesk --help` and doc/guide.md.
// Keep the three in step.
#include <string>
#include <string_view>

#include "base/Error.h"

namespace fd::exit_code {
constexpr int ok = 0;          // done; for checkin: admitted
constexpr int failure = 1;     // could not do it: unreadable file, store error, bug
constexpr int usage = 2;       // bad command line or config
constexpr int refused = 3;     // checkin refused: unknown ticket, cancelled, wrong event, full, ...
constexpr int already_in = 4;  // checkin: the person was already in
constexpr int partial = 5;     // import: done, but some rows were skipped (see the report)
constexpr int not_found = 6;   // search / undo / event: nothing matched
constexpr int sync_incomplete = 7;  // sync push: time ran out with check-ins still queued
constexpr int sync_refused = 8;  // sync push: queue done, but a service refused some (dead letters)
constexpr int not_ready = 9;     // doctor: the door is not ready (a check failed)
// import, sync pull, walkin: held back, nothing changed (it would cancel more than a
// tenth of the list, holds no attendees, or is older than the list; --yes
// goes ahead)
constexpr int held = 10;

// The exit code of an error that stops a command before it starts: a bad
// configuration is 2 (as a bad command line), an unknown event 6, the rest 1.
inline int of(const Error& e) {
  if (e.code.rfind("config.", 0) == 0) return usage;
  if (e.code.rfind("event.", 0) == 0) return not_found;
  return failure;
}

constexpr const char* help_text =
    "Exit codes:\n"
    "  0  done (checkin: admitted)\n"
    "  1  failure: unreadable file, store error\n"
    "  2  bad command line or configuration\n"
    "  3  checkin refused (unknown ticket, cancelled, wrong event, room full, ...)\n"
    "  4  checkin: already checked in\n"
    "  5  import done, but some rows were skipped (listed with their line numbers)\n"
    "  6  nothing matched (search, undo, unknown event)\n"
    "  7  sync push: time ran out with check-ins still waiting to be sent\n"
    "  8  sync push: everything tried, but a service refused some (see sync status)\n"
    "  9  doctor: the door is not ready (a check failed)\n"
    " 10  import held back, nothing changed (it would cancel more than a tenth of the list,\n"
    "     holds no attendees, or is older than the list; --yes goes ahead); sync pull likewise\n";

// The codes one subcommand can end with, for its own --help (the full list
// is the top-level help's).
inline std::string for_command(std::string_view command) {
  const std::string_view codes =
      command == "import"    ? "0 imported, 5 imported but some rows were skipped, 10 held back "
                               "(nothing changed; --yes goes ahead), 1 unreadable file, 2 bad "
                               "options or configuration"
      : command == "checkin" ? "0 admitted, 3 refused, 4 already checked in, 6 unknown event, 1 "
                               "store error, 2 bad options or configuration"
      : command == "undo"    ? "0 undone, 6 nothing to undo, 1 store error"
      : command == "walkin"  ? "0 admitted, 3 refused (the room is full), 2 no name given"
      : command == "search"  ? "0 found, 6 no one matches"
      : command == "sync"    ? "0 done, 10 pull held back (nothing changed; --yes goes ahead), 7 "
                               "time ran out with check-ins still waiting (push), 8 a service "
                               "refused some (push), 1 failure, 2 bad configuration"
      : command == "doctor"  ? "0 the door is ready, 9 the door is not ready, 2 bad options"
      : command == "pin"     ? "0 saved, 2 not saved (not 4 to 12 digits, the two entries "
                               "differ, or easy to guess without --yes)"
                             : "0 done, 1 failure, 2 bad options or configuration, 6 unknown event";
  return "Exit codes: " + std::string(codes) + " (frontdesk --help lists them all).";
}
}  // namespace fd::exit_code
