#include "scan/Scanner.h"

#include <pthread.h>

namespace fd {

bool debounce(std::map<std::string, TimeMs>& last_seen, const std::string& text, TimeMs now,
              TimeMs rescan_after) {
  auto it = last_seen.find(text);
  const bool fresh = it == last_seen.end() || now - it->second > rescan_after;
  last_seen[text] = now;  // held in view: keeps it quiet
  // Forget codes long gone, so the map stays small through a long evening.
  for (auto i = last_seen.begin(); i != last_seen.end();)
    i = now - i->second > rescan_after * 10 ? last_seen.erase(i) : std::next(i);
  return fresh;
}

Scanner::Scanner(const Camera& camera, OnScan on_scan, TimeMs rescan_after)
    : camera_(camera), on_scan_(std::move(on_scan)), rescan_after_(rescan_after) {
  thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  pthread_setname_np(thread_.native_handle(), "fd-scan");
}

Scanner::~Scanner() { thread_.request_stop(); }

void Scanner::loop(std::stop_token stop) {
  std::uint64_t seen = 0;
  while (!stop.stop_requested()) {
    auto frame = camera_.wait_newer(seen, std::chrono::milliseconds(100));
    if (!frame || frame->sequence <= seen) continue;
    seen = frame->sequence;  // frames that arrived while decoding are skipped: newest wins
    try {
      for (const Decoded& d : decode_frame(*frame)) {
        const TimeMs now = now_ms();
        if (debounce(last_seen_, d.text, frame->at, rescan_after_))
          on_scan_({d.text, frame->sequence, frame->source_sequence, frame->at, now});
      }
    } catch (const std::exception&) {
      // A decoder failure on one odd frame must not stop the door; the next
      // frame is another chance.
    }
  }
}

}  // namespace fd
