// The only file that sees both a Frame and ZXing.
#include "scan/Decoder.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <optional>

namespace fd {
namespace {

std::vector<Decoded> read(const std::uint8_t* px, int w, int h, int row_stride, int pix_stride,
                          const ZXing::DecodeHints& hints, const char* pass, int ox = 0, int oy = 0,
                          int scale = 1) {
  std::vector<Decoded> out;
  const ZXing::ImageView view(px, w, h, ZXing::ImageFormat::Lum, row_stride, pix_stride);
  for (const auto& r : ZXing::ReadBarcodes(view, hints)) {
    if (!r.isValid() || r.format() != ZXing::BarcodeFormat::QRCode) continue;
    const auto pos = r.position();
    int x0 = w, y0 = h, x1 = 0, y1 = 0;
    for (int i = 0; i < 4; ++i) {
      x0 = std::min(x0, pos[i].x);
      y0 = std::min(y0, pos[i].y);
      x1 = std::max(x1, pos[i].x);
      y1 = std::max(y1, pos[i].y);
    }
    out.push_back(
        {r.text(), ox + x0 * scale, oy + y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale, pass});
  }
  return out;
}

// A grayscale copy of part of a frame that the hard passes may change.
struct Plane {
  int w = 0, h = 0;
  std::vector<std::uint8_t> px;
  std::uint8_t& at(int x, int y) { return px[static_cast<std::size_t>(y) * w + x]; }
  std::uint8_t at(int x, int y) const { return px[static_cast<std::size_t>(y) * w + x]; }
};

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

// Where a code is likely: a compact patch of cells with much more local
// contrast than the frame's typical cell. Hard passes run only there, so a
// frame with nothing in it stays cheap.
std::optional<Box> likely_code(const Frame& f) {
  constexpr int kCell = 16;
  const int cw = f.width / kCell, ch = f.height / kCell;
  if (cw < 4 || ch < 4) return std::nullopt;
  std::vector<int> range(static_cast<std::size_t>(cw) * ch);
  for (int cy = 0; cy < ch; ++cy)
    for (int cx = 0; cx < cw; ++cx) {
      // Range of 4x4 block means: averaging first quiets sensor noise,
      // while modules (4+ px) keep their full contrast.
      // Sampling every other pixel of each block is enough for a mean.
      const int step = f.pixel_step();
      int lo = 255, hi = 0;
      for (int by = 0; by < 4; ++by)
        for (int bx = 0; bx < 4; ++bx) {
          int m = 0;
          for (int y = 0; y < 4; y += 2) {
            const std::uint8_t* row = f.pixels->data() +
                                      static_cast<std::size_t>(cy * kCell + by * 4 + y) * f.stride +
                                      static_cast<std::size_t>(cx * kCell + bx * 4) * step;
            m += row[0] + row[2 * step];
          }
          m /= 4;
          lo = std::min(lo, m);
          hi = std::max(hi, m);
        }
      range[static_cast<std::size_t>(cy) * cw + cx] = hi - lo;
    }
  std::vector<int> sorted = range;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2),
                   sorted.end());
  const int median = sorted[sorted.size() / 2];
  const int threshold = std::max(median * 3, median + 15);
  std::vector<std::uint8_t> hot(range.size());
  for (std::size_t i = 0; i < range.size(); ++i) hot[i] = range[i] >= threshold;
  // The largest 8-connected patch of busy cells.
  std::vector<int> label(range.size(), 0);
  Box best;
  int best_count = 0, next = 0;
  std::vector<int> stack;
  for (int start = 0; start < cw * ch; ++start) {
    if (!hot[static_cast<std::size_t>(start)] || label[static_cast<std::size_t>(start)]) continue;
    ++next;
    int count = 0, x0 = cw, y0 = ch, x1 = 0, y1 = 0;
    stack.assign(1, start);
    label[static_cast<std::size_t>(start)] = next;
    while (!stack.empty()) {
      const int c = stack.back();
      stack.pop_back();
      const int cx = c % cw, cy = c / cw;
      ++count;
      x0 = std::min(x0, cx), y0 = std::min(y0, cy), x1 = std::max(x1, cx), y1 = std::max(y1, cy);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = cx + dx, ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          const int n = ny * cw + nx;
          if (hot[static_cast<std::size_t>(n)] && !label[static_cast<std::size_t>(n)]) {
            label[static_cast<std::size_t>(n)] = next;
            stack.push_back(n);
          }
        }
    }
    if (count > best_count) {
      best_count = count;
      best = {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    }
  }
  // A code fills most of its box; too few cells is a line or a label.
  if (best_count < 9 || best_count * 2 < best.w * best.h) return std::nullopt;
  const int margin = 2;
  Box b{std::max(0, (best.x - margin) * kCell), std::max(0, (best.y - margin) * kCell), 0, 0};
  b.w = std::min(f.width, (best.x + best.w + margin) * kCell) - b.x;
  b.h = std::min(f.height, (best.y + best.h + margin) * kCell) - b.y;
  return b;
}

Plane crop(const Frame& f, const Box& b) {
  Plane p{b.w, b.h, std::vector<std::uint8_t>(static_cast<std::size_t>(b.w) * b.h)};
  for (int y = 0; y < b.h; ++y)
    for (int x = 0; x < b.w; ++x) p.at(x, y) = f.gray(b.x + x, b.y + y);
  return p;
}

// Stretches the 2nd to 98th percentile over the full range: glare and a dim
// phone screen squeeze a code into a few grey levels.
void stretch(Plane& p) {
  int hist[256] = {};
  for (auto v : p.px) ++hist[v];
  const std::size_t n = p.px.size();
  int lo = 0, hi = 255;
  for (std::size_t acc = 0; lo < 255 && (acc += static_cast<std::size_t>(hist[lo])) < n / 50;) ++lo;
  for (std::size_t acc = 0; hi > 0 && (acc += static_cast<std::size_t>(hist[hi])) < n / 50;) --hi;
  if (hi - lo < 8) return;
  for (auto& v : p.px)
    v = static_cast<std::uint8_t>(std::clamp((v - lo) * 255 / (hi - lo), 0, 255));
}

// Unsharp mask: the difference from a local mean, amplified. Brings back
// module edges that a hand-held phone's motion or focus smeared.
Plane sharpen(const Plane& p, int radius, int amount_percent) {
  Plane blurred = p, out = p;
  // Box blur, horizontal then vertical.
  Plane tmp = p;
  for (int y = 0; y < p.h; ++y) {
    int sum = 0;
    for (int x = -radius; x <= radius; ++x) sum += p.at(std::clamp(x, 0, p.w - 1), y);
    for (int x = 0; x < p.w; ++x) {
      tmp.at(x, y) = static_cast<std::uint8_t>(sum / (2 * radius + 1));
      sum += p.at(std::min(x + radius + 1, p.w - 1), y) - p.at(std::max(x - radius, 0), y);
    }
  }
  for (int x = 0; x < p.w; ++x) {
    int sum = 0;
    for (int y = -radius; y <= radius; ++y) sum += tmp.at(x, std::clamp(y, 0, p.h - 1));
    for (int y = 0; y < p.h; ++y) {
      blurred.at(x, y) = static_cast<std::uint8_t>(sum / (2 * radius + 1));
      sum += tmp.at(x, std::min(y + radius + 1, p.h - 1)) - tmp.at(x, std::max(y - radius, 0));
    }
  }
  for (std::size_t i = 0; i < p.px.size(); ++i)
    out.px[i] = static_cast<std::uint8_t>(
        std::clamp(p.px[i] + (p.px[i] - blurred.px[i]) * amount_percent / 100, 0, 255));
  return out;
}

}  // namespace

std::vector<Decoded> decode_frame(const Frame& f, const DecodeOptions& o) {
  if (f.empty()) return {};
  const std::uint8_t* px = f.pixels->data();
  const int step = f.pixel_step();

  // Pass 1: cheap. QR only, no rotation search, and on a half-size frame
  // when the frame is large: a ticket held up to the camera has big modules.
  ZXing::DecodeHints fast;
  fast.setFormats(ZXing::BarcodeFormat::QRCode);
  fast.setTryHarder(false);
  fast.setTryRotate(false);
  std::vector<Decoded> found;
  const bool halve = f.width >= 960;
  if (halve) {
    Plane half{f.width / 2, f.height / 2, {}};
    half.px.resize(static_cast<std::size_t>(half.w) * half.h);
    for (int y = 0; y < half.h; ++y) {
      const std::uint8_t* r0 = px + static_cast<std::size_t>(2 * y) * f.stride;
      const std::uint8_t* r1 = r0 + f.stride;
      std::uint8_t* out = &half.at(0, y);
      for (int x = 0, i = 0; x < half.w; ++x, i += 2 * step)
        out[x] = static_cast<std::uint8_t>((r0[i] + r0[i + step] + r1[i] + r1[i + step] + 2) / 4);
    }
    found = read(half.px.data(), half.w, half.h, half.w, 1, fast, "fast", 0, 0, 2);
  } else {
    found = read(px, f.width, f.height, f.stride, step, fast, "fast");
  }
  if (!found.empty() || !o.try_harder) return found;

  // Harder passes only where a code is likely, at full resolution.
  const auto box = likely_code(f);
  if (!box) return {};
  Plane roi = crop(f, *box);
  ZXing::DecodeHints hard = fast;
  hard.setTryHarder(true);
  auto try_plane = [&](const Plane& p, const char* pass) {
    return read(p.px.data(), p.w, p.h, p.w, 1, hard, pass, box->x, box->y);
  };
  if (halve) {  // small codes: the region at full size
    found = read(roi.px.data(), roi.w, roi.h, roi.w, 1, fast, "region", box->x, box->y);
    if (!found.empty()) return found;
  }

  // Pass 2: dark mode. A phone showing a light-on-dark code.
  if (o.try_inverted) {
    Plane inv = roi;
    for (auto& v : inv.px) v = static_cast<std::uint8_t>(255 - v);
    found = try_plane(inv, "inverted");
    if (!found.empty()) return found;
  }
  // Pass 3: local contrast (glare, dim screens).
  Plane stretched = roi;
  stretch(stretched);
  found = try_plane(stretched, "contrast");
  if (!found.empty()) return found;
  // Pass 4: sharpened (motion and focus blur), at two strengths.
  for (const auto& [radius, amount] : {std::pair{3, 150}, std::pair{5, 250}}) {
    Plane sharp = sharpen(stretched, radius, amount);
    found = try_plane(sharp, "sharpened");
    if (!found.empty()) return found;
  }
  return {};
}

}  // namespace fd

namespace fd {
std::vector<Decoded> decode_frame_zxing_default(const Frame& f) {
  if (f.empty()) return {};
  std::vector<Decoded> out;
  const ZXing::ImageView view(f.pixels->data(), f.width, f.height, ZXing::ImageFormat::Lum,
                              f.stride, f.pixel_step());
  for (const auto& r : ZXing::ReadBarcodes(view, ZXing::DecodeHints{}))
    if (r.isValid()) out.push_back({r.text(), 0, 0, 0, 0, "zxing-default"});
  return out;
}
}  // namespace fd
