#include "report/LiveForecast.h"

#include "base/Time.h"

namespace fd {

LiveForecast::LiveForecast(History history, std::chrono::milliseconds history_ttl)
    : history_source_(std::move(history)), ttl_(history_ttl) {}

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
    history_ = past_events(history_source_(), snap.event.id, open ? open : now);
    history_event_ = snap.event.id;
    history_at_ = t;
  }
  return forecast_headcount(history_, live, now);
}

std::string forecast_words(const HeadcountForecast& f, int capacity, const Catalog& w,
                           const std::optional<std::string>& full_at) {
  std::string s = w.count(f.expected, "About %d person by the end (80%% likely %d–%d)",
                          "About %d people by the end (80%% likely %d–%d)", f.low, f.high);
  if (capacity <= 0) return s;
  if (f.full_now) {
    s += w.tr("; the room is full");
  } else if (f.full_at) {
    s += format(w.tr("; the room is expected to be full at about %s"),
                full_at ? *full_at : local_hhmm(*f.full_at));
  } else if (f.may_fill) {
    s += w.tr("; the room may fill if many come");
  }
  return s;
}

}  // namespace fd
