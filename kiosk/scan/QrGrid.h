#pragma once
// Our own look at a QR code ZXing could not read: find the three finder
// patterns, fit the module grid to the picture (a perspective first, then a
// smooth warp that moves the grid onto the module edges it sees, as a
// crumpled print-out or a curved phone screen needs), and render the modules
// as a clean code that ZXing then reads as a pure image.
//
// Thread-safety: pure functions.
#include <functional>

#include "scan/Plane.h"

namespace fd::scan {

struct GridOptions {
  int max_sets = 6;  // finder-pattern triples to consider, of each polarity
  bool warp = true;  // fit a smooth warp after the perspective
  // Look for finder patterns at half size in a region over 300 x 300: a
  // webcam's region that large holds a ticket held close, with large
  // modules. (A dense code filling a photo needs the full size.)
  bool halve_large = false;
  // Instructions to spend on looks and warps, roughly (a version 3 code
  // costs 0.2 M a look, 2.3 M with the warp); finding the finder patterns
  // comes on top.
  long budget = 12'000'000;
};

// Calls `read` with clean renderings of the codes found in `gray` (white
// quiet zone, 2 px a module), most likely first, until it returns true.
// Returns whether it did.
bool for_each_grid(const Plane& gray, const GridOptions& options,
                   const std::function<bool(const Plane& pure)>& read);

}  // namespace fd::scan
