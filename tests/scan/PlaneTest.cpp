#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "scan/Plane.h"

using namespace fd::scan;

namespace {
// The blur as defined: the mean of each row's window (edges repeated),
// truncated, then the same down each column.
Plane reference_blur(const Plane& p, int r) {
  const int d = 2 * r + 1;
  Plane rows(p.w, p.h), out(p.w, p.h);
  for (int y = 0; y < p.h; ++y)
    for (int x = 0; x < p.w; ++x) {
      int s = 0;
      for (int k = -r; k <= r; ++k) s += p.at(std::clamp(x + k, 0, p.w - 1), y);
      rows.at(x, y) = static_cast<std::uint8_t>(s / d);
    }
  for (int y = 0; y < p.h; ++y)
    for (int x = 0; x < p.w; ++x) {
      int s = 0;
      for (int k = -r; k <= r; ++k) s += rows.at(x, std::clamp(y + k, 0, p.h - 1));
      out.at(x, y) = static_cast<std::uint8_t>(s / d);
    }
  return out;
}

Plane noise(int w, int h, unsigned seed) {
  std::mt19937 rng(seed);
  Plane p(w, h);
  for (auto& v : p.px) v = static_cast<std::uint8_t>(rng() & 255);
  return p;
}
}  // namespace

TEST_CASE("box_blur and sharpen give what their definitions give, edges included") {
  for (const auto& [w, h] : {std::pair{1, 1}, {2, 9}, {7, 3}, {37, 23}, {64, 64}})
    for (int r : {1, 3, 5}) {
      const Plane p = noise(w, h, static_cast<unsigned>(w * 100 + h * 10 + r));
      CHECK_MESSAGE(box_blur(p, r).px == reference_blur(p, r).px, w << "x" << h << " r" << r);
      const Plane blurred = reference_blur(p, r);
      const Plane sharp = sharpen(p, r, 150);
      bool same = true;
      for (std::size_t i = 0; i < p.px.size(); ++i)
        same = same &&
               sharp.px[i] == std::clamp(p.px[i] + (p.px[i] - blurred.px[i]) * 150 / 100, 0, 255);
      CHECK_MESSAGE(same, w << "x" << h << " r" << r);
    }
}
