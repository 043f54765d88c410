#pragma once
// What sync does, step by step, for the background worker and for
// `frontdesk sync push|pull` alike: deliver due outbox rows through each
// pushing connector, and pull lists through each pulling one. Every state
// change goes through engine commands; a restart resumes from the store.
//
// Delivery: at least once with the check-in's UUID as nonce / idempotency
// key, so effectively once. A failed row waits (exponential backoff with
// jitter, or the service's Retry-After) while the rows behind it go on; a
// row the service refuses `max_refusals` times, or once when its answer is
// final, becomes a dead letter. A problem that stops a whole service (it is
// unreachable, refuses the credentials or a setting) is recorded for
// `sync status` once, not per row.
//
// Thread-safety: one thread at a time (each worker thread has its own).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/Engine.h"
#include "sync/Connector.h"

namespace fd {

struct SyncOptions {
  int max_refusals = 3;
  std::chrono::milliseconds retry_base{1000};   // first retry of a row after about this long
  std::chrono::milliseconds retry_max{300000};  // and never more than this apart
  std::chrono::milliseconds refusal_base{30000};
  int batch = 50;  // rows per round and service
};

struct PushRound {
  int delivered = 0, retried = 0, refused = 0, dead = 0, waiting = 0;
  std::string last_error;  // plain words, "" when the round went well
};

struct PullSummary {
  std::string service;
  MergeReport merged;
  std::string message;  // the engine's words: "3000 added, ..."
  std::string notice;   // what the pull could not do although it worked (plain words)
  int people = 0;
  int requests = 0;
  bool incremental = false;
  std::chrono::milliseconds took{0};
};

class SyncRunner {
 public:
  SyncRunner(Engine& engine, std::vector<std::unique_ptr<Connector>> connectors,
             SyncOptions options);
  // Services whose delivery state decides when an outbox row is settled.
  std::vector<std::string> pushing_services() const;
  std::vector<std::string> pulling_services() const;
  // One round: due rows of every pushing service, each tried once.
  PushRound push_once(const std::function<bool()>& stopping);
  // When the next row of any service may be tried (for sleeping); 0: now.
  std::chrono::milliseconds pause_left() const;
  // Pulls one service (by name) or every pulling service. `full` ignores the
  // incremental cursor. A pull that would cancel more than a tenth of the
  // list is held (model/MergePlan.h): an error "sync.held" saying what it
  // would do, the cursor kept; `go_ahead` (an organizer's --yes) merges it.
  Result<PullSummary> pull(const std::string& service, bool full, const PullRequest& ctx,
                           bool go_ahead = false);
  std::vector<Connector*> connectors();

 private:
  TimeMs backoff(int attempts, std::chrono::milliseconds base) const;
  void tell(const std::string& service, const std::string& problem);
  Engine& engine_;
  std::vector<std::unique_ptr<Connector>> connectors_;
  SyncOptions options_;
  std::map<std::string, TimeMs> paused_until_;  // a whole service: offline, or asked to wait
  std::map<std::string, int> offline_streak_;
  // The problem last recorded per service, and when.
  std::map<std::string, std::pair<std::string, TimeMs>> told_;
};

}  // namespace fd
