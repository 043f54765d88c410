// The engine's life and its queue: opening the store and choosing the
// event, posting commands and reads, the thread that decides them inside
// the write lock, and the reads that belong to no one capability. What each
// command decides is in the Engine*.cpp file of its capability (Engine.h
// lists them); the derived state is in EngineView.cpp.
#include "engine/Engine.h"

#include <pthread.h>

#include "engine/EngineState.h"
#include "store/Store.h"

namespace fd {

namespace {

std::string event_list(const std::vector<EventRecord>& all) {
  std::string names;
  for (const auto& e : all) names += "\n  " + e.slug + "  (" + e.name + ")";
  return names;
}

}  // namespace

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

std::future<std::string> Engine::current_event() {
  return read<std::string>(
      [](const Store& s) { return s.meta("current_event").value_or(std::string()); });
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

Decision Engine::handle(Command& command) {
  return std::visit([this](auto& c) { return decide(c); }, command);
}

}  // namespace fd
