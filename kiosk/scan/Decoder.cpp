// The only file that sees both a Frame and ZXing.
#include "scan/Decoder.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>

namespace fd {
namespace {

std::vector<Decoded> read(const std::uint8_t* px, int w, int h, int row_stride, int pix_stride,
                          const ZXing::DecodeHints& hints, const char* pass, int ox = 0, int oy = 0, int scale = 1) {
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
    out.push_back({r.text(), ox + x0 * scale, oy + y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale, pass});
  }
  return out;
}

}  // namespace

std::vector<Decoded> decode_frame(const Frame& f, const DecodeOptions& o) {
  if (f.empty()) return {};
  const std::uint8_t* px = f.pixels->data();
  const int step = f.pixel_step();

  // Pass 1: cheap. QR only, no rotation search, no extra binarizer work.
  ZXing::DecodeHints fast;
  fast.setFormats(ZXing::BarcodeFormat::QRCode);
  fast.setTryHarder(false);
  fast.setTryRotate(false);
  auto found = read(px, f.width, f.height, f.stride, step, fast, "fast");
  if (!found.empty() || !o.try_harder) {
    if (!found.empty() || !o.try_inverted) return found;
  }

  // Pass 2: dark mode. A phone showing a light-on-dark code.
  if (o.try_inverted) {
    std::vector<std::uint8_t> inv(static_cast<std::size_t>(f.width) * f.height);
    for (int y = 0; y < f.height; ++y) {
      const std::uint8_t* row = px + static_cast<std::size_t>(y) * f.stride;
      std::uint8_t* out = inv.data() + static_cast<std::size_t>(y) * f.width;
      for (int x = 0; x < f.width; ++x) out[x] = static_cast<std::uint8_t>(255 - row[x * step]);
    }
    found = read(inv.data(), f.width, f.height, f.width, 1, fast, "inverted");
    if (!found.empty() || !o.try_harder) return found;
  }

  // Pass 3: try harder (ZXing's own slower search, rotations included).
  ZXing::DecodeHints hard = fast;
  hard.setTryHarder(true);
  hard.setTryRotate(true);
  return read(px, f.width, f.height, f.stride, step, hard, "harder");
}

}  // namespace fd

namespace fd {
std::vector<Decoded> decode_frame_zxing_default(const Frame& f) {
  if (f.empty()) return {};
  std::vector<Decoded> out;
  const ZXing::ImageView view(f.pixels->data(), f.width, f.height, ZXing::ImageFormat::Lum, f.stride, f.pixel_step());
  for (const auto& r : ZXing::ReadBarcodes(view, ZXing::DecodeHints{}))
    if (r.isValid()) out.push_back({r.text(), 0, 0, 0, 0, "zxing-default"});
  return out;
}
}  // namespace fd
