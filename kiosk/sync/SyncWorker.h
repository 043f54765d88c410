#pragma once
// The sync worker of a door process (owned by the Shell): one thread
// delivers the outbox, another pulls the lists in the background, so a
// pull of thousands never delays a delivery and neither ever waits in front
// of a check-in (they talk to the engine like any other client). Each
// thread has its own connectors (HTTP clients are not shared).
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
  std::chrono::milliseconds idle_poll{500};      // how often an empty outbox is looked at
  std::chrono::milliseconds pull_every{120000};  // background pulls (the first one at start)
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

  Engine& engine_;
  Factory factory_;
  SyncWorkerOptions options_;
  std::vector<std::string> services_;
  mutable std::mutex mutex_;  // guards what health() reads
  std::string push_error_, pull_error_, pull_progress_;
  TimeMs last_push_ok_ = 0;
  std::mutex nap_mutex_;
  std::condition_variable_any nap_cv_;
  std::jthread push_thread_, pull_thread_;  // last: started once everything above exists
};

}  // namespace fd
