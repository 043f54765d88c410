#pragma once
// The print worker: drains the badge queue in the store (jobs written in
// each check-in's transaction), renders each badge, sends it to the printer
// (or the fallback), and follows it until the printer says it is done. A
// printer problem never stops the door: jobs wait, check-ins go on, and the
// problem is shown in plain words.
//
// Thread-safety: owns one thread; construct and destroy on one thread;
// health() from any thread.
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "badge/BadgeTemplate.h"
#include "badge/PrintSink.h"
#include "base/Worker.h"
#include "engine/Engine.h"

namespace fd {

struct PrintOptions {
  std::string
      printer;  // CUPS queue, ipp:// address, or "folder:/path" (no printer: PDFs in a folder)
  std::string fallback;  // used when the first will not take the job
  BadgeTemplate badge = default_badge_template();
  // How long the worker sleeps at most with nothing to print: a new badge
  // job wakes it at once (Engine::wait_newer); this only bounds the wait
  // for a job put off after a printer problem.
  std::chrono::milliseconds idle_wait{5000};
  std::chrono::milliseconds follow_timeout{120000};
};

std::unique_ptr<PrintSink> make_sink(const std::string& printer);

class PrintWorker : public Worker {
 public:
  PrintWorker(Engine& engine, PrintOptions options);
  ~PrintWorker() override;
  PrintWorker(const PrintWorker&) = delete;
  PrintWorker& operator=(const PrintWorker&) = delete;

  WorkerHealth health() const override;

 private:
  void loop(std::stop_token stop);
  void set_problem(const std::string& problem);
  mutable std::mutex mutex_;
  std::string problem_;  // guarded by mutex_
  Engine& engine_;
  PrintOptions options_;
  std::jthread thread_;
};

}  // namespace fd
