// Reports: lists without personal data, and who is who across events.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <unordered_map>

#include "store/Store.h"
#include "store/StoreRows.h"

namespace fd {

using namespace store_rows;  // StoreRows.h

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
