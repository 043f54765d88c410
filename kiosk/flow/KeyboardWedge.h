#pragma once
// Handheld barcode scanners type like a keyboard, only faster than any
// person: a burst of characters a few ms apart, often ending in Enter. This
// tells such a burst (a scan) from typing, from key timings alone.
//
// Thread-safety: used by the UI thread only.
#include <optional>
#include <string>

#include "base/Time.h"

namespace fd {

class KeyboardWedge {
 public:
  struct Tuning {
    TimeMs max_gap = 35;         // scanners send a character every 1-20 ms; people take 80+
    std::size_t min_length = 6;  // shorter bursts are not ticket codes
    TimeMs settle = 60;          // idle time that ends a burst without Enter
  };
  KeyboardWedge() = default;
  explicit KeyboardWedge(Tuning t) : t_(t) {}

  // Feed every typed character (UTF-8) and Enter; returns a finished scan.
  std::optional<std::string> key(const std::string& utf8, TimeMs now);
  std::optional<std::string> enter(TimeMs now);
  // Call once per frame: ends a burst that had no Enter.
  std::optional<std::string> tick(TimeMs now);
  // Characters that turned out to be typing, for the focused field.
  std::string take_typed();
  bool in_burst() const { return burst_; }

 private:
  std::optional<std::string> finish();
  Tuning t_;
  std::string pending_;
  std::string typed_;
  TimeMs last_ = -1000000;
  bool burst_ = false;
};

}  // namespace fd
