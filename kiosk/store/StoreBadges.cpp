// Badges and printing: the badge queue the print worker drains (a job per
// check-in is written in its check-in's transaction), reprints, held badges.
#include <SQLiteCpp/SQLiteCpp.h>

#include "store/Store.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

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
  SQLite::Statement held(*db_,
                         "UPDATE badge_jobs SET state = 'cancelled', updated_at = ? "
                         "WHERE attendee_id = ? AND state = 'held'");
  held.bind(1, now);
  held.bind(2, checkin.attendee_id);
  held.exec();
}

std::vector<HeldBadge> Store::held_badges() const {
  SQLite::Statement q(*db_,
                      "SELECT id, attendee_id, created_at FROM badge_jobs WHERE state = 'held' "
                      "ORDER BY created_at, id");
  std::vector<HeldBadge> out;
  while (q.executeStep())
    out.push_back(
        {q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
  return out;
}

int Store::release_held_badges(const std::vector<std::int64_t>& ids, TimeMs now) {
  int n = 0;
  auto release = [&](const char* where, std::int64_t id) {
    SQLite::Statement u(*db_, std::string("UPDATE badge_jobs SET state = 'queued', created_at = ?, "
                                          "updated_at = ? WHERE state = 'held'") +
                                  where);
    u.bind(1, now);
    u.bind(2, now);
    if (id) u.bind(3, id);
    n += u.exec();
  };
  if (ids.empty()) release("", 0);
  for (std::int64_t id : ids) release(" AND id = ?", id);
  return n;
}

std::optional<BadgeJob> Store::claim_badge_job(TimeMs now) {
  Tx tx = begin_write();
  // Not sent yet and asked for long ago (the printer was off, out of
  // labels): held, not printed in a burst for people long inside.
  SQLite::Statement hold(*db_,
                         "UPDATE badge_jobs SET state = 'held', updated_at = ? "
                         "WHERE state = 'queued' AND printer_job = '' AND created_at < ?");
  hold.bind(1, now);
  hold.bind(2, now - kBadgeFreshFor);
  hold.exec();
  SQLite::Statement q(
      *db_,
      "SELECT id, attendee_id, checkin_uuid, reason, attempts, printer_job FROM badge_jobs "
      "WHERE state = 'queued' ORDER BY printer_job = '', id LIMIT 1");
  if (!q.executeStep()) {
    q.reset();
    tx.commit();  // what was held stays held
    return std::nullopt;
  }
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

}  // namespace fd
