#include "scan/Plane.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace fd::scan {

Plane crop(const Frame& f, const Box& b) {
  Plane p(b.w, b.h);
  const int step = f.pixel_step();
  for (int y = 0; y < b.h; ++y) {
    const std::uint8_t* row = f.pixels->data() + static_cast<std::size_t>(b.y + y) * f.stride +
                              static_cast<std::size_t>(b.x) * step;
    std::uint8_t* out = &p.at(0, y);
    for (int x = 0; x < b.w; ++x) out[x] = row[x * step];
  }
  return p;
}

Plane crop_down(const Frame& f, const Box& b, int n) {
  if (n <= 1) return crop(f, b);
  Plane p(b.w / n, b.h / n);
  const int step = f.pixel_step();
  if (n == 2) {  // the camera's case, kept tight: every frame pays for it
    for (int y = 0; y < p.h; ++y) {
      const std::uint8_t* r0 = f.pixels->data() + static_cast<std::size_t>(b.y + 2 * y) * f.stride +
                               static_cast<std::size_t>(b.x) * step;
      const std::uint8_t* r1 = r0 + f.stride;
      std::uint8_t* out = &p.at(0, y);
      for (int x = 0, i = 0; x < p.w; ++x, i += 2 * step)
        out[x] = static_cast<std::uint8_t>((r0[i] + r0[i + step] + r1[i] + r1[i + step] + 2) >> 2);
    }
    return p;
  }
  std::vector<int> sum(static_cast<std::size_t>(p.w));
  for (int y = 0; y < p.h; ++y) {
    std::fill(sum.begin(), sum.end(), 0);
    for (int dy = 0; dy < n; ++dy) {
      const std::uint8_t* row = f.pixels->data() +
                                static_cast<std::size_t>(b.y + y * n + dy) * f.stride +
                                static_cast<std::size_t>(b.x) * step;
      for (int x = 0; x < p.w; ++x) {
        const std::uint8_t* px = row + static_cast<std::size_t>(x * n) * step;
        int s = 0;
        for (int dx = 0; dx < n; ++dx) s += px[dx * step];
        sum[static_cast<std::size_t>(x)] += s;
      }
    }
    std::uint8_t* out = &p.at(0, y);
    for (int x = 0; x < p.w; ++x)
      out[x] = static_cast<std::uint8_t>((sum[static_cast<std::size_t>(x)] + n * n / 2) / (n * n));
  }
  return p;
}

Plane half(const Plane& p) {
  Plane out(p.w / 2, p.h / 2);
  for (int y = 0; y < out.h; ++y) {
    const std::uint8_t* r0 = &p.px[static_cast<std::size_t>(2 * y) * p.w];
    const std::uint8_t* r1 = r0 + p.w;
    std::uint8_t* o = &out.at(0, y);
    for (int x = 0; x < out.w; ++x)
      o[x] = static_cast<std::uint8_t>(
          (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2);
  }
  return out;
}

Plane inverted(Plane p) {
  for (auto& v : p.px) v = static_cast<std::uint8_t>(255 - v);
  return p;
}

Plane mirrored(const Plane& p) {
  Plane out(p.w, p.h);
  for (int y = 0; y < p.h; ++y)
    for (int x = 0; x < p.w; ++x) out.at(x, y) = p.at(p.w - 1 - x, y);
  return out;
}

void stretch(Plane& p) {
  int hist[256] = {};
  for (auto v : p.px) ++hist[v];
  const std::size_t n = p.px.size();
  int lo = 0, hi = 255;
  for (std::size_t acc = 0; lo < 255 && (acc += static_cast<std::size_t>(hist[lo])) < n / 50;) ++lo;
  for (std::size_t acc = 0; hi > 0 && (acc += static_cast<std::size_t>(hist[hi])) < n / 50;) --hi;
  if (hi - lo < 8) return;
  std::uint8_t lut[256];
  for (int v = 0; v < 256; ++v)
    lut[v] = static_cast<std::uint8_t>(std::clamp((v - lo) * 255 / (hi - lo), 0, 255));
  for (auto& v : p.px) v = lut[v];
}

namespace {

// floor(s / d) for 0 <= s <= 255 * d as a multiply and a shift, which the
// compiler vectorizes (a table lookup it cannot): the smallest shift that
// is exact over the whole range, checked here rather than proved.
struct Divider {
  std::uint32_t mul = 1;
  int shift = 0;
  std::uint32_t operator()(std::uint32_t s) const { return (s * mul) >> shift; }
};
Divider divider(int d) {
  const std::uint32_t most = 255u * static_cast<std::uint32_t>(d);
  for (int k = std::bit_width(most); k < 32; ++k) {
    const Divider div{static_cast<std::uint32_t>(((std::uint64_t{1} << k) + d - 1) / d), k};
    if (std::uint64_t{most} * div.mul >= (std::uint64_t{1} << 32)) break;
    bool exact = true;
    for (std::uint32_t s = 0; s <= most && exact; ++s) exact = div(s) == s / d;
    if (exact) return div;
  }
  return {0, -1};  // not reached for any radius a pass uses; the caller falls back
}

}  // namespace

// Both passes run along rows, as the plane lies in memory, through raw
// pointers (a store through a byte pointer may alias a vector's own, which
// made the compiler reload them every pixel) and divide by a multiply: the
// sharpening pass runs them on every slow region. The results are those of
// the definition to the bit (PlaneTest).
Plane box_blur(const Plane& p, int radius) {
  Plane tmp(p.w, p.h), out(p.w, p.h);
  if (p.empty()) return out;
  const int d = 2 * radius + 1, w = p.w, h = p.h;
  const Divider div = divider(d);
  auto mean = [&](std::uint32_t s) {
    return static_cast<std::uint8_t>(div.shift >= 0 ? div(s) : s / static_cast<std::uint32_t>(d));
  };
  const std::uint8_t* src = p.px.data();
  std::uint8_t* rows = tmp.px.data();
  // Each row's window sums, as 2r + 1 shifted adds over the row (which
  // vectorize; a running sum carries from pixel to pixel and does not),
  // the ends clamped apart.
  std::vector<std::uint16_t> window(static_cast<std::size_t>(w));  // 255 * 81 fits
  std::uint16_t* acc = window.data();
  const int inner_begin = std::min(radius, w), inner_end = std::max(inner_begin, w - radius);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* in = src + static_cast<std::size_t>(y) * w;
    std::uint8_t* o = rows + static_cast<std::size_t>(y) * w;
    std::fill(acc + inner_begin, acc + inner_end, std::uint16_t{0});
    for (int k = -radius; k <= radius; ++k) {
      const std::uint8_t* shifted = in + k;
      for (int x = inner_begin; x < inner_end; ++x)
        acc[x] = static_cast<std::uint16_t>(acc[x] + shifted[x]);
    }
    if (div.shift >= 0) {
      const std::uint32_t mul = div.mul;
      const int shift = div.shift;
      for (int x = inner_begin; x < inner_end; ++x)
        o[x] = static_cast<std::uint8_t>((acc[x] * mul) >> shift);
    } else {
      for (int x = inner_begin; x < inner_end; ++x) o[x] = mean(acc[x]);
    }
    for (int x = 0; x < w; ++x) {
      if (x == inner_begin) x = inner_end;
      if (x >= w) break;
      std::uint32_t sum = 0;
      for (int k = -radius; k <= radius; ++k) sum += in[std::clamp(x + k, 0, w - 1)];
      o[x] = mean(sum);
    }
  }
  std::vector<std::uint32_t> columns(static_cast<std::size_t>(w), 0);
  std::uint32_t* col = columns.data();
  for (int y = -radius; y <= radius; ++y) {
    const std::uint8_t* in = rows + static_cast<std::size_t>(std::clamp(y, 0, h - 1)) * w;
    for (int x = 0; x < w; ++x) col[x] += in[x];
  }
  std::uint8_t* dst = out.px.data();
  for (int y = 0; y < h; ++y) {
    std::uint8_t* o = dst + static_cast<std::size_t>(y) * w;
    const std::uint8_t* add = rows + static_cast<std::size_t>(std::min(y + radius + 1, h - 1)) * w;
    const std::uint8_t* sub = rows + static_cast<std::size_t>(std::max(y - radius, 0)) * w;
    if (div.shift >= 0) {
      const std::uint32_t mul = div.mul;
      const int shift = div.shift;
      for (int x = 0; x < w; ++x) {
        o[x] = static_cast<std::uint8_t>((col[x] * mul) >> shift);
        col[x] += static_cast<std::uint32_t>(add[x]) - sub[x];
      }
    } else {
      for (int x = 0; x < w; ++x) {
        o[x] = mean(col[x]);
        col[x] += static_cast<std::uint32_t>(add[x]) - sub[x];
      }
    }
  }
  return out;
}

Plane sharpen(const Plane& p, int radius, int amount_percent) {
  const Plane blurred = box_blur(p, radius);
  // p + (p - blurred) * amount / 100, clamped: a table over p - blurred.
  std::array<int, 511> boost{};
  for (int diff = -255; diff <= 255; ++diff)
    boost[static_cast<std::size_t>(diff + 255)] = diff * amount_percent / 100;
  Plane out(p.w, p.h);
  const std::uint8_t* in = p.px.data();
  const std::uint8_t* b = blurred.px.data();
  std::uint8_t* o = out.px.data();
  const int* k = boost.data() + 255;
  const std::size_t n = p.px.size();
  for (std::size_t i = 0; i < n; ++i)
    o[i] = static_cast<std::uint8_t>(std::clamp(in[i] + k[in[i] - b[i]], 0, 255));
  return out;
}

Plane local_threshold(const Plane& p, int r, int bias) {
  // Integral image: every window's sum in four lookups, whatever its size.
  // Raw pointers, as in box_blur.
  const int W = p.w + 1;
  std::vector<std::uint32_t> integral(static_cast<std::size_t>(W) * (p.h + 1), 0);
  std::uint32_t* sum = integral.data();
  const std::uint8_t* src = p.px.data();
  for (int y = 0; y < p.h; ++y) {
    std::uint32_t row = 0;
    const std::uint8_t* in = src + static_cast<std::size_t>(y) * p.w;
    const std::uint32_t* above = sum + static_cast<std::size_t>(y) * W + 1;
    std::uint32_t* here = sum + static_cast<std::size_t>(y + 1) * W + 1;
    for (int x = 0; x < p.w; ++x) {
      row += in[x];
      here[x] = above[x] + row;
    }
  }
  Plane out(p.w, p.h);
  std::uint8_t* dst = out.px.data();
  for (int y = 0; y < p.h; ++y) {
    const int y0 = std::max(0, y - r), y1 = std::min(p.h, y + r + 1);
    const std::uint32_t* top = sum + static_cast<std::size_t>(y0) * W;
    const std::uint32_t* bottom = sum + static_cast<std::size_t>(y1) * W;
    const std::uint8_t* in = src + static_cast<std::size_t>(y) * p.w;
    std::uint8_t* o = dst + static_cast<std::size_t>(y) * p.w;
    for (int x = 0; x < p.w; ++x) {
      const int x0 = std::max(0, x - r), x1 = std::min(p.w, x + r + 1);
      const std::uint32_t s = bottom[x1] - top[x1] - bottom[x0] + top[x0];
      const int n = (x1 - x0) * (y1 - y0);
      o[x] = in[x] * n + bias * n < static_cast<int>(s) ? 0 : 255;
    }
  }
  return out;
}

}  // namespace fd::scan
