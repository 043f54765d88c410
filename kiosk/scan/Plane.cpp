#include "scan/Plane.h"

#include <algorithm>
#include <array>

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

// Both passes run along rows, as the plane lies in memory, and divide by a
// table: the sharpening pass ran them on every slow region, and column by
// column with a division a pixel they cost 50 instructions a pixel; the
// results are the same to the bit.
Plane box_blur(const Plane& p, int radius) {
  Plane tmp(p.w, p.h), out(p.w, p.h);
  if (p.empty()) return out;
  const int d = 2 * radius + 1;
  std::vector<std::uint8_t> mean(static_cast<std::size_t>(255 * d + 1));
  for (std::size_t s = 0; s < mean.size(); ++s) mean[s] = static_cast<std::uint8_t>(s / d);
  for (int y = 0; y < p.h; ++y) {
    const std::uint8_t* in = &p.px[static_cast<std::size_t>(y) * p.w];
    std::uint8_t* o = &tmp.px[static_cast<std::size_t>(y) * p.w];
    int sum = 0;
    for (int x = -radius; x <= radius; ++x) sum += in[std::clamp(x, 0, p.w - 1)];
    for (int x = 0; x < p.w; ++x) {
      o[x] = mean[static_cast<std::size_t>(sum)];
      sum += in[std::min(x + radius + 1, p.w - 1)] - in[std::max(x - radius, 0)];
    }
  }
  std::vector<int> col(static_cast<std::size_t>(p.w), 0);
  for (int y = -radius; y <= radius; ++y) {
    const std::uint8_t* in = &tmp.px[static_cast<std::size_t>(std::clamp(y, 0, p.h - 1)) * p.w];
    for (int x = 0; x < p.w; ++x) col[static_cast<std::size_t>(x)] += in[x];
  }
  for (int y = 0; y < p.h; ++y) {
    std::uint8_t* o = &out.px[static_cast<std::size_t>(y) * p.w];
    const std::uint8_t* add =
        &tmp.px[static_cast<std::size_t>(std::min(y + radius + 1, p.h - 1)) * p.w];
    const std::uint8_t* sub = &tmp.px[static_cast<std::size_t>(std::max(y - radius, 0)) * p.w];
    for (int x = 0; x < p.w; ++x) {
      int& c = col[static_cast<std::size_t>(x)];
      o[x] = mean[static_cast<std::size_t>(c)];
      c += add[x] - sub[x];
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
  for (std::size_t i = 0; i < p.px.size(); ++i) {
    const int v = p.px[i] + boost[static_cast<std::size_t>(p.px[i] - blurred.px[i] + 255)];
    out.px[i] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
  }
  return out;
}

Plane local_threshold(const Plane& p, int r, int bias) {
  // Integral image: every window's sum in four lookups, whatever its size.
  const int W = p.w + 1;
  std::vector<std::uint32_t> sum(static_cast<std::size_t>(W) * (p.h + 1), 0);
  for (int y = 0; y < p.h; ++y) {
    std::uint32_t row = 0;
    for (int x = 0; x < p.w; ++x) {
      row += p.at(x, y);
      sum[static_cast<std::size_t>(y + 1) * W + x + 1] =
          sum[static_cast<std::size_t>(y) * W + x + 1] + row;
    }
  }
  Plane out(p.w, p.h);
  for (int y = 0; y < p.h; ++y) {
    const int y0 = std::max(0, y - r), y1 = std::min(p.h, y + r + 1);
    for (int x = 0; x < p.w; ++x) {
      const int x0 = std::max(0, x - r), x1 = std::min(p.w, x + r + 1);
      const std::uint32_t s =
          sum[static_cast<std::size_t>(y1) * W + x1] - sum[static_cast<std::size_t>(y0) * W + x1] -
          sum[static_cast<std::size_t>(y1) * W + x0] + sum[static_cast<std::size_t>(y0) * W + x0];
      const int n = (x1 - x0) * (y1 - y0);
      out.at(x, y) = p.at(x, y) * n + bias * n < static_cast<int>(s) ? 0 : 255;
    }
  }
  return out;
}

}  // namespace fd::scan
