// The list: attendees, their revisions, who each is across events
// (people), and a list merged in from an import.
#include <SQLiteCpp/SQLiteCpp.h>

#include <unordered_map>

#include "store/Store.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

namespace {

// The event's people from one source, by their id there.
std::unordered_map<std::string, AttendeeRecord> by_external_id(SQLite::Database& db,
                                                               std::int64_t event_id,
                                                               const std::string& source) {
  std::unordered_map<std::string, AttendeeRecord> existing;
  SQLite::Statement q(db, std::string("SELECT ") + kAttendeeColumns +
                              " FROM attendees WHERE event_id = ? AND source = ?");
  q.bind(1, event_id);
  q.bind(2, source);
  while (q.executeStep()) {
    AttendeeRecord a = read_attendee(q);
    std::string key = a.external_id;
    existing.emplace(std::move(key), std::move(a));
  }
  return existing;
}

// What an import came to, in the imports table.
void record_import(SQLite::Database& db, std::int64_t event_id, const std::string& source,
                   const std::string& file_name, const MergeReport& report, TimeMs now) {
  SQLite::Statement log(db,
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
}

}  // namespace

std::int64_t Store::next_attendee_rev(std::int64_t event_id) {
  SQLite::Statement q(*db_, "SELECT COALESCE(MAX(rev), 0) + 1 FROM attendees WHERE event_id = ?");
  q.bind(1, event_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
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
  std::unordered_map<std::string, AttendeeRecord> existing = by_external_id(*db_, event_id, source);
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
  record_import(*db_, event_id, source, file_name, report, now);
  tx.commit();
  return report;
}

}  // namespace fd
