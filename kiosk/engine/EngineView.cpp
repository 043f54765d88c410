// The engine's view of the store: the derived state brought up to what
// the store holds (whoever wrote it), and the snapshot published from it.
#include <algorithm>
#include <chrono>

#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "search/SearchIndex.h"
#include "store/Store.h"

namespace fd {

namespace {

constexpr std::size_t kRecent = 50;

TimeMs minute_of(TimeMs t) { return t - (t % 60'000); }

}  // namespace

// Brings the derived state up to what the store holds: the event's details,
// its ticket key, attendees added or changed (imports, walk-ins) and new log
// entries (check-ins, undos), whoever wrote them. Call inside a transaction.
// Returns whether anything changed.
bool Engine::catch_up(bool force) {
  State& s = *state_;
  const std::int64_t version = store_->data_version();
  if (!force && version == s.data_version) return false;
  const auto started = std::chrono::steady_clock::now();
  s.data_version = version;
  bool changed = false;

  if (auto ev = store_->event_by_id(event_id_)) {
    if (ev->name != s.event.name || ev->capacity != s.event.capacity ||
        ev->starts_at != s.event.starts_at) {
      s.event = *ev;
      changed = true;
    }
  }
  const std::string key = store_->meta("ticket_public_key:" + s.event.slug).value_or("");
  if (key != s.ticket_key) {
    s.ticket_key = key;
    if (auto k = public_key_from_text(key)) {
      auto& keys = options_.tickets.frontdesk_keys;
      if (std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
    }
  }

  if (store_->ticket_rules_version(s.event.slug) != s.rules_version) load_ticket_rules();
  // Renamed by another process (`frontdesk doors name` while the door runs).
  const std::string door_was = s.door;
  load_door_name();
  if (s.door != door_was) changed = true;

  AttendeeChanges fresh = store_->attendees_since(event_id_, s.attendee_rev);
  s.attendee_rev = std::max<std::int64_t>(fresh.rev, 0);
  if (!fresh.rows.empty()) {
    apply(std::move(fresh.rows));
    changed = true;
  }

  for (const LogEntry& e : store_->log_since(event_id_, s.last_seq)) {
    apply(e);
    s.last_seq = e.seq;
    changed = true;
  }
  // Work queued by another process without a list or log change (a
  // `frontdesk reprint` in a terminal): the workers wait on the next
  // snapshot, so it must come. (After this engine's own commands the
  // snapshot is published anyway.)
  if (!force && event_id_ && store_->counts() != queues_) changed = true;
  if (changed)
    s.catch_up_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
  return changed;
}

// One log entry into the derived state. Presence is a function of the log:
// a person's first live check-in counts; an annulment removes it.
void Engine::apply(const LogEntry& e) {
  State& s = *state_;
  if (e.kind == CheckInKind::CheckIn) {
    const Presence p{e.uuid, e.at, e.door, e.method};
    if (s.present.count(e.attendee_id)) {
      // Admitted at two doors that could not reach each other: a double
      // entry, counted once and listed for the organizers.
      s.also_live.emplace(e.attendee_id, p);
      return;
    }
    s.present[e.attendee_id] = p;
    s.arrivals[minute_of(e.at)] += 1;
    if (const AttendeeRecord* a = s.find(e.attendee_id)) {
      s.recent.push_front(
          {e.uuid, a->id, a->full_name, a->company, e.at, e.door, e.method, a->walk_in});
      if (s.recent.size() > kRecent) s.recent.pop_back();
    }
    return;
  }
  auto [first, last] = s.also_live.equal_range(e.attendee_id);
  if (e.kind == CheckInKind::Left || e.kind == CheckInKind::Returned) {
    // Out of the room or back, against whichever live check-in it names.
    auto it = s.present.find(e.attendee_id);
    Presence* p = it != s.present.end() && it->second.uuid == e.ref_uuid ? &it->second : nullptr;
    for (auto x = first; !p && x != last; ++x)
      if (x->second.uuid == e.ref_uuid) p = &x->second;
    if (p) {
      p->in_room = e.kind == CheckInKind::Returned;
      p->moved_at = e.at;
    }
    return;
  }
  for (auto it = first; it != last; ++it)
    if (it->second.uuid == e.ref_uuid) {
      s.also_live.erase(it);
      return;
    }
  auto it = s.present.find(e.attendee_id);
  if (it == s.present.end() || it->second.uuid != e.ref_uuid) return;
  s.arrivals[minute_of(it->second.at)] -= 1;
  std::erase_if(s.recent, [&](const RecentCheckIn& r) { return r.uuid == e.ref_uuid; });
  // Their other live check-in (the other half of a double entry) keeps them in.
  if (auto other = s.also_live.find(e.attendee_id); other != s.also_live.end()) {
    it->second = other->second;
    s.arrivals[minute_of(other->second.at)] += 1;
    s.also_live.erase(other);
  } else {
    s.present.erase(it);
  }
}

// Attendees added or changed (an import, a walk-in, from any process) into
// the derived state. Only what changed is indexed: a re-import that touched
// 1% of 100,000 people must not stall the door for a full rebuild.
void Engine::apply(std::vector<AttendeeRecord> rows) {
  State& s = *state_;
  // New people have ids above everyone's (SQLite's rowids only grow), so
  // they append in order; anything else is merged and rebuilt from scratch.
  const bool appends_in_order =
      !s.attendees.empty() && std::all_of(rows.begin(), rows.end(), [&](const AttendeeRecord& a) {
        return s.by_id.count(a.id) || a.id > s.attendees.back().id;
      });
  if (!appends_in_order) {
    for (AttendeeRecord& a : rows) {
      if (auto it = s.by_id.find(a.id); it != s.by_id.end())
        s.attendees[it->second] = std::move(a);
      else
        s.attendees.push_back(std::move(a));
    }
    rebuild_lists();
    return;
  }
  auto roster = std::make_shared<std::vector<AttendeeView>>(*s.roster);
  std::vector<SearchDoc> docs;
  const auto index_keys = [&](const AttendeeRecord& a, std::size_t i) {
    if (!a.ticket_code.empty()) s.by_code.emplace(a.ticket_code, i);
    s.by_external.emplace(a.external_id, i);
  };
  const auto unindex_keys = [&](const AttendeeRecord& a, std::size_t i) {
    if (auto it = s.by_code.find(a.ticket_code); it != s.by_code.end() && it->second == i)
      s.by_code.erase(it);
    if (auto it = s.by_external.find(a.external_id); it != s.by_external.end() && it->second == i)
      s.by_external.erase(it);
  };
  for (AttendeeRecord& a : rows) {
    docs.push_back(SearchDoc{a.id, a.full_name, a.company});
    if (auto it = s.by_id.find(a.id); it != s.by_id.end()) {
      const std::size_t i = it->second;
      unindex_keys(s.attendees[i], i);
      s.attendees[i] = std::move(a);
      index_keys(s.attendees[i], i);
      (*roster)[i] = view_of(s.attendees[i]);
      continue;
    }
    const std::size_t i = s.attendees.size();
    s.by_id[a.id] = i;
    s.attendees.push_back(std::move(a));
    index_keys(s.attendees[i], i);
    roster->push_back(view_of(s.attendees[i]));
  }
  s.roster = std::move(roster);
  // Layers stay small: past a tenth of the list, one full build again.
  if (s.search->layered_docs() + docs.size() > s.attendees.size() / 10 + 64 ||
      s.search->depth() >= 32) {
    std::vector<SearchDoc> all;
    all.reserve(s.attendees.size());
    for (const AttendeeRecord& x : s.attendees)
      all.push_back(SearchDoc{x.id, x.full_name, x.company});
    s.search = SearchIndex::build(std::move(all));
  } else {
    s.search = SearchIndex::layer(s.search, std::move(docs));
  }
}

void Engine::rebuild_lists() {
  State& s = *state_;
  std::sort(s.attendees.begin(), s.attendees.end(),
            [](const AttendeeRecord& a, const AttendeeRecord& b) { return a.id < b.id; });
  s.by_id.clear();
  s.by_code.clear();
  s.by_external.clear();
  auto roster = std::make_shared<std::vector<AttendeeView>>();
  roster->reserve(s.attendees.size());
  std::vector<SearchDoc> docs;
  docs.reserve(s.attendees.size());
  for (std::size_t i = 0; i < s.attendees.size(); ++i) {
    const AttendeeRecord& a = s.attendees[i];
    s.by_id[a.id] = i;
    if (!a.ticket_code.empty()) s.by_code.emplace(a.ticket_code, i);
    s.by_external.emplace(a.external_id, i);
    roster->push_back(view_of(a));
    docs.push_back(SearchDoc{a.id, a.full_name, a.company});
  }
  s.roster = std::move(roster);
  s.search = SearchIndex::build(std::move(docs));
}

void Engine::publish() {
  const State& s = *state_;
  auto snap = std::make_shared<Snapshot>();
  snap->version = ++state_->version;
  snap->event = s.event;
  snap->door = s.door;
  snap->door_naming = s.door_naming;
  snap->print_badges = options_.print_badges;
  snap->sync_set_up = options_.sync_set_up;
  for (const AttendeeRecord& a : s.attendees) {
    const bool in = s.present.count(a.id) != 0;
    if (a.walk_in) {
      if (in) ++snap->walk_ins;
      continue;
    }
    switch (a.rsvp) {
      case Rsvp::Yes:
        ++snap->rsvp_yes;
        snap->guests_expected += a.guests;
        if (in) {
          ++snap->checked_in;
          snap->guests_in += a.guests;
        }
        break;
      case Rsvp::Waitlist:
        ++snap->waitlisted;
        if (in) ++snap->unexpected_in;
        break;
      case Rsvp::No:
      case Rsvp::Cancelled:
        ++snap->declined;
        if (in) ++snap->unexpected_in;
        break;
    }
  }
  for (const auto& [id, p] : s.present) {
    if (p.in_room)
      snap->in_room += party_size(id);
    else
      ++snap->left_room;
  }
  for (const auto& [minute, n] : s.arrivals)
    if (n > 0) snap->arrivals_per_minute.emplace_back(minute, n);
  snap->recent.assign(s.recent.begin(), s.recent.end());
  snap->roster = s.roster ? s.roster : std::make_shared<const std::vector<AttendeeView>>();
  snap->search = s.search ? s.search : SearchIndex::build({});
  snap->present = std::make_shared<const std::unordered_map<std::int64_t, Presence>>(s.present);
  for (const auto& [id, p] : s.also_live) {
    auto de = std::find_if(snap->double_entries.begin(), snap->double_entries.end(),
                           [id = id](const DoubleEntry& x) { return x.attendee_id == id; });
    if (de == snap->double_entries.end()) {
      const AttendeeRecord* a = s.find(id);
      snap->double_entries.push_back({id, a ? a->full_name : "#" + std::to_string(id), {}});
      de = snap->double_entries.end() - 1;
      if (auto first = s.present.find(id); first != s.present.end())
        de->checkins.push_back(first->second);
    }
    de->checkins.push_back(p);
  }
  // The queues' figures are the one part read from the store here; a store
  // that fails (a full or unplugged disk) keeps the last figures and says
  // so, and never ends the door (publish runs outside any try).
  if (event_id_) {
    try {
      queues_ = store_->counts();
    } catch (const std::exception& e) {
      state_->last_error = std::string("Cannot read the store: ") + e.what();
    }
  }
  snap->queues = queues_;
  snap->catch_up_ms = s.catch_up_ms;
  snap->last_error = s.last_error;
  snap->print_problem = s.print_problem;
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::move(snap);
  }
  snapshot_cv_.notify_all();
}

}  // namespace fd
