// An idle door's scanner skips frames that show nothing new, and never at
// the cost of a ticket: one held up is read in the first frame it is in.
#include <doctest/doctest.h>

#include <random>

#include "scan/Scanner.h"

using namespace fd;

namespace {

// Frames of the synthetic camera with fresh sensor noise on every frame, as
// a real webcam gives even when nothing in front of it moves.
class NoisyScene {
 public:
  NoisyScene(const SyntheticOptions& o, int noise) : source_(make_synthetic(o)), noise_(noise) {}
  Frame next() {
    Frame f = *source_->next(std::chrono::milliseconds(0));
    auto px = std::make_shared<std::vector<std::uint8_t>>(*f.pixels);
    std::uniform_int_distribution<int> d(-noise_, noise_);
    for (auto& v : *px) v = static_cast<std::uint8_t>(std::clamp(v + d(rng_), 0, 255));
    f.pixels = std::move(px);
    f.source_sequence = f.sequence;
    f.at = static_cast<TimeMs>(f.sequence) * 33;
    return f;
  }

 private:
  std::unique_ptr<FrameSource> source_;
  int noise_;
  std::mt19937 rng_{7};
};

SyntheticOptions door(int lead_in, int show) {
  SyntheticOptions o;
  o.codes = {"vx6zn4jmf3dpjk2q0000000000007919"};
  o.fps = 0;
  o.lead_in_frames = lead_in;
  o.show_frames = show;
  o.gap_frames = 1000;
  return o;
}

}  // namespace

TEST_CASE("an unchanged scene is not decoded again; a ticket is read in its first frame") {
  const SyntheticOptions o = door(45, 20);
  NoisyScene scene(o, 6);
  FrameScanner scanner;
  std::vector<ScanEvent> events;
  for (int i = 0; i < 45; ++i) {
    auto e = scanner.scan(scene.next());
    events.insert(events.end(), e.begin(), e.end());
  }
  CHECK(events.empty());
  CHECK(scanner.stats().frames == 45);
  CHECK_MESSAGE(scanner.stats().decoded == 1, "an empty, noisy scene was decoded "
                                                  << scanner.stats().decoded
                                                  << " times in 45 frames");
  const auto ticket = scanner.scan(scene.next());  // the first frame the ticket is in
  REQUIRE(ticket.size() == 1);
  CHECK(ticket[0].text == o.codes[0]);
  CHECK(ticket[0].frame_source_sequence == synthetic_first_frame(o, 0));
}

TEST_CASE("a ticket held still for longer than the rescan time counts once") {
  // The ticket does not drift here: after its first frame nothing changes,
  // so the scanner skips the frames, and must still know it is in view.
  SyntheticOptions o = door(5, 400);
  o.width = 640;
  o.height = 360;
  NoisyScene moving(o, 4);
  FrameScanner scanner(2000);
  std::vector<ScanEvent> events;
  Frame still;
  for (int i = 0; i < 6; ++i) {
    still = moving.next();
    auto e = scanner.scan(still);
    events.insert(events.end(), e.begin(), e.end());
  }
  REQUIRE(events.size() == 1);
  const auto decoded = scanner.stats().decoded;
  for (int i = 0; i < 150; ++i) {  // five seconds of the very same picture
    Frame f = still;
    f.sequence = f.source_sequence = 6 + static_cast<std::uint64_t>(i);
    f.at = static_cast<TimeMs>(f.sequence) * 33;
    CHECK(scanner.scan(f).empty());
  }
  CHECK(scanner.stats().decoded == decoded);
  // Then the hand moves (a couple of seconds of drift on): a changed frame,
  // the same ticket, still not a new scan.
  for (int i = 0; i < 60; ++i) moving.next();
  Frame later = moving.next();
  later.at = 200 * 33;
  CHECK(scanner.scan(later).empty());
  CHECK(scanner.stats().decoded == decoded + 1);
}

TEST_CASE("the change measure: noise is no change; a small patch of a new thing is") {
  const SyntheticOptions o = door(1000, 1);
  NoisyScene scene(o, 6);
  FrameChange change;
  const Frame first = scene.next();
  CHECK(change.changed(first));  // nothing to compare with yet
  change.remember(first);
  for (int i = 0; i < 20; ++i) CHECK_FALSE(change.changed(scene.next()));
  // A 24 x 24 px patch 40 grey levels brighter: a fingertip at the edge of the view.
  Frame f = scene.next();
  auto px = std::make_shared<std::vector<std::uint8_t>>(*f.pixels);
  for (int y = 300; y < 324; ++y)
    for (int x = 900; x < 924; ++x) {
      auto& v = (*px)[static_cast<std::size_t>(y) * f.stride + x];
      v = static_cast<std::uint8_t>(std::min(255, v + 40));
    }
  f.pixels = px;
  CHECK(change.changed(f));
}
