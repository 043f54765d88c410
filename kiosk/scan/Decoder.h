#pragma once
// QR decoding of one frame, tuned for a small CPU at the door: a cheap pass
// first; slower passes only when the cheap one found nothing but saw
// something code-like, each on the regions that look like a code.
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
  bool try_harder = true;  // slower passes when the cheap one finds nothing
  // Only this pass (and the fast one's look for code-like regions): what a
  // pass reads on its own, for `frontdesk bench scan --each-pass`.
  const char* only_pass = nullptr;
};

// What each pass of one decode_frame call did, for `frontdesk bench scan`:
// a pass earns its place by the codes it reads that no earlier pass read,
// against what it costs.
struct PassRun {
  const char* pass = "";
  double ms = 0;
  int reads = 0;  // codes it returned (the cascade stops at the first pass that reads)
};
struct DecodeTrace {
  bool code_like = false;  // the fast pass found nothing but saw something code-like
  std::vector<PassRun> runs;
  // Passes left out on a region because they would overrun a camera
  // frame's budget (one entry a region).
  std::vector<const char*> over_budget;
};

std::vector<Decoded> decode_frame(const Frame& frame, const DecodeOptions& options = {},
                                  DecodeTrace* trace = nullptr);
// The passes in the order decode_frame tries them (names as in Decoded::pass).
std::vector<const char*> decoder_passes();

// ZXing's own default (try harder, try rotate, all formats), as a benchmark peer.
std::vector<Decoded> decode_frame_zxing_default(const Frame& frame);

}  // namespace fd
