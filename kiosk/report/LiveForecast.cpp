#include "report/LiveForecast.h"

#include <cstdio>

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

std::string forecast_words(const HeadcountForecast& f, int capacity, const Translate& tr,
                           bool with_full_at) {
  const auto t = [&tr](const char* english) { return tr ? tr(english) : english; };
  char buf[256];
  std::snprintf(buf, sizeof buf, t("About %d people by the end (80%% likely %d–%d)"), f.expected,
                f.low, f.high);
  std::string s = buf;
  if (capacity <= 0) return s;
  if (f.full_now) {
    s += t("; the room is full");
  } else if (f.full_at) {
    std::snprintf(buf, sizeof buf, t("; the room is expected to be full at about %s"),
                  with_full_at ? local_hhmm(*f.full_at).c_str() : "");
    s += buf;
  } else if (f.may_fill) {
    s += t("; the room may fill if many come");
  }
  return s;
}

}  // namespace fd
