#pragma once
// QR decoding of one frame, tuned for a small CPU at the door: a cheap pass
// first, harder passes (dark-mode inversion, a closer look at a smaller
// region) only when the cheap one finds nothing.
//
// Thread-safety: pure functions.
#include <string>
#include <vector>

#include "camera/Frame.h"

namespace fd {

struct Decoded {
  std::string text;
  int x = 0, y = 0, width = 0, height = 0;  // where in the frame
  const char* pass = "";                    // which pass found it (for benchmarks)
};

struct DecodeOptions {
  bool try_inverted = true;  // phones in dark mode show white-on-black codes
  bool try_harder = true;    // slower passes when the cheap one finds nothing
};

std::vector<Decoded> decode_frame(const Frame& frame, const DecodeOptions& options = {});
// ZXing's own default (try harder, try rotate, all formats), as a benchmark peer.
std::vector<Decoded> decode_frame_zxing_default(const Frame& frame);

}  // namespace fd
