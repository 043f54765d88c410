#pragma once
// Copies the door's store to a second device (a USB stick) while the door
// runs: every few minutes while check-ins come in, once the door has been
// quiet for a while after the last check-in, and once more when the door
// closes. Each copy is consistent (SQLite's online backup, store/Backup.h)
// and the folder keeps the newest few. A missing stick, or a folder on the
// same disk as the store, shows as a problem on the organizer's dashboard;
// check-ins never wait for a backup.
//
// Thread-safety: owns one thread; construct and destroy on one thread;
// health() and last() from any thread.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "base/Time.h"
#include "base/Worker.h"
#include "engine/Engine.h"

namespace fd {

struct BackupOptions {
  std::filesystem::path store;  // the store file the engine writes
  std::filesystem::path dir;    // where the copies go; must exist (the stick's folder)
  std::chrono::milliseconds every{std::chrono::minutes(5)};
  std::chrono::milliseconds quiet{std::chrono::minutes(2)};
  int keep = 24;
  std::chrono::milliseconds tick{std::chrono::seconds(5)};  // how often it looks
};

class BackupWorker : public Worker {
 public:
  BackupWorker(Engine& engine, BackupOptions options);
  ~BackupWorker() override;  // takes a last copy when anything is new
  BackupWorker(const BackupWorker&) = delete;
  BackupWorker& operator=(const BackupWorker&) = delete;

  WorkerHealth health() const override;
  struct Last {
    TimeMs at = 0;  // 0: no copy yet
    std::filesystem::path file;
    int copies = 0;  // made by this worker
    std::string problem;
  };
  Last last() const;

 private:
  void loop(std::stop_token stop);
  bool copy(const char* why);
  Engine& engine_;
  BackupOptions options_;
  mutable std::mutex mutex_;
  Last last_;              // guarded by mutex_
  std::string backed_up_;  // the door's state the last copy holds (thread only)
  std::jthread thread_;
};

}  // namespace fd
