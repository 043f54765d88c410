#include "store/Store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "base/Uuid.h"
#include "store/Migrations.h"

namespace fd {

namespace {

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string col(SQLite::Statement& q, int i) { return q.getColumn(i).getString(); }

constexpr const char* kAttendeeColumns =
    "id, event_id, COALESCE(person_id, 0), source, external_id, ticket_code, first_name, "
    "last_name, full_name, email, company, ticket_type, role, rsvp, guests, walk_in";

AttendeeRecord read_attendee(SQLite::Statement& q) {
  AttendeeRecord a;
  a.id = q.getColumn(0).getInt64();
  a.event_id = q.getColumn(1).getInt64();
  a.person_id = q.getColumn(2).getInt64();
  a.source = col(q, 3);
  a.external_id = col(q, 4);
  a.ticket_code = col(q, 5);
  a.first_name = col(q, 6);
  a.last_name = col(q, 7);
  a.full_name = col(q, 8);
  a.email = col(q, 9);
  a.company = col(q, 10);
  a.ticket_type = col(q, 11);
  a.role = col(q, 12);
  a.rsvp = rsvp_from_string(col(q, 13));
  a.guests = q.getColumn(14).getInt();
  a.walk_in = q.getColumn(15).getInt() != 0;
  return a;
}

constexpr const char* kLogColumns =
    "seq, uuid, event_id, attendee_id, kind, COALESCE(ref_uuid, ''), device_id, door, method, at";

LogEntry read_log(SQLite::Statement& q) {
  LogEntry e;
  e.seq = q.getColumn(0).getInt64();
  e.uuid = col(q, 1);
  e.event_id = q.getColumn(2).getInt64();
  e.attendee_id = q.getColumn(3).getInt64();
  e.kind = kind_from_string(col(q, 4));
  e.ref_uuid = col(q, 5);
  e.device_id = col(q, 6);
  e.door = col(q, 7);
  e.method = method_from_string(col(q, 8));
  e.at = q.getColumn(9).getInt64();
  return e;
}

EventRecord read_event(SQLite::Statement& q) {
  EventRecord e;
  e.id = q.getColumn(0).getInt64();
  e.slug = col(q, 1);
  e.name = col(q, 2);
  e.starts_at = q.getColumn(3).isNull() ? 0 : q.getColumn(3).getInt64();
  e.capacity = q.getColumn(4).getInt();
  return e;
}

constexpr const char* kEventColumns = "id, slug, name, starts_at, capacity";

// The outbox row carries what any connector needs to tell the service,
// without a join at delivery time: the service's own ids.
std::string outbox_payload(SQLite::Database& db, const LogEntry& e) {
  SQLite::Statement q(db,
                      "SELECT a.source, a.external_id, a.ticket_code, ev.slug FROM attendees a "
                      "JOIN events ev ON ev.id = a.event_id WHERE a.id = ?");
  q.bind(1, e.attendee_id);
  nlohmann::json j;
  j["uuid"] = e.uuid;
  j["kind"] = to_string(e.kind);
  j["ref_uuid"] = e.ref_uuid;
  j["at"] = iso8601_utc(e.at);
  j["door"] = e.door;
  j["device"] = e.device_id;
  j["method"] = to_string(e.method);
  if (q.executeStep()) {
    j["source"] = col(q, 0);
    j["external_id"] = col(q, 1);
    j["ticket_code"] = col(q, 2);
    j["event"] = col(q, 3);
  }
  return j.dump();
}

}  // namespace

Store::Store(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
Store::~Store() = default;

Store::Tx::Tx(Store& store, bool write) : store_(store), outermost_(store.tx_depth_ == 0) {
  if (outermost_) store_.db_->exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
  ++store_.tx_depth_;
}

Store::Tx::~Tx() {
  --store_.tx_depth_;
  if (done_ || !outermost_) return;
  try {
    store_.db_->exec("ROLLBACK");
  } catch (...) {  // NOLINT(bugprone-empty-catch): destructors never throw
  }
}

void Store::Tx::commit() {
  if (done_) return;
  done_ = true;
  if (outermost_) store_.db_->exec("COMMIT");
}

Store::Tx Store::begin_write() { return Tx(*this, true); }
Store::Tx Store::begin_read() { return Tx(*this, false); }

std::int64_t Store::data_version() const {
  return db_->execAndGet("PRAGMA data_version").getInt64();
}

std::int64_t Store::next_attendee_rev(std::int64_t event_id) {
  SQLite::Statement q(*db_, "SELECT COALESCE(MAX(rev), 0) + 1 FROM attendees WHERE event_id = ?");
  q.bind(1, event_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& file) {
  try {
    const bool in_memory = file == ":memory:";
    if (!in_memory && file.has_parent_path())
      std::filesystem::create_directories(file.parent_path());
    // Attendee data is personal: the file (and its WAL) are the owner's only.
    const mode_t old_mask = ::umask(077);
    // NOMUTEX: a Store is used by one thread at a time (see Store.h).
    auto db = std::make_unique<SQLite::Database>(
        file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    db->exec("PRAGMA journal_mode=WAL");
    ::umask(old_mask);
    // FULL: a check-in is acknowledged to a person only after its commit,
    // and must survive a power cut, not only a process kill.
    db->exec("PRAGMA synchronous=FULL");
    db->exec("PRAGMA foreign_keys=ON");
    // Big imports touch every page of three indexes; 2 MB of cache thrashes.
    db->exec("PRAGMA cache_size=-32000");
    // Another process's write (an import of thousands of rows) holds the lock
    // for a second or two; wait for it rather than fail the door.
    db->setBusyTimeout(10000);
    std::unique_ptr<Store> store(new Store(std::move(db)));
    store->migrate();
    return store;
  } catch (const std::exception& e) {
    return Error{"store.open", "Cannot open the store " + file.string() + ": " + e.what()};
  }
}

int Store::latest_schema_version() {
  return migrations().empty() ? 0 : migrations().back().version;
}

int Store::schema_version() const { return db_->execAndGet("PRAGMA user_version").getInt(); }

void Store::migrate() {
  // Under the write lock: two processes opening a new store at once must
  // not both create its tables or both pick a device id.
  Tx tx = begin_write();
  const int current = schema_version();
  if (current > latest_schema_version())
    throw std::runtime_error("the store was written by a newer Frontdesk (schema " +
                             std::to_string(current) + "); upgrade Frontdesk to open it");
  for (const Migration& m : migrations()) {
    if (m.version <= current) continue;
    db_->exec(m.sql);
    db_->exec("PRAGMA user_version = " + std::to_string(m.version));
  }
  if (auto id = meta("device_id")) {
    device_id_ = *id;
  } else {
    device_id_ = new_uuid();
    set_meta("device_id", device_id_);
  }
  if (auto epoch = meta("log_epoch")) {
    log_epoch_ = *epoch;
  } else {
    log_epoch_ = new_uuid();
    set_meta("log_epoch", log_epoch_);
  }
  tx.commit();
}

std::optional<std::string> Store::meta(const std::string& key) const {
  SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
  q.bind(1, key);
  if (q.executeStep()) return col(q, 0);
  return std::nullopt;
}

void Store::set_meta(const std::string& key, const std::string& value) {
  SQLite::Statement q(*db_,
                      "INSERT INTO meta(key, value) VALUES(?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  q.bind(1, key);
  q.bind(2, value);
  q.exec();
}

std::vector<EventRecord> Store::events() const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kEventColumns + " FROM events ORDER BY id");
  std::vector<EventRecord> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::optional<EventRecord> Store::event_by_slug(const std::string& slug) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kEventColumns + " FROM events WHERE slug = ?");
  q.bind(1, slug);
  if (q.executeStep()) return read_event(q);
  return std::nullopt;
}

std::optional<EventRecord> Store::event_by_id(std::int64_t id) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kEventColumns + " FROM events WHERE id = ?");
  q.bind(1, id);
  if (q.executeStep()) return read_event(q);
  return std::nullopt;
}

EventRecord Store::create_event(const std::string& slug, const std::string& name) {
  SQLite::Statement q(*db_, "INSERT INTO events(slug, name, created_at) VALUES(?, ?, ?)");
  q.bind(1, slug);
  q.bind(2, name);
  q.bind(3, now_ms());
  q.exec();
  return *event_by_slug(slug);
}

void Store::update_event(const EventRecord& e) {
  SQLite::Statement q(*db_, "UPDATE events SET name = ?, starts_at = ?, capacity = ? WHERE id = ?");
  q.bind(1, e.name);
  if (e.starts_at) {
    q.bind(2, e.starts_at);
  } else {
    q.bind(2);
  }
  q.bind(3, e.capacity);
  q.bind(4, e.id);
  q.exec();
}

std::vector<AttendeeRecord> Store::attendees(std::int64_t event_id) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kAttendeeColumns +
                                " FROM attendees WHERE event_id = ? ORDER BY id");
  q.bind(1, event_id);
  std::vector<AttendeeRecord> out;
  while (q.executeStep()) out.push_back(read_attendee(q));
  return out;
}

AttendeeChanges Store::attendees_since(std::int64_t event_id, std::int64_t rev) const {
  AttendeeChanges out;
  out.rev = rev;
  SQLite::Statement q(*db_, std::string("SELECT ") + kAttendeeColumns +
                                ", rev FROM attendees WHERE event_id = ? AND rev > ? ORDER BY id");
  q.bind(1, event_id);
  q.bind(2, rev);
  while (q.executeStep()) {
    out.rows.push_back(read_attendee(q));
    out.rev = std::max(out.rev, q.getColumn(16).getInt64());
  }
  return out;
}

std::optional<AttendeeRecord> Store::attendee(std::int64_t id) const {
  SQLite::Statement q(*db_,
                      std::string("SELECT ") + kAttendeeColumns + " FROM attendees WHERE id = ?");
  q.bind(1, id);
  if (q.executeStep()) return read_attendee(q);
  return std::nullopt;
}

std::optional<AttendeeRecord> Store::attendee_by_code_elsewhere(std::int64_t event_id,
                                                                const std::string& code) const {
  if (code.empty()) return std::nullopt;
  SQLite::Statement q(*db_, std::string("SELECT ") + kAttendeeColumns +
                                " FROM attendees WHERE ticket_code = ? AND event_id <> ? LIMIT 1");
  q.bind(1, code);
  q.bind(2, event_id);
  if (q.executeStep()) return read_attendee(q);
  return std::nullopt;
}

std::int64_t Store::person_for(const AttendeeRow& row, const std::string& source, TimeMs now) {
  std::string identity;
  if (!row.member_id.empty()) {
    identity = source + ":" + row.member_id;
  } else if (!row.email.empty()) {
    identity = "email:" + lower_ascii(row.email);
  } else {
    return 0;
  }
  // Prepared once per store: an import calls this for every row.
  if (!person_upsert_)
    person_upsert_ = std::make_unique<SQLite::Statement>(
        *db_,
        "INSERT INTO people(identity, display_name, first_seen) VALUES(?, ?, ?) "
        "ON CONFLICT(identity) DO UPDATE SET display_name = excluded.display_name "
        "RETURNING id");
  SQLite::Statement& q = *person_upsert_;
  q.reset();
  q.bind(1, identity);
  q.bind(2, row.full_name);
  q.bind(3, now);
  q.executeStep();
  const std::int64_t id = q.getColumn(0).getInt64();
  while (q.executeStep()) {
  }
  q.reset();
  return id;
}

MergeReport Store::merge_attendees(std::int64_t event_id, const ImportBatch& batch,
                                   const std::string& file_name, bool prune_missing) {
  MergeReport report;
  report.errors = static_cast<int>(batch.errors.size());
  const TimeMs now = now_ms();
  const std::string source = batch.source.empty() ? "csv" : batch.source;

  Tx tx = begin_write();
  // One revision for the whole import: readers catch up on it at once.
  const std::int64_t rev = next_attendee_rev(event_id);
  std::unordered_map<std::string, AttendeeRecord> existing;
  {
    SQLite::Statement q(*db_, std::string("SELECT ") + kAttendeeColumns +
                                  " FROM attendees WHERE event_id = ? AND source = ?");
    q.bind(1, event_id);
    q.bind(2, source);
    while (q.executeStep()) {
      AttendeeRecord a = read_attendee(q);
      std::string key = a.external_id;
      existing.emplace(std::move(key), std::move(a));
    }
  }
  SQLite::Statement insert(
      *db_,
      "INSERT INTO attendees(event_id, person_id, source, external_id, "
      "ticket_code, first_name, last_name, full_name, email, company, "
      "ticket_type, role, rsvp, guests, walk_in, created_at, updated_at, rev) "
      "VALUES(?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)");
  SQLite::Statement update(
      *db_,
      "UPDATE attendees SET person_id = NULLIF(?, 0), ticket_code = ?, "
      "first_name = ?, last_name = ?, full_name = ?, email = ?, company = ?, "
      "ticket_type = ?, role = ?, rsvp = ?, guests = ?, updated_at = ?, rev = ? "
      "WHERE id = ?");
  std::unordered_map<std::string, bool> seen;
  seen.reserve(batch.rows.size());
  for (const AttendeeRow& row : batch.rows) {
    if (!seen.emplace(row.external_id, true).second) continue;  // a file listing someone twice
    const std::int64_t person = person_for(row, source, now);
    auto it = existing.find(row.external_id);
    if (it == existing.end()) {
      insert.bind(1, event_id);
      insert.bind(2, person);
      insert.bind(3, source);
      insert.bind(4, row.external_id);
      insert.bind(5, row.ticket_code);
      insert.bind(6, row.first_name);
      insert.bind(7, row.last_name);
      insert.bind(8, row.full_name);
      insert.bind(9, row.email);
      insert.bind(10, row.company);
      insert.bind(11, row.ticket_type);
      insert.bind(12, row.role);
      insert.bind(13, to_string(row.rsvp));
      insert.bind(14, row.guests);
      insert.bind(15, now);
      insert.bind(16, now);
      insert.bind(17, rev);
      insert.exec();
      insert.reset();
      ++report.added;
      continue;
    }
    const AttendeeRecord& a = it->second;
    const bool same = a.person_id == person && a.ticket_code == row.ticket_code &&
                      a.first_name == row.first_name && a.last_name == row.last_name &&
                      a.full_name == row.full_name && a.email == row.email &&
                      a.company == row.company && a.ticket_type == row.ticket_type &&
                      a.role == row.role && a.rsvp == row.rsvp && a.guests == row.guests;
    if (same) {
      ++report.unchanged;
      continue;
    }
    const bool now_cancelled = (row.rsvp == Rsvp::Cancelled || row.rsvp == Rsvp::No) &&
                               !(a.rsvp == Rsvp::Cancelled || a.rsvp == Rsvp::No);
    update.bind(1, person);
    update.bind(2, row.ticket_code);
    update.bind(3, row.first_name);
    update.bind(4, row.last_name);
    update.bind(5, row.full_name);
    update.bind(6, row.email);
    update.bind(7, row.company);
    update.bind(8, row.ticket_type);
    update.bind(9, row.role);
    update.bind(10, to_string(row.rsvp));
    update.bind(11, row.guests);
    update.bind(12, now);
    update.bind(13, rev);
    update.bind(14, a.id);
    update.exec();
    update.reset();
    ++report.updated;
    if (now_cancelled) ++report.cancelled;
  }
  for (const auto& [key, a] : existing) {
    if (seen.count(key)) continue;
    ++report.not_in_file;
    // A signed ticket's holder admitted before any list knew them ("sig:")
    // is not the list's to cancel.
    if (prune_missing && a.rsvp != Rsvp::Cancelled && a.external_id.rfind("sig:", 0) != 0) {
      SQLite::Statement q(
          *db_, "UPDATE attendees SET rsvp = 'cancelled', updated_at = ?, rev = ? WHERE id = ?");
      q.bind(1, now);
      q.bind(2, rev);
      q.bind(3, a.id);
      q.exec();
      ++report.cancelled;
    }
  }
  SQLite::Statement log(*db_,
                        "INSERT INTO imports(event_id, source, file_name, added, updated, "
                        "cancelled, errors, at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  log.bind(1, event_id);
  log.bind(2, source);
  log.bind(3, file_name);
  log.bind(4, report.added);
  log.bind(5, report.updated);
  log.bind(6, report.cancelled);
  log.bind(7, report.errors);
  log.bind(8, now);
  log.exec();
  tx.commit();
  return report;
}

LogEntry Store::append_checkin(std::int64_t event_id, std::int64_t attendee_id,
                               const std::string& door, Method method, TimeMs at) {
  Tx tx = begin_write();
  LogEntry e = insert_checkin(event_id, attendee_id, door, method, at);
  tx.commit();
  return e;
}

// The log row, its badge job and its outbox row; the caller holds the
// transaction that makes them one.
LogEntry Store::insert_checkin(std::int64_t event_id, std::int64_t attendee_id,
                               const std::string& door, Method method, TimeMs at) {
  LogEntry e;
  e.uuid = new_uuid();
  e.event_id = event_id;
  e.attendee_id = attendee_id;
  e.kind = CheckInKind::CheckIn;
  e.device_id = device_id_;
  e.door = door;
  e.method = method;
  e.at = at;

  SQLite::Statement q(*db_,
                      "INSERT INTO checkins(uuid, event_id, attendee_id, kind, device_id, door, "
                      "method, at) VALUES(?, ?, ?, 'checkin', ?, ?, ?, ?)");
  q.bind(1, e.uuid);
  q.bind(2, event_id);
  q.bind(3, attendee_id);
  q.bind(4, e.device_id);
  q.bind(5, door);
  q.bind(6, to_string(method));
  q.bind(7, at);
  q.exec();
  e.seq = db_->getLastInsertRowid();

  SQLite::Statement badge(*db_,
                          "INSERT INTO badge_jobs(checkin_uuid, attendee_id, reason, created_at, "
                          "updated_at) VALUES(?, ?, 'checkin', ?, ?)");
  badge.bind(1, e.uuid);
  badge.bind(2, attendee_id);
  badge.bind(3, at);
  badge.bind(4, at);
  badge.exec();

  SQLite::Statement out(*db_,
                        "INSERT INTO outbox(idempotency_key, event_id, kind, payload, created_at) "
                        "VALUES(?, ?, 'checkin', ?, ?)");
  out.bind(1, e.uuid);
  out.bind(2, event_id);
  out.bind(3, outbox_payload(*db_, e));
  out.bind(4, at);
  out.exec();
  return e;
}

LogEntry Store::append_annul(const LogEntry& checkin, const std::string& door, TimeMs at) {
  return append_reference(checkin, CheckInKind::Annul, door, at);
}

LogEntry Store::append_move(const LogEntry& checkin, CheckInKind kind, const std::string& door,
                            TimeMs at) {
  return append_reference(checkin, kind, door, at);
}

// An entry about a check-in (annul, left, returned), made by hand at this
// door, with its outbox row: every log entry has one (verify() checks it);
// connectors that have no notion of leaving skip those kinds.
LogEntry Store::append_reference(const LogEntry& checkin, CheckInKind kind, const std::string& door,
                                 TimeMs at) {
  LogEntry e;
  e.uuid = new_uuid();
  e.event_id = checkin.event_id;
  e.attendee_id = checkin.attendee_id;
  e.kind = kind;
  e.ref_uuid = checkin.uuid;
  e.device_id = device_id_;
  e.door = door;
  e.method = Method::Manual;
  e.at = at;

  Tx tx = begin_write();
  SQLite::Statement q(
      *db_,
      "INSERT INTO checkins(uuid, event_id, attendee_id, kind, ref_uuid, device_id, "
      "door, method, at) VALUES(?, ?, ?, ?, ?, ?, ?, 'manual', ?)");
  q.bind(1, e.uuid);
  q.bind(2, e.event_id);
  q.bind(3, e.attendee_id);
  q.bind(4, to_string(kind));
  q.bind(5, e.ref_uuid);
  q.bind(6, e.device_id);
  q.bind(7, door);
  q.bind(8, at);
  q.exec();
  e.seq = db_->getLastInsertRowid();

  if (kind == CheckInKind::Annul) {
    // A badge not yet printed for an annulled check-in should not print.
    SQLite::Statement cancel(*db_,
                             "UPDATE badge_jobs SET state = 'cancelled', updated_at = ? "
                             "WHERE checkin_uuid = ? AND state = 'queued'");
    cancel.bind(1, at);
    cancel.bind(2, checkin.uuid);
    cancel.exec();
  }

  SQLite::Statement out(*db_,
                        "INSERT INTO outbox(idempotency_key, event_id, kind, payload, created_at) "
                        "VALUES(?, ?, ?, ?, ?)");
  out.bind(1, e.uuid);
  out.bind(2, e.event_id);
  out.bind(3, to_string(kind));
  out.bind(4, outbox_payload(*db_, e));
  out.bind(5, at);
  out.exec();
  tx.commit();
  return e;
}

std::pair<AttendeeRecord, LogEntry> Store::add_walk_in(std::int64_t event_id,
                                                       const AttendeeRecord& who,
                                                       const std::string& door, TimeMs at) {
  // One transaction for the person and their check-in: a crash never leaves
  // a walk-in on the list without having been let in, or the reverse.
  Tx tx = begin_write();
  AttendeeRow row;
  row.full_name = who.full_name;
  row.email = who.email;
  const std::int64_t person = person_for(row, "walkin", at);
  AttendeeRecord a = who;
  a.event_id = event_id;
  a.person_id = person;
  a.source = "walkin";
  a.external_id = new_uuid();
  a.walk_in = true;
  a.rsvp = Rsvp::Yes;
  SQLite::Statement q(
      *db_,
      "INSERT INTO attendees(event_id, person_id, source, external_id, first_name, "
      "last_name, full_name, email, company, role, rsvp, walk_in, created_at, "
      "updated_at, rev) VALUES(?, NULLIF(?, 0), 'walkin', ?, ?, ?, ?, ?, ?, ?, 'yes', 1, "
      "?, ?, ?)");
  q.bind(1, event_id);
  q.bind(2, person);
  q.bind(3, a.external_id);
  q.bind(4, a.first_name);
  q.bind(5, a.last_name);
  q.bind(6, a.full_name);
  q.bind(7, a.email);
  q.bind(8, a.company);
  q.bind(9, a.role);
  q.bind(10, at);
  q.bind(11, at);
  q.bind(12, next_attendee_rev(event_id));
  q.exec();
  a.id = db_->getLastInsertRowid();
  LogEntry e = insert_checkin(event_id, a.id, door, Method::WalkIn, at);
  tx.commit();
  return {a, e};
}

std::vector<LogEntry> Store::log(std::int64_t event_id) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kLogColumns +
                                " FROM checkins WHERE event_id = ? ORDER BY seq");
  q.bind(1, event_id);
  std::vector<LogEntry> out;
  while (q.executeStep()) out.push_back(read_log(q));
  return out;
}

std::vector<LogEntry> Store::log_since(std::int64_t event_id, std::int64_t seq) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kLogColumns +
                                " FROM checkins WHERE seq > ? AND event_id = ? ORDER BY seq");
  q.bind(1, seq);
  q.bind(2, event_id);
  std::vector<LogEntry> out;
  while (q.executeStep()) out.push_back(read_log(q));
  return out;
}

std::optional<LogEntry> Store::log_entry(const std::string& uuid) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kLogColumns + " FROM checkins WHERE uuid = ?");
  q.bind(1, uuid);
  if (q.executeStep()) return read_log(q);
  return std::nullopt;
}

void Store::enqueue_reprint(const LogEntry& checkin) {
  const TimeMs now = now_ms();
  SQLite::Statement q(*db_,
                      "INSERT INTO badge_jobs(checkin_uuid, attendee_id, reason, created_at, "
                      "updated_at) VALUES(?, ?, 'reprint', ?, ?)");
  q.bind(1, checkin.uuid);
  q.bind(2, checkin.attendee_id);
  q.bind(3, now);
  q.bind(4, now);
  q.exec();
}

std::optional<BadgeJob> Store::claim_badge_job(TimeMs now) {
  Tx tx = begin_write();
  SQLite::Statement q(
      *db_,
      "SELECT id, attendee_id, checkin_uuid, reason, attempts, printer_job FROM badge_jobs "
      "WHERE state = 'queued' ORDER BY printer_job = '', id LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  BadgeJob j{q.getColumn(0).getInt64(),
             q.getColumn(1).getInt64(),
             col(q, 2),
             col(q, 3),
             q.getColumn(4).getInt(),
             col(q, 5)};
  q.reset();
  SQLite::Statement u(*db_,
                      "UPDATE badge_jobs SET state = 'printing', attempts = attempts + 1, "
                      "updated_at = ? WHERE id = ?");
  u.bind(1, now);
  u.bind(2, j.id);
  u.exec();
  tx.commit();
  return j;
}

void Store::set_badge_printer_job(std::int64_t id, const std::string& printer_job) {
  SQLite::Statement u(*db_, "UPDATE badge_jobs SET printer_job = ? WHERE id = ?");
  u.bind(1, printer_job);
  u.bind(2, id);
  u.exec();
}

void Store::finish_badge_job(std::int64_t id, const std::string& state, const std::string& error,
                             TimeMs now) {
  SQLite::Statement u(
      *db_, "UPDATE badge_jobs SET state = ?, last_error = ?, updated_at = ? WHERE id = ?");
  u.bind(1, state);
  u.bind(2, error);
  u.bind(3, now);
  u.bind(4, id);
  u.exec();
}

void Store::requeue_interrupted_badge_jobs() {
  db_->exec("UPDATE badge_jobs SET state = 'queued' WHERE state = 'printing'");
}

int Store::badges_printed(std::int64_t attendee_id) const {
  SQLite::Statement q(*db_,
                      "SELECT COUNT(*) FROM badge_jobs WHERE attendee_id = ? AND state = 'done'");
  q.bind(1, attendee_id);
  q.executeStep();
  return q.getColumn(0).getInt();
}

int Store::events_attended(std::int64_t person_id) const {
  if (person_id == 0) return 0;
  SQLite::Statement q(*db_,
                      "SELECT COUNT(DISTINCT c.event_id) FROM checkins c "
                      "JOIN attendees a ON a.id = c.attendee_id "
                      "WHERE a.person_id = ? AND c.kind = 'checkin' AND NOT EXISTS "
                      "(SELECT 1 FROM checkins x WHERE x.kind = 'annul' AND x.ref_uuid = c.uuid)");
  q.bind(1, person_id);
  q.executeStep();
  return q.getColumn(0).getInt();
}

int Store::rsvps_not_honoured(std::int64_t person_id, std::int64_t except_event_id) const {
  if (person_id == 0) return 0;
  SQLite::Statement q(*db_,
                      "SELECT COUNT(*) FROM attendees a WHERE a.person_id = ? AND a.event_id <> ? "
                      "AND a.rsvp = 'yes' AND NOT EXISTS (SELECT 1 FROM checkins c WHERE "
                      "c.attendee_id = a.id AND c.kind = 'checkin' AND NOT EXISTS (SELECT 1 FROM "
                      "checkins x WHERE x.kind = 'annul' AND x.ref_uuid = c.uuid))");
  q.bind(1, person_id);
  q.bind(2, except_event_id);
  q.executeStep();
  return q.getColumn(0).getInt();
}

// ---------------------------------------------------------------------------
// [SECTION] Several doors
// ---------------------------------------------------------------------------

std::vector<ReplicaEntry> Store::log_page(std::int64_t event_id, std::int64_t since_seq,
                                          std::size_t limit) const {
  SQLite::Statement q(
      *db_,
      "SELECT c.seq, c.uuid, c.kind, COALESCE(c.ref_uuid, ''), c.device_id, c.door, "
      "c.method, c.at, a.source, a.external_id FROM checkins c JOIN attendees a ON "
      "a.id = c.attendee_id WHERE c.event_id = ? AND c.seq > ? ORDER BY c.seq LIMIT ?");
  q.bind(1, event_id);
  q.bind(2, since_seq);
  q.bind(3, static_cast<std::int64_t>(limit));
  std::vector<ReplicaEntry> out;
  while (q.executeStep()) {
    ReplicaEntry e;
    e.seq = q.getColumn(0).getInt64();
    e.uuid = col(q, 1);
    e.kind = kind_from_string(col(q, 2));
    e.ref_uuid = col(q, 3);
    e.device_id = col(q, 4);
    e.door = col(q, 5);
    e.method = method_from_string(col(q, 6));
    e.at = q.getColumn(7).getInt64();
    e.source = col(q, 8);
    e.external_id = col(q, 9);
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t Store::last_seq(std::int64_t event_id) const {
  SQLite::Statement q(*db_, "SELECT COALESCE(MAX(seq), 0) FROM checkins WHERE event_id = ?");
  q.bind(1, event_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::vector<ReplicaAttendee> Store::attendee_page(std::int64_t event_id, const std::string& cursor,
                                                  std::size_t limit, std::string& next) const {
  std::int64_t rev = -1, id = 0;
  if (const auto sep = cursor.find('_'); sep != std::string::npos) {
    rev = std::strtoll(cursor.c_str(), nullptr, 10);
    id = std::strtoll(cursor.c_str() + sep + 1, nullptr, 10);
  }
  SQLite::Statement q(*db_,
                      std::string("SELECT ") + kAttendeeColumns +
                          ", rev, updated_at, COALESCE((SELECT identity FROM people p WHERE "
                          "p.id = attendees.person_id), '') FROM attendees WHERE event_id = ? "
                          "AND (rev > ? OR (rev = ? AND id > ?)) ORDER BY rev, id LIMIT ?");
  q.bind(1, event_id);
  q.bind(2, rev);
  q.bind(3, rev);
  q.bind(4, id);
  q.bind(5, static_cast<std::int64_t>(limit));
  std::vector<ReplicaAttendee> out;
  next = cursor;
  while (q.executeStep()) {
    ReplicaAttendee ra;
    ra.record = read_attendee(q);
    ra.updated_at = q.getColumn(17).getInt64();
    // The person's id at the service, so the other door recognises regulars too.
    const std::string identity = col(q, 18);
    const std::string prefix = ra.record.source + ":";
    if (identity.rfind(prefix, 0) == 0) ra.member_id = identity.substr(prefix.size());
    next = std::to_string(q.getColumn(16).getInt64()) + "_" + std::to_string(ra.record.id);
    out.push_back(std::move(ra));
  }
  return out;
}

int Store::merge_replica_attendees(std::int64_t event_id,
                                   const std::vector<ReplicaAttendee>& people) {
  if (people.empty()) return 0;
  Tx tx = begin_write();
  const TimeMs now = now_ms();
  const std::int64_t rev = next_attendee_rev(event_id);
  SQLite::Statement find(*db_,
                         std::string("SELECT ") + kAttendeeColumns +
                             ", updated_at FROM attendees WHERE event_id = ? AND source = ? AND "
                             "external_id = ?");
  SQLite::Statement insert(
      *db_,
      "INSERT INTO attendees(event_id, person_id, source, external_id, "
      "ticket_code, first_name, last_name, full_name, email, company, "
      "ticket_type, role, rsvp, guests, walk_in, created_at, updated_at, rev) "
      "VALUES(?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement update(
      *db_,
      "UPDATE attendees SET person_id = NULLIF(?, 0), ticket_code = ?, "
      "first_name = ?, last_name = ?, full_name = ?, email = ?, company = ?, "
      "ticket_type = ?, role = ?, rsvp = ?, guests = ?, updated_at = ?, rev = ? "
      "WHERE id = ?");
  int changed = 0;
  for (const ReplicaAttendee& ra : people) {
    const AttendeeRecord& a = ra.record;
    AttendeeRow row;
    row.member_id = ra.member_id;
    row.email = a.email;
    row.full_name = a.full_name;
    find.reset();
    find.bind(1, event_id);
    find.bind(2, a.source);
    find.bind(3, a.external_id);
    if (!find.executeStep()) {
      const std::int64_t person = person_for(row, a.source, now);
      insert.reset();
      insert.bind(1, event_id);
      insert.bind(2, person);
      insert.bind(3, a.source);
      insert.bind(4, a.external_id);
      insert.bind(5, a.ticket_code);
      insert.bind(6, a.first_name);
      insert.bind(7, a.last_name);
      insert.bind(8, a.full_name);
      insert.bind(9, a.email);
      insert.bind(10, a.company);
      insert.bind(11, a.ticket_type);
      insert.bind(12, a.role);
      insert.bind(13, to_string(a.rsvp));
      insert.bind(14, a.guests);
      insert.bind(15, a.walk_in ? 1 : 0);
      insert.bind(16, now);
      insert.bind(17, ra.updated_at);
      insert.bind(18, rev);
      insert.exec();
      ++changed;
      continue;
    }
    const AttendeeRecord mine = read_attendee(find);
    const TimeMs mine_updated = find.getColumn(16).getInt64();
    // The newer version wins; equal times keep ours (both doors then agree
    // once the other door reads ours).
    if (ra.updated_at <= mine_updated) continue;
    const bool same = mine.ticket_code == a.ticket_code && mine.first_name == a.first_name &&
                      mine.last_name == a.last_name && mine.full_name == a.full_name &&
                      mine.email == a.email && mine.company == a.company &&
                      mine.ticket_type == a.ticket_type && mine.role == a.role &&
                      mine.rsvp == a.rsvp && mine.guests == a.guests;
    if (same) continue;
    const std::int64_t person = person_for(row, a.source, now);
    update.reset();
    update.bind(1, person);
    update.bind(2, a.ticket_code);
    update.bind(3, a.first_name);
    update.bind(4, a.last_name);
    update.bind(5, a.full_name);
    update.bind(6, a.email);
    update.bind(7, a.company);
    update.bind(8, a.ticket_type);
    update.bind(9, a.role);
    update.bind(10, to_string(a.rsvp));
    update.bind(11, a.guests);
    update.bind(12, ra.updated_at);
    update.bind(13, rev);
    update.bind(14, mine.id);
    update.exec();
    ++changed;
  }
  tx.commit();
  return changed;
}

std::size_t Store::merge_replica_log(std::int64_t event_id,
                                     const std::vector<ReplicaEntry>& entries) {
  Tx tx = begin_write();
  SQLite::Statement who(
      *db_, "SELECT id FROM attendees WHERE event_id = ? AND source = ? AND external_id = ?");
  SQLite::Statement insert(
      *db_,
      "INSERT OR IGNORE INTO checkins(uuid, event_id, attendee_id, kind, ref_uuid, "
      "device_id, door, method, at) VALUES(?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)");
  // Undone at another door: a badge still waiting here for it is not printed.
  SQLite::Statement cancel(*db_,
                           "UPDATE badge_jobs SET state = 'cancelled', updated_at = ? "
                           "WHERE checkin_uuid = ? AND state = 'queued'");
  std::size_t taken = 0;
  for (const ReplicaEntry& e : entries) {
    who.reset();
    who.bind(1, event_id);
    who.bind(2, e.source);
    who.bind(3, e.external_id);
    if (!who.executeStep()) break;
    const std::int64_t attendee = who.getColumn(0).getInt64();
    insert.reset();
    insert.bind(1, e.uuid);
    insert.bind(2, event_id);
    insert.bind(3, attendee);
    insert.bind(4, to_string(e.kind));
    insert.bind(5, e.ref_uuid);
    insert.bind(6, e.device_id);
    insert.bind(7, e.door);
    insert.bind(8, to_string(e.method));
    insert.bind(9, e.at);
    insert.exec();
    if (e.kind == CheckInKind::Annul) {
      cancel.reset();
      cancel.bind(1, now_ms());
      cancel.bind(2, e.ref_uuid);
      cancel.exec();
    }
    ++taken;
  }
  tx.commit();
  return taken;
}

std::vector<PeerRecord> Store::peers(std::int64_t event_id) const {
  SQLite::Statement q(*db_,
                      "SELECT device_id, name, addresses, log_cursor, attendee_cursor, their_seq, "
                      "last_heard, clock_offset_ms, last_error, epoch, host FROM door_peers "
                      "WHERE event_id = ? ORDER BY name, device_id");
  q.bind(1, event_id);
  std::vector<PeerRecord> out;
  while (q.executeStep()) {
    PeerRecord p;
    p.device_id = col(q, 0);
    p.name = col(q, 1);
    const auto addresses = nlohmann::json::parse(col(q, 2), nullptr, false);
    if (addresses.is_array())
      for (const auto& a : addresses)
        if (a.is_string()) p.addresses.push_back(a.get<std::string>());
    p.log_cursor = q.getColumn(3).getInt64();
    p.attendee_cursor = col(q, 4);
    p.their_seq = q.getColumn(5).getInt64();
    p.last_heard = q.getColumn(6).getInt64();
    p.clock_offset_ms = q.getColumn(7).getInt64();
    p.last_error = col(q, 8);
    p.epoch = col(q, 9);
    p.host = col(q, 10);
    out.push_back(std::move(p));
  }
  return out;
}

void Store::save_peer(std::int64_t event_id, const PeerRecord& p) {
  SQLite::Statement q(
      *db_,
      "INSERT INTO door_peers(event_id, device_id, name, addresses, log_cursor, "
      "attendee_cursor, their_seq, last_heard, clock_offset_ms, last_error, epoch, host) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, device_id) DO UPDATE "
      "SET name = excluded.name, addresses = excluded.addresses, "
      "log_cursor = excluded.log_cursor, attendee_cursor = excluded.attendee_cursor, "
      "their_seq = excluded.their_seq, last_heard = excluded.last_heard, "
      "clock_offset_ms = excluded.clock_offset_ms, last_error = excluded.last_error, "
      "epoch = excluded.epoch, host = excluded.host");
  q.bind(1, event_id);
  q.bind(2, p.device_id);
  q.bind(3, p.name);
  q.bind(4, nlohmann::json(p.addresses).dump());
  q.bind(5, p.log_cursor);
  q.bind(6, p.attendee_cursor);
  q.bind(7, p.their_seq);
  q.bind(8, p.last_heard);
  q.bind(9, p.clock_offset_ms);
  q.bind(10, p.last_error);
  q.bind(11, p.epoch);
  q.bind(12, p.host);
  q.exec();
}

std::optional<std::pair<std::string, std::string>> Store::door_name(std::int64_t event_id) const {
  SQLite::Statement q(*db_, "SELECT name, chosen FROM door_names WHERE event_id = ?");
  q.bind(1, event_id);
  if (q.executeStep()) return std::make_pair(col(q, 0), col(q, 1));
  return std::nullopt;
}

void Store::set_door_name(std::int64_t event_id, const std::string& name,
                          const std::string& chosen) {
  SQLite::Statement q(*db_,
                      "INSERT INTO door_names(event_id, name, chosen) VALUES(?, ?, ?) "
                      "ON CONFLICT(event_id) DO UPDATE SET name = excluded.name, "
                      "chosen = excluded.chosen");
  q.bind(1, event_id);
  q.bind(2, name);
  q.bind(3, chosen);
  q.exec();
}

std::vector<DoorListener> Store::listeners(std::int64_t event_id) const {
  SQLite::Statement q(*db_,
                      "SELECT process, host, addresses, updated_at FROM door_listeners "
                      "WHERE event_id = ? ORDER BY updated_at DESC, process");
  q.bind(1, event_id);
  std::vector<DoorListener> out;
  while (q.executeStep()) {
    DoorListener l;
    l.process = col(q, 0);
    l.host = col(q, 1);
    const auto addresses = nlohmann::json::parse(col(q, 2), nullptr, false);
    if (addresses.is_array())
      for (const auto& a : addresses)
        if (a.is_string()) l.addresses.push_back(a.get<std::string>());
    l.updated_at = q.getColumn(3).getInt64();
    out.push_back(std::move(l));
  }
  return out;
}

void Store::save_listener(std::int64_t event_id, const DoorListener& l) {
  if (l.addresses.empty()) {
    SQLite::Statement q(*db_, "DELETE FROM door_listeners WHERE event_id = ? AND process = ?");
    q.bind(1, event_id);
    q.bind(2, l.process);
    q.exec();
    return;
  }
  SQLite::Statement q(*db_,
                      "INSERT INTO door_listeners(event_id, process, host, addresses, updated_at) "
                      "VALUES(?, ?, ?, ?, ?) ON CONFLICT(event_id, process) DO UPDATE SET "
                      "host = excluded.host, addresses = excluded.addresses, "
                      "updated_at = excluded.updated_at");
  q.bind(1, event_id);
  q.bind(2, l.process);
  q.bind(3, l.host);
  q.bind(4, nlohmann::json(l.addresses).dump());
  q.bind(5, l.updated_at);
  q.exec();
}

bool Store::take_lease(const std::string& name, const std::string& holder, TimeMs now, TimeMs ttl) {
  SQLite::Statement take(*db_,
                         "INSERT INTO leases(name, holder, until) VALUES(?1, ?2, ?3) "
                         "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, "
                         "until = excluded.until WHERE leases.holder = excluded.holder "
                         "OR leases.until < ?4");
  take.bind(1, name);
  take.bind(2, holder);
  take.bind(3, now + ttl);
  take.bind(4, now);
  take.exec();
  SQLite::Statement who(*db_, "SELECT holder FROM leases WHERE name = ?");
  who.bind(1, name);
  return who.executeStep() && who.getColumn(0).getString() == holder;
}

void Store::drop_lease(const std::string& name, const std::string& holder) {
  SQLite::Statement q(*db_, "DELETE FROM leases WHERE name = ? AND holder = ?");
  q.bind(1, name);
  q.bind(2, holder);
  q.exec();
}

QueueCounts Store::counts() const {
  QueueCounts c;
  c.badge_jobs_open =
      db_->execAndGet("SELECT COUNT(*) FROM badge_jobs WHERE state IN ('queued','printing')")
          .getInt();
  c.badge_jobs_failed =
      db_->execAndGet("SELECT COUNT(*) FROM badge_jobs WHERE state = 'failed'").getInt();
  c.outbox_pending =
      db_->execAndGet("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").getInt();
  c.outbox_dead = db_->execAndGet("SELECT COUNT(*) FROM outbox WHERE state = 'dead'").getInt();
  return c;
}

Result<bool> Store::verify() const {
  try {
    const std::string integrity = db_->execAndGet("PRAGMA integrity_check").getString();
    if (integrity != "ok") return Error{"store.corrupt", "integrity check: " + integrity};
    // Only this door's own check-ins have badge jobs and outbox rows here;
    // those another door made were printed and pushed there.
    SQLite::Statement nb(
        *db_,
        "SELECT COUNT(*) FROM checkins c WHERE c.kind = 'checkin' AND c.device_id = ? "
        "AND c.origin = '' AND NOT EXISTS (SELECT 1 FROM badge_jobs b WHERE b.checkin_uuid = "
        "c.uuid)");
    nb.bind(1, device_id_);
    nb.executeStep();
    const int no_badge = nb.getColumn(0).getInt();
    if (no_badge)
      return Error{"store.orphan", std::to_string(no_badge) + " check-ins have no badge job"};
    SQLite::Statement no(
        *db_,
        "SELECT COUNT(*) FROM checkins c WHERE c.device_id = ? AND c.origin = '' AND NOT EXISTS "
        "(SELECT 1 FROM outbox o WHERE o.idempotency_key = c.uuid)");
    no.bind(1, device_id_);
    no.executeStep();
    const int no_outbox = no.getColumn(0).getInt();
    if (no_outbox)
      return Error{"store.orphan", std::to_string(no_outbox) + " log entries have no outbox row"};
    return true;
  } catch (const std::exception& e) {
    return Error{"store.corrupt", e.what()};
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Sync (schema 5)
// ---------------------------------------------------------------------------

std::vector<OutboxItem> Store::outbox_due(std::int64_t event_id, const std::string& service,
                                          TimeMs now, int limit) const {
  // An annul waits for the check-in it cancels; ref_state says where that
  // stands with this service ("none": nothing of ours to cancel there).
  SQLite::Statement q(
      *db_,
      "SELECT o.id, o.idempotency_key, o.kind, o.payload, COALESCE(d.attempts, 0), "
      "COALESCE(d.refusals, 0), CASE WHEN o.kind = 'annul' THEN COALESCE(("
      "  SELECT CASE WHEN d2.state IS NOT NULL THEN d2.state WHEN o2.state = 'pending' THEN '' "
      "  ELSE 'none' END FROM outbox o2 LEFT JOIN sync_deliveries d2 ON d2.outbox_id = o2.id "
      "  AND d2.service = ?1 WHERE o2.idempotency_key = "
      "  (SELECT c.ref_uuid FROM checkins c WHERE c.uuid = o.idempotency_key)), 'none') "
      "ELSE '' END "
      "FROM outbox o LEFT JOIN sync_deliveries d ON d.outbox_id = o.id AND d.service = ?1 "
      "WHERE o.state = 'pending' AND o.event_id = ?2 AND (d.state IS NULL OR "
      "(d.state = 'pending' AND d.next_attempt_at <= ?3)) ORDER BY o.id LIMIT ?4");
  q.bind(1, service);
  q.bind(2, event_id);
  q.bind(3, now);
  q.bind(4, limit);
  std::vector<OutboxItem> out;
  while (q.executeStep()) {
    OutboxItem i;
    i.id = q.getColumn(0).getInt64();
    i.key = col(q, 1);
    i.kind = col(q, 2);
    i.payload = col(q, 3);
    i.attempts = q.getColumn(4).getInt();
    i.refusals = q.getColumn(5).getInt();
    i.ref_state = col(q, 6);
    out.push_back(std::move(i));
  }
  return out;
}

void Store::record_deliveries(const std::string& service, const std::vector<Delivery>& results,
                              const std::vector<std::string>& services, TimeMs now) {
  if (results.empty()) return;
  Tx tx = begin_write();
  SQLite::Statement up(
      *db_,
      "INSERT INTO sync_deliveries(outbox_id, service, state, attempts, refusals, "
      "next_attempt_at, last_error, updated_at) VALUES(?1, ?2, ?3, 1, ?4, ?5, ?6, ?7) "
      "ON CONFLICT(service, outbox_id) DO UPDATE SET state = excluded.state, "
      "attempts = attempts + 1, refusals = refusals + excluded.refusals, "
      "next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, "
      "updated_at = excluded.updated_at");
  SQLite::Statement settled(*db_,
                            "SELECT d.service, d.state FROM sync_deliveries d WHERE "
                            "d.outbox_id = ? AND d.state IN ('sent', 'dead')");
  SQLite::Statement outbox(
      *db_,
      "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
      "WHERE id = ?");
  for (const Delivery& r : results) {
    up.bind(1, r.outbox_id);
    up.bind(2, service);
    up.bind(3, r.state);
    up.bind(4, r.refused ? 1 : 0);
    up.bind(5, r.next_attempt_at);
    up.bind(6, r.error);
    up.bind(7, now);
    up.exec();
    up.reset();
    // Settled for every service this process serves?
    settled.bind(1, r.outbox_id);
    std::unordered_map<std::string, std::string> states;
    while (settled.executeStep()) states[col(settled, 0)] = col(settled, 1);
    settled.reset();
    bool all = true, dead = false;
    for (const std::string& s : services) {
      auto it = states.find(s);
      if (it == states.end()) {
        all = false;
        break;
      }
      dead = dead || it->second == "dead";
    }
    outbox.bind(1, all ? (dead ? "dead" : "sent") : "pending");
    outbox.bind(2, r.error);
    outbox.bind(3, r.next_attempt_at);
    outbox.bind(4, r.outbox_id);
    outbox.exec();
    outbox.reset();
  }
  tx.commit();
}

int Store::retry_dead_letters(std::int64_t event_id, const std::string& service) {
  Tx tx = begin_write();
  SQLite::Statement d(*db_,
                      "UPDATE sync_deliveries SET state = 'pending', refusals = 0, "
                      "next_attempt_at = 0 WHERE state = 'dead' AND (?1 = '' OR service = ?1) "
                      "AND outbox_id IN (SELECT id FROM outbox WHERE event_id = ?2)");
  d.bind(1, service);
  d.bind(2, event_id);
  const int n = d.exec();
  SQLite::Statement o(*db_,
                      "UPDATE outbox SET state = 'pending' WHERE event_id = ?1 AND state <> "
                      "'pending' AND id IN (SELECT outbox_id FROM sync_deliveries WHERE state = "
                      "'pending')");
  o.bind(1, event_id);
  o.exec();
  tx.commit();
  return n;
}

std::vector<SyncServiceStatus> Store::sync_status(std::int64_t event_id,
                                                  const std::vector<std::string>& services) const {
  std::vector<SyncServiceStatus> out;
  for (const std::string& service : services) {
    SyncServiceStatus st;
    st.service = service;
    SQLite::Statement q(*db_,
                        "SELECT last_success, last_pull, last_error, last_error_at, cursor, pulled "
                        "FROM sync_services WHERE event_id = ? AND service = ?");
    q.bind(1, event_id);
    q.bind(2, service);
    if (q.executeStep()) {
      st.last_success = q.getColumn(0).getInt64();
      st.last_pull = q.getColumn(1).getInt64();
      st.last_error = col(q, 2);
      st.last_error_at = q.getColumn(3).getInt64();
      st.cursor = col(q, 4);
      st.pulled = q.getColumn(5).getInt();
    }
    SQLite::Statement p(*db_,
                        "SELECT COUNT(*) FROM outbox o LEFT JOIN sync_deliveries d ON "
                        "d.outbox_id = o.id AND d.service = ?1 WHERE o.event_id = ?2 AND "
                        "o.state = 'pending' AND (d.state IS NULL OR d.state = 'pending')");
    p.bind(1, service);
    p.bind(2, event_id);
    p.executeStep();
    st.pending = p.getColumn(0).getInt();
    SQLite::Statement dq(*db_,
                         "SELECT COUNT(*), (SELECT d2.last_error FROM sync_deliveries d2 JOIN "
                         "outbox o2 ON o2.id = d2.outbox_id WHERE d2.service = ?1 AND "
                         "o2.event_id = ?2 AND d2.state = 'dead' ORDER BY d2.updated_at DESC "
                         "LIMIT 1) FROM sync_deliveries d JOIN outbox o ON o.id = d.outbox_id "
                         "WHERE d.service = ?1 AND o.event_id = ?2 AND d.state = 'dead'");
    dq.bind(1, service);
    dq.bind(2, event_id);
    dq.executeStep();
    st.dead = dq.getColumn(0).getInt();
    st.dead_example = dq.getColumn(1).isNull() ? "" : col(dq, 1);
    if (st.dead > 0) {
      // Who each refused row was about: the log entry it carries names them.
      SQLite::Statement who(*db_,
                            "SELECT o.kind, COALESCE(a.full_name, ''), d.last_error FROM "
                            "sync_deliveries d JOIN outbox o ON o.id = d.outbox_id LEFT JOIN "
                            "checkins c ON c.uuid = o.idempotency_key LEFT JOIN attendees a ON "
                            "a.id = c.attendee_id WHERE d.service = ?1 AND o.event_id = ?2 AND "
                            "d.state = 'dead' ORDER BY d.updated_at DESC, o.id DESC LIMIT 100");
      who.bind(1, service);
      who.bind(2, event_id);
      while (who.executeStep()) st.dead_letters.push_back({col(who, 0), col(who, 1), col(who, 2)});
    }
    out.push_back(std::move(st));
  }
  return out;
}

void Store::record_sync_result(std::int64_t event_id, const std::string& service, bool ok,
                               const std::string& error, TimeMs now) {
  SQLite::Statement q(*db_,
                      ok ? "INSERT INTO sync_services(event_id, service, last_success, last_error) "
                           "VALUES(?1, ?2, ?4, ?3) ON CONFLICT(event_id, service) DO UPDATE SET "
                           "last_success = ?4, last_error = ?3"
                         : "INSERT INTO sync_services(event_id, service, last_error, "
                           "last_error_at) VALUES(?1, ?2, ?3, ?4) ON CONFLICT(event_id, service) "
                           "DO UPDATE SET last_error = ?3, last_error_at = ?4");
  q.bind(1, event_id);
  q.bind(2, service);
  q.bind(3, ok ? std::string() : error);
  q.bind(4, now);
  q.exec();
}

MergeReport Store::merge_pull(std::int64_t event_id, const std::string& service,
                              const ImportBatch& batch, const std::vector<RemoteCheckIn>& remote,
                              const std::string& cursor, TimeMs now, int* remote_added,
                              bool complete) {
  Tx tx = begin_write();
  const std::string source = batch.source.empty() ? service : batch.source;
  // Holders of signed tickets admitted before the list knew them take the
  // service's id, so the merge updates them instead of adding them twice.
  {
    std::unordered_map<std::string, std::int64_t> placeholders;
    SQLite::Statement q(*db_,
                        "SELECT id, ticket_code FROM attendees WHERE event_id = ? AND source = ? "
                        "AND external_id LIKE 'sig:%'");
    q.bind(1, event_id);
    q.bind(2, source);
    while (q.executeStep()) placeholders.emplace(col(q, 1), q.getColumn(0).getInt64());
    if (!placeholders.empty()) {
      SQLite::Statement adopt(*db_, "UPDATE attendees SET external_id = ? WHERE id = ?");
      for (const AttendeeRow& row : batch.rows) {
        auto it = placeholders.find(row.ticket_code);
        if (row.ticket_code.empty() || it == placeholders.end()) continue;
        adopt.bind(1, row.external_id);
        adopt.bind(2, it->second);
        adopt.exec();
        adopt.reset();
        placeholders.erase(it);
      }
    }
  }
  MergeReport report;
  if (!batch.rows.empty() || complete)
    report = merge_attendees(event_id, batch, "sync:" + service, complete);

  int added = 0;
  if (!remote.empty()) {
    SQLite::Statement who(*db_,
                          "SELECT id FROM attendees WHERE event_id = ? AND source = ? AND "
                          "external_id = ?");
    // The person's latest log entry and whether they are in: a check-in the
    // service shows that is no later than what we know is our own, pushed
    // there (pretix keeps our datetime), or one we annulled since.
    SQLite::Statement last(*db_,
                           "SELECT COALESCE(MAX(at), 0), EXISTS (SELECT 1 FROM checkins c WHERE "
                           "c.attendee_id = ?1 AND c.kind = 'checkin' AND NOT EXISTS (SELECT 1 "
                           "FROM checkins x WHERE x.kind = 'annul' AND x.ref_uuid = c.uuid)) "
                           "FROM checkins WHERE attendee_id = ?1");
    SQLite::Statement ins(*db_,
                          "INSERT OR IGNORE INTO checkins(uuid, event_id, attendee_id, kind, "
                          "device_id, door, method, at, origin) VALUES(?, ?, ?, 'checkin', ?, ?, "
                          "'manual', ?, ?)");
    for (const RemoteCheckIn& r : remote) {
      who.bind(1, event_id);
      who.bind(2, source);
      who.bind(3, r.external_id);
      const bool found = who.executeStep();
      const std::int64_t attendee = found ? who.getColumn(0).getInt64() : 0;
      who.reset();
      if (!attendee) continue;
      last.bind(1, attendee);
      last.executeStep();
      const TimeMs latest = last.getColumn(0).getInt64();
      const bool in = last.getColumn(1).getInt() != 0;
      last.reset();
      if (in) continue;
      // Without a time (Eventbrite's flag) it only counts for someone this
      // store never saw; with one, only when later than anything we know.
      if (r.at == 0 ? latest != 0 : r.at <= latest + 1000) continue;
      ins.bind(1, uuid_from_name(service + ":" + r.remote_id));
      ins.bind(2, event_id);
      ins.bind(3, attendee);
      ins.bind(4, service);
      ins.bind(5, service);
      ins.bind(6, r.at ? r.at : now);
      ins.bind(7, service);
      added += ins.exec();
      ins.reset();
    }
  }
  if (remote_added) *remote_added = added;

  SQLite::Statement st(*db_,
                       "INSERT INTO sync_services(event_id, service, last_success, last_pull, "
                       "cursor, pulled) VALUES(?1, ?2, ?3, ?3, ?4, ?5) ON CONFLICT(event_id, "
                       "service) DO UPDATE SET last_success = ?3, last_pull = ?3, cursor = "
                       "CASE WHEN ?4 = '' THEN cursor ELSE ?4 END, pulled = ?5, last_error = ''");
  st.bind(1, event_id);
  st.bind(2, service);
  st.bind(3, now);
  st.bind(4, cursor);
  st.bind(5, static_cast<int>(batch.rows.size()));
  st.exec();
  tx.commit();
  return report;
}

std::pair<AttendeeRecord, LogEntry> Store::add_ticket_holder(std::int64_t event_id,
                                                             const AttendeeRecord& who,
                                                             const std::string& door, Method method,
                                                             TimeMs at) {
  Tx tx = begin_write();
  AttendeeRecord a = who;
  a.event_id = event_id;
  a.external_id = "sig:" + who.ticket_code;
  a.walk_in = false;
  a.rsvp = Rsvp::Yes;
  SQLite::Statement q(*db_,
                      "INSERT INTO attendees(event_id, source, external_id, ticket_code, "
                      "first_name, last_name, full_name, ticket_type, rsvp, walk_in, created_at, "
                      "updated_at, rev) VALUES(?, ?, ?, ?, ?, ?, ?, ?, 'yes', 0, ?, ?, ?)");
  q.bind(1, event_id);
  q.bind(2, a.source);
  q.bind(3, a.external_id);
  q.bind(4, a.ticket_code);
  q.bind(5, a.first_name);
  q.bind(6, a.last_name);
  q.bind(7, a.full_name);
  q.bind(8, a.ticket_type);
  q.bind(9, at);
  q.bind(10, at);
  q.bind(11, next_attendee_rev(event_id));
  q.exec();
  a.id = db_->getLastInsertRowid();
  LogEntry e = insert_checkin(event_id, a.id, door, method, at);
  tx.commit();
  return {a, e};
}

void Store::set_ticket_rules(const std::string& event_slug, const TicketRules& rules) {
  nlohmann::json j;
  j["pretix_keys"] = rules.pretix_keys;
  j["revoked"] = rules.revoked;
  j["blocked"] = rules.blocked;
  j["all_products"] = rules.all_products;
  j["products"] = rules.products;
  Tx tx = begin_write();
  set_meta("ticket_rules:" + event_slug, j.dump());
  set_meta("ticket_rules_version:" + event_slug, new_uuid());
  tx.commit();
}

std::optional<TicketRules> Store::ticket_rules(const std::string& event_slug) const {
  const auto text = meta("ticket_rules:" + event_slug);
  if (!text) return std::nullopt;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  TicketRules r;
  try {
    r.pretix_keys = j.value("pretix_keys", std::vector<std::string>{});
    r.revoked = j.value("revoked", std::vector<std::string>{});
    r.blocked = j.value("blocked", std::vector<std::string>{});
    r.all_products = j.value("all_products", true);
    r.products = j.value("products", std::vector<std::int64_t>{});
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // written by us; a damaged copy counts as none
  }
  return r;
}

std::string Store::ticket_rules_version(const std::string& event_slug) const {
  return meta("ticket_rules_version:" + event_slug).value_or("");
}

}  // namespace fd

// ---------------------------------------------------------------------------
// Reports: lists without personal data, and who is who across events
// ---------------------------------------------------------------------------

namespace fd {

std::vector<ListEntryFacts> Store::list_facts(std::int64_t event_id) const {
  std::vector<ListEntryFacts> out;
  std::unordered_map<std::int64_t, std::size_t> index;
  {
    SQLite::Statement q(*db_,
                        "SELECT id, COALESCE(person_id, 0), rsvp, guests, walk_in FROM attendees "
                        "WHERE event_id = ? ORDER BY id");
    q.bind(1, event_id);
    while (q.executeStep()) {
      ListEntryFacts f;
      f.attendee_id = q.getColumn(0).getInt64();
      f.person_id = q.getColumn(1).getInt64();
      f.rsvp = rsvp_from_string(col(q, 2));
      f.guests = q.getColumn(3).getInt();
      f.walk_in = q.getColumn(4).getInt() != 0;
      index[f.attendee_id] = out.size();
      out.push_back(std::move(f));
    }
  }
  // The same rule as the engine's presence (Engine::apply): a person's first
  // check-in counts, a second door's duplicate does not, and an annulment of
  // the counted one takes them out again.
  std::unordered_map<std::int64_t, std::string> counted;  // attendee -> check-in uuid
  for (const LogEntry& e : log(event_id)) {
    auto it = index.find(e.attendee_id);
    if (it == index.end()) continue;
    ListEntryFacts& f = out[it->second];
    if (e.kind == CheckInKind::CheckIn) {
      if (counted.count(e.attendee_id)) continue;
      counted[e.attendee_id] = e.uuid;
      f.arrived_at = e.at;
      f.door = e.door;
      f.method = e.method;
    } else if (auto c = counted.find(e.attendee_id);
               e.kind == CheckInKind::Annul && c != counted.end() && c->second == e.ref_uuid) {
      // Only an annulment takes an arrival back (leaving the room will not).
      counted.erase(c);
      f.arrived_at = 0;
      f.door.clear();
    }
  }
  return out;
}

PeopleFacts Store::people_facts() const {
  PeopleFacts f;
  {
    SQLite::Statement q(*db_, "SELECT id, identity, display_name FROM people ORDER BY id");
    while (q.executeStep()) f.people.push_back({q.getColumn(0).getInt64(), col(q, 1), col(q, 2)});
  }
  {
    // person_for() builds "email:" identities with lower_ascii(); SQLite's
    // lower() is ASCII-only too, so the strings match.
    SQLite::Statement q(*db_,
                        "SELECT DISTINCT person_id, 'email:' || lower(email) FROM attendees "
                        "WHERE person_id IS NOT NULL AND email <> '' ORDER BY 1, 2");
    while (q.executeStep()) f.links.push_back({q.getColumn(0).getInt64(), col(q, 1)});
  }
  {
    SQLite::Statement q(*db_, "SELECT seq, a, b, kind, at FROM people_decisions ORDER BY seq");
    while (q.executeStep())
      f.decisions.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                             q.getColumn(2).getInt64(), col(q, 3) == "same",
                             q.getColumn(4).getInt64()});
  }
  {
    SQLite::Statement q(*db_,
                        "SELECT DISTINCT person_id, event_id FROM attendees "
                        "WHERE person_id IS NOT NULL ORDER BY 1, 2");
    while (q.executeStep())
      f.appearances.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64()});
  }
  return f;
}

std::optional<PersonRecord> Store::person(std::int64_t id) const {
  SQLite::Statement q(*db_, "SELECT id, identity, display_name FROM people WHERE id = ?");
  q.bind(1, id);
  if (q.executeStep()) return PersonRecord{q.getColumn(0).getInt64(), col(q, 1), col(q, 2)};
  return std::nullopt;
}

void Store::record_people_decision(std::int64_t a, std::int64_t b, bool same, TimeMs at) {
  SQLite::Statement q(*db_, "INSERT INTO people_decisions(a, b, kind, at) VALUES(?, ?, ?, ?)");
  q.bind(1, std::min(a, b));
  q.bind(2, std::max(a, b));
  q.bind(3, same ? "same" : "different");
  q.bind(4, at);
  q.exec();
}

}  // namespace fd
