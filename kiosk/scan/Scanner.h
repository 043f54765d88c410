#pragma once
// The scan thread: decodes the camera's newest frame, and counts a code held
// in front of the camera once, not thirty times a second. A code counts
// again only after it has been out of view for `rescan_after`. A frame that
// shows nothing new since the last one decoded (an empty scene at an idle
// door) is not decoded again (FrameChange); one that changed always is.
//
// Thread-safety: constructed and destroyed on one thread; the callback runs
// on the scan thread and must only hand the event over (a queue); stats()
// from any thread.
#include <atomic>
#include <functional>
#include <map>
#include <thread>
#include <vector>

#include "camera/Camera.h"
#include "scan/Decoder.h"
#include "scan/FrameChange.h"

namespace fd {

struct ScanEvent {
  std::string text;
  std::uint64_t frame_sequence = 0;         // the Camera's frame number
  std::uint64_t frame_source_sequence = 0;  // the source's (synthetic schedules)
  TimeMs frame_at = 0;                      // when the frame was captured
  TimeMs decoded_at = 0;
};

// What the scan thread does with each frame, without the thread (tests
// drive it frame by frame): decode the frame if it shows anything new, and
// report the codes not already counted.
class FrameScanner {
 public:
  explicit FrameScanner(TimeMs rescan_after = 2000) : rescan_after_(rescan_after) {}
  std::vector<ScanEvent> scan(const Frame& frame);

  struct Stats {
    std::uint64_t frames = 0;   // scanned
    std::uint64_t decoded = 0;  // of which decoded (the others showed nothing new)
  };
  const Stats& stats() const { return stats_; }

 private:
  TimeMs rescan_after_;
  std::map<std::string, TimeMs> last_seen_;
  FrameChange change_;
  std::vector<std::string> in_view_;  // read in the last decoded frame
  Stats stats_;
};

class Scanner {
 public:
  using OnScan = std::function<void(const ScanEvent&)>;
  Scanner(const Camera& camera, OnScan on_scan, TimeMs rescan_after = 2000);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  FrameScanner::Stats stats() const { return {frames_.load(), decoded_.load()}; }

 private:
  void loop(std::stop_token stop);
  const Camera& camera_;
  OnScan on_scan_;
  FrameScanner scanner_;  // scan thread only
  std::atomic<std::uint64_t> frames_{0}, decoded_{0};
  std::jthread thread_;
};

// The debounce rule on its own, for tests: true when `text` seen at `now`
// is a new scan.
bool debounce(std::map<std::string, TimeMs>& last_seen, const std::string& text, TimeMs now,
              TimeMs rescan_after);

}  // namespace fd
