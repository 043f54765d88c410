// Sync with the RSVP services (schema 5): the outbox each service drains,
// what deliveries came to, dead letters, pulls merged in, pretix's ticket
// rules, and the leases that keep one sync worker per store (schema 8).
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "base/Uuid.h"
#include "store/Store.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

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

}  // namespace fd
