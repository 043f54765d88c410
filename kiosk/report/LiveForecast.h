#pragma once
// The headcount forecast of a running door (report/Forecast.h), for the
// organizer pages' live view and the kiosk's dashboard: the group's history
// read from the engine now and then, tonight's numbers from each snapshot.
//
// Thread-safety: every member may be called from any thread, but forecast()
// waits for the engine when the history is due (first call, then every
// `history_ttl`): call it from a worker or task thread, never from a frame.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/Engine.h"
#include "report/Forecast.h"

namespace fd {

class LiveForecast {
 public:
  explicit LiveForecast(Engine& engine,
                        std::chrono::milliseconds history_ttl = std::chrono::minutes(10));

  // Nothing when the event has no RSVPs (there is nothing to forecast from).
  std::optional<HeadcountForecast> forecast(const Snapshot& snap, TimeMs now);
  // {"text", "expected", "low", "high", "full_at"} for the live view; "" for none.
  std::string json(const Snapshot& snap);
  // One line for a dashboard; "" for none.
  std::string text(const Snapshot& snap);

 private:
  Engine& engine_;
  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::vector<PastEvent> history_;  // guarded by mutex_
  std::int64_t history_event_ = 0;
  std::chrono::steady_clock::time_point history_at_{};
};

// "About 140 people by the end (80% likely 120–160); the room is expected to
// be full at about 19:10".
std::string forecast_words(const HeadcountForecast& f, int capacity);

}  // namespace fd
