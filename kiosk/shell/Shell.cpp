#include "shell/Shell.h"

#include "camera/Camera.h"
#include "scan/Scanner.h"

namespace fd {

Camera::Opener camera_opener(const ShellOptions& o, std::vector<std::string> codes) {
  const std::string& what = o.camera;
  if (what.empty() || what == "none") return {};
  if (what == "synthetic") {
    SyntheticOptions so;
    so.codes = std::move(codes);
    so.show_frames = 60;
    so.gap_frames = 150;      // a new person every seven seconds
    so.lead_in_frames = 120;  // the ready screen first, for four seconds
    return [so] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(so)); };
  }
  if (what == "synthetic:empty") {
    // An empty hall as a webcam sees it (sensor noise, nobody there): what
    // an idle door's camera costs (`frontdesk bench idle`).
    SyntheticOptions so;
    so.sensor_noise = 3;
    return [so] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(so)); };
  }
  if (std::filesystem::is_directory(what)) return [what] { return open_image_folder(what, 15); };
  // Follow the camera, not the number: after a replug it may be /dev/video2.
  return [what, stable = stable_device_path(what), w = o.camera_width, h = o.camera_height] {
    std::error_code ec;
    const std::string device =
        stable != what && std::filesystem::exists(stable, ec) ? stable : what;
    return open_v4l2(V4l2Options{device, w, h});
  };
}

namespace {

// The demo's synthetic camera shows tickets of people on the list, and one
// that is not, so every answer of the door can be seen without a webcam.
std::vector<std::string> demo_codes(Engine& engine) {
  std::vector<std::string> codes;
  for (const AttendeeRecord& a : engine.attendees().get())
    if (!a.ticket_code.empty() && a.rsvp == Rsvp::Yes && codes.size() < 40)
      codes.push_back(a.ticket_code);
  codes.insert(codes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(3, codes.size())),
               "NOT-ON-THE-LIST-42");
  return codes;
}

}  // namespace

Shell::Shell(std::unique_ptr<Engine> engine, ShellOptions options)
    : options_(std::move(options)), engine_(std::move(engine)) {
  std::vector<std::string> codes = options_.synthetic_codes;
  if (options_.camera == "synthetic" && codes.empty()) codes = demo_codes(*engine_);
  if (auto opener = camera_opener(options_, std::move(codes))) {
    camera_ = std::make_unique<Camera>(opener);
    scanner_ = std::make_unique<Scanner>(*camera_, [this](const ScanEvent& e) {
      inbox_.push(CodeScanned{e.text, Method::Qr});
    });
  }
  if (options_.printing) add(std::make_unique<PrintWorker>(*engine_, *options_.printing));
}

Shell::~Shell() {
  // Sources first: no new scans while the rest shuts down.
  scanner_.reset();
  camera_.reset();
  for (;;) {
    std::unique_ptr<Worker> last;
    {
      std::lock_guard lock(workers_mutex_);
      if (workers_.empty()) break;
      last = std::move(workers_.back());
      workers_.pop_back();
    }
    last.reset();  // joins its threads; they may call health() meanwhile
  }
  engine_.reset();  // drains the commands already posted
}

void Shell::post(Command command) {
  ++in_flight_;
  engine_->post(std::move(command), [this](Decision d) { inbox_.push(Decided{std::move(d)}); });
}

std::vector<ShellEvent> Shell::drain() {
  std::vector<ShellEvent> events = inbox_.drain();
  for (const ShellEvent& e : events)
    if (std::holds_alternative<Decided>(e)) --in_flight_;
  return events;
}

void Shell::add(std::unique_ptr<Worker> worker) {
  std::lock_guard lock(workers_mutex_);
  workers_.push_back(std::move(worker));
}

std::vector<WorkerHealth> Shell::health() const {
  std::lock_guard lock(workers_mutex_);
  std::vector<WorkerHealth> out;
  out.reserve(workers_.size());
  for (const auto& w : workers_) out.push_back(w->health());
  return out;
}

}  // namespace fd
