#include <doctest/doctest.h>

#include <thread>

#include "camera/Camera.h"

using namespace fd;

TEST_CASE("a missing webcam is a plain error and the camera says what to do") {
  auto v = open_v4l2(V4l2Options{"/dev/video-that-is-not-there", 1280, 720});
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().message.find("not found — plug in the webcam") != std::string::npos);
  Camera camera([] { return open_v4l2(V4l2Options{"/dev/video-that-is-not-there", 1280, 720}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
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
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
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
