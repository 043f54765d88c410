#pragma once
// Exit codes of `frontdesk`, documented in `frontdesk --help` and doc/guide.md.
// Keep the three in step.
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
    "  9  doctor: the door is not ready (a check failed)\n";
}  // namespace fd::exit_code
