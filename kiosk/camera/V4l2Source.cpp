// Webcams through libv4l2, which converts MJPEG and odd vendor formats to
// YUYV for us, so every camera gives the scanner the same luminance bytes.
#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "camera/FrameSource.h"

namespace fd {
namespace {

int xioctl(int fd, unsigned long request, void* arg) {
  int r;
  do {
    r = v4l2_ioctl(fd, request, arg);
  } while (r == -1 && errno == EINTR);
  return r;
}

class V4l2Source final : public FrameSource {
 public:
  V4l2Source(int fd, std::string device, int w, int h, int stride, bool planar,
             std::vector<std::pair<void*, std::size_t>> buffers)
      : fd_(fd),
        device_(std::move(device)),
        width_(w),
        height_(h),
        stride_(stride),
        planar_(planar),
        buffers_(std::move(buffers)) {}
  ~V4l2Source() override {
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(fd_, VIDIOC_STREAMOFF, &type);
    for (auto& [p, n] : buffers_) v4l2_munmap(p, n);
    v4l2_close(fd_);
  }

  Result<Frame> next(std::chrono::milliseconds timeout) override {
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (r == 0)
      return Error{"camera.timeout",
                   "The camera sent no picture for " + std::to_string(timeout.count()) + " ms"};
    if (r < 0 || (p.revents & (POLLERR | POLLHUP)))
      return Error{"camera.gone", "The camera " + device_ + " stopped (unplugged?)"};
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_DQBUF, &buf) == -1)
      return Error{"camera.gone", "The camera " + device_ + " stopped: " + std::strerror(errno)};
    // Copy out of the driver's buffer and hand it straight back: the newest
    // frame wins, and the driver must never run out of buffers.
    const auto* src = static_cast<const std::uint8_t*>(buffers_[buf.index].first);
    auto px = std::make_shared<std::vector<std::uint8_t>>(
        src, src + std::min<std::size_t>(buf.bytesused, buffers_[buf.index].second));
    xioctl(fd_, VIDIOC_QBUF, &buf);
    Frame f;
    f.width = width_;
    f.height = height_;
    f.stride = stride_;
    f.format = planar_ ? PixelFormat::Gray8 : PixelFormat::YUYV;  // planar: the Y plane comes first
    if (px->size() < static_cast<std::size_t>(stride_) * height_)
      px->resize(static_cast<std::size_t>(stride_) * height_);
    f.pixels = std::move(px);
    f.sequence = seq_++;
    f.at = now_ms();
    return f;
  }
  std::string describe() const override {
    return device_ + " (" + std::to_string(width_) + "x" + std::to_string(height_) + ")";
  }

 private:
  int fd_;
  std::string device_;
  int width_, height_, stride_;
  bool planar_;
  std::vector<std::pair<void*, std::size_t>> buffers_;
  std::uint64_t seq_ = 0;
};

}  // namespace

std::string stable_device_path(const std::string& device, const std::filesystem::path& by_id) {
  std::error_code ec;
  const auto target = std::filesystem::canonical(device, ec);
  if (ec) return device;
  for (std::filesystem::directory_iterator it(by_id, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (std::filesystem::canonical(it->path(), e2) == target && !e2) return it->path().string();
  }
  return device;
}

Result<std::unique_ptr<FrameSource>> open_v4l2(const V4l2Options& o) {
  const int fd = v4l2_open(o.device.c_str(), O_RDWR | O_NONBLOCK);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT)
      return Error{"camera.missing",
                   "Camera " + o.device +
                       " not found — plug in the webcam, or choose another with --camera"};
    if (e == EBUSY)
      return Error{"camera.busy",
                   "Camera " + o.device + " is in use by another program — close it"};
    if (e == EACCES)
      return Error{"camera.access",
                   "No permission to use " + o.device + " — add this user to the 'video' group"};
    return Error{"camera.open", "Cannot open " + o.device + ": " + std::strerror(e)};
  }
  auto fail = [fd](const std::string& why) -> Result<std::unique_ptr<FrameSource>> {
    v4l2_close(fd);
    return Error{"camera.setup", why};
  };
  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = static_cast<__u32>(o.width);
  fmt.fmt.pix.height = static_cast<__u32>(o.height);
  fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
  fmt.fmt.pix.field = V4L2_FIELD_NONE;
  if (xioctl(fd, VIDIOC_S_FMT, &fmt) == -1 || fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_YUYV) {
    // MJPEG-only webcams: libv4l2 decodes to planar YUV 4:2:0, whose first
    // plane is the luminance the scanner wants.
    fmt.fmt.pix.width = static_cast<__u32>(o.width);
    fmt.fmt.pix.height = static_cast<__u32>(o.height);
    fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUV420;
    if (xioctl(fd, VIDIOC_S_FMT, &fmt) == -1 || fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_YUV420)
      return fail(o.device +
                  " gives no picture format Frontdesk can read (YUYV, or MJPEG through libv4l2)");
  }
  v4l2_requestbuffers req{};
  req.count = 4;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd, VIDIOC_REQBUFS, &req) == -1 || req.count < 2)
    return fail(o.device + " has no capture buffers");
  std::vector<std::pair<void*, std::size_t>> buffers;
  for (__u32 i = 0; i < req.count; ++i) {
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    buf.index = i;
    if (xioctl(fd, VIDIOC_QUERYBUF, &buf) == -1) return fail("cannot query capture buffers");
    void* p = v4l2_mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, buf.m.offset);
    if (p == MAP_FAILED) return fail("cannot map capture buffers");
    buffers.emplace_back(p, buf.length);
    if (xioctl(fd, VIDIOC_QBUF, &buf) == -1) return fail("cannot queue capture buffers");
  }
  v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd, VIDIOC_STREAMON, &type) == -1) return fail(o.device + " will not start streaming");
  return std::unique_ptr<FrameSource>(std::make_unique<V4l2Source>(
      fd, o.device, static_cast<int>(fmt.fmt.pix.width), static_cast<int>(fmt.fmt.pix.height),
      static_cast<int>(fmt.fmt.pix.bytesperline), fmt.fmt.pix.pixelformat == V4L2_PIX_FMT_YUV420,
      std::move(buffers)));
}

}  // namespace fd
