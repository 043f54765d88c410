#include "flow/KeyboardWedge.h"

namespace fd {

std::optional<std::string> KeyboardWedge::key(const std::string& utf8, TimeMs now) {
  std::optional<std::string> done;
  if (!pending_.empty() && now - last_ > t_.max_gap) done = finish();
  burst_ = !pending_.empty();
  pending_ += utf8;
  last_ = now;
  return done;
}

std::optional<std::string> KeyboardWedge::enter(TimeMs now) {
  if (!pending_.empty() && now - last_ <= t_.max_gap * 2) {
    burst_ = true;
    return finish();
  }
  auto done = finish();
  return done;
}

std::optional<std::string> KeyboardWedge::tick(TimeMs now) {
  if (!pending_.empty() && now - last_ > t_.settle) return finish();
  return std::nullopt;
}

std::optional<std::string> KeyboardWedge::finish() {
  std::string s;
  s.swap(pending_);
  const bool scan = burst_ && s.size() >= t_.min_length;
  burst_ = false;
  if (scan) return s;
  typed_ += s;  // a person typing: hand it to the focused field
  return std::nullopt;
}

std::string KeyboardWedge::take_typed() {
  std::string s;
  s.swap(typed_);
  return s;
}

}  // namespace fd
