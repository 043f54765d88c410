#pragma once
// What the organizer pages and the venue feed show live, computed once for
// every viewer: one thread watches the engine's snapshot (which the engine
// republishes within 200 ms of a commit by any process on the store) and
// the workers' health, and when the figures change publishes a new frame.
// Each live view (a server-sent-events stream) waits on the feed, so fifty
// phones cost one JSON encoding per change, not fifty.
//
// Thread-safety: latest(), wait_newer() and the JSON helpers are safe from
// any thread; the destructor stops and joins the feed's thread (and wakes
// every waiter).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/Time.h"
#include "base/Worker.h"
#include "engine/Snapshot.h"

namespace fd {

class Engine;
class Catalog;

struct LiveFrame {
  std::uint64_t seq = 0;   // increases with every change
  TimeMs changed_at = 0;   // when the figures last changed (the venue's updated_at)
  std::string live_json;   // organizer view: counts, recent check-ins, arrivals, health
  std::string venue_json;  // venue view: numbers only, no names or ids
  std::string stats_json;  // the counts alone (GET /api/stats)
};

// "ok", "near" (90% of capacity in the room) or "full" (100%); "none"
// without a capacity.
const char* capacity_level(const Snapshot& s);
std::string stats_json(const Snapshot& s, TimeMs changed_at);
std::string venue_json(const Snapshot& s, TimeMs changed_at);

class LiveFeed {
 public:
  using HealthSource = std::function<std::vector<WorkerHealth>()>;
  // A JSON object text added to each frame as "forecast" (empty: none).
  using ForecastSource = std::function<std::string(const Snapshot&)>;
  // `words`: the door's language for the lines the feed carries (workers'
  // health, print problems); null: English.
  LiveFeed(Engine& engine, HealthSource health, ForecastSource forecast = {},
           std::shared_ptr<const Catalog> words = {},
           std::chrono::milliseconds poll = std::chrono::milliseconds(50));
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  std::shared_ptr<const LiveFrame> latest() const;
  // The first frame after `seq`, or the latest one when `timeout` passes or
  // the feed stops first (compare its seq).
  std::shared_ptr<const LiveFrame> wait_newer(std::uint64_t seq,
                                              std::chrono::milliseconds timeout) const;

 private:
  void loop(std::stop_token stop);
  void refresh(bool force);

  Engine& engine_;
  HealthSource health_;
  ForecastSource forecast_;
  std::shared_ptr<const Catalog> words_;
  std::chrono::milliseconds poll_;
  std::uint64_t seen_version_ = 0;
  std::string last_live_;
  std::chrono::steady_clock::time_point last_health_;
  std::string health_json_ = "[]";

  mutable std::mutex mutex_;
  mutable std::condition_variable_any cv_;
  std::shared_ptr<const LiveFrame> frame_;
  bool stopping_ = false;
  std::jthread thread_;  // last: starts after the rest exists
};

}  // namespace fd
