#pragma once
// The sync worker of a door process (owned by the Shell): one thread
// delivers the outbox, another pulls the lists in the background, so a
// pull of thousands never delays a delivery and neither ever waits in front
// of a check-in (they talk to the engine like any other client). Each
// thread has its own connectors (HTTP clients are not shared). Of several
// processes on one store, one syncs at a time (a lease in the store).
//
// Thread-safety: construct and destroy on one thread; health() from any.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/Worker.h"
#include "engine/Engine.h"
#include "sync/SyncRunner.h"

namespace fd {

struct SyncWorkerOptions {
  SyncOptions sync;
  // How soon items that wait (a service that refused for now, a pause it
  // asked for) are tried again. An empty outbox is not looked at: the next
  // commit wakes the worker.
  std::chrono::milliseconds idle_poll{500};
  std::chrono::milliseconds pull_every{120000};  // background pulls (the first one at start)
  // One worker per store and event syncs (a kiosk and `frontdesk serve` on
  // one store would send everything twice): it holds a lease this long,
  // renewed at a third of it; another takes over when it runs out.
  std::chrono::milliseconds lease{30000};
};

class SyncWorker : public Worker {
 public:
  using Factory = std::function<std::vector<std::unique_ptr<Connector>>()>;
  SyncWorker(Engine& engine, Factory make_connectors, SyncWorkerOptions options);
  ~SyncWorker() override;
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  // "Sync": ok while nothing is stuck; the message in plain words: last
  // success, what waits, dead letters, the last error.
  WorkerHealth health() const override;

 private:
  void push_loop(std::stop_token stop);
  void pull_loop(std::stop_token stop);
  bool nap(std::stop_token& stop, std::chrono::milliseconds d);
  // Whether this worker is the one that syncs now (takes or renews the
  // lease when it is time).
  bool leading();

  Engine& engine_;
  Factory factory_;
  SyncWorkerOptions options_;
  std::vector<std::string> services_;
  mutable std::mutex mutex_;  // guards what health() reads
  std::string push_error_, pull_error_, pull_progress_;
  TimeMs last_push_ok_ = 0;
  const std::string lease_name_, holder_;  // "sync:<event>", this worker
  std::mutex lease_mutex_;                 // held while one thread asks the store
  bool leading_ = false;                   // guarded by mutex_
  TimeMs next_lease_ = 0;                  // when to take or renew it; mutex_
  std::mutex nap_mutex_;
  std::condition_variable_any nap_cv_;
  std::jthread push_thread_, pull_thread_;  // last: started once everything above exists
};

}  // namespace fd
