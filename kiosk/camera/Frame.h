#pragma once
// A camera frame. Pixels are shared and immutable, so the capture thread,
// the scanner and the preview can hold the same frame without copies.
#include <cstdint>
#include <memory>
#include <vector>

#include "base/Time.h"

namespace fd {

enum class PixelFormat {
  Gray8,  // one byte per pixel
  YUYV,   // 4:2:2, two bytes per pixel; every even byte is luminance
};

struct Frame {
  int width = 0, height = 0;
  int stride = 0;  // bytes per row
  PixelFormat format = PixelFormat::Gray8;
  std::shared_ptr<const std::vector<std::uint8_t>> pixels;
  std::uint64_t sequence = 0;         // counts frames published by the Camera
  std::uint64_t source_sequence = 0;  // counts frames from the source (synthetic schedules)
  TimeMs at = 0;                      // capture time

  bool empty() const { return !pixels || width == 0 || height == 0; }
  // Luminance of (x, y): what QR decoding and the preview need.
  std::uint8_t gray(int x, int y) const {
    const std::uint8_t* row = pixels->data() + static_cast<std::size_t>(y) * stride;
    return format == PixelFormat::YUYV ? row[x * 2] : row[x];
  }
  int pixel_step() const { return format == PixelFormat::YUYV ? 2 : 1; }
};

}  // namespace fd
