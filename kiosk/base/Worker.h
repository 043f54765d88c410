#pragma once
// A long-running part of a door process that the shell owns: the print
// worker, the sync worker, the web server, the door exchange. Each owns its
// thread(s), names them, and stops and joins them in its destructor; the
// shell destroys workers in the reverse order it added them, before the
// engine they talk to.
//
// Thread-safety: health() is called from the UI or web threads while the
// worker runs; implementations guard what it reads.
#include <string>

namespace fd {

// Which worker a health line is about: screens and logs decide by this,
// never by matching the words of the message.
enum class WorkerKind { Other, Printer, Sync, Web, Doors, Backup };

struct WorkerHealth {
  std::string name;  // "Printer", "Sync (pretix)", "Organizer web", "Doors"
  bool ok = true;
  std::string message;  // plain words: "Printing", "Offline since 18:42 — retrying"
  WorkerKind kind = WorkerKind::Other;
  // Doors: another door has not been heard from, so this door's figures
  // may be missing its check-ins (a clock that is off does not count).
  bool counts_may_be_low = false;
  bool operator==(const WorkerHealth&) const = default;
};

class Worker {
 public:
  virtual ~Worker() = default;
  virtual WorkerHealth health() const = 0;
};

}  // namespace fd
