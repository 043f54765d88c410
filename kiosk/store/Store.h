#pragma once
// The store owns the SQLite file; nothing else opens it. One file per kiosk
// holds every event the group has run, the people seen across them, and the
// append-only check-in log with the work that must follow each check-in
// (badge jobs, sync outbox rows), written in the same transaction.
//
// Thread-safety: a Store is used by one thread at a time (the engine's).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/Time.h"
#include "import/AttendeeRow.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fd {

struct EventRecord {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  TimeMs starts_at = 0;  // 0: unknown
  int capacity = 0;      // 0: no limit
};

struct AttendeeRecord {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::int64_t person_id = 0;  // 0: not linked to a person
  std::string source;
  std::string external_id;
  std::string ticket_code;
  std::string first_name;
  std::string last_name;
  std::string full_name;
  std::string email;
  std::string company;
  std::string ticket_type;
  std::string role;
  Rsvp rsvp = Rsvp::Yes;
  int guests = 0;
  bool walk_in = false;
};

enum class CheckInKind { CheckIn, Annul };
enum class Method { Qr, Scanner, Search, WalkIn, Manual };
const char* to_string(Method m);
Method method_from_string(const std::string& s);

// One row of the log.
struct LogEntry {
  std::int64_t seq = 0;
  std::string uuid;
  std::int64_t event_id = 0;
  std::int64_t attendee_id = 0;
  CheckInKind kind = CheckInKind::CheckIn;
  std::string ref_uuid;  // Annul: the check-in it cancels
  std::string device_id;
  std::string door;
  Method method = Method::Qr;
  TimeMs at = 0;
};

struct MergeReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int cancelled = 0;    // became cancelled / no in this import (or pruned)
  int not_in_file = 0;  // on the list before, absent from this file
  int errors = 0;       // rows the file could not give us
};

struct BadgeJob {
  std::int64_t id = 0;
  std::int64_t attendee_id = 0;
  std::string checkin_uuid;
  std::string reason;  // checkin, reprint
  int attempts = 0;
  std::string printer_job;  // set once a printer accepted it
};

struct Counts {
  int badge_jobs_open = 0;
  int badge_jobs_failed = 0;
  int outbox_pending = 0;
  int outbox_dead = 0;
};

class Store {
 public:
  // Opens (creating if needed) the store file and brings its schema up to
  // date. ":memory:" gives a throwaway store for tests.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& file);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;
  static int latest_schema_version();
  const std::string& device_id() const { return device_id_; }

  std::optional<std::string> meta(const std::string& key) const;
  void set_meta(const std::string& key, const std::string& value);

  // Events.
  std::vector<EventRecord> events() const;
  std::optional<EventRecord> event_by_slug(const std::string& slug) const;
  std::optional<EventRecord> event_by_id(std::int64_t id) const;
  EventRecord create_event(const std::string& slug, const std::string& name);
  void update_event(const EventRecord& e);

  // Attendees. merge_attendees is one transaction: it adds new people,
  // updates changed ones by (source, external_id), and never touches the log.
  std::vector<AttendeeRecord> attendees(std::int64_t event_id) const;
  std::optional<AttendeeRecord> attendee(std::int64_t id) const;
  MergeReport merge_attendees(std::int64_t event_id, const ImportBatch& batch,
                              const std::string& file_name, bool prune_missing);
  // Another event's attendee holding this ticket code, to say "wrong event".
  std::optional<AttendeeRecord> attendee_by_code_elsewhere(std::int64_t event_id,
                                                           const std::string& code) const;

  // The log. Each append is one durable transaction that also enqueues the
  // badge job (check-ins) and the sync outbox row; it returns only after
  // the commit, so a caller may acknowledge to a person.
  LogEntry append_checkin(std::int64_t event_id, std::int64_t attendee_id, const std::string& door,
                          Method method, TimeMs at);
  LogEntry append_annul(const LogEntry& checkin, const std::string& door, TimeMs at);
  // Adds a walk-in to the list and checks them in, in one transaction.
  std::pair<AttendeeRecord, LogEntry> add_walk_in(std::int64_t event_id, const AttendeeRecord& who,
                                                  const std::string& door, TimeMs at);
  std::vector<LogEntry> log(std::int64_t event_id) const;
  std::optional<LogEntry> log_entry(const std::string& uuid) const;
  void enqueue_reprint(const LogEntry& checkin);
  // The print worker's side of the queue. claim_badge_job takes the oldest
  // queued job and marks it printing; a job already sent to a printer
  // (printer_job set) comes back first so it is followed, not re-sent.
  std::optional<BadgeJob> claim_badge_job(TimeMs now);
  void set_badge_printer_job(std::int64_t id, const std::string& printer_job);
  // state: done, queued (to retry), failed (the printer gave up).
  void finish_badge_job(std::int64_t id, const std::string& state, const std::string& error,
                        TimeMs now);
  // After a restart, jobs left "printing" go back to the queue.
  void requeue_interrupted_badge_jobs();
  int badges_printed(std::int64_t attendee_id) const;

  // How many distinct events this person was checked in at (annulled ones
  // do not count), and how many they RSVP'd yes to and never came.
  int events_attended(std::int64_t person_id) const;
  int rsvps_not_honoured(std::int64_t person_id, std::int64_t except_event_id) const;

  Counts counts() const;
  // PRAGMA integrity_check == "ok", and every check-in has its badge job and
  // outbox row. Used by the crash test and `frontdesk doctor`.
  Result<bool> verify() const;

 private:
  explicit Store(std::unique_ptr<SQLite::Database> db);
  void migrate();
  LogEntry insert_checkin(std::int64_t event_id, std::int64_t attendee_id, const std::string& door,
                          Method method, TimeMs at);
  std::int64_t person_for(const AttendeeRow& row, const std::string& source, TimeMs now);

  std::unique_ptr<SQLite::Database> db_;
  // Declared after db_ so that it is finalized before the database closes.
  std::unique_ptr<SQLite::Statement> person_upsert_;
  std::string device_id_;
};

}  // namespace fd
