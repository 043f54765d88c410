#pragma once
// Whether a camera frame shows anything new since the last frame decoded: a
// cheap look at 16 x 16 blocks, each the mean of 64 of its pixels. An idle
// door's camera on an empty scene then costs almost nothing, while anything
// that moves - a ticket, a hand, a phone - changes some blocks well beyond
// the sensor's noise.
//
// Thread-safety: a value; used by one thread (the scanner's).
#include <cstdint>
#include <vector>

#include "camera/Frame.h"

namespace fd {

class FrameChange {
 public:
  // True when `f` differs from the last frame given to remember() (and for
  // the first frame, or one of another size).
  bool changed(const Frame& f);
  // The frame just decoded becomes the reference.
  void remember(const Frame& f);

  // A block changed when its mean moved by more than kMinStep grey levels,
  // or by more than four times the noise of a noisy sensor, up to kMaxStep;
  // the frame changed when two blocks did.
  static constexpr int kMinStep = 8;
  static constexpr int kMaxStep = 24;

 private:
  std::vector<std::uint16_t> blocks(const Frame& f) const;
  std::vector<std::uint16_t> reference_;  // block means x64 of the last decoded frame
  int width_ = 0, height_ = 0;
};

}  // namespace fd
