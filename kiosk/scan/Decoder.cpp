// The cascade of passes: each runs only when every earlier one read nothing,
// and the slow ones only where the fast one saw something code-like.
#include "scan/Decoder.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <functional>
#include <string_view>

#include "scan/CodeRegion.h"
#include "scan/Plane.h"
#include "scan/QrGrid.h"
#include "scan/ZxingRead.h"

namespace fd {
namespace {

using scan::Box;
using scan::Plane;
using scan::ZxHints;

// Keep in step with the passes in decode_frame and decode_region.
// Try-harder alone, contrast stretch alone and upscaling were passes too;
// on the blackbox and the stored sets they read nothing the passes after
// them do not, so they are gone (bench scan --each-pass shows the rest).
constexpr const char* kPasses[] = {"fast", "region", "inverted", "sharpened", "grid"};

// Frames up to this size (a VGA webcam's, a cropped picture) are read
// whole; larger ones (a webcam's 720p) only where a code is likely.
constexpr int kSmallFrame = 800 * 800;

// What a camera frame's slow passes may spend, in instructions (estimated
// from the regions' sizes, see decode_regions): with the fast pass's 2-5 M
// a frame stays under the 46 M a hard frame may cost (#23).
constexpr long kCameraSlowBudget = 38'000'000;
// Of which the grid's looks and warps on one region (its finder search comes
// on top): every code the grid reads on the stored set still reads with it,
// and a texture's chance finder triples stop there (6 M cost a random-block
// texture 12 M more).
constexpr long kCameraGridBudget = 2'000'000;

// Where a plane read at `scale` sits in the frame.
struct Placement {
  Box at;
  double scale = 1;
};

std::vector<Decoded> to_frame(const std::vector<scan::ZxFound>& found, const char* pass,
                              const Placement& p) {
  std::vector<Decoded> out;
  for (const auto& f : found) {
    if (f.error) continue;
    out.push_back({f.text, p.at.x + static_cast<int>(f.x0 * p.scale),
                   p.at.y + static_cast<int>(f.y0 * p.scale),
                   static_cast<int>((f.x1 - f.x0) * p.scale),
                   static_cast<int>((f.y1 - f.y0) * p.scale), pass});
  }
  return out;
}

std::vector<Decoded> read_plane(const Plane& p, const ZxHints& hints, const char* pass,
                                const Placement& at) {
  return to_frame(scan::zxing_read(p.px.data(), p.w, p.h, p.w, 1, hints), pass, at);
}

// Runs one pass and notes what it did.
template <class F>
std::vector<Decoded> run(DecodeTrace* trace, const char* pass, F&& f) {
  if (!trace) return f();
  const auto t0 = std::chrono::steady_clock::now();
  auto found = f();
  trace->runs.push_back(
      {pass,
       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
       static_cast<int>(found.size())});
  return found;
}

// A code printed inside another (a "double QR" design) is one thing held
// up, not two tickets: keep the inner one, as the design intends.
std::vector<Decoded> drop_enclosing(std::vector<Decoded> found) {
  auto inside = [](const Decoded& a, const Decoded& b) {  // a within b
    return a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width &&
           a.y + a.height <= b.y + b.height;
  };
  std::vector<Decoded> out;
  for (const auto& d : found) {
    bool encloses = false;
    for (const auto& e : found)
      encloses = encloses || (&e != &d && inside(e, d) && e.text != d.text);
    if (!encloses) out.push_back(d);
  }
  return out;
}

// Our own grid fit (dark codes on light and light on dark).
std::vector<Decoded> grid_pass(const Plane& roi, const Placement& at, bool camera_frame) {
  std::vector<Decoded> out;
  ZxHints pure;
  pure.pure = true;
  pure.binarizer = ZxHints::Binarizer::Fixed;  // the rendering is black and white already
  scan::GridOptions grid;
  grid.halve_large = camera_frame;
  // A frame's budget is about the same whatever its size: on a small one
  // the ZXing passes before cost little, so the grid may spend more; on a
  // camera frame it runs on up to two regions after two try-harder passes
  // each, so it spends less.
  grid.budget = camera_frame ? kCameraGridBudget : 30'000'000;
  scan::for_each_grid(roi, grid, [&](const Plane& clean) {
    for (auto& f : scan::zxing_read(clean.px.data(), clean.w, clean.h, clean.w, 1, pure))
      if (!f.error) out.push_back({f.text, at.at.x, at.at.y, at.at.w, at.at.h, "grid"});
    return !out.empty();
  });
  return out;
}

// One region for the slow passes: at full resolution, or reduced by `down`
// (a large region of a camera frame).
struct Region {
  Placement at;
  int down = 1;
  Plane roi;
  Plane stretched;  // made when a pass first needs it
  const Plane& contrast() {
    if (stretched.empty()) {
      stretched = roi;
      scan::stretch(stretched);
    }
    return stretched;
  }
};

// The slow passes in order, each over every region before the next pass,
// until one reads something: the cheap passes on the second region come
// before the dear ones on the first. (Region by region, a mail's text block
// took every pass, 50 M instructions, before the code below it was read by
// the first.)
std::vector<Decoded> decode_regions(const Frame& f, const std::vector<Box>& boxes, bool halved,
                                    const DecodeOptions& o, DecodeTrace* trace) {
  std::vector<Region> regions;
  for (const Box& box : boxes) {
    // A large region of a camera frame (a 720p frame busy all over, which
    // likely_codes gives whole, or a patch over 512 x 512) is a code held
    // close, with big modules, or a texture: a shirt, a wall, a page of
    // text. Its slow passes read it at half size, where a texture costs a
    // quarter.
    const int down = halved && box.w * box.h > 512 * 512 ? 2 : 1;
    regions.push_back({{box, static_cast<double>(down)},
                       down,
                       down > 1 ? scan::crop_down(f, box, down) : scan::crop(f, box),
                       {}});
  }
  ZxHints hard;
  hard.try_harder = true;
  // Each pass: its name, whether it applies to a region, and what it reads.
  // And about the most it costs on a camera frame's region: instructions a
  // pixel, and a fixed part (callgrind, x86-64, on the textures of the
  // stored must-not-decode set, where every pass runs to its end; the
  // grid's finder search, a pixel, and its looks).
  struct Pass {
    const char* name;
    std::function<bool(const Region&)> applies;
    std::function<std::vector<Decoded>(Region&)> read;
    long per_pixel = 0, fixed = 0;
  };
  const Pass passes[] = {
      // Small codes: the region at full size.
      {"region", [&](const Region& r) { return halved && r.down == 1; },
       [&](Region& r) { return read_plane(r.roi, {}, "region", r.at); }, 28, 0},
      // Dark mode: a phone showing a light-on-dark code.
      {"inverted", [](const Region&) { return true; },
       [&](Region& r) { return read_plane(scan::inverted(r.roi), hard, "inverted", r.at); }, 30, 0},
      // Local contrast stretched (glare, dim screens), then sharpened
      // (motion and focus blur).
      {"sharpened", [](const Region&) { return true; },
       [&](Region& r) {
         return read_plane(scan::sharpen(r.contrast(), 3, 150), hard, "sharpened", r.at);
       },
       75, 0},
      {"grid", [](const Region&) { return true; },
       [&](Region& r) { return grid_pass(r.contrast(), r.at, halved); }, 50, kCameraGridBudget},
  };
  // A camera frame's slow passes share one budget, so that a texture that
  // holds no code (a barcode's bars in two patches, a shirt) costs little
  // more than the dearest frame they do read (27 M on the stored set): a pass
  // that would overrun it is left out on that region. Small frames (a
  // cropped picture) have no camera's pace to keep.
  long budget = halved ? kCameraSlowBudget : LONG_MAX;
  for (const Pass& p : passes) {
    if (o.only_pass && std::string_view(o.only_pass) != p.name) continue;
    for (Region& r : regions) {
      if (!p.applies(r)) continue;
      if (halved) {
        const long cost = p.per_pixel * r.roi.w * r.roi.h + p.fixed;
        if (cost > budget) {
          if (trace) trace->over_budget.push_back(p.name);
          continue;
        }
        budget -= cost;
      }
      auto found = run(trace, p.name, [&] { return p.read(r); });
      if (!found.empty()) return found;
    }
  }
  return {};
}

// The regions where a code is likely, with the boxes of symbols the fast
// pass saw but could not read first.
std::vector<Box> slow_regions(const Frame& f, const std::vector<scan::ZxFound>& seen,
                              const Placement& fast, std::vector<Box> likely) {
  std::vector<Box> out;
  for (const auto& s : seen) {
    if (!s.error) continue;
    const double k = fast.scale;
    const int pad = static_cast<int>((s.x1 - s.x0) * k / 4) + 8;
    Box b{std::max(0, fast.at.x + static_cast<int>(s.x0 * k) - pad),
          std::max(0, fast.at.y + static_cast<int>(s.y0 * k) - pad), 0, 0};
    b.w = std::min(f.width, fast.at.x + static_cast<int>(s.x1 * k) + pad) - b.x;
    b.h = std::min(f.height, fast.at.y + static_cast<int>(s.y1 * k) + pad) - b.y;
    if (b.w > 16 && b.h > 16) out.push_back(b);
  }
  out.insert(out.end(), likely.begin(), likely.end());
  if (out.size() > 2) out.resize(2);
  return out;
}

}  // namespace

std::vector<const char*> decoder_passes() { return {std::begin(kPasses), std::end(kPasses)}; }

std::vector<Decoded> decode_frame(const Frame& f, const DecodeOptions& o, DecodeTrace* trace) {
  if (f.empty()) return {};
  const bool small = f.width * f.height <= kSmallFrame;
  // Pass 1, cheap: ZXing without try-harder. A small frame is read whole. A
  // large one only where a code is likely, and at half size: a ticket held
  // up to the camera has big modules, and the frame's noise averages out.
  ZxHints fast;
  fast.errors = true;  // a symbol seen but not read is the surest sign of a code
  std::vector<Box> likely =
      small ? std::vector<Box>{{0, 0, f.width, f.height}} : scan::likely_codes(f);
  std::vector<scan::ZxFound> seen;
  std::vector<Placement> read_at;
  auto found = run(trace, "fast", [&] {
    std::vector<Decoded> out;
    for (const Box& b : likely) {
      const int n = small ? 1 : 2;
      const Plane p = scan::crop_down(f, b, n);
      const Placement at{b, static_cast<double>(n)};
      for (auto& s : scan::zxing_read(p.px.data(), p.w, p.h, p.w, 1, fast)) {
        if (s.error) {
          seen.push_back(s);
          read_at.push_back(at);
          continue;
        }
        auto d = to_frame({s}, "fast", at);
        out.insert(out.end(), d.begin(), d.end());
      }
    }
    return out;
  });
  const bool only_fast = o.only_pass && std::string_view(o.only_pass) == "fast";
  if (o.only_pass && !only_fast) found.clear();
  if (!found.empty()) return drop_enclosing(std::move(found));
  if (!o.try_harder || likely.empty() || only_fast) return {};

  // The slow passes, only where the fast one saw something code-like.
  std::vector<Box> regions = likely;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    auto r = slow_regions(f, {seen[i]}, read_at[i], {});
    regions.insert(regions.begin(), r.begin(), r.end());
  }
  if (regions.size() > 2) regions.resize(2);
  if (trace) trace->code_like = true;
  found = decode_regions(f, regions, !small, o, trace);
  if (!found.empty()) return drop_enclosing(std::move(found));
  return {};
}

std::vector<Decoded> decode_frame_zxing_default(const Frame& f) {
  if (f.empty()) return {};
  std::vector<Decoded> out;
  for (auto& t :
       scan::zxing_read_default(f.pixels->data(), f.width, f.height, f.stride, f.pixel_step()))
    out.push_back({std::move(t), 0, 0, 0, 0, "zxing-default"});
  return out;
}

}  // namespace fd
