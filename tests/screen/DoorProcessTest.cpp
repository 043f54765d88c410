// The kiosk as a newcomer starts it and as an organizer lives with it:
// `scripts/start` on a machine with a display and no webcam, every
// `frontdesk kiosk` option of the README, and a running kiosk that notices
// within a second what the CLI changed on the same store.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "TestSupport.h"

namespace fs = std::filesystem;

namespace {

using fd::test::TempDir;
using fd::test::xvfb;

int sh(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string finish(FILE* p, int* code) {
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

bool wait_for(const fs::path& file, std::chrono::seconds limit) {
  return fd::test::wait_for([&] { return fs::exists(file); }, limit);
}

// "await-search Zanele held after 212 ms" -> 212
long held_after(const std::string& out, const std::string& step) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(step + " [^\n]* held after ([0-9]+) ms"))) return -1;
  return std::stol(m[1]);
}

void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

const char* kList =
    "ID,Name,Email,Ticket code,RSVP\n"
    "1,Kwame Mensah,kwame@example.org,KWAME-1,yes\n"
    "2,Ana García,ana@example.org,ANA-2,yes\n"
    "3,Bo Li,bo@example.org,BO-3,yes\n";
// The newer export during the event: Zanele registered late, Bo cancelled.
const char* kNewerList =
    "ID,Name,Email,Ticket code,RSVP\n"
    "1,Kwame Mensah,kwame@example.org,KWAME-1,yes\n"
    "2,Ana García,ana@example.org,ANA-2,yes\n"
    "3,Bo Li,bo@example.org,BO-3,cancelled\n"
    "4,Zanele Dlamini,zanele@example.org,ZANELE-4,yes\n";

}  // namespace

TEST_CASE("a running kiosk shows within a second what the CLI changed on its store") {
  TempDir dir;
  write(dir.path / "v1.csv", kList);
  write(dir.path / "v2.csv", kNewerList);
  const std::string g = fd::test::frontdesk_at(dir.path);
  REQUIRE(sh(g + "import '" + (dir.path / "v1.csv").string() + "' --event June -q >/dev/null") ==
          0);
  // Each change is started only once the kiosk waits for it, so the time
  // the kiosk reports runs from before the CLI process started to the
  // moment the kiosk's snapshot shows the change: an upper bound.
  const auto f = [&](const char* name) { return (dir.path / name).string(); };
  write(dir.path / "script.txt",
        "signal " + f("ready") + "\nawait-file " + f("go-checkin") +
            "\nawait-checked-in 1 1000\n"
            "signal " +
            f("seen-checkin") + "\nawait-file " + f("go-import") +
            "\nawait-search Zanele 1000\n"
            "signal " +
            f("seen-import") + "\nawait-file " + f("go-capacity") +
            "\nawait-capacity 120 1000\n"
            "scan KWAME-1\nexpect-result already-in\nback\n"
            "scan BO-3\nexpect-result cancelled\nback\n"
            "find\ntype Zanele\npick 0\nchoose right\nexpect-result admitted\n"
            "shot welcome-zanele.png\n");
  // Through `frontdesk kiosk` with the README's options, as a person runs it.
  FILE* kiosk = ::popen(
      (xvfb(800, 480) + g + "kiosk --camera none --window 800x480 --lang de " + "--script '" +
       (dir.path / "script.txt").string() + "' --shots '" + dir.path.string() + "' --no-sound 2>&1")
          .c_str(),
      "r");
  REQUIRE(kiosk);
  REQUIRE_MESSAGE(wait_for(f("ready"), std::chrono::seconds(30)), "the kiosk did not start");
  // An organizer at a terminal, while the kiosk runs.
  write(f("go-checkin"), "go\n");
  CHECK(sh(g + "checkin KWAME-1 >/dev/null") == 0);
  CHECK(wait_for(f("seen-checkin"), std::chrono::seconds(10)));
  write(f("go-import"), "go\n");
  CHECK(sh(g + "import '" + (dir.path / "v2.csv").string() + "' -q >/dev/null") == 0);
  CHECK(wait_for(f("seen-import"), std::chrono::seconds(10)));
  write(f("go-capacity"), "go\n");
  CHECK(sh(g + "event set --capacity 120 >/dev/null") == 0);
  int code = 0;
  const std::string out = finish(kiosk, &code);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("expect failed") == std::string::npos);
  const long checkin_ms = held_after(out, "await-checked-in"),
             search_ms = held_after(out, "await-search"),
             capacity_ms = held_after(out, "await-capacity");
  MESSAGE("from starting the CLI to the kiosk showing it: check-in "
          << checkin_ms << " ms, re-imported person " << search_ms << " ms, new capacity "
          << capacity_ms << " ms");
  // Within a second each (the await steps fail the script otherwise).
  CHECK((checkin_ms >= 0 && checkin_ms < 1000));
  CHECK((search_ms >= 0 && search_ms < 1000));
  CHECK((capacity_ms >= 0 && capacity_ms < 1000));
  CHECK(out.find("result already-in: Already checked in at") != std::string::npos);
  CHECK(fs::exists(dir.path / "welcome-zanele.png"));
}

TEST_CASE("scripts/start with a display and no webcam opens the demo kiosk on a synthetic camera") {
  TempDir home;
  const fs::path shots = home.path / "shots";
  fs::create_directories(shots);
  // Ready at once; then the synthetic camera's first demo ticket is scanned.
  write(home.path / "script.txt",
        "shot start.png\nexpect ready\nawait-screen result 15000\nshot scanned.png\n");
  // A newcomer's machine: nothing configured, no /dev/video0. scripts/start
  // passes its arguments on to the kiosk, which lets this test stop it.
  const std::string cmd = "env -u XDG_CONFIG_HOME -u XDG_DATA_HOME HOME='" + home.path.string() +
                          "' FRONTDESK_BUILD_DIR='" + FD_BUILD_DIR + "' " + xvfb(800, 480) + "'" +
                          FD_SOURCE_DIR + "/scripts/start' --window 800x480 --no-sound --script '" +
                          (home.path / "script.txt").string() + "' --shots '" + shots.string() +
                          "'";
  if (fs::exists("/dev/video0")) {
    MESSAGE("this machine has a webcam; the no-webcam path is not what runs here");
  }
  int code = 0;
  const std::string out = finish(::popen((cmd + " 2>&1").c_str(), "r"), &code);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("No configuration found: the demo event") != std::string::npos);
  CHECK(out.find("The following arguments were not expected") == std::string::npos);
  CHECK(out.find("screen=ready") != std::string::npos);
  if (!fs::exists("/dev/video0")) CHECK(out.find("camera=running synthetic") != std::string::npos);
  CHECK(out.find("scanned.png screen=result") != std::string::npos);
  CHECK(fs::exists(shots / "start.png"));
  // The demo landed where the README says, owner-only.
  const fs::path demo = home.path / ".local/share/frontdesk-demo/frontdesk.db";
  CHECK(fs::exists(demo));
}

TEST_CASE(
    "frontdesk kiosk --camera DIR reads a ticket from a folder of images and admits its holder") {
  TempDir dir;
  write(dir.path / "v1.csv", kList);
  const std::string g = fd::test::frontdesk_at(dir.path);
  REQUIRE(sh(g + "import '" + (dir.path / "v1.csv").string() + "' --event June -q >/dev/null") ==
          0);
  fs::create_directories(dir.path / "camera");
  REQUIRE(sh("qrencode -s 12 -m 4 -o '" + (dir.path / "camera/ana.png").string() + "' ANA-2") == 0);
  write(dir.path / "script.txt",
        "await-checked-in 1 10000\nshot welcome.png\nexpect-result admitted\n");
  int code = 0;
  const std::string out = finish(
      ::popen((xvfb(800, 480) + g + "kiosk --camera '" + (dir.path / "camera").string() +
               "' --window 800x480 --no-sound --script '" + (dir.path / "script.txt").string() +
               "' --shots '" + dir.path.string() + "' 2>&1")
                  .c_str(),
              "r"),
      &code);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("camera=running images in") != std::string::npos);
  CHECK(out.find("result admitted: Welcome, Ana!") != std::string::npos);
}
