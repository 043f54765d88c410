#include "scan/CodeRegion.h"

#include <algorithm>

namespace fd::scan {
namespace {

// Contrast of each cell: the range of its 4x4 block means. Averaging first
// quiets sensor noise, while modules (a block or more) keep their contrast.
// Every other pixel of every other row is enough for a block's mean; the
// rows are read in order, as the frame lies in memory.
std::vector<int> cell_contrast(const Frame& f, int cell, int cw, int ch) {
  const int block = cell / 4, step = f.pixel_step();
  const int sub = block >= 4 ? 2 : 1, per_block = (block / sub) * (block / sub);
  const int blocks = cw * 4;
  std::vector<int> sum(static_cast<std::size_t>(blocks)), lo(static_cast<std::size_t>(cw)),
      hi(static_cast<std::size_t>(cw)), range(static_cast<std::size_t>(cw) * ch);
  for (int cy = 0; cy < ch; ++cy) {
    std::fill(lo.begin(), lo.end(), 255 * per_block);
    std::fill(hi.begin(), hi.end(), 0);
    for (int by = 0; by < 4; ++by) {
      std::fill(sum.begin(), sum.end(), 0);
      for (int y = 0; y < block; y += sub) {
        const std::uint8_t* row =
            f.pixels->data() + static_cast<std::size_t>(cy * cell + by * block + y) * f.stride;
        if (block == 4 && sub == 2) {  // a webcam frame: two pixels of each block's row
          const int d = 2 * step, stride = 4 * step;
          for (int b = 0; b < blocks; ++b, row += stride)
            sum[static_cast<std::size_t>(b)] += row[0] + row[d];
          continue;
        }
        for (int b = 0; b < blocks; ++b) {
          const std::uint8_t* p = row + static_cast<std::size_t>(b * block * step);
          int s = 0;
          for (int x = 0; x < block; x += sub) s += p[x * step];
          sum[static_cast<std::size_t>(b)] += s;
        }
      }
      for (int b = 0; b < blocks; ++b) {
        const auto c = static_cast<std::size_t>(b / 4);
        lo[c] = std::min(lo[c], sum[static_cast<std::size_t>(b)]);
        hi[c] = std::max(hi[c], sum[static_cast<std::size_t>(b)]);
      }
    }
    for (int cx = 0; cx < cw; ++cx)
      range[static_cast<std::size_t>(cy * cw + cx)] =
          (hi[static_cast<std::size_t>(cx)] - lo[static_cast<std::size_t>(cx)]) / per_block;
  }
  return range;
}

struct Patch {
  int count = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // in cells, inclusive
};

// 8-connected patches of hot cells.
std::vector<Patch> patches(const std::vector<std::uint8_t>& hot, int cw, int ch) {
  std::vector<Patch> out;
  std::vector<std::uint8_t> seen(hot.size(), 0);
  std::vector<int> stack;
  for (int start = 0; start < cw * ch; ++start) {
    if (!hot[static_cast<std::size_t>(start)] || seen[static_cast<std::size_t>(start)]) continue;
    Patch p{0, cw, ch, 0, 0};
    stack.assign(1, start);
    seen[static_cast<std::size_t>(start)] = 1;
    while (!stack.empty()) {
      const int c = stack.back();
      stack.pop_back();
      const int cx = c % cw, cy = c / cw;
      ++p.count;
      p.x0 = std::min(p.x0, cx), p.y0 = std::min(p.y0, cy);
      p.x1 = std::max(p.x1, cx), p.y1 = std::max(p.y1, cy);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = cx + dx, ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          const auto n = static_cast<std::size_t>(ny * cw + nx);
          if (hot[n] && !seen[n]) {
            seen[n] = 1;
            stack.push_back(static_cast<int>(n));
          }
        }
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace

std::vector<Box> likely_codes(const Frame& f, int max_regions) {
  if (f.empty()) return {};
  // Cells of 16 px on a camera frame; smaller on a small image, so that a
  // code of 60 px still spans several cells.
  const int cell = std::min(f.width, f.height) >= 480 ? 16 : 8;
  const int cw = f.width / cell, ch = f.height / cell;
  if (cw < 4 || ch < 4) return {Box{0, 0, f.width, f.height}};
  const std::vector<int> range = cell_contrast(f, cell, cw, ch);
  std::vector<int> sorted = range;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2),
                   sorted.end());
  const int median = sorted[sorted.size() / 2];
  // Most of the frame is busy: a close-up of a code, or a cropped one.
  if (median >= 48) return {Box{0, 0, f.width, f.height}};
  // Well above the frame's typical cell, and above the steps a heavily
  // compressed webcam stream leaves in a smooth background (16 or so).
  const int threshold = std::max({median * 3, median + 15, 32});
  std::vector<std::uint8_t> hot(range.size());
  for (std::size_t i = 0; i < range.size(); ++i) hot[i] = range[i] >= threshold;
  // Edges are hot too: a phone's frame, a sheet's border, lines of text. A
  // code on a phone would join its frame's patch through a corner. So a
  // cell stays only when its four neighbours are hot as well: that wears
  // lines up to two cells wide away, while a code's patch loses a rim.
  std::vector<std::uint8_t> core(hot.size(), 0);
  for (int y = 1; y + 1 < ch; ++y)
    for (int x = 1; x + 1 < cw; ++x) {
      const auto i = static_cast<std::size_t>(y * cw + x);
      core[i] = hot[i] && hot[i - 1] && hot[i + 1] && hot[i - static_cast<std::size_t>(cw)] &&
                hot[i + static_cast<std::size_t>(cw)];
    }
  auto found = patches(core, cw, ch);
  // A code fills much of its box, which is about square even at an angle
  // (turned by 45 degrees, half of it).
  std::erase_if(found, [](const Patch& p) {
    const int w = p.x1 - p.x0 + 1, h = p.y1 - p.y0 + 1;
    return p.count * 3 < w * h || std::max(w, h) > 3 * std::min(w, h);
  });
  std::sort(found.begin(), found.end(),
            [](const Patch& a, const Patch& b) { return a.count > b.count; });
  std::vector<Box> out;
  const int margin = 3;  // the rim worn away, and the quiet zone
  for (const Patch& p : found) {
    if (static_cast<int>(out.size()) >= max_regions) break;
    Box b{std::max(0, (p.x0 - margin) * cell), std::max(0, (p.y0 - margin) * cell), 0, 0};
    b.w = std::min(f.width, (p.x1 + 1 + margin) * cell) - b.x;
    b.h = std::min(f.height, (p.y1 + 1 + margin) * cell) - b.y;
    out.push_back(b);
  }
  return out;
}

}  // namespace fd::scan
