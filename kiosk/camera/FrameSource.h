#pragma once
// Where frames come from: a webcam (V4L2), a folder of images, or generated
// scenes for the demo, the tests and the benchmarks.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/Error.h"
#include "camera/Frame.h"

namespace fd {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Blocks until the next frame or the timeout. An Error means the source is
  // gone (camera unplugged); the Camera reopens it.
  virtual Result<Frame> next(std::chrono::milliseconds timeout) = 0;
  virtual std::string describe() const = 0;
};

struct V4l2Options {
  std::string device = "/dev/video0";
  int width = 1280, height = 720;
};
// Opens a webcam; a plain Error when it is missing or busy.
Result<std::unique_ptr<FrameSource>> open_v4l2(const V4l2Options& options);
// A webcam unplugged and plugged back may come back as another /dev/videoN
// (the old number still held by a program, or another camera took it).
// udev's /dev/v4l/by-id/ name follows the camera itself: this returns the
// by-id path that points at `device` now, or `device` when there is none.
std::string stable_device_path(const std::string& device,
                               const std::filesystem::path& by_id = "/dev/v4l/by-id");

// One image file as a grayscale frame (PNG or JPEG).
Result<Frame> load_gray_image(const std::filesystem::path& file);

// A folder of PNG/JPEG images, looped at `fps` (0: as fast as asked).
Result<std::unique_ptr<FrameSource>> open_image_folder(const std::filesystem::path& dir,
                                                       double fps);

// Generated scenes: ticket QR codes drifting through a noisy frame, each
// shown for `show_frames`, then `gap_frames` with none. Paced in real time
// at `fps` unless fps is 0.
struct SyntheticOptions {
  std::vector<std::string> codes;
  int width = 1280, height = 720;
  double fps = 30;
  int show_frames = 45;
  int gap_frames = 45;
  int module_px = 6;       // size of one QR module in pixels
  int lead_in_frames = 0;  // an empty scene first (the demo opens on the ready screen)
  int sensor_noise = 0;    // ± grey levels that change from frame to frame, as a webcam's
};
std::unique_ptr<FrameSource> make_synthetic(const SyntheticOptions& options);
// For latency tests: the first frame in which code i is fully in view.
std::uint64_t synthetic_first_frame(const SyntheticOptions& options, std::size_t code_index);

}  // namespace fd
