#include "web/LiveFeed.h"

#include <pthread.h>

#include <nlohmann/json.hpp>

#include "engine/Engine.h"
#include "i18n/Catalog.h"

namespace fd {

const char* capacity_level(const Snapshot& s) {
  const int cap = s.event.capacity;
  if (cap <= 0) return "none";
  if (s.in_room >= cap) return "full";
  if (s.in_room * 10 >= cap * 9) return "near";
  return "ok";
}

namespace {

nlohmann::json counts(const Snapshot& s, TimeMs changed_at) {
  nlohmann::json j;
  j["event"] = s.event.name;
  j["checked_in"] = s.checked_in;
  j["rsvps"] = s.rsvp_yes;
  j["guests_expected"] = s.guests_expected;
  j["guests_in"] = s.guests_in;
  j["walk_ins"] = s.walk_ins;
  j["unexpected_in"] = s.unexpected_in;
  j["headcount"] = s.headcount();
  j["expected"] = s.expected();
  j["no_shows_so_far"] = s.no_shows_so_far();
  j["in_room"] = s.in_room;
  j["left"] = s.left_room;
  j["capacity"] = s.event.capacity;
  j["capacity_level"] = capacity_level(s);
  j["starts_at"] = s.event.starts_at ? iso8601_utc(s.event.starts_at) : "";
  j["updated_at"] = iso8601_utc(changed_at);
  return j;
}

}  // namespace

std::string stats_json(const Snapshot& s, TimeMs changed_at) {
  return counts(s, changed_at).dump();
}

std::string venue_json(const Snapshot& s, TimeMs changed_at) {
  // Numbers only: no names, no e-mails, no ids (the venue's page is read by
  // anyone holding the link).
  nlohmann::json j;
  j["event"] = s.event.name;
  j["checked_in"] = s.headcount();
  j["in_room"] = s.in_room;
  j["capacity"] = s.event.capacity;
  j["capacity_level"] = capacity_level(s);
  j["updated_at"] = iso8601_utc(changed_at);
  return j.dump();
}

LiveFeed::LiveFeed(Engine& engine, HealthSource health, ForecastSource forecast,
                   std::shared_ptr<const Catalog> words, std::chrono::milliseconds poll)
    : engine_(engine),
      health_(std::move(health)),
      forecast_(std::move(forecast)),
      words_(words ? std::move(words) : std::make_shared<const Catalog>()),
      poll_(poll) {
  refresh(true);
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-web-live");
}

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const LiveFrame> LiveFeed::latest() const {
  std::lock_guard lock(mutex_);
  return frame_;
}

std::shared_ptr<const LiveFrame> LiveFeed::wait_newer(std::uint64_t seq,
                                                      std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return stopping_ || (frame_ && frame_->seq > seq); });
  return frame_;
}

void LiveFeed::loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, stop, poll_, [] { return false; });
    }
    if (stop.stop_requested()) return;
    try {
      refresh(false);
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): the next poll retries
    }
  }
}

void LiveFeed::refresh(bool force) {
  const auto snap = engine_.snapshot();
  const auto now = std::chrono::steady_clock::now();
  // Health changes slowly and asks every worker: once a second is enough.
  bool health_changed = false;
  if (health_ && (force || now - last_health_ > std::chrono::seconds(1))) {
    last_health_ = now;
    nlohmann::json h = nlohmann::json::array();
    for (const WorkerHealth& w : health_())
      h.push_back({{"name", words_->message(w.name)},
                   {"ok", w.ok},
                   {"message", words_->message(w.message)}});
    std::string text = h.dump();
    health_changed = text != health_json_;
    health_json_ = std::move(text);
  }
  if (!force && !health_changed && snap->version == seen_version_) return;
  seen_version_ = snap->version;

  // The engine republishes after every command (the print worker's polls
  // too): only a change of what people see makes a new frame.
  nlohmann::json live;
  live["stats"] = counts(*snap, 0);
  live["stats"].erase("updated_at");
  nlohmann::json recent = nlohmann::json::array();
  for (const RecentCheckIn& r : snap->recent) {
    if (recent.size() >= 25) break;
    const Presence* p = snap->presence(r.attendee_id);
    recent.push_back({{"uuid", r.uuid},
                      {"attendee_id", r.attendee_id},
                      {"name", r.name},
                      {"company", r.company},
                      {"at", iso8601_utc(r.at)},
                      {"door", r.door},
                      {"method", to_string(r.method)},
                      {"walk_in", r.walk_in},
                      {"in_room", p ? p->in_room : false}});
  }
  live["recent"] = std::move(recent);
  nlohmann::json arrivals = nlohmann::json::array();
  for (const auto& [at, n] : snap->arrivals_per(15))
    arrivals.push_back({{"at", iso8601_utc(at)}, {"n", n}});
  live["arrivals"] = std::move(arrivals);
  live["health"] = nlohmann::json::parse(health_json_);
  live["queues"] = {{"printer", snap->print_badges},
                    {"badges_waiting", snap->queues.badge_jobs_open},
                    {"badges_failed", snap->queues.badge_jobs_failed},
                    {"badges_held", snap->queues.badge_jobs_held},
                    {"sync", snap->sync_set_up},
                    {"sync_pending", snap->queues.outbox_pending},
                    {"sync_failed", snap->queues.outbox_dead}};
  if (forecast_) {
    auto f = nlohmann::json::parse(forecast_(*snap), nullptr, false);
    if (f.is_object()) live["forecast"] = std::move(f);
  }
  nlohmann::json doubles = nlohmann::json::array();
  for (const DoubleEntry& d : snap->double_entries) {
    nlohmann::json at = nlohmann::json::array();
    for (const Presence& p : d.checkins)
      at.push_back({{"door", p.door}, {"at", iso8601_utc(p.at)}});
    doubles.push_back({{"attendee_id", d.attendee_id}, {"name", d.name}, {"checkins", at}});
  }
  live["double_entries"] = std::move(doubles);
  live["print_problem"] = words_->message(snap->print_problem);
  live["last_error"] = words_->message(snap->last_error);
  std::string text = live.dump();
  if (!force && text == last_live_) return;
  last_live_ = text;

  auto frame = std::make_shared<LiveFrame>();
  frame->changed_at = now_ms();
  live["stats"]["updated_at"] = iso8601_utc(frame->changed_at);
  frame->live_json = live.dump();
  frame->venue_json = venue_json(*snap, frame->changed_at);
  frame->stats_json = stats_json(*snap, frame->changed_at);
  {
    std::lock_guard lock(mutex_);
    frame->seq = frame_ ? frame_->seq + 1 : 1;
    frame_ = std::move(frame);
  }
  cv_.notify_all();
}

}  // namespace fd
