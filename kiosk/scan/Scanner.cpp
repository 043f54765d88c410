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

std::vector<ScanEvent> FrameScanner::scan(const Frame& frame) {
  ++stats_.frames;
  if (!change_.changed(frame)) {
    // Nothing new in view: the codes of the last decoded frame are still
    // there, held up, and must not count again once they have been held
    // longer than rescan_after.
    for (const auto& text : in_view_) debounce(last_seen_, text, frame.at, rescan_after_);
    return {};
  }
  ++stats_.decoded;
  const auto codes = decode_frame(frame);
  change_.remember(frame);
  in_view_.clear();
  std::vector<ScanEvent> events;
  for (const Decoded& d : codes) {
    in_view_.push_back(d.text);
    if (debounce(last_seen_, d.text, frame.at, rescan_after_))
      events.push_back({d.text, frame.sequence, frame.source_sequence, frame.at, now_ms()});
  }
  return events;
}

Scanner::Scanner(const Camera& camera, OnScan on_scan, TimeMs rescan_after)
    : camera_(camera), on_scan_(std::move(on_scan)), scanner_(rescan_after) {
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
      for (const ScanEvent& e : scanner_.scan(*frame)) on_scan_(e);
    } catch (const std::exception&) {
      // A decoder failure on one odd frame must not stop the door; the next
      // frame is another chance.
    }
    frames_ = scanner_.stats().frames;
    decoded_ = scanner_.stats().decoded;
  }
}

}  // namespace fd
