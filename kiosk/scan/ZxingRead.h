#pragma once
// The decoder's one door to ZXing-cpp 1.4: a luminance image in, texts and
// where they are out. ZXing's types stay in ZxingRead.cpp.
//
// Thread-safety: pure function.
#include <cstdint>
#include <string>
#include <vector>

namespace fd::scan {

struct ZxHints {
  bool try_harder = false;  // denser finder search, more candidate sets
  bool pure = false;        // the image is one clean code on white (a resampled grid)
  bool errors = false;      // also return symbols found but not decoded (a sign of a code)
  // Fixed: black below 128, for our own clean renderings (the cheapest).
  enum class Binarizer { LocalAverage, GlobalHistogram, Fixed } binarizer = Binarizer::LocalAverage;
};

struct ZxFound {
  std::string text;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // bounding box in the image
  bool error = false;                  // seen but not decoded (only with ZxHints::errors)
};

// QR codes in `px` (row_stride and pix_stride in bytes, so a view can skip
// pixels: a half-size image without a copy).
std::vector<ZxFound> zxing_read(const std::uint8_t* px, int w, int h, int row_stride,
                                int pix_stride, const ZxHints& hints);

// ZXing's defaults (try harder, try rotate, downscale, all formats): what
// ZXingReader does, as a benchmark peer.
std::vector<std::string> zxing_read_default(const std::uint8_t* px, int w, int h, int row_stride,
                                            int pix_stride);

}  // namespace fd::scan
