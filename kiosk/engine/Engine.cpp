#include "engine/Engine.h"

#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <unordered_set>

#include "base/Utf8.h"
#include "model/MergePlan.h"
#include "search/SearchIndex.h"
#include "store/Store.h"
#include "text/Fold.h"

namespace fd {

// ---------------------------------------------------------------------------
// [SECTION] Verdicts and snapshot helpers
// ---------------------------------------------------------------------------

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Admitted: return "admitted";
    case Verdict::AlreadyIn: return "already-in";
    case Verdict::UnknownTicket: return "unknown-ticket";
    case Verdict::NotATicket: return "not-a-ticket";
    case Verdict::Forged: return "forged";
    case Verdict::NotYetValid: return "not-yet-valid";
    case Verdict::Expired: return "expired";
    case Verdict::WrongEvent: return "wrong-event";
    case Verdict::Cancelled: return "cancelled";
    case Verdict::NotAttending: return "not-attending";
    case Verdict::CapacityReached: return "capacity-reached";
    case Verdict::Undone: return "undone";
    case Verdict::NothingToUndo: return "nothing-to-undo";
    case Verdict::Reprinting: return "reprinting";
    case Verdict::Imported: return "imported";
    case Verdict::Updated: return "updated";
    case Verdict::Done: return "done";
    case Verdict::Failed: return "failed";
    case Verdict::NameNeeded: return "name-needed";
    case Verdict::Left: return "left";
    case Verdict::Returned: return "returned";
    case Verdict::NotIn: return "not-in";
    case Verdict::IsThisYou: return "is-this-you";
    case Verdict::Held: return "held";
  }
  return "failed";
}

bool is_refusal(Verdict v) {
  switch (v) {
    case Verdict::UnknownTicket:
    case Verdict::NotATicket:
    case Verdict::Forged:
    case Verdict::NotYetValid:
    case Verdict::Expired:
    case Verdict::WrongEvent:
    case Verdict::Cancelled:
    case Verdict::NotAttending:
    case Verdict::CapacityReached:
    case Verdict::NothingToUndo:
    case Verdict::NotIn:
    case Verdict::Failed: return true;
    default: return false;
  }
}

const AttendeeView* Snapshot::attendee(std::int64_t id) const {
  if (!roster) return nullptr;
  auto it = std::lower_bound(roster->begin(), roster->end(), id,
                             [](const AttendeeView& a, std::int64_t v) { return a.id < v; });
  return it != roster->end() && it->id == id ? &*it : nullptr;
}

const Presence* Snapshot::presence(std::int64_t id) const {
  if (!present) return nullptr;
  auto it = present->find(id);
  return it == present->end() ? nullptr : &it->second;
}

std::vector<std::pair<TimeMs, int>> Snapshot::arrivals_per(int minutes) const {
  std::vector<std::pair<TimeMs, int>> out;
  if (arrivals_per_minute.empty() || minutes <= 0) return out;
  const TimeMs width = static_cast<TimeMs>(minutes) * 60'000;
  // Buckets align to the clock (18:00, 18:15, ...), which is how people read them.
  for (const auto& [minute, n] : arrivals_per_minute) {
    const TimeMs bucket = minute - (minute % width);
    if (out.empty() || out.back().first != bucket) out.emplace_back(bucket, 0);
    out.back().second += n;
  }
  return out;
}

// ---------------------------------------------------------------------------
// [SECTION] Derived state (read from the store, kept in step with it)
// ---------------------------------------------------------------------------

struct Engine::State {
  EventRecord event;
  std::vector<AttendeeRecord> attendees;  // by ascending id
  std::unordered_map<std::int64_t, std::size_t> by_id;
  std::unordered_map<std::string, std::size_t> by_code;  // ticket code
  std::unordered_map<std::string, std::size_t> by_external;
  std::unordered_map<std::int64_t, Presence> present;         // derived from the log
  std::unordered_multimap<std::int64_t, Presence> also_live;  // double entries' other check-ins
  std::map<TimeMs, int> arrivals;                             // minute -> net arrivals
  std::deque<RecentCheckIn> recent;
  std::shared_ptr<const std::vector<AttendeeView>> roster;
  std::shared_ptr<const SearchIndex> search;
  std::string ticket_key;       // the event's Frontdesk ticket key as stored
  std::string door = "door 1";  // this door's name, as its check-ins carry it
  DoorNaming door_naming = DoorNaming::Default;
  std::string last_error;
  std::string print_problem;
  std::uint64_t version = 0;
  // How far this process has read the store: the log's last sequence
  // number, the attendees' last revision, and SQLite's data_version (which
  // moves when another connection commits).
  std::int64_t last_seq = 0;
  std::int64_t attendee_rev = -1;  // -1: nothing read yet (rev 0 rows predate revisions)
  std::int64_t data_version = -1;
  double catch_up_ms = 0;
  // pretix's ticket rules for this event (pulled by sync, kept in the store).
  std::string rules_version;
  bool rules_known = false;
  std::unordered_set<std::string> revoked, blocked;
  bool all_products = true;
  std::unordered_set<std::int64_t> products;

  const AttendeeRecord* find(std::int64_t id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &attendees[it->second];
  }
};

namespace {

constexpr std::size_t kRecent = 50;
// Limits on what people type or scan (QR codes hold at most ~3 KB).
constexpr std::size_t kMaxTypedField = 300;
constexpr std::size_t kMaxCode = 4096;

TimeMs minute_of(TimeMs t) { return t - (t % 60'000); }

std::string event_list(const std::vector<EventRecord>& all) {
  std::string names;
  for (const auto& e : all) names += "\n  " + e.slug + "  (" + e.name + ")";
  return names;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Engine
// ---------------------------------------------------------------------------

Result<std::unique_ptr<Engine>> Engine::open(const std::filesystem::path& store_file,
                                             EngineOptions options) {
  auto store = Store::open(store_file);
  if (!store) return store.error();
  try {
    return std::make_unique<Engine>(std::move(*store), std::move(options));
  } catch (const EventChoiceError& e) {
    return Error{e.code, e.what()};
  } catch (const std::exception& e) {
    return Error{"engine.start", std::string("Cannot start: ") + e.what()};
  }
}

Engine::Engine(std::unique_ptr<Store> store, EngineOptions options)
    : options_(std::move(options)), store_(std::move(store)), state_(std::make_unique<State>()) {
  device_id_ = store_->device_id();
  log_epoch_ = store_->log_epoch();
  store_->set_print_badges(options_.print_badges);
  choose_event();
  load_door_name();
  if (event_id_) {
    if (options_.tickets.event_slug.empty()) options_.tickets.event_slug = state_->event.slug;
    {
      auto tx = store_->begin_write();
      store_->requeue_interrupted_badge_jobs();  // a crash mid-print: follow or print again
      tx.commit();
    }
    auto tx = store_->begin_read();
    catch_up(true);
  }
  publish();
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-engine");
}

Engine::~Engine() {
  thread_.request_stop();
  queue_cv_.notify_all();
}

// Which event this engine serves. This runs before the engine's thread
// exists; creating an event and remembering the current one are its only
// writes outside a command.
void Engine::choose_event() {
  auto tx = store_->begin_write();
  std::optional<EventRecord> event;
  if (options_.event_id) {
    event = store_->event_by_id(options_.event_id);
    if (!event)
      throw EventChoiceError("event.unknown",
                             "No event with id " + std::to_string(options_.event_id));
  } else {
    std::string wanted = options_.event;
    if (wanted.empty()) wanted = store_->meta("current_event").value_or("");
    if (!wanted.empty()) {
      event = store_->event_by_slug(wanted);
      if (!event) event = store_->event_by_slug(slugify(wanted));
      if (!event && options_.create_event && !options_.event.empty()) {
        event = store_->create_event(slugify(wanted), wanted);
        created_event_ = true;
      }
      if (!event && !options_.event.empty()) {
        const auto all = store_->events();
        throw EventChoiceError("event.unknown",
                               "No event called '" + wanted + "'." +
                                   (all.empty() ? "" : " Events:" + event_list(all)));
      }
    }
    if (!event) {
      const auto all = store_->events();
      if (all.size() == 1) event = all.front();
      if (!event && options_.require_event) {
        if (all.empty())
          throw EventChoiceError("event.none",
                                 "No events yet. Import an attendee list first: frontdesk import "
                                 "FILE.csv --event \"Event name\"");
        throw EventChoiceError("event.ambiguous",
                               "Which event? Pass --event SLUG. Events:" + event_list(all));
      }
    }
  }
  if (event) {
    const std::string current = store_->meta("current_event").value_or("");
    const bool current_exists = !current.empty() && store_->event_by_slug(current).has_value();
    if (current != event->slug && (options_.make_current || !current_exists))
      store_->set_meta("current_event", event->slug);
    state_->event = *event;
    event_id_ = event->id;
  }
  tx.commit();
}

std::future<Decision> Engine::post(Command command) {
  auto promise = std::make_shared<std::promise<Decision>>();
  std::future<Decision> f = promise->get_future();
  post(std::move(command), [promise](Decision d) { promise->set_value(std::move(d)); });
  return f;
}

void Engine::post(Command command, std::function<void(Decision)> done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Pending{std::move(command), std::move(done)});
  }
  queue_cv_.notify_one();
}

template <typename R>
std::future<R> Engine::read(std::function<R(const Store&)> f) {
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> result = promise->get_future();
  std::function<void()> job = [this, promise, f = std::move(f)] {
    try {
      auto tx = store_->begin_read();
      promise->set_value(f(*store_));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  };
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Pending{std::move(job), {}});
  }
  queue_cv_.notify_one();
  return result;
}

std::future<std::vector<EventRecord>> Engine::events() {
  return read<std::vector<EventRecord>>([](const Store& s) { return s.events(); });
}

std::future<std::vector<AttendeeRecord>> Engine::attendees() {
  return read<std::vector<AttendeeRecord>>(
      [id = event_id_](const Store& s) { return s.attendees(id); });
}

std::future<std::optional<AttendeeRecord>> Engine::attendee(std::int64_t id) {
  return read<std::optional<AttendeeRecord>>([id, event = event_id_](const Store& s) {
    auto a = s.attendee(id);
    if (a && a->event_id != event) a.reset();
    return a;
  });
}

std::future<std::vector<LogEntry>> Engine::log() {
  return read<std::vector<LogEntry>>([id = event_id_](const Store& s) { return s.log(id); });
}

std::future<std::vector<ReplicaEntry>> Engine::log_page(std::int64_t since_seq, std::size_t limit) {
  return read<std::vector<ReplicaEntry>>([id = event_id_, since_seq, limit](const Store& s) {
    return s.log_page(id, since_seq, limit);
  });
}

std::future<Engine::AttendeePageRead> Engine::attendee_page(std::string cursor, std::size_t limit) {
  return read<AttendeePageRead>(
      [id = event_id_, cursor = std::move(cursor), limit](const Store& s) {
        AttendeePageRead page;
        page.attendees = s.attendee_page(id, cursor, limit, page.next);
        return page;
      });
}

std::future<std::int64_t> Engine::last_seq() {
  return read<std::int64_t>([id = event_id_](const Store& s) { return s.last_seq(id); });
}

std::future<std::string> Engine::current_event() {
  return read<std::string>(
      [](const Store& s) { return s.meta("current_event").value_or(std::string()); });
}

std::future<std::vector<PeerRecord>> Engine::peers() {
  return read<std::vector<PeerRecord>>([id = event_id_](const Store& s) { return s.peers(id); });
}

std::future<std::vector<DoorListener>> Engine::listeners() {
  return read<std::vector<DoorListener>>(
      [id = event_id_](const Store& s) { return s.listeners(id); });
}

std::future<std::vector<HeldBadge>> Engine::held_badges() {
  return read<std::vector<HeldBadge>>([](const Store& s) { return s.held_badges(); });
}

std::future<std::vector<EventAttendance>> Engine::attendance() {
  return read<std::vector<EventAttendance>>([](const Store& s) {
    std::vector<EventAttendance> out;
    for (EventRecord& e : s.events()) {
      EventAttendance a;
      a.entries = s.list_facts(e.id);
      a.event = std::move(e);
      out.push_back(std::move(a));
    }
    return out;
  });
}

std::future<PeopleFacts> Engine::people_facts() {
  return read<PeopleFacts>([](const Store& s) { return s.people_facts(); });
}

std::shared_ptr<const Snapshot> Engine::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

std::shared_ptr<const Snapshot> Engine::wait_newer(std::uint64_t version, std::stop_token stop,
                                                   std::chrono::milliseconds timeout) const {
  std::unique_lock lock(snapshot_mutex_);
  snapshot_cv_.wait_for(lock, stop, timeout, [&] { return snapshot_->version > version; });
  return snapshot_;
}

void Engine::loop(std::stop_token stop) {
  using std::chrono::steady_clock;
  auto next_watch = steady_clock::now() + options_.watch_interval;
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait_until(lock, stop, next_watch, [&] { return !queue_.empty(); });
      if (queue_.empty() && stop.stop_requested()) return;  // everything drained
      batch.swap(queue_);
    }
    for (Pending& p : batch) {
      if (auto* job = std::get_if<std::function<void()>>(&p.work)) {
        (*job)();
        continue;
      }
      run_command(p);
    }
    // Has another process written? Looked at every watch_interval, busy or
    // idle: a steady stream of reads (a peer door's pulls, the web's pages)
    // must not keep this engine from seeing a kiosk's check-in. One PRAGMA
    // when nothing changed.
    if (steady_clock::now() < next_watch) continue;
    next_watch = steady_clock::now() + options_.watch_interval;
    if (!event_id_) continue;
    try {
      bool changed = false;
      {
        auto tx = store_->begin_read();
        changed = catch_up(false);
      }
      if (changed) publish();
    } catch (const std::exception& e) {
      state_->last_error = std::string("Cannot read the store: ") + e.what();
      publish();  // so that the door shows it
    }
  }
}

void Engine::run_command(Pending& p) {
  Command& command = std::get<Command>(p.work);
  Decision d;
  try {
    // Merging and splitting people is store-wide: it needs no event.
    const bool store_wide = std::holds_alternative<MergePeople>(command) ||
                            std::holds_alternative<SplitPeople>(command);
    if (!event_id_ && !store_wide) {
      d.verdict = Verdict::Failed;
      d.message = "No event chosen: pass --event SLUG";
    } else {
      {
        // The write lock first, then the truth: whatever another process
        // committed before we got the lock is read before deciding.
        auto tx = store_->begin_write();
        catch_up(false);
        d = handle(command);
        tx.commit();
      }
      // What this decision wrote (and anything committed since) becomes
      // the engine's view the same way others' writes do.
      auto tx = store_->begin_read();
      catch_up(true);
    }
    // The store answers again: a problem shown earlier is over.
    if (d.verdict != Verdict::Failed) state_->last_error.clear();
  } catch (const std::exception& e) {
    d = Decision{};
    d.verdict = Verdict::Failed;
    d.message = std::string("Could not record this: ") + e.what();
    state_->last_error = d.message;
  }
  publish();
  if (p.done) {
    try {
      p.done(std::move(d));
    } catch (...) {  // NOLINT(bugprone-empty-catch): a caller's callback must not stop the engine
    }
  }
}

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

// ---------------------------------------------------------------------------
// [SECTION] Decisions
// ---------------------------------------------------------------------------

Decision Engine::handle(Command& command) {
  return std::visit([this](auto& c) { return decide(c); }, command);
}

Decision Engine::admit(const AttendeeRecord& a, Method method) {
  State& s = *state_;
  Decision d;
  d.who = view_of(a);
  // At an exit door a ticket means "going out"; someone who went out and
  // comes back in is welcomed back rather than told they are already in.
  const bool by_hand = method == Method::Manual;
  if (options_.exit_door && !by_hand) return move(a, CheckInKind::Left, false);
  if (auto it = s.present.find(a.id); it != s.present.end() && !it->second.in_room)
    return move(a, CheckInKind::Returned, by_hand);  // back from outside: welcome back
  if (auto it = s.present.find(a.id); it != s.present.end()) {
    d.verdict = Verdict::AlreadyIn;
    d.checkin_uuid = it->second.uuid;
    d.at = it->second.at;
    d.door = it->second.door;
    d.message = "Already checked in at " + local_hhmm(d.at) + " (" + d.door + ")";
    d.had_badge = store_->badges_printed(a.id) > 0;
    return d;
  }
  // An organizer checking someone in by hand overrides the list's verdicts.
  const bool organizer = method == Method::Manual;
  if (a.rsvp == Rsvp::Cancelled && !organizer) {
    d.verdict = Verdict::Cancelled;
    d.message = "This ticket was cancelled — please see an organizer";
    return d;
  }
  if ((a.rsvp == Rsvp::No || a.rsvp == Rsvp::Waitlist) && !organizer &&
      !options_.admit_not_expected) {
    d.verdict = Verdict::NotAttending;
    d.message = a.rsvp == Rsvp::Waitlist
                    ? "You're on the waitlist — please see an organizer"
                    : "Your RSVP says you're not coming — please see an organizer";
    return d;
  }
  if (room_full(1 + a.guests) && !organizer) return room_full_decision();
  const LogEntry e = store_->append_checkin(s.event.id, a.id, state_->door, method, now_ms());
  return welcome(a, e);
}

// The person is in: say so. (The engine's view learns it from the log once
// the decision is committed, like any other process's check-in.)
Decision Engine::welcome(const AttendeeRecord& a, const LogEntry& e) {
  Decision d;
  d.verdict = Verdict::Admitted;
  d.who = view_of(a);
  d.checkin_uuid = e.uuid;
  d.at = e.at;
  d.door = e.door;
  d.visits = store_->events_attended(a.person_id);
  d.message = "Welcome, " + d.who->first_name + "!";
  return d;
}

Decision Engine::room_full_decision() const {
  Decision d;
  d.verdict = Verdict::CapacityReached;
  d.message = "The room is full (capacity " + std::to_string(state_->event.capacity) +
              ") — please see an organizer";
  return d;
}

bool Engine::room_full(int arriving) const {
  const State& s = *state_;
  if (s.event.capacity <= 0) return false;
  // Capacity is about the room: people who went out do not count.
  int in = 0;
  for (const auto& [id, p] : s.present)
    if (p.in_room) in += party_size(id);
  return in + arriving > s.event.capacity;
}

// A person and the +1s who came with them.
int Engine::party_size(std::int64_t attendee_id) const {
  const AttendeeRecord* a = state_->find(attendee_id);
  return 1 + (a && a->rsvp == Rsvp::Yes && !a->walk_in ? a->guests : 0);
}

Decision Engine::decide(CheckInCode& c) {
  State& s = *state_;
  Decision d;
  std::string code = c.text;
  // Handheld scanners add CR/LF; people paste with spaces.
  const auto notspace = [](unsigned char ch) { return !std::isspace(ch); };
  code.erase(code.begin(), std::find_if(code.begin(), code.end(), notspace));
  code.erase(std::find_if(code.rbegin(), code.rend(), notspace).base(), code.end());
  if (code.empty()) {
    d.verdict = Verdict::NotATicket;
    d.message = "That code is empty — please try again";
    return d;
  }
  if (code.size() > kMaxCode) {
    d.verdict = Verdict::NotATicket;
    d.message = "That code is too long to be a ticket";
    return d;
  }
  // What the code is: a ticket of ours, another event's, a forgery, or no ticket at all.
  TicketContext ctx = options_.tickets;
  ctx.now_s = now_ms() / 1000;
  const TicketResult parsed = parse_ticket(code, ctx);
  if (const auto* no = std::get_if<TicketRejection>(&parsed)) {
    switch (no->problem) {
      case TicketProblem::NotATicket: d.verdict = Verdict::NotATicket; break;
      case TicketProblem::Forged: d.verdict = Verdict::Forged; break;
      case TicketProblem::WrongEvent: d.verdict = Verdict::WrongEvent; break;
      case TicketProblem::NotYetValid: d.verdict = Verdict::NotYetValid; break;
      case TicketProblem::Expired: d.verdict = Verdict::Expired; break;
    }
    d.message = no->message;
    return d;
  }
  const Ticket& ticket = std::get<Ticket>(parsed);
  // Refused even offline: pretix said so at the last pull.
  if (s.revoked.count(ticket.code) || s.blocked.count(ticket.code)) {
    d.verdict = Verdict::Cancelled;
    d.message = s.revoked.count(ticket.code) ? "This ticket was revoked — please see an organizer"
                                             : "This ticket is blocked — please see an organizer";
    return d;
  }
  // Frontdesk tickets carry the attendee's id; the others a code on the list.
  const AttendeeRecord* found = nullptr;
  if (ticket.kind == TicketKind::Frontdesk) {
    if (auto it = s.by_external.find(ticket.code); it != s.by_external.end())
      found = &s.attendees[it->second];
  } else {
    if (auto it = s.by_code.find(ticket.code); it != s.by_code.end())
      found = &s.attendees[it->second];
    else if (auto ext = s.by_external.find(ticket.code); ext != s.by_external.end())
      found = &s.attendees[ext->second];
  }
  if (found) return admit(*found, c.method);
  code = ticket.code;
  if (auto other = store_->attendee_by_code_elsewhere(s.event.id, code)) {
    d.verdict = Verdict::WrongEvent;
    const auto ev = store_->event_by_id(other->event_id);
    d.message = "This ticket is for another event" + (ev ? " (" + ev->name + ")" : std::string());
    return d;
  }
  // A genuine signed pretix ticket bought after the last pull: the point of
  // signed tickets is that the door admits it without the list.
  if (ticket.kind == TicketKind::PretixSigned && ticket.signature_verified)
    return admit_ticket_holder(ticket, c);
  d.verdict = Verdict::UnknownTicket;
  d.message = ticket.signature_verified
                  ? "This ticket is genuine but not on this event's list — please see an organizer"
                  : "We can't find this ticket on the list — please see an organizer";
  return d;
}

Decision Engine::decide(CheckInAttendee& c) {
  const AttendeeRecord* a = state_->find(c.attendee_id);
  if (!a) {
    Decision d;
    d.verdict = Verdict::UnknownTicket;
    d.message = "No attendee #" + std::to_string(c.attendee_id) + " on this event's list";
    return d;
  }
  return admit(*a, c.method);
}

// Why there is nothing to undo, in words: an undo that was already done
// says when and where, so a second tap or a retried command is not a mystery.
std::string Engine::nothing_to_undo(const Undo& u) const {
  const State& s = *state_;
  const std::vector<LogEntry> log = store_->log(s.event.id);
  const LogEntry* checkin = nullptr;  // the one the undo was aimed at
  for (const LogEntry& e : log) {
    if (e.kind != CheckInKind::CheckIn) continue;
    if (!u.checkin_uuid.empty() ? e.uuid == u.checkin_uuid
        : u.attendee_id         ? e.attendee_id == u.attendee_id
                                : e.door == s.door)
      checkin = &e;  // the latest such
  }
  const AttendeeRecord* a = checkin ? s.find(checkin->attendee_id) : nullptr;
  const std::string who = a ? a->full_name : "them";
  if (!checkin) {
    if (!u.checkin_uuid.empty()) return "There is no check-in " + u.checkin_uuid + " on this event";
    if (u.attendee_id) {
      const AttendeeRecord* p = s.find(u.attendee_id);
      return (p ? p->full_name : std::string("That person")) + " is not checked in";
    }
    return "There is no check-in at " + s.door + " to undo";
  }
  for (const LogEntry& e : log)
    if (e.kind == CheckInKind::Annul && e.ref_uuid == checkin->uuid)
      return "The check-in of " + who + " at " + local_hhmm(checkin->at) + " (" + checkin->door +
             ") was already undone at " + local_hhmm(e.at) + " (" + e.door + ")";
  return "There is no such check-in to undo";
}

Decision Engine::decide(Undo& u) {
  State& s = *state_;
  Decision d;
  auto target = s.present.end();
  std::optional<std::pair<std::int64_t, Presence>> other_half;  // of a double entry
  if (!u.checkin_uuid.empty()) {
    target = std::find_if(s.present.begin(), s.present.end(),
                          [&](const auto& kv) { return kv.second.uuid == u.checkin_uuid; });
    for (const auto& kv : s.also_live)
      if (kv.second.uuid == u.checkin_uuid) other_half = kv;
  } else if (u.attendee_id) {
    target = s.present.find(u.attendee_id);
  } else {
    for (auto it = s.present.begin(); it != s.present.end(); ++it)
      if (it->second.door == state_->door &&
          (target == s.present.end() || it->second.at > target->second.at))
        target = it;
  }
  if (target == s.present.end() && other_half) {
    auto original = store_->log_entry(other_half->second.uuid);
    if (!original)
      throw std::runtime_error("check-in " + other_half->second.uuid + " missing from the log");
    store_->append_annul(*original, state_->door, now_ms());
    d.verdict = Verdict::Undone;
    d.checkin_uuid = original->uuid;
    if (const AttendeeRecord* a = s.find(other_half->first)) d.who = view_of(*a);
    d.message =
        "Double entry resolved: one check-in of " + (d.who ? d.who->full_name : "them") + " undone";
    return d;
  }
  if (target == s.present.end()) {
    d.verdict = Verdict::NothingToUndo;
    d.message = nothing_to_undo(u);
    return d;
  }
  const std::int64_t attendee_id = target->first;
  auto original = store_->log_entry(target->second.uuid);
  if (!original)
    throw std::runtime_error("check-in " + target->second.uuid + " missing from the log");
  const LogEntry annul = store_->append_annul(*original, state_->door, now_ms());
  d.verdict = Verdict::Undone;
  d.checkin_uuid = original->uuid;
  d.at = annul.at;
  if (const AttendeeRecord* a = s.find(attendee_id)) {
    d.who = view_of(*a);
    d.message = "Check-in of " + a->full_name + " undone";
  } else {
    d.message = "Check-in undone";
  }
  return d;
}

Decision Engine::decide(WalkIn& w) {
  State& s = *state_;
  Decision d;
  AttendeeRecord a;
  a.first_name = w.first_name;
  a.last_name = w.last_name;
  a.full_name = w.first_name.empty()  ? w.last_name
                : w.last_name.empty() ? w.first_name
                                      : w.first_name + " " + w.last_name;
  a.email = w.email;
  a.company = w.company;
  if (a.full_name.find_first_not_of(" \t") == std::string::npos) {
    d.verdict = Verdict::Failed;
    d.message = "Please tell us your name";
    return d;
  }
  // Typed at a kiosk or sent by a phone: outside input, with the import's limits.
  for (const std::string* field : {&a.full_name, &a.email, &a.company}) {
    if (field->size() > kMaxTypedField) {
      d.verdict = Verdict::Failed;
      d.message = "That is too long — please shorten it";
      return d;
    }
  }
  if (!w.new_person) {
    // Someone of that name is on the list or already inside: a second
    // record would count them twice, in the headcount and the report.
    const std::string key = fold(a.full_name);
    for (const AttendeeRecord& other : s.attendees) {
      if (fold(other.full_name) != key) continue;
      d.verdict = Verdict::IsThisYou;
      d.who = view_of(other);
      d.message = s.present.count(other.id)
                      ? other.full_name + " is already checked in. Is this you?"
                      : other.full_name + " is on the list. Is this you?";
      return d;
    }
  }
  if (room_full(1)) return room_full_decision();
  auto [added, entry] = store_->add_walk_in(s.event.id, a, state_->door, now_ms());
  return welcome(added, entry);
}

Decision Engine::decide(Reprint& r) {
  State& s = *state_;
  Decision d;
  const AttendeeRecord* a = s.find(r.attendee_id);
  auto p = s.present.find(r.attendee_id);
  if (!a || p == s.present.end()) {
    d.verdict = Verdict::Failed;
    d.message = "Only people who are checked in can get a badge";
    return d;
  }
  if (!options_.print_badges) {
    // Said rather than queued: a job queued now would print, with all the
    // others, whenever a printer is added.
    d.verdict = Verdict::Failed;
    d.message =
        "No printer is set up at this door, so no badge was printed. Name one under "
        "[printer] in the config (frontdesk printers lists them).";
    return d;
  }
  auto entry = store_->log_entry(p->second.uuid);
  if (!entry) throw std::runtime_error("check-in " + p->second.uuid + " missing from the log");
  store_->enqueue_reprint(*entry);
  d.verdict = Verdict::Reprinting;
  d.who = view_of(*a);
  d.checkin_uuid = entry->uuid;
  d.message = "Reprinting the badge of " + a->full_name;
  return d;
}

namespace {
// The newest RSVP each source's list was merged from (model/MergePlan.h).
std::string list_as_of_key(std::int64_t event_id, const std::string& source) {
  return "list_as_of:" + std::to_string(event_id) + ":" + (source.empty() ? "csv" : source);
}
Decision held_merge(const MergePlan& plan) {
  Decision d;
  d.verdict = Verdict::Held;
  d.import = plan.would;
  d.message = hold_reason(plan) + ". Nothing was changed.";
  return d;
}
void name_changes(MergeReport& done, const MergePlan& plan) {
  done.added_people = plan.would.added_people;
  done.changed_people = plan.would.changed_people;
  done.cancelled_people = plan.would.cancelled_people;
}
}  // namespace

// Imports and pulls are planned before anything is written: one that would
// cancel much of the list, holds no attendees or is older than the list is
// held back until an organizer confirms it.
Decision Engine::decide(MergeImport& m) {
  State& s = *state_;
  Decision d;
  const std::string key = list_as_of_key(s.event.id, m.batch.source);
  const TimeMs list_as_of = std::atoll(store_->meta(key).value_or("0").c_str());
  const MergePlan plan = plan_merge(s.attendees, m.batch, {m.prune_missing, true, list_as_of});
  if (plan.held() && !m.confirmed) return held_merge(plan);
  d.import = store_->merge_attendees(s.event.id, m.batch, m.file_name, m.prune_missing);
  name_changes(d.import, plan);
  if (m.batch.as_of > list_as_of) store_->set_meta(key, std::to_string(m.batch.as_of));
  d.verdict = Verdict::Imported;
  d.message = std::to_string(d.import.added) + " added, " + std::to_string(d.import.updated) +
              " updated, " + std::to_string(d.import.unchanged) + " unchanged";
  return d;
}

Decision Engine::decide(SetEventDetails& e) {
  EventRecord ev = state_->event;
  if (!e.name.empty()) ev.name = e.name;
  if (e.capacity >= 0) ev.capacity = e.capacity;
  if (e.starts_at >= 0) ev.starts_at = e.starts_at;
  store_->update_event(ev);
  Decision d;
  d.verdict = Verdict::Updated;
  d.message = "Event updated";
  return d;
}

Decision Engine::decide(MakeEventCurrent&) {
  store_->set_meta("current_event", state_->event.slug);
  Decision d;
  d.verdict = Verdict::Updated;
  d.message = "Current event: " + state_->event.name;
  return d;
}

Decision Engine::decide(SetTicketKey& k) {
  Decision d;
  auto key = public_key_from_text(k.public_key);
  if (!key) {
    d.verdict = Verdict::Failed;
    d.message = key.error().message;
    return d;
  }
  store_->set_meta("ticket_public_key:" + state_->event.slug, k.public_key);
  d.verdict = Verdict::Updated;
  d.message = "Ticket key saved";
  return d;
}

Decision Engine::decide(ClaimBadgeJob&) {
  Decision d;
  d.verdict = Verdict::Done;
  auto job = store_->claim_badge_job(now_ms());
  if (!job) return d;
  if (auto a = store_->attendee(job->attendee_id)) d.who = view_of(*a);
  d.badge_job = job;
  return d;
}

Decision Engine::decide(BadgeJobSent& c) {
  store_->set_badge_printer_job(c.job_id, c.printer_job);
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(FinishBadgeJob& c) {
  store_->finish_badge_job(c.job_id, c.state, c.problem, now_ms());
  state_->print_problem = c.state == "done" ? "" : c.problem;
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(ReportPrinter& c) {
  state_->print_problem = c.problem;
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(MergeFromDoor& m) {
  Decision d;
  d.verdict = Verdict::Done;
  d.import.updated = store_->merge_replica_attendees(event_id_, m.attendees);
  d.replicated = store_->merge_replica_log(event_id_, m.entries);
  return d;
}

Decision Engine::decide(SavePeer& p) {
  store_->save_peer(event_id_, p.peer);
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

// This door's name: --door / [kiosk] door, else the stored one, else "door 1".
void Engine::load_door_name() {
  State& s = *state_;
  if (!options_.door.empty()) {
    s.door = options_.door;
    s.door_naming = DoorNaming::Fixed;
    return;
  }
  const auto stored = event_id_ ? store_->door_name(event_id_) : std::nullopt;
  s.door = stored ? stored->first : "door 1";
  s.door_naming = !stored                         ? DoorNaming::Default
                  : stored->second == "organizer" ? DoorNaming::Organizer
                                                  : DoorNaming::Joined;
}

Decision Engine::decide(NameDoor& n) {
  Decision d;
  d.verdict = Verdict::Failed;
  std::string name = n.name;
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
    name.erase(name.begin());
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  // Other doors carry it in every check-in and greeting (64 bytes there).
  const bool control = std::any_of(name.begin(), name.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (name.empty() || name.size() > 64 || control || !is_valid_utf8(name)) {
    d.message = "A door's name is 1 to 64 characters of plain text, like \"Side door\"";
    return d;
  }
  for (const PeerRecord& p : store_->peers(event_id_))
    if (p.name == name) {
      d.message = "Another door of this event is called \"" + name + "\": choose another name";
      return d;
    }
  store_->set_door_name(event_id_, name, n.organizer ? "organizer" : "join");
  load_door_name();
  d.verdict = Verdict::Updated;
  d.door = state_->door;
  d.message = state_->door_naming == DoorNaming::Fixed
                  ? "Saved \"" + name +
                        "\", but --door or [kiosk] door in frontdesk.toml calls "
                        "this door \"" +
                        state_->door + "\", and that wins"
                  : "This door is now called \"" + name + "\"";
  return d;
}

Decision Engine::decide(SaveListener& l) {
  store_->save_listener(event_id_, l.listener);
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

// ---------------------------------------------------------------------------
// [SECTION] Sync with the RSVP services
// ---------------------------------------------------------------------------

std::future<std::vector<OutboxItem>> Engine::outbox_due(std::string service, TimeMs now,
                                                        int limit) {
  return read<std::vector<OutboxItem>>(
      [id = event_id_, service = std::move(service), now, limit](const Store& s) {
        return s.outbox_due(id, service, now, limit);
      });
}

std::future<std::vector<SyncServiceStatus>> Engine::sync_status(std::vector<std::string> services) {
  return read<std::vector<SyncServiceStatus>>(
      [id = event_id_, services = std::move(services)](const Store& s) {
        return s.sync_status(id, services);
      });
}

void Engine::load_ticket_rules() {
  State& s = *state_;
  s.rules_version = store_->ticket_rules_version(s.event.slug);
  const auto rules = store_->ticket_rules(s.event.slug);
  s.rules_known = rules.has_value();
  s.revoked.clear();
  s.blocked.clear();
  s.products.clear();
  s.all_products = true;
  if (!rules) return;
  s.revoked.insert(rules->revoked.begin(), rules->revoked.end());
  s.blocked.insert(rules->blocked.begin(), rules->blocked.end());
  s.all_products = rules->all_products;
  s.products.insert(rules->products.begin(), rules->products.end());
  auto& keys = options_.tickets.pretix_keys;
  for (const std::string& text : rules->pretix_keys)
    if (auto k = pretix_public_key(text))
      if (std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
}

Decision Engine::admit_ticket_holder(const Ticket& ticket, const CheckInCode& c) {
  State& s = *state_;
  Decision d;
  if (s.rules_known && !s.all_products && !s.products.count(ticket.item)) {
    d.verdict = Verdict::WrongEvent;
    d.message = "This ticket is not for this entrance — please see an organizer";
    return d;
  }
  const auto blank = [](const std::string& t) {
    return t.find_first_not_of(" \t") == std::string::npos;
  };
  if (blank(c.first_name) && blank(c.last_name)) {
    d.verdict = Verdict::NameNeeded;
    d.message = "Your ticket is fine — please type your name for your badge";
    return d;
  }
  if (room_full(1)) return room_full_decision();
  AttendeeRecord a;
  a.source = "pretix";
  a.ticket_code = ticket.code;
  a.first_name = c.first_name;
  a.last_name = c.last_name;
  a.full_name = blank(c.first_name)  ? c.last_name
                : blank(c.last_name) ? c.first_name
                                     : c.first_name + " " + c.last_name;
  auto [added, entry] = store_->add_ticket_holder(s.event.id, a, state_->door, c.method, now_ms());
  return welcome(added, entry);
}

Decision Engine::decide(RecordDeliveries& c) {
  store_->record_deliveries(c.service, c.results, c.services, now_ms());
  bool delivered = false;
  for (const Delivery& r : c.results) delivered = delivered || r.state == "sent";
  if (delivered) store_->record_sync_result(event_id_, c.service, true, "", now_ms());
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(MergePull& c) {
  if (c.batch.source.empty()) c.batch.source = c.service;  // as Store::merge_pull reads it
  // A complete list cancels who left it (Store::merge_pull), so the same
  // tenth-of-the-list rule as an import with --prune holds it.
  const MergePlan plan = plan_merge(state_->attendees, c.batch, {c.complete, false, 0});
  if (plan.held() && !c.confirmed) return held_merge(plan);  // the cursor stays: it comes again
  Decision d;
  int remote = 0;
  d.import = store_->merge_pull(event_id_, c.service, c.batch, c.remote, c.cursor, now_ms(),
                                &remote, c.complete);
  name_changes(d.import, plan);
  if (c.rules) store_->set_ticket_rules(state_->event.slug, *c.rules);
  d.verdict = Verdict::Imported;
  d.message = std::to_string(d.import.added) + " added, " + std::to_string(d.import.updated) +
              " updated (" + std::to_string(d.import.cancelled) + " cancelled), " +
              std::to_string(remote) + " checked in elsewhere";
  return d;
}

Decision Engine::decide(RecordSyncResult& c) {
  store_->record_sync_result(event_id_, c.service, c.ok, c.error, now_ms());
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(RetryDeadLetters& c) {
  Decision d;
  const int n = store_->retry_dead_letters(event_id_, c.service);
  d.verdict = Verdict::Done;
  d.message = std::to_string(n) + (n == 1 ? " check-in" : " check-ins") + " queued again";
  return d;
}

Decision Engine::decide(Lease& c) {
  Decision d;
  d.verdict = Verdict::Done;
  if (c.ttl.count() > 0)
    d.lease_held = store_->take_lease(c.name, c.holder, now_ms(), c.ttl.count());
  else
    store_->drop_lease(c.name, c.holder);
  return d;
}

// ---------------------------------------------------------------------------
// [SECTION] People across events (report/People.h derives who is who)
// ---------------------------------------------------------------------------

namespace {

// Both records exist and differ; otherwise the reason in plain words.
std::string check_pair(const Store& store, std::int64_t a, std::int64_t b) {
  if (a == b) return "Those are the same record: give two different people";
  for (std::int64_t id : {a, b})
    if (!store.person(id)) return "No person #" + std::to_string(id) + " (see frontdesk people)";
  return "";
}

}  // namespace

Decision Engine::decide(MergePeople& c) {
  Decision d;
  if (std::string why = check_pair(*store_, c.a, c.b); !why.empty()) {
    d.verdict = Verdict::Failed;
    d.message = why;
    return d;
  }
  store_->record_people_decision(c.a, c.b, true, now_ms());
  d.verdict = Verdict::Updated;
  d.message = "#" + std::to_string(c.a) + " and #" + std::to_string(c.b) + " are one person now";
  return d;
}

Decision Engine::decide(SplitPeople& c) {
  Decision d;
  if (std::string why = check_pair(*store_, c.a, c.b); !why.empty()) {
    d.verdict = Verdict::Failed;
    d.message = why;
    return d;
  }
  store_->record_people_decision(c.a, c.b, false, now_ms());
  d.verdict = Verdict::Updated;
  d.message = "#" + std::to_string(c.a) + " and #" + std::to_string(c.b) +
              " are kept apart as two people now";
  return d;
}

Decision Engine::decide(MarkLeft& c) {
  const AttendeeRecord* a = state_->find(c.attendee_id);
  if (!a) {
    Decision d;
    d.verdict = Verdict::NotIn;
    d.message = "No attendee #" + std::to_string(c.attendee_id) + " on this event's list";
    return d;
  }
  return move(*a, CheckInKind::Left, true);
}

Decision Engine::decide(PrintHeldBadges& c) {
  Decision d;
  if (!options_.print_badges) {
    d.verdict = Verdict::Failed;
    d.message = "No printer is set up at this door: name one under [printer] in the config.";
    return d;
  }
  const int n = store_->release_held_badges(c.job_ids, now_ms());
  d.verdict = Verdict::Done;
  d.message = n == 0   ? "No held badge to print"
              : n == 1 ? "1 held badge goes to the printer"
                       : std::to_string(n) + " held badges go to the printer";
  return d;
}

Decision Engine::decide(MarkReturned& c) {
  const AttendeeRecord* a = state_->find(c.attendee_id);
  if (!a) {
    Decision d;
    d.verdict = Verdict::NotIn;
    d.message = "No attendee #" + std::to_string(c.attendee_id) + " on this event's list";
    return d;
  }
  return move(*a, CheckInKind::Returned, true);
}

// Out of the room or back in, appended to the log against the person's
// check-in. Coming back is refused when the room is full, unless an
// organizer does it.
Decision Engine::move(const AttendeeRecord& a, CheckInKind kind, bool organizer) {
  State& s = *state_;
  Decision d;
  d.who = view_of(a);
  auto it = s.present.find(a.id);
  if (it == s.present.end()) {
    d.verdict = Verdict::NotIn;
    d.message = a.full_name + " is not checked in";
    return d;
  }
  const bool leaving = kind == CheckInKind::Left;
  if (it->second.in_room != leaving) {
    d.verdict = leaving ? Verdict::Left : Verdict::Returned;
    d.checkin_uuid = it->second.uuid;
    d.at = it->second.moved_at;
    d.message = a.full_name + (leaving ? " had already left" : " is already in the room");
    return d;
  }
  if (!leaving && !organizer && room_full(party_size(a.id))) return room_full_decision();
  auto checkin = store_->log_entry(it->second.uuid);
  if (!checkin) throw std::runtime_error("check-in " + it->second.uuid + " missing from the log");
  const LogEntry e = store_->append_move(*checkin, kind, state_->door, now_ms());
  d.verdict = leaving ? Verdict::Left : Verdict::Returned;
  d.checkin_uuid = checkin->uuid;
  d.at = e.at;
  d.door = e.door;
  const std::string first = view_of(a).first_name;  // "Jane", never a title
  d.message = leaving ? "Goodbye, " + first + "!" : "Welcome back, " + first + "!";
  if (first.empty()) d.message = leaving ? "Goodbye!" : "Welcome back!";
  return d;
}

}  // namespace fd
