#pragma once
// Where in a frame a QR code is likely: compact patches of much more local
// contrast than the frame's typical patch. The slow passes run only there,
// so a frame with nothing in it stays cheap.
//
// Thread-safety: pure function.
#include <vector>

#include "camera/Frame.h"
#include "scan/Plane.h"

namespace fd::scan {

// Largest first; at most `max_regions`. A frame that is all code (a close-up
// or a cropped image) is one region, the whole frame.
std::vector<Box> likely_codes(const Frame& f, int max_regions = 2);

}  // namespace fd::scan
