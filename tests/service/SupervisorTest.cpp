// The kiosk heals itself: under a systemd-like supervisor (Supervisor.h)
// it is killed with SIGKILL, then its frame loop hangs and the watchdog
// aborts it; each time it is back on the ready screen within seconds with
// every check-in it had acknowledged on screen. Its log lines carry journal
// priorities and no e-mail address, ticket code or PIN.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "Supervisor.h"
#include "TestSupport.h"
#include "store/Store.h"

using namespace fd;
using namespace fd::testing;
namespace fs = std::filesystem;

namespace {

using fd::test::read_file;
using fd::test::run;
using fd::test::TempDir;

// An X server of our own; the display number it picked.
class Xvfb {
 public:
  Xvfb() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(fds[0]);
      const std::string fd = std::to_string(fds[1]);
      ::execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "864x544x24", "-nolisten",
               "tcp", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    char buf[16] = {};
    const ssize_t n = ::read(fds[0], buf, sizeof buf - 1);
    ::close(fds[0]);
    REQUIRE(n > 0);
    display_ = ":" + std::string(buf, static_cast<std::size_t>(n - 1));
  }
  ~Xvfb() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  const std::string& display() const { return display_; }

 private:
  pid_t pid_ = 0;
  std::string display_;
};

double ms_between(Supervisor::Clock::time_point a, Supervisor::Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

TEST_CASE(
    "killed or hung - the kiosk is back on the ready screen with every acknowledged check-in") {
  const char* fd_bin = std::getenv("FD_BINARY");
  REQUIRE(fd_bin);
  TempDir dir;
  const fs::path shots = fs::path(FD_SHOTS_DIR) / "supervised";
  fs::create_directories(shots);
  const std::string data = fd::test::store_options(dir.path / "data", dir.path / "config");
  {
    // 3,000 people, as a big meetup's list: the start-up figure counts them.
    std::ofstream csv(dir.path / "list.csv");
    csv << "Name,E-mail,Ticket code\n";
    for (int i = 1; i <= 3000; ++i)
      csv << "Person " << i << ",person" << i << "@example.org,TK" << 100000 + i << "\n";
  }
  int code = 0;
  run("'" + std::string(fd_bin) + "' " + data + " import '" + (dir.path / "list.csv").string() +
          "' --event 'Supervised Night' -q",
      &code);
  REQUIRE(code == 0);
  run("echo 2468 | '" + std::string(fd_bin) + "' " + data + " pin set", &code);
  REQUIRE(code == 0);

  const fs::path script = dir.path / "script.txt";
  const auto flag = [&](const char* name) { return (dir.path / name).string(); };
  // Stage 1: two tickets, a walk-in with an e-mail address, each
  // acknowledged on screen; then the organizer PIN, and the dashboard stays
  // open until the kill.
  std::ofstream(script) << "expect ready\n"
                           "scan TK100001\nexpect-result admitted\nback\n"
                           "scan TK100002\nexpect-result admitted\nback\n"
                           "walkin\ntype Zoe\nfield last\ntype Tester\nfield email\n"
                           "type zoe.tester@example.org\nconsent\nsubmit\nexpect-result admitted\n"
                           "back\npin 2468\nexpect organizer\n"
                           "signal "
                        << flag("acked1") << "\nawait-file " << flag("never") << "\n";

  Xvfb x;
  Supervisor sup({FD_KIOSK_BINARY, "--data-dir", (dir.path / "data").string(), "--config-dir",
                  (dir.path / "config").string(), "--window", "800x480", "--locked", "--script",
                  script.string(), "--shots", shots.string(), "--no-sound", "--camera", "none"},
                 {"DISPLAY=" + x.display()}, dir.path / "kiosk.log", dir.path / "notify.sock",
                 std::chrono::milliseconds(3000));

  const auto started1 = sup.wait_for("started", 1, std::chrono::seconds(5));
  const auto ready1 = sup.wait_for("ready", 1, std::chrono::seconds(20));
  REQUIRE_MESSAGE(ready1, read_file(dir.path / "kiosk.log"));
  const double startup_ms = ms_between(started1->at, ready1->at);
  MESSAGE("start to READY=1 with 3,000 attendees: " << startup_ms << " ms");
  CHECK(startup_ms < 2000);

  for (int i = 0; i < 600 && !fs::exists(flag("acked1")); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE_MESSAGE(fs::exists(flag("acked1")), read_file(dir.path / "kiosk.log"));

  // Stage 2, after SIGKILL: the ready screen with both check-ins, one more
  // check-in acknowledged, then the frame loop hangs.
  std::ofstream(script) << "expect ready\nawait-checked-in 2 5000\nshot after-kill.png\n"
                           "scan TK100003\nexpect-result admitted\nsignal "
                        << flag("acked2") << "\nhang\n";
  const int first = sup.pid();
  ::kill(first, SIGKILL);
  const auto killed = sup.wait_for("exited", 1, std::chrono::seconds(5));
  REQUIRE(killed);
  CHECK(killed->detail == "signal Killed");
  const auto ready2 = sup.wait_for("ready", 2, std::chrono::seconds(20));
  REQUIRE_MESSAGE(ready2, read_file(dir.path / "kiosk.log"));
  MESSAGE("SIGKILL to ready again: " << ms_between(killed->at, ready2->at) << " ms");

  // Stage 3, after the watchdog: the ready screen with all three.
  for (int i = 0; i < 600 && !fs::exists(flag("acked2")); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE_MESSAGE(fs::exists(flag("acked2")), read_file(dir.path / "kiosk.log"));
  // ... where the window manager's close, Alt+F4 and Ctrl+Q change nothing.
  std::ofstream(script) << "expect ready\nawait-checked-in 3 5000\nshot after-hang.png\n"
                           "close\nkey alt+f4\nkey ctrl+q\nwait 10\nexpect ready\nsignal "
                        << flag("back3") << "\nawait-file " << flag("never") << "\n";
  const auto watchdog = sup.wait_for("watchdog", 1, std::chrono::seconds(15));
  REQUIRE_MESSAGE(watchdog, read_file(dir.path / "kiosk.log"));
  const auto aborted = sup.wait_for("exited", 2, std::chrono::seconds(10));
  REQUIRE(aborted);
  CHECK(aborted->detail == "signal Aborted");
  const auto ready3 = sup.wait_for("ready", 3, std::chrono::seconds(20));
  REQUIRE_MESSAGE(ready3, read_file(dir.path / "kiosk.log"));
  MESSAGE("watchdog abort to ready again: " << ms_between(aborted->at, ready3->at) << " ms");
  for (int i = 0; i < 200 && !fs::exists(flag("back3")); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(fs::exists(flag("back3")));

  // systemctl stop: SIGTERM closes even a locked kiosk, and says so.
  sup.stop();
  const auto events = sup.events();
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().what == "exited");
  CHECK(events.back().detail == "status 0");

  const std::string log = read_file(dir.path / "kiosk.log");
  INFO(log);
  CHECK(log.find("expect failed") == std::string::npos);
  CHECK(log.find("await-checked-in 2 held") != std::string::npos);
  CHECK(log.find("await-checked-in 3 held") != std::string::npos);
  CHECK(log.find("shot " + (shots / "after-kill.png").string() + " screen=ready") !=
        std::string::npos);
  CHECK(log.find("shot " + (shots / "after-hang.png").string() + " screen=ready") !=
        std::string::npos);
  // Journal priorities: notices for ready and stopping.
  CHECK(log.find("<5>Ready: Supervised Night, 3001 attendees") != std::string::npos);
  CHECK(log.find("<5>Stopping (SIGTERM)") != std::string::npos);
  CHECK(log.find("<5>Ignored a request to close the kiosk") != std::string::npos);
  // Nothing private in the log.
  CHECK(log.find("@example.org") == std::string::npos);
  CHECK(log.find("zoe.tester") == std::string::npos);
  CHECK(log.find("2468") == std::string::npos);
  CHECK(log.find("TK1000") == std::string::npos);

  // The store holds every acknowledged check-in, intact.
  auto store = Store::open(dir.path / "data" / "frontdesk.db");
  REQUIRE(store.ok());
  CHECK((*store)->verify().ok());
  const auto stats = run("'" + std::string(fd_bin) + "' " + data + " stats --json");
  CHECK(stats.find("\"checked_in\": 3") != std::string::npos);
  CHECK(stats.find("\"walk_ins\": 1") != std::string::npos);
}

TEST_CASE("a development window (--window) closes like any other window") {
  TempDir dir;
  const char* fd_bin = std::getenv("FD_BINARY");
  const std::string data = fd::test::store_options(dir.path / "data", dir.path / "config");
  std::ofstream(dir.path / "list.csv") << "Name,Ticket code\nAna,T1\n";
  int code = 0;
  run("'" + std::string(fd_bin) + "' " + data + " import '" + (dir.path / "list.csv").string() +
          "' --event Night -q",
      &code);
  REQUIRE(code == 0);
  // The close arrives; the script would wait a minute more if it did not.
  std::ofstream(dir.path / "script.txt")
      << "close\nawait-file " << (dir.path / "never").string() << "\n";
  const auto t0 = std::chrono::steady_clock::now();
  const std::string out = run(fd::test::xvfb(800, 480) + "'" + std::string(FD_KIOSK_BINARY) + "' " +
                                  data + " --window 800x480 --no-sound --camera none --script '" +
                                  (dir.path / "script.txt").string() + "'",
                              &code);
  INFO(out);
  CHECK(code == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
  CHECK(out.find("Kiosk closing") != std::string::npos);
}
