#include "doctor/Doctor.h"

#include <httplib.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "badge/BadgeRenderer.h"
#include "badge/PrintSink.h"
#include "camera/Camera.h"
#include "model/Badge.h"
#include "scan/Decoder.h"
#include "store/Backup.h"

namespace fd {

namespace fs = std::filesystem;

namespace {

Check ok(const char* area, const char* name, std::string summary) {
  return {area, name, CheckStatus::Ok, std::move(summary), ""};
}
Check warn(const char* area, const char* name, std::string summary, std::string fix) {
  return {area, name, CheckStatus::Warn, std::move(summary), std::move(fix)};
}
Check fail(const char* area, const char* name, std::string summary, std::string fix) {
  return {area, name, CheckStatus::Fail, std::move(summary), std::move(fix)};
}
Check skip(const char* area, const char* name, std::string summary) {
  return {area, name, CheckStatus::Skip, std::move(summary), ""};
}

std::string fixed1(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// "https://pretix.eu/api" -> ("https://pretix.eu", "/api")
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

struct HeadAnswer {
  int status = 0;
  std::string date;
  double ms = 0;
};
Result<HeadAnswer> head(const std::string& url, std::chrono::milliseconds timeout) {
  const auto [base, path] = split_url(url);
  try {
    httplib::Client cli(base);
    const auto secs = static_cast<time_t>(std::max<long long>(1, timeout.count() / 1000));
    cli.set_connection_timeout(secs, 0);
    cli.set_read_timeout(secs, 0);
    cli.set_follow_location(false);
    const auto t0 = std::chrono::steady_clock::now();
    auto res = cli.Head(path.c_str());
    if (!res) return Error{"network.unreachable", httplib::to_string(res.error())};
    HeadAnswer a;
    a.status = res->status;
    a.date = res->get_header_value("Date");
    a.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return a;
  } catch (const std::exception& e) {
    return Error{"network.unreachable", e.what()};
  }
}

// Runs jobs side by side, each on a named thread joined before this returns
// (the slow checks wait on a camera, a printer or the network).
template <typename T>
std::vector<T> side_by_side(std::vector<std::function<T()>> jobs) {
  std::vector<T> results(jobs.size());
  {
    std::vector<std::jthread> threads;
    threads.reserve(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      threads.emplace_back([&results, &jobs, i] {
        try {
          results[i] = jobs[i]();
        } catch (...) {  // NOLINT(bugprone-empty-catch): a check that throws shows as missing
        }
      });
      pthread_setname_np(threads.back().native_handle(), "fd-doctor");
    }
  }  // joined here
  return results;
}

// What a message may say of an address: the server, never its path or
// query (a webhook's or a service's ids and tokens live there).
std::string server_only(const std::string& url) { return split_url(url).first; }

std::string mb(unsigned long long bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

}  // namespace

// ---------------------------------------------------------------------------
// Camera
// ---------------------------------------------------------------------------

double sharpness(const std::vector<std::uint8_t>& g, int w, int h) {
  if (w < 8 || h < 8) return 0;
  // The middle half of the picture, where a ticket is held.
  const int x0 = w / 4, x1 = w * 3 / 4, y0 = h / 4, y1 = h * 3 / 4;
  double sum = 0, sum2 = 0;
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const auto at = [&](int xx, int yy) { return static_cast<double>(g[yy * w + xx]); };
      const double lap = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4 * at(x, y);
      sum += lap;
      sum2 += lap * lap;
      ++n;
    }
  const double mean = sum / n;
  return sum2 / n - mean * mean;
}

static bool any_video_device() {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/dev", ec))
    if (e.path().filename().string().rfind("video", 0) == 0) return true;
  return false;
}

std::vector<Check> check_camera(const std::string& name, const Camera* camera,
                                std::chrono::milliseconds watch) {
  std::vector<Check> out;
  if (name.empty() || name == "none" || !camera) {
    // Advice that works here: a webcam's name only where there is one.
    out.push_back(warn("camera", "Camera", "No camera configured",
                       any_video_device()
                           ? "People can still use Find my name; give the kiosk --camera "
                             "/dev/video0 (or the webcam's /dev/v4l/by-id/ name)"
                           : "People can still use Find my name; plug a webcam in and give the "
                             "kiosk --camera /dev/video0 (or its /dev/v4l/by-id/ name)"));
    return out;
  }
  if (name == "/dev/video0" && !any_video_device()) {
    // The default camera on a laptop without a webcam: a door that works
    // by name, so not "not ready", but say how to stop the kiosk looking
    // for one (and do not watch for frames that cannot come). A camera
    // someone named and that is missing still fails below.
    out.push_back(warn("camera", "Camera", "No webcam on this machine (no /dev/video*)",
                       "People check in with Find my name and as walk-ins. Open the kiosk with "
                       "`frontdesk kiosk --camera none` so it does not look for one, or plug a "
                       "webcam in and run `frontdesk doctor` again"));
    return out;
  }
  // Watch it for a moment: frames, their size and rate; now and then try to
  // read a QR code (a ticket held up as the test pattern).
  const auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<const Frame> first, last;
  std::uint64_t seen = 0;
  int frames = 0;
  std::vector<Decoded> codes;
  double sharp = -1;
  auto last_look = t0 - std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() - t0 < watch) {
    auto f = camera->wait_newer(seen, std::chrono::milliseconds(250));
    if (!f || f->sequence <= seen) continue;
    seen = f->sequence;
    if (!first) first = f;
    last = f;
    ++frames;
    if (codes.empty() &&
        std::chrono::steady_clock::now() - last_look > std::chrono::milliseconds(200)) {
      last_look = std::chrono::steady_clock::now();
      std::vector<std::uint8_t> gray(static_cast<std::size_t>(f->width) * f->height);
      for (int y = 0; y < f->height; ++y)
        for (int x = 0; x < f->width; ++x)
          gray[static_cast<std::size_t>(y) * f->width + x] = f->gray(x, y);
      sharp = std::max(sharp, sharpness(gray, f->width, f->height));
      codes = decode_frame(*f);
    }
  }
  const Camera::State st = camera->state();
  if (!last) {
    out.push_back(fail("camera", "Camera",
                       st.problem.empty() ? "No picture from " + name : st.problem,
                       st.problem.find("busy") != std::string::npos
                           ? "Another program uses the camera (is the kiosk running? Its "
                             "organizer screen shows these checks too)"
                           : "Plug the webcam in (a powered USB port), check `v4l2-ctl "
                             "--list-devices`, and give its /dev/v4l/by-id/ name with --camera"));
    return out;
  }
  const double secs = last->at > first->at ? (last->at - first->at) / 1000.0 : 0;
  const double fps = secs > 0 && frames > 1 ? (frames - 1) / secs : 0;
  const std::string size = std::to_string(last->width) + "x" + std::to_string(last->height);
  const std::string what =
      (st.source.empty() ? name : st.source) + ": " + size + " at " + fixed1(fps) + " fps";
  if (last->width < 640 || last->height < 480)
    out.push_back(warn("camera", "Picture", what,
                       "A small picture makes tickets hard to read from afar; ask for 1280x720 "
                       "(--camera-size)"));
  else if (fps > 0 && fps < 10)
    out.push_back(warn("camera", "Picture", what,
                       "Few frames per second: more light, or a USB port of its own (USB 2 hubs "
                       "limit webcams)"));
  else
    out.push_back(ok("camera", "Picture", what));
  const std::string sharp_words = "sharpness " + std::to_string(std::lround(sharp));
  if (!codes.empty())
    out.push_back(ok("camera", "Focus", "A QR code in view reads (" + sharp_words + ")"));
  else if (sharp < 15)
    out.push_back(warn("camera", "Focus", "The picture looks blurred or dark (" + sharp_words + ")",
                       "Hold a ticket's QR code about 30 cm away and run the check again; turn "
                       "the lens ring or add light if it does not read"));
  else
    out.push_back(ok("camera", "Focus",
                     "Picture " + sharp_words +
                         " (hold up a ticket during the check to test "
                         "reading)"));
  return out;
}

// ---------------------------------------------------------------------------
// Printer
// ---------------------------------------------------------------------------

bool media_fits(const std::string& media, const LabelSize& label) {
  if (media.size() > 128) return false;  // no PWG name is this long
  // Badges laid out on A4 sheets for office printers.
  if (label.preset == "a4-sheet") return media.find("a4") != std::string::npos;
  // The size is the last "_WxH<unit>" part of the keyword.
  const auto us = media.rfind('_');
  const std::string dims = us == std::string::npos ? media : media.substr(us + 1);
  double w = 0, h = 0;
  char unit[8] = {};
  if (std::sscanf(dims.c_str(), "%lfx%lf%7s", &w, &h, unit) != 3) return false;
  if (std::string(unit) == "in") {
    w *= 25.4;
    h *= 25.4;
  } else if (std::string(unit) != "mm") {
    return false;
  }
  const bool roll = media.rfind("roll_", 0) == 0 || h > 500;  // continuous: any length
  auto near = [](double a, double b) { return std::fabs(a - b) <= 2.0; };
  return (near(w, label.width_mm) && (roll || near(h, label.height_mm))) ||
         (near(h, label.width_mm) && near(w, label.height_mm));
}

std::vector<Check> check_printer(const std::string& printer, const LabelSize& label,
                                 bool test_label) {
  std::vector<Check> out;
  if (printer.empty()) {
    out.push_back(warn("printer", "Printer", "No printer configured: badges wait in the queue",
                       "Set [printer] name in frontdesk.toml (see `frontdesk printers`)"));
    return out;
  }
  if (printer.rfind("folder:", 0) == 0) {
    const fs::path dir = printer.substr(7);
    std::error_code ec;
    if (fs::is_directory(dir, ec) && ::access(dir.c_str(), W_OK) == 0)
      out.push_back(ok("printer", "Printer", "Badges go as PDFs into " + dir.string()));
    else
      out.push_back(fail("printer", "Printer", "The badge folder " + dir.string() + " is missing",
                         "Create it, or set [printer] name to a real printer"));
    return out;
  }
  auto info = query_printer(printer);
  if (!info) {
    out.push_back(fail("printer", "Printer", info.error().message,
                       "Switch the printer on and plug it in; `frontdesk printers` lists what "
                       "CUPS sees"));
    return out;
  }
  const std::string label_words =
      label.preset + " (" + fixed1(label.width_mm) + " x " + fixed1(label.height_mm) + " mm)";
  std::string state = info->make_and_model.empty() ? printer : info->make_and_model;
  state += ": " + info->state;
  if (info->state == "stopped" || !info->accepting) {
    out.push_back(fail(
        "printer", "Printer", state + (info->accepting ? "" : ", refusing jobs"),
        info->advice.empty() ? "Resume the queue: cupsenable " + printer : info->advice.front()));
  } else {
    std::string problem;
    for (std::size_t at = 0; at < info->reasons.size();) {
      const auto comma = std::min(info->reasons.find(',', at), info->reasons.size());
      const std::string words = printer_problem_in_words(info->reasons.substr(at, comma - at));
      if (!words.empty() && problem.empty()) problem = words;
      at = comma + 1;
    }
    if (!problem.empty())
      out.push_back(fail("printer", "Printer", state + " — " + problem,
                         "Fix it at the printer; waiting badges print by themselves afterwards"));
    else
      out.push_back(ok("printer", "Printer", state));
  }
  // Loaded labels against the badge preset.
  if (!info->media_ready.empty()) {
    bool fits = false;
    std::string loaded;
    for (const std::string& m : info->media_ready) {
      fits |= media_fits(m, label);
      loaded += (loaded.empty() ? "" : ", ") + m;
    }
    if (fits)
      out.push_back(ok("printer", "Labels", "Loaded " + loaded + " fits " + label_words));
    else
      out.push_back(fail("printer", "Labels",
                         "Loaded " + loaded + ", but badges are laid out for " + label_words,
                         "Load the right labels, or set the badge template's preset to what "
                         "is loaded (config/badge.toml)"));
  } else {
    bool supported = false;
    for (const std::string& m : info->media) supported |= media_fits(m, label);
    if (supported)
      out.push_back(warn("printer", "Labels",
                         "The printer takes " + label_words + " but does not say what is loaded",
                         "Check that " + label_words + " labels are in the printer"));
    else
      out.push_back(fail("printer", "Labels", "The printer lists no media of " + label_words,
                         "Pick the badge preset of the labels this printer takes"));
  }
  // CUPS stops a queue after one failed job unless told otherwise.
  if (printer.find("://") == std::string::npos) {
    if (info->error_policy.empty() || info->error_policy == "stop-printer")
      out.push_back(warn(
          "printer", "Error policy",
          "CUPS pauses this queue after one failed job" +
              (info->error_policy.empty() ? std::string(" (policy not reported)") : std::string()),
          "sudo lpadmin -p " + printer + " -o printer-error-policy=retry-job"));
    else
      out.push_back(ok("printer", "Error policy", info->error_policy));
  }
  if (test_label) {
    BadgeData data;
    data.first_name = "Test";
    data.last_name = "Label";
    data.full_name = "Test Label";
    data.company = "Frontdesk doctor";
    data.event_name = "If you can read this, badges work";
    BadgeTemplate t = default_badge_template(label.preset);
    t.label = label;
    auto pdf = render_badge_pdf(data, t);
    auto sink = make_ipp_sink(printer);
    auto sent = pdf ? sink->submit(*pdf, "frontdesk-test-label") : Result<std::string>(pdf.error());
    if (!sent) {
      out.push_back(
          fail("printer", "Test label", sent.error().message, "See the printer's state above"));
    } else {
      PrintStatus st;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (std::chrono::steady_clock::now() < deadline) {
        st = sink->status(*sent);
        if (st.state == PrintState::Done || st.state == PrintState::Failed) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
      if (st.state == PrintState::Done)
        out.push_back(ok("printer", "Test label",
                         "Printed: check it came out whole and readable (\"Test Label\")"));
      else
        out.push_back(fail("printer", "Test label",
                           st.message.empty() ? "Not printed within 30 s" : st.message,
                           "Look at the printer: labels, lid, cable"));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------

std::optional<TimeMs> parse_http_date(const std::string& s) {
  if (s.size() > 64) return std::nullopt;
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return static_cast<TimeMs>(::timegm(&tm)) * 1000;
}

ClockPeer http_date_peer(const std::string& url) {
  return {server_only(url), [url]() -> Result<TimeMs> {
            auto a = head(url, std::chrono::milliseconds(5000));
            if (!a) return a.error();
            auto t = parse_http_date(a->date);
            if (!t) return Error{"clock.nodate", "no Date header in its answer"};
            // The server stamps whole seconds: on average half a second
            // behind its clock.
            return *t + 500;
          }};
}

std::vector<ClockPeer> door_clock_peers(const std::vector<PeerRecord>& doors) {
  std::vector<ClockPeer> out;
  for (const PeerRecord& d : doors) {
    const std::string name = d.name.empty() ? "another door" : d.name;
    const TimeMs heard = d.last_heard, offset = d.clock_offset_ms;
    out.push_back({name, [heard, offset]() -> Result<TimeMs> {
                     if (!heard || now_ms() - heard > 10 * 60'000)
                       return Error{"doctor.door_silent",
                                    heard ? "not heard from since " + local_hhmm(heard)
                                          : "never heard from"};
                     return now_ms() + offset;
                   }});
  }
  return out;
}

std::vector<Check> check_clock(const std::vector<ClockPeer>& peers) {
  std::vector<Check> out;
  timex tx{};
  const int state = ::adjtimex(&tx);
  // The kernel's view, which timedatectl's "System clock synchronized" shows.
  const bool synced = state != TIME_ERROR && !(tx.status & STA_UNSYNC);
  const std::string now = local_hhmm(now_ms());
  if (synced)
    out.push_back(ok("clock", "Synchronised", "The clock is kept in time by NTP (" + now + ")"));
  else
    out.push_back(warn("clock", "Synchronised", "The clock is not synchronised (" + now + " here)",
                       "Connect to the network and run `sudo timedatectl set-ntp true`; a Pi "
                       "without a battery clock starts wrong after a power cut"));
  for (const ClockPeer& p : peers) {
    const TimeMs before = now_ms();
    auto theirs = p.now();
    const TimeMs mine = (before + now_ms()) / 2;
    if (!theirs) {
      out.push_back(
          skip("clock", "Compared",
               "Could not ask " + p.name + " for the time (" + theirs.error().message + ")"));
      continue;
    }
    const double off = (mine - *theirs) / 1000.0;
    const std::string words = std::abs(off) < 2 ? "agrees with " + p.name
                                                : fixed1(std::abs(off)) + " s " +
                                                      (off > 0 ? "ahead of " : "behind ") + p.name;
    if (std::abs(off) > 60)
      out.push_back(fail("clock", "Compared", "This clock is " + words,
                         "Set the time (`sudo timedatectl set-ntp true`, or `sudo date -s`): "
                         "check-in times and ticket validity depend on it"));
    else
      out.push_back(
          ok("clock", "Compared", "This clock " + (std::abs(off) < 2 ? words : "is " + words)));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Disk
// ---------------------------------------------------------------------------

std::vector<Check> check_disk(const fs::path& store, const Config& config) {
  std::vector<Check> out;
  const fs::path dir = store.has_parent_path() ? store.parent_path() : fs::path(".");
  std::error_code ec;
  // Writable: a file created, synced and removed where the store lives.
  const fs::path probe = dir / (".frontdesk-doctor-" + std::to_string(::getpid()));
  bool writable = false;
  if (fs::is_directory(dir, ec)) {
    std::ofstream(probe) << "probe";
    writable = fs::exists(probe, ec) && fs::file_size(probe, ec) == 5;
    fs::remove(probe, ec);
  }
  if (!writable)
    out.push_back(fail("disk", "Writable",
                       "Cannot write where the store lives (" + dir.string() + ")",
                       "On a read-only root, put the store on the writable partition: "
                       "--data-dir /data/frontdesk (or XDG_DATA_HOME)"));
  else
    out.push_back(ok("disk", "Writable", dir.string()));
  // Durable: tmpfs and the overlay of a read-only root forget at power-off.
  struct statfs fsinfo {};
  if (::statfs(dir.c_str(), &fsinfo) == 0) {
    const auto type = static_cast<unsigned long>(fsinfo.f_type);
    if (type == 0x01021994UL || type == 0x858458f6UL)
      out.push_back(fail("disk", "Durable",
                         dir.string() + " is in memory (tmpfs): lost at power-off",
                         "Give --data-dir a folder on the SD card's or a USB disk's data "
                         "partition"));
    else if (type == 0x794c7630UL)
      out.push_back(warn("disk", "Durable",
                         dir.string() + " is on an overlay filesystem (a read-only root's "
                                        "overlay forgets everything at reboot)",
                         "Use --data-dir on a real writable partition"));
    else
      out.push_back(ok("disk", "Durable", "A disk filesystem"));
  }
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) == 0) {
    const unsigned long long free_bytes =
        static_cast<unsigned long long>(vfs.f_bavail) * vfs.f_frsize;
    const unsigned long long need = static_cast<unsigned long long>(config.min_free_mb) << 20;
    if (free_bytes < need)
      out.push_back(fail("disk", "Free space", mb(free_bytes) + " free",
                         "Free some space (at least " + std::to_string(config.min_free_mb) +
                             " MB): old backups, logs (`journalctl --vacuum-size=50M`)"));
    else if (free_bytes < need * 2)
      out.push_back(warn("disk", "Free space", mb(free_bytes) + " free", "Space is getting short"));
    else
      out.push_back(ok("disk", "Free space", mb(free_bytes) + " free"));
  }
  // The store itself.
  if (!fs::exists(store, ec)) {
    out.push_back(fail("disk", "Store", "No store at " + store.string(),
                       "Import the attendee list first: frontdesk import FILE.csv --event NAME"));
  } else if (auto s = inspect_store(store); !s) {
    out.push_back(
        fail("disk", "Store", s.error().message, "Restore a backup: frontdesk restore FILE"));
  } else if (!s->intact) {
    out.push_back(fail("disk", "Store", "The store is damaged: " + s->problem,
                       "Restore the newest backup: frontdesk restore FILE"));
  } else {
    int checked = 0;
    for (const auto& e : s->events) checked += e.checked_in;
    out.push_back(ok("disk", "Store",
                     "Intact: " + std::to_string(s->events.size()) + " event(s), " +
                         std::to_string(checked) + " checked in"));
  }
  // A second device for copies.
  if (config.backup_dir.empty()) {
    out.push_back(warn("disk", "Backup", "No backup target",
                       "Set [backup] dir to a folder on a USB stick, so the evening survives a "
                       "failed SD card"));
  } else if (!fs::is_directory(config.backup_dir, ec)) {
    out.push_back(fail("disk", "Backup",
                       "The backup folder " + config.backup_dir.string() + " is not there",
                       "Plug in the backup stick (and create the folder on it once)"));
  } else {
    struct stat a {
    }, b{};
    const bool same = ::stat(dir.c_str(), &a) == 0 && ::stat(config.backup_dir.c_str(), &b) == 0 &&
                      a.st_dev == b.st_dev;
    const auto copies = list_backups(config.backup_dir);
    const std::string newest =
        copies.empty() ? "no copies yet" : "newest " + copies.front().filename().string();
    struct statfs bfs {};
    const bool in_memory = ::statfs(config.backup_dir.c_str(), &bfs) == 0 &&
                           (static_cast<unsigned long>(bfs.f_type) == 0x01021994UL ||
                            static_cast<unsigned long>(bfs.f_type) == 0x858458f6UL);
    if (in_memory)
      out.push_back(warn("disk", "Backup", config.backup_dir.string() + " is in memory (tmpfs)",
                         "Point [backup] dir at a USB stick: copies in memory go with the power"));
    else if (::access(config.backup_dir.c_str(), W_OK) != 0)
      out.push_back(fail("disk", "Backup", config.backup_dir.string() + " is read-only",
                         "Check the stick's write-protect switch or its permissions"));
    else if (same)
      out.push_back(
          warn("disk", "Backup",
               config.backup_dir.string() + " is on the same disk as the store (" + newest + ")",
               "Use a USB stick: a copy on the same SD card dies with it"));
    else
      out.push_back(ok("disk", "Backup", config.backup_dir.string() + ", " + newest));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------

std::vector<Check> check_network(const std::vector<std::string>& urls,
                                 std::chrono::milliseconds timeout) {
  std::vector<Check> out;
  ifaddrs* all = nullptr;
  std::string addresses;
  if (::getifaddrs(&all) == 0) {
    for (ifaddrs* i = all; i; i = i->ifa_next) {
      if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP)) continue;
      const int family = i->ifa_addr->sa_family;
      if (family != AF_INET && family != AF_INET6) continue;
      char host[NI_MAXHOST];
      const socklen_t len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
      if (::getnameinfo(i->ifa_addr, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0)
        continue;
      if (family == AF_INET6 && std::string(host).rfind("fe80", 0) == 0) continue;  // link-local
      addresses += (addresses.empty() ? "" : ", ") + std::string(i->ifa_name) + " " + host;
    }
    ::freeifaddrs(all);
  }
  if (addresses.empty())
    out.push_back(warn("network", "Addresses", "No network connection",
                       "The door works offline; sync and other doors wait until it is back. "
                       "Join the venue's Wi-Fi or plug in a cable"));
  else
    out.push_back(ok("network", "Addresses", addresses));
  // Services side by side: a minute at most in all.
  std::vector<std::function<std::optional<Result<HeadAnswer>>()>> jobs;
  for (const std::string& u : urls)
    jobs.push_back([u, timeout] { return std::optional<Result<HeadAnswer>>(head(u, timeout)); });
  const auto answers = side_by_side(std::move(jobs));
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const Result<HeadAnswer> a =
        answers[i] ? *answers[i] : Result<HeadAnswer>(Error{"network.failed", "the check failed"});
    if (!a)
      out.push_back(warn("network", "Service",
                         server_only(urls[i]) + " is not reachable (" + a.error().message + ")",
                         "Check the venue network (a captive portal needs a browser login "
                         "once); check-ins are kept and sync later"));
    else
      out.push_back(ok("network", "Service",
                       server_only(urls[i]) + " answers (HTTP " + std::to_string(a->status) + ", " +
                           std::to_string(std::lround(a->ms)) + " ms)"));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Screen and sound
// ---------------------------------------------------------------------------

std::vector<Check> check_screen_and_sound(const std::optional<DisplayInfo>& d) {
  std::vector<Check> out;
  if (!d) {
    out.push_back(skip("screen", "Screen", "No display here (headless): nothing to check"));
    out.push_back(skip("sound", "Sound", "Checked with the screen"));
    return out;
  }
  if (!d->problem.empty() || d->width <= 0) {
    out.push_back(fail("screen", "Screen", d->problem.empty() ? "No display" : d->problem,
                       "Connect the screen; the kiosk starts on the desktop's display"));
    return out;
  }
  const std::string size = std::to_string(d->width) + "x" + std::to_string(d->height);
  // Keep in sync with Screens.cpp: touch targets are 16.3% of the height.
  const double target_px = d->height * 0.163;
  if (d->width < 800 || d->height < 480) {
    out.push_back(fail("screen", "Resolution", size + ": smaller than 800x480",
                       "Use a screen of at least 800x480 (the 7-inch Raspberry Pi display)"));
  } else if (d->vdpi > 0) {
    const double mm = target_px / d->vdpi * 25.4;
    const std::string what =
        size + " (" + d->driver + "), buttons " + std::to_string(std::lround(mm)) + " mm tall";
    if (mm < 9)
      out.push_back(warn("screen", "Resolution", what,
                         "Buttons are small for fingers on this screen; a smaller screen or a "
                         "lower resolution makes them bigger"));
    else
      out.push_back(ok("screen", "Resolution", what));
  } else {
    out.push_back(ok("screen", "Resolution",
                     size + " (" + d->driver + "), buttons " +
                         std::to_string(std::lround(target_px)) + " px tall"));
  }
  if (d->touch_devices > 0)
    out.push_back(ok("screen", "Touch", std::to_string(d->touch_devices) + " touch device(s)"));
  else
    out.push_back(warn("screen", "Touch", "No touch screen found",
                       "Attendees need a touch screen (or a mouse) to find their name"));
  if (d->audio_outputs > 0)
    out.push_back(ok("sound", "Sound",
                     std::to_string(d->audio_outputs) + " output(s) (" + d->audio_driver + ")"));
  else
    out.push_back(warn("sound", "Sound", "No sound output: the door is silent",
                       "Plug in a speaker (or HDMI sound); the chime tells people it worked"));
  return out;
}

std::string display_info_json(const DisplayInfo& d) {
  nlohmann::json j{{"driver", d.driver},
                   {"width", d.width},
                   {"height", d.height},
                   {"vdpi", d.vdpi},
                   {"touch_devices", d.touch_devices},
                   {"audio_outputs", d.audio_outputs},
                   {"audio_driver", d.audio_driver},
                   {"problem", d.problem}};
  return j.dump();
}

Result<DisplayInfo> parse_display_info(const std::string& text) {
  if (text.size() > 4096) return Error{"doctor.display", "display info too long"};
  try {
    const auto j = nlohmann::json::parse(text);
    DisplayInfo d;
    d.driver = j.value("driver", "");
    d.width = j.value("width", 0);
    d.height = j.value("height", 0);
    d.vdpi = j.value("vdpi", 0.0f);
    d.touch_devices = j.value("touch_devices", 0);
    d.audio_outputs = j.value("audio_outputs", 0);
    d.audio_driver = j.value("audio_driver", "");
    d.problem = j.value("problem", "");
    return d;
  } catch (const std::exception& e) {
    return Error{"doctor.display", std::string("unreadable display info: ") + e.what()};
  }
}

// ---------------------------------------------------------------------------
// All of them
// ---------------------------------------------------------------------------

std::vector<std::string> doctor_services(const Config& c) {
  std::vector<std::string> urls = c.service_urls;
  // The services sync talks to, from their sections.
  if (c.pretix && !c.pretix->url.empty()) urls.push_back(c.pretix->url);
  if (c.eventbrite) urls.push_back(c.eventbrite->url);
  if (c.meetup) urls.push_back(c.meetup->url);
  if (c.luma) urls.push_back(c.luma->url);
  if (c.webhook && !c.webhook->url.empty()) urls.push_back(c.webhook->url);
  return urls;
}

std::vector<Check> check_config(const std::filesystem::path& file, const std::string& error,
                                const std::vector<std::string>& notes) {
  std::vector<Check> out;
  const std::string name = file.empty() ? "frontdesk.toml" : file.string();
  std::error_code ec;
  if (!error.empty()) {
    out.push_back({"config", "File", CheckStatus::Fail, error,
                   "Fix that line in " + name +
                       "; every other command stops on it (these checks used the defaults)"});
  } else if (!file.empty() && !std::filesystem::exists(file, ec)) {
    out.push_back({"config", "File", CheckStatus::Ok,
                   "no " + name + ": the defaults (config/frontdesk.toml is a commented example)",
                   ""});
  } else {
    out.push_back({"config", "File", CheckStatus::Ok, name + " reads without errors", ""});
  }
  for (const std::string& note : notes)
    out.push_back({"config", "Unknown setting", CheckStatus::Warn, note,
                   "Correct the name (or delete the line): until then it has no effect"});
  return out;
}

DoctorReport run_doctor(const DoctorOptions& o) {
  DoctorReport r;
  r.at = now_ms();
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<std::string> services = doctor_services(o.config);
  std::vector<ClockPeer> peers;
  for (const std::string& u : services) peers.push_back(http_date_peer(u));
  for (const ClockPeer& p : o.clock_peers) peers.push_back(p);
  // The slow ones (camera watch, network timeouts, a test label) side by
  // side; the report keeps this order.
  const auto parts = side_by_side<std::vector<Check>>({
      [&] { return check_camera(o.camera_name, o.camera, o.camera_watch); },
      [&] { return check_printer(o.config.printer, o.label, o.test_label); },
      [&] { return check_clock(peers); },
      [&] { return check_disk(o.store, o.config); },
      [&] { return check_network(services, o.network_timeout); },
      [&] { return check_screen_and_sound(o.display); },
  });
  // The config first: a broken file explains what the other checks find.
  r.checks = check_config(o.config_file, o.config_error, o.config.notes);
  for (const auto& p : parts)
    for (const Check& c : p) r.checks.push_back(c);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::string report_text(const DoctorReport& r) {
  std::ostringstream out;
  std::string area;
  for (const Check& c : r.checks) {
    if (c.area != area) {
      area = c.area;
      std::string title = area;
      title[0] = static_cast<char>(title[0] - 32);
      out << title << "\n";
    }
    const char* mark = c.status == CheckStatus::Ok     ? "ok  "
                       : c.status == CheckStatus::Warn ? "WARN"
                       : c.status == CheckStatus::Fail ? "FAIL"
                                                       : "--  ";
    out << "  " << mark << "  " << c.name << ": " << c.summary << "\n";
    if (!c.fix.empty() && c.status != CheckStatus::Ok) out << "        → " << c.fix << "\n";
  }
  int fails = 0, warns = 0;
  for (const Check& c : r.checks) {
    fails += c.status == CheckStatus::Fail;
    warns += c.status == CheckStatus::Warn;
  }
  out << "\n"
      << (r.ready() ? "The door is ready"
                    : "The door is NOT ready: " + std::to_string(fails) + " problem(s) to fix")
      << (warns ? " (" + std::to_string(warns) + " warning(s))" : std::string()) << ". Checked in "
      << fixed1(r.seconds) << " s.\n";
  return out.str();
}

std::string report_json(const DoctorReport& r) {
  nlohmann::json j;
  j["ready"] = r.ready();
  j["at"] = r.at;
  j["seconds"] = r.seconds;
  j["checks"] = nlohmann::json::array();
  for (const Check& c : r.checks)
    j["checks"].push_back({{"area", c.area},
                           {"name", c.name},
                           {"status", to_string(c.status)},
                           {"summary", c.summary},
                           {"fix", c.fix}});
  return j.dump(2);
}

}  // namespace fd
