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

struct WorkerHealth {
  std::string name;  // "Printer", "Sync (pretix)", "Organizer web", "Doors"
  bool ok = true;
  std::string message;  // plain words: "Printing", "Offline since 18:42 — retrying"
};

class Worker {
 public:
  virtual ~Worker() = default;
  virtual WorkerHealth health() const = 0;
};

}  // namespace fd
