#include "sync/SyncWorker.h"

#include <pthread.h>

#include "base/Uuid.h"

namespace fd {

SyncWorker::SyncWorker(Engine& engine, Factory make_connectors, SyncWorkerOptions options)
    : engine_(engine),
      factory_(std::move(make_connectors)),
      options_(options),
      lease_name_("sync:" + engine.snapshot()->event.slug),
      holder_(new_uuid()) {
  for (const auto& c : factory_()) services_.push_back(c->name());
  push_thread_ = std::jthread([this](std::stop_token stop) { push_loop(stop); });
  pthread_setname_np(push_thread_.native_handle(), "fd-sync-push");
  pull_thread_ = std::jthread([this](std::stop_token stop) { pull_loop(stop); });
  pthread_setname_np(pull_thread_.native_handle(), "fd-sync-pull");
}

SyncWorker::~SyncWorker() {
  push_thread_.request_stop();
  pull_thread_.request_stop();
  nap_cv_.notify_all();
  push_thread_.join();
  pull_thread_.join();
  // Another process on this store takes over at its next look, not once
  // the lease has run out.
  if (leading_) engine_.run(Lease{lease_name_, holder_, std::chrono::milliseconds(0)});
}

bool SyncWorker::leading() {
  // One thread asks the store; the other waits for its answer (at start,
  // a "no" read before the first answer would idle it for a third of
  // the lease).
  std::lock_guard asking(lease_mutex_);
  const TimeMs now = now_ms();
  {
    std::lock_guard lock(mutex_);
    if (now < next_lease_) return leading_;
  }
  const Decision d = engine_.run(Lease{lease_name_, holder_, options_.lease});
  std::lock_guard lock(mutex_);
  leading_ = d.lease_held;
  next_lease_ = now + options_.lease.count() / 3;
  return leading_;
}

bool SyncWorker::nap(std::stop_token& stop, std::chrono::milliseconds d) {
  std::unique_lock lock(nap_mutex_);
  nap_cv_.wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

void SyncWorker::push_loop(std::stop_token stop) {
  try {
    SyncRunner runner(engine_, factory_(), options_.sync);
    if (runner.pushing_services().empty()) return;
    while (!stop.stop_requested()) {
      if (!leading()) {
        nap(stop, options_.lease / 3);
        continue;
      }
      PushRound r;
      try {
        r = runner.push_once([&] { return stop.stop_requested(); });
      } catch (const std::exception& e) {
        r.last_error = std::string("Sync stopped for a moment: ") + e.what();
      }
      {
        std::lock_guard lock(mutex_);
        if (r.delivered) last_push_ok_ = now_ms();
        if (r.delivered || !r.last_error.empty()) push_error_ = r.last_error;
      }
      // Busy: go on at once. Waiting on a service: look again soon.
      if (r.delivered > 0) continue;
      const auto snap = engine_.snapshot();
      if (snap->queues.outbox_pending == 0 && runner.pause_left().count() == 0) {
        // Nothing to send: asleep until a commit (here or in another
        // process on this store) changes the engine's view. The timeout
        // only renews the lease of a door that stays quiet.
        engine_.wait_newer(snap->version, stop, options_.lease / 3);
        continue;
      }
      nap(stop, std::max(options_.idle_poll,
                         std::min(runner.pause_left(), std::chrono::milliseconds(5000))));
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    push_error_ = std::string("Sync stopped: ") + e.what();
  }
}

void SyncWorker::pull_loop(std::stop_token stop) {
  try {
    SyncRunner runner(engine_, factory_(), options_.sync);
    const auto services = runner.pulling_services();
    if (services.empty()) return;
    while (!stop.stop_requested()) {
      if (!leading()) {
        nap(stop, options_.lease / 3);
        continue;
      }
      for (const std::string& service : services) {
        PullRequest ctx;
        ctx.wait = [&](std::chrono::milliseconds d) { return nap(stop, d); };
        ctx.progress = [&, service](int people, int) {
          std::lock_guard lock(mutex_);
          pull_progress_ =
              "Pulling the list from " + service + ": " + std::to_string(people) + " people so far";
        };
        auto r = runner.pull(service, false, ctx);
        std::lock_guard lock(mutex_);
        pull_progress_.clear();
        // A pull that worked but could not do everything (a device profile
        // that hides names) still shows on the dashboard.
        pull_error_ = r ? r->notice : r.error().message;
        if (!r && r.error().code == "sync.held")
          pull_error_ +=
              " If the list really changed this much, go ahead with `frontdesk sync "
              "pull --yes`.";
        if (stop.stop_requested()) return;
      }
      nap(stop, options_.pull_every);
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    pull_error_ = std::string("Pulling stopped: ") + e.what();
  }
}

WorkerHealth SyncWorker::health() const {
  WorkerHealth h;
  h.name = "Sync";
  h.kind = WorkerKind::Sync;
  // The queue's figures come from the snapshot (no store access here).
  const auto snap = engine_.snapshot();
  const int waiting = snap ? snap->queues.outbox_pending : 0;
  const int dead = snap ? snap->queues.outbox_dead : 0;
  std::string names;
  for (const auto& s : services_) names += (names.empty() ? "" : ", ") + s;
  std::lock_guard lock(mutex_);
  std::string msg = names + ": ";
  if (next_lease_ && !leading_) {
    h.ok = true;
    h.message = msg +
                "another Frontdesk process on this store sends and pulls for this event "
                "(this one takes over if it stops)";
    return h;
  }
  if (!pull_progress_.empty()) {
    msg += pull_progress_;
  } else if (waiting == 0) {
    msg += "everything sent";
  } else {
    msg += std::to_string(waiting) + (waiting == 1 ? " check-in waits" : " check-ins wait");
  }
  if (last_push_ok_) msg += " · last sent " + local_hhmm(last_push_ok_);
  if (dead) msg += " · " + std::to_string(dead) + " refused (frontdesk sync status; sync retry)";
  const std::string& error = !push_error_.empty() ? push_error_ : pull_error_;
  if (!error.empty()) msg += " · " + error;
  h.ok = dead == 0 && error.empty();
  h.message = msg;
  return h;
}

}  // namespace fd
