#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "TestSupport.h"
#include "camera/Camera.h"

using namespace fd;

TEST_CASE("a missing webcam is a plain error and the camera says what to do") {
  auto v = open_v4l2(V4l2Options{"/dev/video-that-is-not-there", 1280, 720});
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().message.find("not found — plug in the webcam") != std::string::npos);
  Camera camera([] { return open_v4l2(V4l2Options{"/dev/video-that-is-not-there", 1280, 720}); });
  REQUIRE(
      fd::test::wait_for([&] { return !camera.state().problem.empty(); }, std::chrono::seconds(5)));
  const auto state = camera.state();
  CHECK_FALSE(state.running);
  CHECK(state.problem.find("plug in the webcam") != std::string::npos);
  CHECK(camera.latest() == nullptr);
}

TEST_CASE("synthetic scenes follow their schedule") {
  SyntheticOptions o;
  o.codes = {"A", "B"};
  o.fps = 0;
  o.show_frames = 3;
  o.gap_frames = 2;
  o.width = 320;
  o.height = 240;
  o.module_px = 3;
  auto src = make_synthetic(o);
  std::vector<int> dark_pixels;
  for (int i = 0; i < 10; ++i) {
    auto f = src->next(std::chrono::milliseconds(10));
    REQUIRE(f.ok());
    CHECK(f->width == 320);
    int dark = 0;
    for (int y = 0; y < f->height; ++y)
      for (int x = 0; x < f->width; ++x) dark += f->gray(x, y) < 50;
    dark_pixels.push_back(dark);
  }
  // Frames 0-2 show A, 3-4 nothing, 5-7 show B, 8-9 nothing.
  for (int i : {0, 1, 2, 5, 6, 7}) CHECK(dark_pixels[static_cast<std::size_t>(i)] > 100);
  for (int i : {3, 4, 8, 9}) CHECK(dark_pixels[static_cast<std::size_t>(i)] == 0);
  CHECK(synthetic_first_frame(o, 1) == 5);
}

TEST_CASE("the mailbox keeps only the newest frame") {
  SyntheticOptions o;
  o.codes = {"X"};
  o.fps = 0;  // as fast as the capture thread can go
  o.width = 160;
  o.height = 120;
  Camera camera([o] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(o)); });
  auto first = camera.wait_newer(0, std::chrono::milliseconds(1000));
  REQUIRE(first);
  // Let the capture thread run on past a few frames nobody reads.
  REQUIRE(camera.wait_newer(first->sequence + 5, std::chrono::milliseconds(2000)));
  auto later = camera.latest();
  REQUIRE(later);
  // Many frames were captured meanwhile; a reader sees only the newest, not a queue.
  CHECK(later->sequence > first->sequence + 5);
  CHECK(camera.state().running);
}

TEST_CASE("an image folder without images says so") {
  auto r = open_image_folder("/", 10);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("No PNG or JPEG images") != std::string::npos);
}

namespace {
// A webcam that is pulled out after a few frames, stays away for two
// attempts to reopen it, and is plugged back.
struct Replug {
  std::atomic<int> opens{0};
  std::atomic<int> frames{0};
};
class FlakySource final : public FrameSource {
 public:
  explicit FlakySource(Replug& r) : r_(r) {}
  Result<Frame> next(std::chrono::milliseconds) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (++served_ > 5 && r_.opens == 1)
      return Error{"camera.gone", "The camera /dev/video0 stopped (unplugged?)"};
    ++r_.frames;
    Frame f;
    f.width = f.height = f.stride = 8;
    f.pixels = std::make_shared<const std::vector<std::uint8_t>>(64, 0);
    f.sequence = static_cast<std::uint64_t>(served_);
    return f;
  }
  std::string describe() const override { return "flaky webcam"; }

 private:
  Replug& r_;
  int served_ = 0;
};
}  // namespace

TEST_CASE("an unplugged webcam is said plainly - and comes back by itself when plugged in") {
  Replug r;
  Camera camera([&r]() -> Result<std::unique_ptr<FrameSource>> {
    const int n = ++r.opens;
    if (n == 2 || n == 3)
      return Error{"camera.missing", "Camera /dev/video0 not found — plug in the webcam"};
    return std::unique_ptr<FrameSource>(std::make_unique<FlakySource>(r));
  });
  bool saw_problem = false;
  fd::test::wait_for(
      [&] {
        if (!camera.state().running && !camera.state().problem.empty()) saw_problem = true;
        return r.opens >= 4;
      },
      std::chrono::seconds(3));
  CHECK(saw_problem);
  REQUIRE(r.opens >= 4);  // retried until it was back (within seconds)
  const int before = r.frames;
  CHECK(fd::test::wait_for([&] { return camera.state().running && r.frames > before; },
                           std::chrono::seconds(2)));  // pictures again
}

TEST_CASE("a webcam is followed by its by-id name - not its /dev/videoN number") {
  namespace fs = std::filesystem;
  std::string t = (fs::temp_directory_path() / "fd-byid-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  fs::create_directories(dir / "by-id");
  std::ofstream(dir / "video0") << "";
  std::ofstream(dir / "video2") << "";
  fs::create_symlink(dir / "video2", dir / "by-id" / "usb-Logitech_C920_ABC-video-index0");
  CHECK(stable_device_path((dir / "video2").string(), dir / "by-id") ==
        (dir / "by-id" / "usb-Logitech_C920_ABC-video-index0").string());
  CHECK(stable_device_path((dir / "video0").string(), dir / "by-id") == (dir / "video0").string());
  CHECK(stable_device_path("/dev/video-none", dir / "by-id") == "/dev/video-none");
  std::error_code ec;
  fs::remove_all(dir, ec);
}
