#pragma once
// The headcount forecast of a running door (report/Forecast.h), for the
// organizer pages' live view and the kiosk's dashboard: the group's history
// read now and then (from the engine, through `history`), tonight's numbers
// from each snapshot. And the forecast in words, in the door's language.
//
// Thread-safety: every member may be called from any thread, but forecast()
// waits for the history when it is due (first call, then every
// `history_ttl`): call it from a worker or task thread, never from a frame.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/Snapshot.h"
#include "i18n/Catalog.h"
#include "model/Attendance.h"
#include "report/Forecast.h"

namespace fd {

class LiveForecast {
 public:
  // Every event of the store with its arrivals (Engine::attendance()).
  using History = std::function<std::vector<EventAttendance>()>;
  explicit LiveForecast(History history,
                        std::chrono::milliseconds history_ttl = std::chrono::minutes(10));

  // Nothing when the event has no RSVPs (there is nothing to forecast from).
  std::optional<HeadcountForecast> forecast(const Snapshot& snap, TimeMs now);

 private:
  History history_source_;
  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::vector<PastEvent> history_;  // guarded by mutex_
  std::int64_t history_event_ = 0;
  std::chrono::steady_clock::time_point history_at_{};
};

// "About 140 people by the end (80% likely 120–160); the room is expected to
// be full at about 19:10", in the catalogue's language (English without
// one). `full_at` stands for the time when given (a phone writes the time
// its own way: the page puts it where the language wants it).
std::string forecast_words(const HeadcountForecast& f, int capacity, const Catalog& words = {},
                           const std::optional<std::string>& full_at = std::nullopt);

}  // namespace fd
