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
  // Radii up to the largest a pass uses (40): the division by a multiply
  // must be exact for each window size.
  for (const auto& [w, h] : {std::pair{1, 1}, {2, 9}, {7, 3}, {37, 23}, {64, 64}, {130, 7}})
    for (int r : {1, 3, 5, 12, 40}) {
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

TEST_CASE("local_threshold: black where a pixel is darker than its window's mean less the bias") {
  for (const auto& [w, h] : {std::pair{1, 1}, {5, 40}, {37, 23}, {90, 61}})
    for (int r : {1, 3, 20})
      for (int bias : {0, 10}) {
        const Plane p = noise(w, h, static_cast<unsigned>(w * 7 + h * 3 + r + bias));
        const Plane got = local_threshold(p, r, bias);
        bool same = true;
        for (int y = 0; y < h; ++y)
          for (int x = 0; x < w; ++x) {
            int sum = 0, n = 0;
            for (int yy = std::max(0, y - r); yy < std::min(h, y + r + 1); ++yy)
              for (int xx = std::max(0, x - r); xx < std::min(w, x + r + 1); ++xx)
                sum += p.at(xx, yy), ++n;
            same = same && got.at(x, y) == ((p.at(x, y) + bias) * n < sum ? 0 : 255);
          }
        CHECK_MESSAGE(same, w << "x" << h << " r" << r << " bias " << bias);
      }
}
