#pragma once
// Copies of the store for the evening that loses its SD card: SQLite's
// online backup API, so a copy taken while the door runs is one consistent
// moment of the store (the copy reads one snapshot; WAL lets the door keep
// committing meanwhile), written under a temporary name, synced, verified
// and only then renamed into place. A restore says what a copy holds before
// it replaces anything, and keeps the current store aside.
//
// Each function opens its own connections and closes them before it
// returns: the backup worker runs it on its own thread, the CLI in its
// process, while the door's engine keeps its connection.
//
// Thread-safety: free functions with no shared state; safe from any thread.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/Time.h"

namespace fd {

// What a store file holds, read without changing it.
struct StoreSummary {
  std::filesystem::path file;
  std::uintmax_t bytes = 0;
  int schema = 0;
  bool intact = false;    // PRAGMA integrity_check said ok
  std::string problem;    // when not intact, in plain words
  std::string device_id;  // the door that wrote it
  struct EventCounts {
    std::string slug, name;
    int attendees = 0;
    int checked_in = 0;       // check-ins not annulled
    TimeMs last_checkin = 0;  // 0: none
  };
  std::vector<EventCounts> events;
  int log_entries = 0;      // check-ins and annulments, all events
  TimeMs last_checkin = 0;  // newest log entry, all events; 0: none
};

// Opens `file` read-only and describes it. An unreadable or foreign file is
// an Error; a damaged SQLite file is a summary with intact == false.
Result<StoreSummary> inspect_store(const std::filesystem::path& file);

// Copies the store into `to_file` (a complete file when this returns ok,
// never a half-written one: a temporary next to it is renamed into place),
// then checks the copy. Directories are created owner-only; the copy is
// owner-only (it holds attendees' e-mail addresses).
Result<StoreSummary> backup_store(const std::filesystem::path& store,
                                  const std::filesystem::path& to_file);

// "frontdesk-20261129-183012.db": a name that sorts by time.
std::string backup_file_name(TimeMs at);
// The backups in `dir` made by backup_file_name, newest first.
std::vector<std::filesystem::path> list_backups(const std::filesystem::path& dir);
// Deletes all but the newest `keep` backups in `dir`; returns how many went.
int prune_backups(const std::filesystem::path& dir, int keep);

// True when another process has the store open (a running kiosk): a store
// must not be replaced under a door that is writing to it.
bool store_in_use(const std::filesystem::path& store);

// Replaces the store with a copy's contents. The copy must be intact; the
// current store (with whatever its WAL holds) is first saved to `aside`.
// Refuses while another process has the store open.
Result<StoreSummary> restore_store(const std::filesystem::path& copy,
                                   const std::filesystem::path& store,
                                   const std::filesystem::path& aside);

}  // namespace fd
