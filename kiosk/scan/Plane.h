#pragma once
// A grayscale image the decoder's passes own and change (a region of a
// frame, scaled, inverted, sharpened), and the pure operations on it.
//
// Thread-safety: values; functions are pure.
#include <cstdint>
#include <vector>

#include "camera/Frame.h"

namespace fd::scan {

struct Plane {
  int w = 0, h = 0;
  std::vector<std::uint8_t> px;

  Plane() = default;
  Plane(int width, int height, std::uint8_t fill = 0)
      : w(width), h(height), px(static_cast<std::size_t>(width) * height, fill) {}
  bool empty() const { return w <= 0 || h <= 0; }
  std::uint8_t& at(int x, int y) { return px[static_cast<std::size_t>(y) * w + x]; }
  std::uint8_t at(int x, int y) const { return px[static_cast<std::size_t>(y) * w + x]; }
};

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

// Part of a frame's luminance; `box` must lie inside the frame.
Plane crop(const Frame& f, const Box& box);
// Part of a frame averaged over `factor` x `factor` pixels (a smaller copy).
Plane crop_down(const Frame& f, const Box& box, int factor);
// Half the size, each pixel the mean of four.
Plane half(const Plane& p);
Plane inverted(Plane p);
// Left-right mirrored: a code seen through a mirror or from a sheet's back.
Plane mirrored(const Plane& p);
// Stretches the 2nd to 98th percentile over the full range.
void stretch(Plane& p);
// Box blur of radius r (horizontal, then vertical).
Plane box_blur(const Plane& p, int radius);
// Unsharp mask: the difference from a local mean, amplified.
Plane sharpen(const Plane& p, int radius, int amount_percent);
// Black (0) or white (255) by the mean of a (2r+1)^2 window, minus `bias`
// (so flat paper stays white).
Plane local_threshold(const Plane& p, int radius, int bias);

}  // namespace fd::scan
