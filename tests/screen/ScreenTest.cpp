// The kiosk as a person sees it: the real binary under Xvfb on the demo
// event, driven through every screen at a 7" touch screen's 800x480 and at
// 1920x1080. Screenshots land in <build>/screenshots/ for people to look at;
// the test checks what matters on each: the result colour fills the screen,
// no text was cut off, the right screen is showing.
#include <cairo.h>
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "TestSupport.h"

namespace fs = std::filesystem;

namespace {

using fd::test::run;

struct Rgb {
  int r, g, b;
};

// Share of pixels in the middle band of the screen close to `want`.
double share_of(const fs::path& png, Rgb want) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
  REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* d = cairo_image_surface_get_data(s);
  long close = 0, total = 0;
  for (int y = h * 30 / 100; y < h * 70 / 100; y += 2)
    for (int x = 0; x < w; x += 2) {
      const unsigned char* p = d + y * stride + x * 4;  // BGRA
      ++total;
      if (std::abs(p[2] - want.r) < 30 && std::abs(p[1] - want.g) < 30 &&
          std::abs(p[0] - want.b) < 30)
        ++close;
    }
  cairo_surface_destroy(s);
  return total ? static_cast<double>(close) / total : 0;
}

struct Shot {
  std::string screen;
  int clipped = -1;
};

void door_at(int width, int height) {
  const char* fd_bin = std::getenv("FD_BINARY");
  REQUIRE(fd_bin);
  std::string t = (fs::temp_directory_path() / "fd-screen-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  const fs::path shots =
      fs::path(FD_SHOTS_DIR) / (std::to_string(width) + "x" + std::to_string(height));
  fs::create_directories(shots);
  const std::string data = fd::test::store_options(dir / "data", dir / "config");
  int code = 0;
  run(std::string("'") + fd_bin + "' " + data + " import '" + FD_SOURCE_DIR +
          "/assets/demo/attendees.csv' --event 'PyMeetup Demo Night' --capacity 320 -q",
      &code);
  REQUIRE(code == 0);
  run("echo 4321 | '" + std::string(fd_bin) + "' " + data + " pin set --yes", &code);
  REQUIRE(code == 0);
  std::ofstream(dir / "config" / "frontdesk.toml")
      << "[kiosk]\nlogo = \"" << FD_SOURCE_DIR << "/assets/demo/logo.png\"\n"
      << "[printer]\nname = \"folder:" << (dir / "badges").string() << "\"\n";

  // Demo tickets: 3YK13ZZC981X is محمد الخطيب (RSVP yes); 45AE39WV8KOD said no.
  std::ofstream(dir / "script.txt")
      << "shot ready.png\n"
         "scan 3YK13ZZC981X\nexpect result\nsleep 400\nshot admitted.png\nback\n"
         "scan 3YK13ZZC981X\nshot already-in.png\nback\n"
         "scan 45AE39WV8KOD\nshot refused.png\nback\n"
         "scan WIFI:S:venue;T:WPA;P:secret;;\nshot not-a-ticket.png\nback\n"
         "find\ntype 王\nshot search-han.png\n"
         "back\nfind\ntype ivan\nshot search-cyrillic.png\npick 0\nshot confirm.png\nchoose "
         "right\nshot admitted-by-name.png\nback\n"
         "walkin\ntype Zoë\nfield last\ntype Ångström-Villaverde\nfield company\ntype Nordic "
         "AB\nconsent\nshot walk-in.png\nsubmit\nshot walk-in-welcome.png\nback\n"
         "lang de\nshot ready-de.png\nlang en\n"
         "pin 0000\nshot pin-wrong.png\n"
         "pin 4321\nexpect organizer\nshot organizer.png\n"
         "organizer-search\ntype garc\nshot organizer-search.png\n";
  const std::string out =
      run(fd::test::xvfb(width, height) + "'" + FD_KIOSK_BINARY + "' " + data + " --window " +
              std::to_string(width) + "x" + std::to_string(height) + " --script '" +
              (dir / "script.txt").string() + "' --shots '" + shots.string() + "' --no-sound",
          &code);
  INFO(out);
  REQUIRE(code == 0);
  std::map<std::string, Shot> seen;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("shot ", 0) != 0) continue;
    std::istringstream f(line.substr(5));
    std::string path, screen, clipped;
    f >> path >> screen >> clipped;
    seen[fs::path(path).filename().string()] = {screen.substr(7), std::stoi(clipped.substr(8))};
  }
  REQUIRE(seen.size() == 15);
  CHECK(seen["organizer-search.png"].screen == "find");
  for (const auto& [name, shot] : seen)
    CHECK_MESSAGE(shot.clipped == 0, name << " has text cut off");
  CHECK(seen["ready.png"].screen == "ready");
  CHECK(seen["search-han.png"].screen == "find");
  CHECK(seen["confirm.png"].screen == "confirm");
  CHECK(seen["walk-in.png"].screen == "walkin");
  CHECK(seen["pin-wrong.png"].screen == "pin");
  CHECK(seen["organizer.png"].screen == "organizer");

  // The whole screen answers: green, amber, red.
  CHECK(share_of(shots / "admitted.png", {22, 120, 52}) > 0.6);
  CHECK(share_of(shots / "admitted-by-name.png", {22, 120, 52}) > 0.6);
  CHECK(share_of(shots / "walk-in-welcome.png", {22, 120, 52}) > 0.6);
  CHECK(share_of(shots / "already-in.png", {183, 110, 0}) > 0.6);
  CHECK(share_of(shots / "refused.png", {178, 34, 34}) > 0.6);
  CHECK(share_of(shots / "not-a-ticket.png", {178, 34, 34}) > 0.6);
  // The ready screen is not a result: no result colour fills it.
  CHECK(share_of(shots / "ready.png", {22, 120, 52}) < 0.3);
  // The print worker turned each check-in into a badge PDF.
  int badges = 0;
  for (const auto& e : fs::directory_iterator(dir / "badges"))
    badges += e.path().extension() == ".pdf";
  CHECK(badges >= 3);
  fs::remove_all(dir);
}

}  // namespace

TEST_CASE("the door at 800x480 (a 7 inch touch screen)") { door_at(800, 480); }
TEST_CASE("the door at 1920x1080") { door_at(1920, 1080); }

// The kiosk serving the organizer pages ([web] serve = true): its organizer
// screen shows their address as a QR code a phone can read, the
// certificate's fingerprint, and the capacity warning once the room is full.
TEST_CASE(
    "the organizer screen shows the web address as a QR code and warns when the room is full") {
  const char* fd_bin = std::getenv("FD_BINARY");
  REQUIRE(fd_bin);
  std::string t = (fs::temp_directory_path() / "fd-screen-web-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  const fs::path shots = fs::path(FD_SHOTS_DIR) / "800x480";
  fs::create_directories(shots);
  const std::string data = fd::test::store_options(dir / "data", dir / "config");
  int code = 0;
  run(std::string("'") + fd_bin + "' " + data + " import '" + FD_SOURCE_DIR +
          "/assets/demo/attendees.csv' --event 'PyMeetup Demo Night' --capacity 1 -q",
      &code);
  REQUIRE(code == 0);
  run("echo 4321 | '" + std::string(fd_bin) + "' " + data + " pin set --yes", &code);
  REQUIRE(code == 0);
  std::ofstream(dir / "config" / "frontdesk.toml")
      << "[web]\nserve = true\nlisten = \"0.0.0.0\"\nport = 0\nloopback_port = 0\n";
  std::ofstream(dir / "script.txt") << "scan 3YK13ZZC981X\nexpect result\nback\n"
                                       "pin 4321\nexpect organizer\nsleep 300\n"
                                       "shot organizer-web.png\n";
  const std::string out =
      run(fd::test::xvfb(800, 480) + "'" + std::string(FD_KIOSK_BINARY) + "' " + data +
              " --window 800x480 --camera none --script '" + (dir / "script.txt").string() +
              "' --shots '" + shots.string() + "' --no-sound",
          &code);
  INFO(out);
  REQUIRE(code == 0);
  CHECK(out.find("organizer pages at https://") != std::string::npos);
  CHECK_MESSAGE(out.find("organizer-web.png screen=organizer clipped=0") != std::string::npos,
                "no text cut off on the organizer screen");
  // A phone's camera reads the address off the screen.
  // zbarimg may also print a D-Bus complaint on stdout: take the decoded line.
  const std::string decoded =
      run("zbarimg -q --raw -Sbinary '" + (shots / "organizer-web.png").string() + "' 2>/dev/null");
  const std::size_t at = decoded.find("https://");
  REQUIRE_MESSAGE(at != std::string::npos, decoded);
  const std::string url = decoded.substr(at, decoded.find('\n', at) - at);
  CHECK(out.find("organizer pages at " + url) != std::string::npos);  // the URL the kiosk serves
  // The in-the-room tile turned red: 1 of 1.
  CHECK(share_of(shots / "organizer-web.png", {178, 34, 34}) > 0.01);
  fs::remove_all(dir);
}

// An exit door: a ticket shown there says goodbye (blue, not a red refusal)
// and the person no longer counts as in the room.
TEST_CASE("an exit door says goodbye and the room count follows") {
  const char* fd_bin = std::getenv("FD_BINARY");
  REQUIRE(fd_bin);
  std::string t = (fs::temp_directory_path() / "fd-screen-exit-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  const fs::path shots = fs::path(FD_SHOTS_DIR) / "800x480";
  fs::create_directories(shots);
  const std::string data = fd::test::store_options(dir / "data", dir / "config");
  int code = 0;
  run(std::string("'") + fd_bin + "' " + data + " import '" + FD_SOURCE_DIR +
          "/assets/demo/attendees.csv' --event 'PyMeetup Demo Night' -q",
      &code);
  REQUIRE(code == 0);
  run(std::string("'") + fd_bin + "' " + data + " checkin 3YK13ZZC981X", &code);
  REQUIRE(code == 0);
  fs::create_directories(dir / "config");
  std::ofstream(dir / "config" / "frontdesk.toml")
      << "[kiosk]\ndoor = \"exit\"\nexit_door = true\n";
  std::ofstream(dir / "script.txt") << "scan 3YK13ZZC981X\nexpect result\nsleep 300\n"
                                       "shot exit-goodbye.png\n";
  const std::string out =
      run(fd::test::xvfb(800, 480) + "'" + std::string(FD_KIOSK_BINARY) + "' " + data +
              " --window 800x480 --camera none --script '" + (dir / "script.txt").string() +
              "' --shots '" + shots.string() + "' --no-sound",
          &code);
  INFO(out);
  REQUIRE(code == 0);
  CHECK(out.find("exit-goodbye.png screen=result clipped=0") != std::string::npos);
  CHECK(share_of(shots / "exit-goodbye.png", {31, 78, 140}) > 0.6);
  const std::string stats = run(std::string("'") + fd_bin + "' " + data + " stats --json");
  CHECK(stats.find("\"in_room\": 0") != std::string::npos);
  CHECK(stats.find("\"checked_in\": 1") != std::string::npos);
  fs::remove_all(dir);
}
