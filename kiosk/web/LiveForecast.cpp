#include "web/LiveForecast.h"

#include <nlohmann/json.hpp>

#include "base/Time.h"

namespace fd {

LiveForecast::LiveForecast(Engine& engine, std::chrono::milliseconds history_ttl)
    : engine_(engine), ttl_(history_ttl) {}

std::optional<HeadcountForecast> LiveForecast::forecast(const Snapshot& snap, TimeMs now) {
  if (snap.expected() <= 0) return std::nullopt;
  LiveEvent live;
  live.doors_open = snap.event.starts_at;
  if (!snap.arrivals_per_minute.empty())
    live.first_arrival = snap.arrivals_per_minute.front().first;
  live.rsvp_yes = snap.rsvp_yes;
  live.expected = snap.expected();
  live.capacity = snap.event.capacity;
  live.headcount = snap.headcount();

  std::lock_guard lock(mutex_);
  const auto t = std::chrono::steady_clock::now();
  if (history_event_ != snap.event.id || t - history_at_ > ttl_) {
    // Past events change rarely (an import of an old list): re-read now and
    // then, and learn only from events before tonight's doors opened.
    const TimeMs open = doors_open_at(live.doors_open, live.first_arrival);
    history_ = past_events(engine_.attendance().get(), snap.event.id, open ? open : now);
    history_event_ = snap.event.id;
    history_at_ = t;
  }
  return forecast_headcount(history_, live, now);
}

std::string forecast_words(const HeadcountForecast& f, int capacity) {
  std::string s = "About " + std::to_string(f.expected) + " people by the end (80% likely " +
                  std::to_string(f.low) + "–" + std::to_string(f.high) + ")";
  if (capacity > 0) {
    if (f.full_now)
      s += "; the room is full";
    else if (f.full_at)
      s += "; the room is expected to be full at about " + local_hhmm(*f.full_at);
    else if (f.may_fill)
      s += "; the room may fill if many come";
  }
  return s;
}

std::string LiveForecast::json(const Snapshot& snap) {
  const TimeMs now = now_ms();
  const auto f = forecast(snap, now);
  if (!f) return "";
  nlohmann::json j;
  j["text"] = forecast_words(*f, snap.event.capacity);
  // The phone writes the time in its own format: the words without it.
  if (f->full_at && !f->full_now && snap.event.capacity > 0) {
    HeadcountForecast no_time = *f;
    no_time.full_at.reset();
    no_time.may_fill = false;
    j["text_before_full_at"] = forecast_words(no_time, snap.event.capacity) +
                               "; the room is expected to be full at about ";
  }
  j["expected"] = f->expected;
  j["low"] = f->low;
  j["high"] = f->high;
  j["full_at"] = f->full_at ? nlohmann::json(iso8601_utc(*f->full_at)) : nlohmann::json(nullptr);
  j["basis"] = f->basis;
  return j.dump();
}

std::string LiveForecast::text(const Snapshot& snap) {
  const auto f = forecast(snap, now_ms());
  return f ? forecast_words(*f, snap.event.capacity) : "";
}

}  // namespace fd
