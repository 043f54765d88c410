#include "backup/BackupWorker.h"

#include <pthread.h>
#include <sys/stat.h>

#include "base/Log.h"
#include "store/Backup.h"

namespace fd {
namespace {

// What a copy would hold, in a few numbers: a new check-in, an undo or a
// walk-in changes it; a badge printing does not.
std::string door_state(const Snapshot& s) {
  std::string sig = std::to_string(s.checked_in) + "/" + std::to_string(s.walk_ins) + "/" +
                    std::to_string(s.guests_in) + "/" + std::to_string(s.unexpected_in) + "/" +
                    std::to_string(s.roster ? s.roster->size() : 0);
  if (!s.recent.empty()) sig += "/" + s.recent.front().uuid;
  return sig;
}

std::string hhmm(TimeMs at) { return local_hhmm(at); }

}  // namespace

BackupWorker::BackupWorker(Engine& engine, BackupOptions options)
    : engine_(engine), options_(std::move(options)) {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-backup");
}

BackupWorker::~BackupWorker() {
  thread_.request_stop();
  // The jthread joins here; its loop takes the closing copy first.
}

BackupWorker::Last BackupWorker::last() const {
  std::lock_guard lock(mutex_);
  return last_;
}

WorkerHealth BackupWorker::health() const {
  const Last l = last();
  if (!l.problem.empty()) return {"Backup", false, l.problem, WorkerKind::Backup};
  if (!l.at)
    return {"Backup", true, "First copy to " + options_.dir.string() + " coming",
            WorkerKind::Backup};
  return {"Backup", true, "Backed up at " + hhmm(l.at) + " to " + options_.dir.string(),
          WorkerKind::Backup};
}

bool BackupWorker::copy(const char* why) {
  std::string problem;
  std::error_code ec;
  struct stat store_st {
  }, dir_st{};
  if (!std::filesystem::is_directory(options_.dir, ec)) {
    // Never create it: an unplugged stick's mount point would become a
    // folder on the very SD card the copy is meant to outlive.
    problem = "Backup folder " + options_.dir.string() + " is not there: plug in the backup stick";
  } else if (::stat(options_.store.c_str(), &store_st) == 0 &&
             ::stat(options_.dir.c_str(), &dir_st) == 0 && store_st.st_dev == dir_st.st_dev) {
    problem =
        "Backups go to the same disk as the store (" + options_.dir.string() + "): use a USB stick";
  }
  const TimeMs now = now_ms();
  const std::string state = door_state(*engine_.snapshot());
  const auto file = options_.dir / backup_file_name(now);
  // A same-disk copy is still made (better than none) but reported.
  if (problem.empty() || problem.find("same disk") != std::string::npos) {
    auto made = backup_store(options_.store, file);
    if (!made) {
      problem = made.error().message;
    } else {
      prune_backups(options_.dir, options_.keep);
      backed_up_ = state;
      std::lock_guard lock(mutex_);
      last_.at = now;
      last_.file = file;
      ++last_.copies;
    }
  }
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    changed = last_.problem != problem;
    last_.problem = problem;
  }
  if (!problem.empty() && changed) log_warning(problem);
  if (problem.empty() || problem.find("same disk") != std::string::npos)
    log_info(std::string("Backed up the store (") + why + ") to " + file.string());
  return problem.empty();
}

void BackupWorker::loop(std::stop_token stop) {
  TimeMs last_try = 0;
  std::mutex m;
  while (!stop.stop_requested()) {
    try {
      const auto snap = engine_.snapshot();
      const std::string state = door_state(*snap);
      const TimeMs now = now_ms();
      const bool dirty = state != backed_up_;
      const TimeMs newest = snap->recent.empty() ? 0 : snap->recent.front().at;
      const bool due = now - last_try >= options_.every.count();
      const bool quiet = newest && now - newest >= options_.quiet.count();
      // A copy when the door starts, then while people arrive, and once the
      // arrivals stop. A missing stick is retried every `every`.
      if (dirty && (due || (quiet && last().problem.empty()))) {
        last_try = now;
        copy(last().at ? (due ? "every few minutes" : "after the last check-in") : "door opened");
      }
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      last_.problem = std::string("Backup stopped: ") + e.what();
    }
    std::unique_lock lock(m);
    std::condition_variable_any().wait_for(lock, stop, options_.tick, [] { return false; });
  }
  // The door is closing: one last copy of anything new.
  try {
    if (door_state(*engine_.snapshot()) != backed_up_) copy("door closing");
  } catch (...) {  // NOLINT(bugprone-empty-catch): a closing door must not throw
  }
}

}  // namespace fd
