// The door checks against real things on loopback: a web server whose
// clock is two minutes off, an IPP printer (ippeveprinter) with the wrong
// labels loaded, a synthetic camera showing a ticket, a store on tmpfs; and
// `frontdesk doctor` as organizers run it (exit code, --json, a minute).
#include <doctest/doctest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "TestSupport.h"
#include "badge/IppPrinter.h"  // tests/badge
#include "camera/Camera.h"
#include "doctor/Doctor.h"
#include "shell/Shell.h"
#include "store/Store.h"

using namespace fd;
using namespace fd::testing;
namespace fs = std::filesystem;

namespace {

using fd::test::TempDir;

// A web server on loopback whose clock runs `skew` ahead; stopped and
// joined on scope exit.
class SkewedServer {
 public:
  explicit SkewedServer(std::chrono::seconds skew) {
    server_.Get("/", [skew](const httplib::Request&, httplib::Response& res) {
      const std::time_t t = std::time(nullptr) + skew.count();
      std::tm tm{};
      ::gmtime_r(&t, &tm);
      char date[64];
      std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
      res.set_header("Date", date);
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 100 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~SkewedServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

const Check* find(const std::vector<Check>& checks, const std::string& name) {
  for (const Check& c : checks)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("label media keywords are matched to the badge preset") {
  const LabelSize brother = default_badge_template("brother-62x100").label;
  CHECK(media_fits("oe_62x100mm_62x100mm", brother));
  CHECK(media_fits("roll_max_62x30000mm", brother));       // continuous roll, any length
  CHECK(media_fits("custom_100x62mm_100x62mm", brother));  // turned
  CHECK_FALSE(media_fits("iso_a4_210x297mm", brother));
  CHECK_FALSE(media_fits("na_letter_8.5x11in", brother));
  CHECK_FALSE(media_fits("oe_29x90mm_29x90mm", brother));
  const LabelSize zebra = default_badge_template("zebra-4x3").label;
  CHECK(media_fits("oe_4x3-label_4x3in", zebra));
  CHECK(media_fits("iso_a4_210x297mm", default_badge_template("a4-sheet").label));
}

TEST_CASE("sharpness tells a crisp pattern from a blurred one") {
  const int w = 200, h = 120;
  std::vector<std::uint8_t> crisp(w * h), flat(w * h, 128);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) crisp[y * w + x] = ((x / 4 + y / 4) % 2) ? 230 : 20;
  CHECK(sharpness(crisp, w, h) > 1000);
  CHECK(sharpness(flat, w, h) < 1);
}

TEST_CASE("a clock two minutes off the ticketing service fails - one in step passes") {
  SkewedServer off(std::chrono::seconds(120)), good(std::chrono::seconds(0));
  const auto checks = check_clock({http_date_peer(off.url()), http_date_peer(good.url())});
  std::vector<const Check*> compared;
  for (const Check& c : checks)
    if (c.name == "Compared") compared.push_back(&c);
  REQUIRE(compared.size() == 2);
  CHECK(compared[0]->status == CheckStatus::Fail);
  CHECK(compared[0]->summary.find("behind") != std::string::npos);
  CHECK(compared[0]->fix.find("timedatectl") != std::string::npos);
  CHECK(compared[1]->status == CheckStatus::Ok);
  // A peer door (pluggable): here a function.
  const auto peer = check_clock({{"door 2", []() -> Result<TimeMs> { return now_ms() + 5000; }}});
  CHECK(find(peer, "Compared")->status == CheckStatus::Ok);
  CHECK(find(peer, "Compared")->summary.find("behind door 2") != std::string::npos);
  // A service that does not answer is said, not failed.
  const auto gone = check_clock({http_date_peer("http://127.0.0.1:1/")});
  CHECK(find(gone, "Compared")->status == CheckStatus::Skip);
}

TEST_CASE(
    "the other doors' clocks as the door exchange measured them: off by three minutes fails") {
  PeerRecord ahead;
  ahead.name = "door 2";
  ahead.last_heard = now_ms() - 5000;
  ahead.clock_offset_ms = 3 * 60'000;  // door 2's clock runs three minutes ahead of ours
  PeerRecord in_step = ahead;
  in_step.name = "door 3";
  in_step.clock_offset_ms = 300;
  PeerRecord silent = ahead;
  silent.name = "door 4";
  silent.last_heard = now_ms() - 3600'000;
  const auto checks = check_clock(door_clock_peers({ahead, in_step, silent}));
  std::vector<const Check*> compared;
  for (const Check& c : checks)
    if (c.name == "Compared") compared.push_back(&c);
  REQUIRE(compared.size() == 3);
  CHECK(compared[0]->status == CheckStatus::Fail);
  CHECK(compared[0]->summary.find("behind door 2") != std::string::npos);
  CHECK(compared[1]->status == CheckStatus::Ok);
  CHECK(compared[1]->summary.find("agrees with door 3") != std::string::npos);
  CHECK(compared[2]->status == CheckStatus::Skip);  // an old measurement proves nothing
  CHECK(compared[2]->summary.find("not heard from since") != std::string::npos);
}

TEST_CASE("network: addresses - a configured service that answers and one that does not") {
  SkewedServer up(std::chrono::seconds(0));
  const auto checks =
      check_network({up.url(), "http://127.0.0.1:1/"}, std::chrono::milliseconds(2000));
  REQUIRE(checks.size() == 3);
  CHECK(checks[1].status == CheckStatus::Ok);
  CHECK(checks[1].summary.find("HTTP 200") != std::string::npos);
  CHECK(checks[2].status == CheckStatus::Warn);
  CHECK(checks[2].fix.find("sync later") != std::string::npos);
}

TEST_CASE(
    "disk: a store in memory is not durable - a missing backup stick fails - damage is found") {
  TempDir data;
  const fs::path store = data.path / "frontdesk.db";
  REQUIRE(Store::open(store).ok());
  Config c;
  c.backup_dir = data.path / "stick";  // not plugged in
  auto checks = check_disk(store, c);
  CHECK(find(checks, "Writable")->status == CheckStatus::Ok);
  CHECK(find(checks, "Durable")->status == CheckStatus::Ok);
  CHECK(find(checks, "Store")->status == CheckStatus::Ok);
  CHECK(find(checks, "Backup")->status == CheckStatus::Fail);
  fs::create_directories(c.backup_dir);
  checks = check_disk(store, c);
  CHECK(find(checks, "Backup")->status == CheckStatus::Warn);  // same disk as the store
  CHECK(find(checks, "Backup")->fix.find("USB stick") != std::string::npos);
  c.min_free_mb = 100000000;
  CHECK(find(check_disk(store, c), "Free space")->status == CheckStatus::Fail);
  if (fs::is_directory("/dev/shm") && ::access("/dev/shm", W_OK) == 0) {
    TempDir shm("/dev/shm");
    REQUIRE(Store::open(shm.path / "frontdesk.db").ok());
    const auto in_memory = check_disk(shm.path / "frontdesk.db", Config{});
    CHECK(find(in_memory, "Durable")->status == CheckStatus::Fail);
    CHECK(find(in_memory, "Durable")->summary.find("lost at power-off") != std::string::npos);
  }
  CHECK(find(check_disk(data.path / "none.db", Config{}), "Store")->status == CheckStatus::Fail);
}

TEST_CASE("camera: a synthetic camera showing a ticket reads - a missing webcam fails plainly") {
  SyntheticOptions test;  // a ticket held up during the check
  test.codes = {"DOCTOR-TEST"};
  test.show_frames = 100000;
  test.gap_frames = 1;
  Camera camera([test] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(test)); });
  ShellOptions so;
  const auto checks = check_camera("synthetic", &camera, std::chrono::milliseconds(3000));
  REQUIRE(find(checks, "Picture"));
  CHECK(find(checks, "Picture")->status == CheckStatus::Ok);
  CHECK(find(checks, "Picture")->summary.find("1280x720") != std::string::npos);
  CHECK(find(checks, "Focus")->summary.find("QR code in view reads") != std::string::npos);
  so.camera = "/dev/video-none";
  Camera missing(camera_opener(so, {}));
  const auto gone = check_camera("/dev/video-none", &missing, std::chrono::milliseconds(1000));
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].status == CheckStatus::Fail);
  CHECK(gone[0].summary.find("not found") != std::string::npos);
  CHECK(check_camera("none", nullptr, std::chrono::milliseconds(10))[0].status ==
        CheckStatus::Warn);
}

TEST_CASE("printer: reachable - the wrong labels loaded - a test label printed") {
  IppPrinter printer;
  const LabelSize brother = default_badge_template("brother-62x100").label;
  const auto checks = check_printer(printer.uri(), brother, true);
  REQUIRE(find(checks, "Printer"));
  CHECK(find(checks, "Printer")->status == CheckStatus::Ok);
  // ippeveprinter has office paper loaded, not 62 mm labels.
  CHECK(find(checks, "Labels")->status == CheckStatus::Fail);
  CHECK(find(checks, "Labels")->summary.find("brother-62x100") != std::string::npos);
  REQUIRE(find(checks, "Test label"));
  CHECK(find(checks, "Test label")->status == CheckStatus::Ok);
  CHECK(printer.received().size() == 1);
  printer.stop();
  const auto off = check_printer(printer.uri(), brother, false);
  CHECK(find(off, "Printer")->status == CheckStatus::Fail);
}

TEST_CASE("frontdesk doctor: exit 9 and --json when not ready - 0 when ready - within a minute") {
  const fd::test::Cli cli;
  // No store yet: not ready, and the JSON says why.
  const auto json = cli("doctor --json --camera none --no-display 2>/dev/null");
  CHECK(json.code == 9);
  const auto j = nlohmann::json::parse(json.out);
  CHECK_FALSE(j["ready"].get<bool>());
  CHECK(j["seconds"].get<double>() < 60);
  bool store_failed = false;
  for (const auto& c : j["checks"]) store_failed |= c["name"] == "Store" && c["status"] == "fail";
  CHECK(store_failed);
  // With a store and a camera showing a ticket: ready (warnings allowed).
  std::ofstream(cli.dir.path / "list.csv") << "Name,Ticket code\nAna,T1\n";
  REQUIRE(cli("import '" + (cli.dir.path / "list.csv").string() + "' --event Night -q").code == 0);
  const auto text = cli("doctor --camera synthetic --no-display");
  INFO(text.out);
  CHECK(text.code == 0);
  CHECK(text.has("The door is ready"));
  CHECK(text.has("QR code in view reads"));
}

TEST_CASE(
    "answers from other machines: HTTP dates and display descriptions parse - junk does not") {
  CHECK(parse_http_date("Thu, 01 Jan 1970 00:01:00 GMT") == 60000);
  CHECK_FALSE(parse_http_date("yesterday"));
  CHECK_FALSE(parse_http_date("Thu, 01 Jan 1970 00:01:00 GMT and more"));
  DisplayInfo d;
  d.driver = "x11";
  d.width = 800;
  d.height = 480;
  d.vdpi = 133;
  d.touch_devices = 1;
  auto back = parse_display_info(display_info_json(d));
  REQUIRE(back.ok());
  CHECK(back->width == 800);
  CHECK(back->touch_devices == 1);
  CHECK_FALSE(parse_display_info("{not json").ok());
  // A 7-inch 800x480 touch screen: 15 mm buttons, touch, no sound.
  const auto checks = check_screen_and_sound(*back);
  CHECK(find(checks, "Resolution")->status == CheckStatus::Ok);
  CHECK(find(checks, "Resolution")->summary.find("15 mm") != std::string::npos);
  CHECK(find(checks, "Touch")->status == CheckStatus::Ok);
  CHECK(find(checks, "Sound")->status == CheckStatus::Warn);
  d.width = 640;
  CHECK(find(check_screen_and_sound(d), "Resolution")->status == CheckStatus::Fail);
  CHECK(check_screen_and_sound(std::nullopt)[0].status == CheckStatus::Skip);
}

TEST_CASE("a laptop without a webcam is ready by name - and told how to open the kiosk") {
  std::error_code ec;
  bool webcam = false;
  for (const auto& e : std::filesystem::directory_iterator("/dev", ec))
    webcam |= e.path().filename().string().rfind("video", 0) == 0;
  if (webcam) {
    MESSAGE("this machine has a /dev/video* device: the no-webcam case cannot be shown here");
    return;
  }
  const fd::test::Cli cli;
  std::ofstream(cli.dir.path / "list.csv") << "Name,Ticket code\nAna,T1\n";
  REQUIRE(cli("import '" + (cli.dir.path / "list.csv").string() + "' --event Night -q").code == 0);
  // The default camera, /dev/video0, is not there.
  const auto text = cli("doctor --no-display --camera-seconds 1");
  INFO(text.out);
  CHECK(text.code == 0);
  CHECK(text.has("No webcam on this machine"));
  CHECK(text.has("frontdesk kiosk --camera none"));
  // The advice works: `frontdesk kiosk --help` lists --camera (the kiosk's
  // own options), and "none" is one of its values.
  const auto help = cli("kiosk --help");
  CHECK(help.code == 0);
  CHECK(help.has("--camera"));
  CHECK(help.has("\"none\""));
}
