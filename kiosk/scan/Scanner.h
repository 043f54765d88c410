#pragma once
// The scan thread: decodes the camera's newest frame, and counts a code held
// in front of the camera once, not thirty times a second. A code counts
// again only after it has been out of view for `rescan_after`.
//
// Thread-safety: constructed and destroyed on one thread; the callback runs
// on the scan thread and must only hand the event over (a queue).
#include <functional>
#include <map>
#include <thread>

#include "camera/Camera.h"
#include "scan/Decoder.h"

namespace fd {

struct ScanEvent {
  std::string text;
  std::uint64_t frame_sequence = 0;         // the Camera's frame number
  std::uint64_t frame_source_sequence = 0;  // the source's (synthetic schedules)
  TimeMs frame_at = 0;                      // when the frame was captured
  TimeMs decoded_at = 0;
};

class Scanner {
 public:
  using OnScan = std::function<void(const ScanEvent&)>;
  Scanner(const Camera& camera, OnScan on_scan, TimeMs rescan_after = 2000);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

 private:
  void loop(std::stop_token stop);
  const Camera& camera_;
  OnScan on_scan_;
  TimeMs rescan_after_;
  std::map<std::string, TimeMs> last_seen_;  // scan thread only
  std::jthread thread_;
};

// The debounce rule on its own, for tests: true when `text` seen at `now`
// is a new scan.
bool debounce(std::map<std::string, TimeMs>& last_seen, const std::string& text, TimeMs now,
              TimeMs rescan_after);

}  // namespace fd
