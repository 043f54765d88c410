#include <algorithm>
#include <thread>

#include "camera/FrameSource.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_image.h>
#pragma GCC diagnostic pop

namespace fd {
namespace {

class ImageFolderSource final : public FrameSource {
 public:
  ImageFolderSource(std::vector<Frame> frames, double fps, std::string dir)
      : frames_(std::move(frames)),
        fps_(fps),
        dir_(std::move(dir)),
        start_(std::chrono::steady_clock::now()) {}

  Result<Frame> next(std::chrono::milliseconds) override {
    if (fps_ > 0)
      std::this_thread::sleep_until(
          start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(static_cast<double>(seq_) / fps_)));
    Frame f = frames_[seq_ % frames_.size()];
    f.sequence = seq_++;
    f.at = now_ms();
    return f;
  }
  std::string describe() const override { return "images in " + dir_; }

 private:
  std::vector<Frame> frames_;
  double fps_;
  std::string dir_;
  std::uint64_t seq_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Result<Frame> load_gray_image(const std::filesystem::path& file) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(file.c_str(), &w, &h, &channels, 1);
  if (!data)
    return Error{"camera.image",
                 "Cannot read image " + file.string() + ": " + stbi_failure_reason()};
  Frame f;
  f.width = w;
  f.height = h;
  f.stride = w;
  f.format = PixelFormat::Gray8;
  f.pixels =
      std::make_shared<std::vector<std::uint8_t>>(data, data + static_cast<std::size_t>(w) * h);
  stbi_image_free(data);
  return f;
}

Result<std::unique_ptr<FrameSource>> open_image_folder(const std::filesystem::path& dir,
                                                       double fps) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const auto ext = e.path().extension().string();
    if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") files.push_back(e.path());
  }
  if (ec) return Error{"camera.folder", "Cannot read the folder " + dir.string()};
  if (files.empty()) return Error{"camera.folder", "No PNG or JPEG images in " + dir.string()};
  std::sort(files.begin(), files.end());
  std::vector<Frame> frames;
  for (const auto& f : files) {
    auto frame = load_gray_image(f);
    if (!frame) return frame.error();
    frames.push_back(std::move(*frame));
  }
  return std::unique_ptr<FrameSource>(
      std::make_unique<ImageFolderSource>(std::move(frames), fps, dir.string()));
}

}  // namespace fd
