#include "scan/FrameChange.h"

#include <algorithm>
#include <cstdlib>

namespace fd {

namespace {
constexpr int kBlock = 16;  // pixels a side; every other pixel of every other row is read
}

std::vector<std::uint16_t> FrameChange::blocks(const Frame& f) const {
  const int bw = f.width / kBlock, bh = f.height / kBlock, step = f.pixel_step();
  std::vector<std::uint16_t> out(static_cast<std::size_t>(bw) * bh, 0);
  for (int by = 0; by < bh; ++by)
    for (int y = 0; y < kBlock; y += 2) {
      const std::uint8_t* row =
          f.pixels->data() + static_cast<std::size_t>(by * kBlock + y) * f.stride;
      std::uint16_t* sums = &out[static_cast<std::size_t>(by) * bw];
      for (int bx = 0; bx < bw; ++bx) {
        int s = 0;
        for (int x = 0; x < kBlock; x += 2) s += row[x * step];
        sums[bx] = static_cast<std::uint16_t>(sums[bx] + s);
        row += kBlock * step;
      }
    }
  return out;  // 64 samples each: the mean times 64
}

bool FrameChange::changed(const Frame& f) {
  if (f.empty()) return false;
  if (f.width != width_ || f.height != height_ || reference_.empty()) return true;
  const auto now = blocks(f);
  // Sensor noise moves every block a little, a scene change some a lot. The
  // noise is read off the quietest quarter of the blocks (a ticket held
  // close may cover most of the frame), and never raises the bar beyond
  // kMaxStep: a hand or a phone moves its blocks by more. One block alone
  // may be a noise outlier, and a code spans several anyway.
  std::vector<int> diff(now.size());
  for (std::size_t i = 0; i < now.size(); ++i) diff[i] = std::abs(now[i] - reference_[i]);
  std::vector<int> sorted = diff;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 4),
                   sorted.end());
  const int threshold = std::clamp(4 * sorted[sorted.size() / 4], kMinStep * 64, kMaxStep * 64);
  return std::count_if(diff.begin(), diff.end(), [&](int d) { return d > threshold; }) >= 2;
}

void FrameChange::remember(const Frame& f) {
  if (f.empty()) return;
  width_ = f.width;
  height_ = f.height;
  reference_ = blocks(f);
}

}  // namespace fd
