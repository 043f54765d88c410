#pragma once
// The engine of a door process and every thread around it: camera, scanner
// and the workers (print, sync, web, doors, backup). It routes the scanner's
// codes and the engine's decisions into one inbox that the door's owner
// drains once per frame, and stops them in order: sources first, then the
// workers, the engine last. shell/DoorProcess.h builds it; it knows nothing
// of the screen that may draw it.
//
// Thread-safety: construct, drain(), add() and destroy on one thread (the
// owner's). post() and health() are safe from any thread.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/Worker.h"
#include "camera/FrameSource.h"
#include "engine/Engine.h"
#include "print/PrintWorker.h"
#include "shell/Inbox.h"

namespace fd {

class Camera;
class Scanner;

struct ShellOptions {
  // A V4L2 device path, "synthetic" (generated scenes showing tickets of the
  // event), a folder of images, or "none".
  std::string camera = "none";
  int camera_width = 1280, camera_height = 720;  // what to ask a webcam for
  std::vector<std::string> synthetic_codes;      // empty: the event's own tickets
  std::optional<PrintOptions> printing;          // no value: badges wait in the queue
};

// How the shell opens ShellOptions::camera (also `frontdesk doctor`'s
// camera check, which watches the same source for a few seconds).
// `codes`: what a synthetic camera shows.
std::function<Result<std::unique_ptr<FrameSource>>()> camera_opener(const ShellOptions& options,
                                                                    std::vector<std::string> codes);

class Shell {
 public:
  Shell(std::unique_ptr<Engine> engine, ShellOptions options);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  Engine& engine() { return *engine_; }
  std::shared_ptr<const Snapshot> snapshot() const { return engine_->snapshot(); }

  // A command whose decision comes back through the inbox as Decided.
  void post(Command command);
  // Commands posted whose decisions have not been drained yet.
  int in_flight() const { return in_flight_.load(); }
  // Everything that happened since the last call, in order.
  std::vector<ShellEvent> drain();

  Inbox& inbox() { return inbox_; }

  // The camera when one is configured (its state and latest frame).
  const Camera* camera() const { return camera_.get(); }

  // Sync, the web server, the door exchange: started by their owner
  // object's constructor, stopped by the shell in reverse order.
  void add(std::unique_ptr<Worker> worker);
  std::vector<WorkerHealth> health() const;

 private:
  ShellOptions options_;
  // Declaration order is shutdown order, reversed: workers and sources stop
  // before the engine they use; the inbox outlives them all.
  Inbox inbox_;
  std::atomic<int> in_flight_{0};
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Camera> camera_;
  std::unique_ptr<Scanner> scanner_;
  // health() is read from worker threads (the web server's live feed) while
  // the shell adds or stops workers: the list is guarded, and a worker is
  // destroyed outside the lock (its threads may be asking for health).
  mutable std::mutex workers_mutex_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace fd
