
#include <algorithm>
#include <cmath>
#include <thread>

#include "camera/FrameSource.h"
#include "qr/QrCode.h"

namespace fd {
namespace {

class SyntheticSource final : public FrameSource {
 public:
  explicit SyntheticSource(SyntheticOptions o) : o_(std::move(o)) {
    for (const auto& c : o_.codes) codes_.push_back(qr_matrix(c));
    // A fixed noisy background, like a dim room behind the person.
    background_.resize(static_cast<std::size_t>(o_.width) * o_.height);
    std::uint32_t s = 2463534242u;
    for (int y = 0; y < o_.height; ++y)
      for (int x = 0; x < o_.width; ++x) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        const int shade =
            70 + (x * 40 / o_.width) + (y * 30 / o_.height) + static_cast<int>(s % 24);
        background_[static_cast<std::size_t>(y) * o_.width + x] = static_cast<std::uint8_t>(shade);
      }
    // A webcam's sensor noise: a few frames made once and taken in turn, so
    // that an empty hall never gives two equal frames (as a real camera
    // does not) without costing the capture thread more than a copy.
    for (int n = 0; o_.sensor_noise > 0 && n < 4; ++n) {
      std::vector<std::uint8_t> f = background_;
      for (std::uint8_t& p : f) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        const int v = p + static_cast<int>(s % (2 * o_.sensor_noise + 1)) - o_.sensor_noise;
        p = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
      }
      noisy_.push_back(std::move(f));
    }
    start_ = std::chrono::steady_clock::now();
  }

  Result<Frame> next(std::chrono::milliseconds) override {
    if (o_.fps > 0) {
      const auto due = start_ + std::chrono::duration<double>(static_cast<double>(seq_) / o_.fps);
      std::this_thread::sleep_until(
          std::chrono::time_point_cast<std::chrono::steady_clock::duration>(due));
    }
    auto px = std::make_shared<std::vector<std::uint8_t>>(
        noisy_.empty() ? background_ : noisy_[seq_ % noisy_.size()]);
    const int period = o_.show_frames + o_.gap_frames;
    const auto lead = static_cast<std::uint64_t>(std::max(0, o_.lead_in_frames));
    if (!codes_.empty() && seq_ >= lead) {
      const std::uint64_t t = seq_ - lead;
      const int phase = static_cast<int>(t % static_cast<std::uint64_t>(period));
      if (phase < o_.show_frames)
        draw(*px, codes_[(t / static_cast<std::uint64_t>(period)) % codes_.size()], phase);
    }
    Frame f;
    f.width = o_.width;
    f.height = o_.height;
    f.stride = o_.width;
    f.format = PixelFormat::Gray8;
    f.pixels = std::move(px);
    f.sequence = seq_++;
    f.at = now_ms();
    return f;
  }

  std::string describe() const override {
    return "synthetic scenes (" + std::to_string(o_.codes.size()) + " tickets)";
  }

 private:
  void draw(std::vector<std::uint8_t>& px, const QrMatrix& m, int phase) const {
    if (m.size == 0) return;
    const int quiet = 4, mod = o_.module_px;
    const int side = (m.size + 2 * quiet) * mod;
    // The ticket drifts slowly across, as a hand does.
    const int travel = std::max(0, o_.width / 3 - side / 3);
    const int x0 =
        o_.width / 2 - side / 2 - travel / 2 + travel * phase / std::max(1, o_.show_frames);
    const int y0 = o_.height / 2 - side / 2 + static_cast<int>(12 * std::sin(phase / 7.0));
    for (int y = 0; y < side; ++y) {
      const int py = y0 + y;
      if (py < 0 || py >= o_.height) continue;
      const int my = y / mod - quiet;
      for (int x = 0; x < side; ++x) {
        const int pxx = x0 + x;
        if (pxx < 0 || pxx >= o_.width) continue;
        const int mx = x / mod - quiet;
        const bool dark = mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.at(mx, my);
        // A phone screen is not pure white, nor is a printout's black.
        px[static_cast<std::size_t>(py) * o_.width + pxx] = dark ? 35 : 225;
      }
    }
  }

  SyntheticOptions o_;
  std::vector<QrMatrix> codes_;
  std::vector<std::vector<std::uint8_t>> noisy_;  // the background with sensor noise
  std::vector<std::uint8_t> background_;
  std::uint64_t seq_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

std::unique_ptr<FrameSource> make_synthetic(const SyntheticOptions& options) {
  return std::make_unique<SyntheticSource>(options);
}

std::uint64_t synthetic_first_frame(const SyntheticOptions& o, std::size_t code_index) {
  return static_cast<std::uint64_t>(std::max(0, o.lead_in_frames)) +
         static_cast<std::uint64_t>(code_index) *
             static_cast<std::uint64_t>(o.show_frames + o.gap_frames);
}

}  // namespace fd
