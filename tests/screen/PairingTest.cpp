// Pairing doors at the kiosk, as organizers do it: a first door serving
// (`frontdesk serve` on loopback, its own store with the list), a second
// kiosk under Xvfb that scans the first door's code from its organizer
// screen, joins, and restarts on the joined event. And the same code held up
// at the attendee screen is explained, never taken for a ticket.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "TestSupport.h"
#include "doors/Pairing.h"

namespace fs = std::filesystem;

namespace {

using fd::test::read_file;
using fd::test::run;

// `frontdesk serve` on 127.0.0.1, port chosen by the system; stopped on scope exit.
// `frontdesk serve` on its own port, as the first door.
struct ServingDoor {
  std::unique_ptr<fd::test::Spawned> process;
  int port = 0;
  ServingDoor(const std::string& fd_bin, const fs::path& dir) {
    const fs::path log = dir / "serve.log";
    process = std::make_unique<fd::test::Spawned>(
        std::vector<std::string>{fd_bin, "--data-dir", dir.string(), "--config-dir", dir.string(),
                                 "--door", "door 1", "serve", "--listen", "127.0.0.1", "--port",
                                 "0"},
        log);
    port = fd::test::served_port(log);
    REQUIRE_MESSAGE(port != 0, "the first door did not start: " << read_file(log));
  }
};

std::string last_line(const std::string& out) {
  const std::size_t at = out.rfind("FDPAIR1:");
  REQUIRE_MESSAGE(at != std::string::npos, out);
  return out.substr(at, out.find('\n', at) - at);
}

// Watches every running process of `binary` and remembers the most engine
// threads ("fd-engine") one of them had at once: a door process holds
// exactly one engine, also while it joins another door's event.
class EngineCounter {
 public:
  explicit EngineCounter(fs::path binary) : binary_(std::move(binary)) {
    thread_ = std::jthread([this](std::stop_token stop) {
      while (!stop.stop_requested()) {
        look();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  // Stops watching; the most engines seen in one process, and in how many
  // looks a process of `binary` was running.
  std::pair<int, int> most() {
    thread_.request_stop();
    thread_.join();
    return {most_, looks_};
  }

 private:
  void look() {
    std::error_code ec;
    bool running = false;
    for (const auto& proc : fs::directory_iterator("/proc", ec)) {
      if (fs::read_symlink(proc.path() / "exe", ec) != binary_ || ec) continue;
      running = true;
      int engines = 0;
      for (const auto& task : fs::directory_iterator(proc.path() / "task", ec))
        engines += read_file(task.path() / "comm") == "fd-engine\n";
      most_ = std::max(most_, engines);
    }
    looks_ += running;
  }

  fs::path binary_;
  int most_ = 0, looks_ = 0;
  std::jthread thread_;
};

}  // namespace

TEST_CASE(
    "a kiosk pairs from its organizer screen - joins by a scanned code - and restarts on "
    "the joined event") {
  const char* fd_bin = std::getenv("FD_BINARY");
  REQUIRE(fd_bin);
  std::string t = (fs::temp_directory_path() / "fd-screen-pair-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t, first = dir / "first", second = dir / "second";
  fs::create_directories(first);
  fs::create_directories(second);
  const fs::path shots = fs::path(FD_SHOTS_DIR) / "800x480";
  fs::create_directories(shots);
  const std::string cli1 = fd::test::frontdesk_at(first);
  const std::string cli2 = fd::test::frontdesk_at(second);
  const std::string csv = std::string(FD_SOURCE_DIR) + "/assets/demo/attendees.csv";
  int code = 0;

  // The first door: the list, three people in, serving.
  std::ofstream(first / "frontdesk.toml") << "[doors]\ndiscover = false\n";
  run(cli1 + "import '" + csv + "' --event 'Doors Night' -q", &code);
  REQUIRE(code == 0);
  for (const char* ticket : {"3YK13ZZC981X", "51V57E4QSHSY", "K1UEPAR5TUTK"}) {
    const std::string out = run(cli1 + "checkin " + ticket, &code);
    REQUIRE_MESSAGE(code == 0, out);
  }
  ServingDoor door1(fd_bin, first);
  const std::string pair_code =
      last_line(run(cli1 + "doors pair --address 127.0.0.1:" + std::to_string(door1.port)));
  // A code whose door cannot be reached (nothing listens on port 1).
  const std::string dead_code = last_line(run(cli1 + "doors pair --address 127.0.0.1:1"));

  // The second door: another event of its own, one person in, serving.
  run(cli2 + "import '" + csv + "' --event 'Other Night' -q", &code);
  REQUIRE(code == 0);
  run("echo 4321 | " + cli2 + "pin set --yes", &code);
  REQUIRE(code == 0);
  std::ofstream(second / "frontdesk.toml")
      << "[web]\nserve = true\nlisten = \"127.0.0.1\"\nport = 0\nloopback_port = 0\n"
      << "[doors]\ndiscover = false\n";
  std::ofstream(dir / "script.txt") << "scan 3YK13ZZC981X\nexpect-result admitted\nback\n"
                                    // Held up at the door, a pairing code is explained.
                                    << "scan " << pair_code << "\n"
                                    << "expect-result not-a-ticket\nshot pair-code-at-door.png\n"
                                       "back\n"
                                       "pin 4321\nexpect organizer\nshot organizer-pair.png\n"
                                       "pair\nexpect pairing\nshot pairing.png\nback\n"
                                    << "scan " << dead_code << "\n"
                                    << "expect pairing\njoin\nexpect-joined failed\n"
                                       "shot join-failed.png\nback\n"
                                    << "scan " << pair_code << "\n"
                                    << "expect pairing\nshot join-question.png\njoin\n"
                                       "after-restart\nexpect-joined ok\nshot joined.png\n"
                                       // The door then goes back to the door by itself.
                                       "await-screen ready 15000\nshot joined-ready.png\n";
  EngineCounter engines(fs::canonical(FD_KIOSK_BINARY));
  const std::string out =
      run(fd::test::xvfb(800, 480) + "'" + std::string(FD_KIOSK_BINARY) + "' " +
              fd::test::store_options(second, second) +
              "--door 'door 2' --window 800x480 --camera none --script '" +
              (dir / "script.txt").string() + "' --shots '" + shots.string() + "' --no-sound",
          &code);
  INFO(out);
  REQUIRE(code == 0);
  // One engine in the kiosk throughout: joining restarts the door process
  // on the joined event instead of opening engines beside its own.
  const auto [most_engines, looks] = engines.most();
  CHECK(looks > 100);
  CHECK_MESSAGE(most_engines == 1, "the kiosk ran " << most_engines << " engines at once");
  // Not "unknown ticket": what it is and who scans it.
  CHECK(out.find("result not-a-ticket: This is a code for pairing doors: an organizer scans it "
                 "from the organizer screen") != std::string::npos);
  // Unreachable: said plainly, and the door stays on its event.
  CHECK(out.find("joined failed: Could not reach the first door") != std::string::npos);
  // The join pulled the list and the log, then the kiosk restarted on the event.
  CHECK(out.find("joined ok: Joined \"Doors Night\" with door 1 at 127.0.0.1:" +
                 std::to_string(door1.port) + ": 277 people, 3 check-ins") != std::string::npos);
  CHECK(out.find("restarting on the event \"doors-night\"") != std::string::npos);
  CHECK(out.find("Ready: Doors Night, 277 attendees, 3 checked in") != std::string::npos);
  CHECK(out.find("joined-ready.png screen=ready clipped=0") != std::string::npos);
  for (const char* shot : {"pair-code-at-door.png", "organizer-pair.png", "pairing.png",
                           "join-failed.png", "join-question.png", "joined.png"})
    CHECK(out.find(std::string(shot) + " screen=") != std::string::npos);
  CHECK_MESSAGE(out.find("clipped=1") == std::string::npos, "text cut off on a screen");

  // The dashboard's pairing code reads off the screen as this door's code:
  // its event and the address its web server answers on.
  const std::string decoded =
      run("ZXingReader '" + (shots / "pairing.png").string() + "' 2>/dev/null");
  const std::size_t at = decoded.find("FDPAIR1:");
  REQUIRE_MESSAGE(at != std::string::npos, decoded);
  auto shown = fd::parse_pairing(decoded.substr(at, decoded.find('"', at) - at));
  REQUIRE_MESSAGE(shown.ok(), decoded);
  CHECK(shown->event_slug == "other-night");
  CHECK(shown->door_name == "door 2");
  std::smatch web;
  REQUIRE(std::regex_search(out, web,
                            std::regex("organizer pages at http://(127\\.0\\.0\\.1:[0-9]+)/")));
  CHECK(shown->addresses.front() == web[1].str());

  // The second store: paired for Doors Night, with the first door's list and
  // check-ins; its own event's check-in still there.
  const std::string status = run(cli2 + "--event doors-night doors status --json");
  CHECK(status.find("\"paired\": true") != std::string::npos);
  CHECK(status.find("\"door 1\"") != std::string::npos);
  const std::string events = run(cli2 + "event list");
  INFO(events);
  CHECK(events.find("Other Night") != std::string::npos);
  CHECK(events.find("Doors Night") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a kiosk that does not serve says pairing needs [web] serve instead of a code") {
  std::string t = (fs::temp_directory_path() / "fd-screen-nopair-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  const fs::path shots = fs::path(FD_SHOTS_DIR) / "800x480";
  fs::create_directories(shots);
  const std::string cli = fd::test::frontdesk_at(dir);
  int code = 0;
  run(cli + "import '" + std::string(FD_SOURCE_DIR) +
          "/assets/demo/attendees.csv' --event "
          "'Doors Night' -q",
      &code);
  REQUIRE(code == 0);
  run("echo 4321 | " + cli + "pin set --yes", &code);
  REQUIRE(code == 0);
  std::ofstream(dir / "script.txt") << "pin 4321\nexpect organizer\npair\nexpect pairing\n"
                                       "shot pairing-not-serving.png\n";
  const std::string out =
      run(fd::test::xvfb(800, 480) + "'" + std::string(FD_KIOSK_BINARY) + "' " +
              fd::test::store_options(dir, dir) + "--window 800x480 --camera none --script '" +
              (dir / "script.txt").string() + "' --shots '" + shots.string() + "' --no-sound",
          &code);
  INFO(out);
  REQUIRE(code == 0);
  CHECK(out.find("pairing-not-serving.png screen=pairing clipped=0") != std::string::npos);
  // No code that could not work: nothing to read off the screen, and no secret made.
  const std::string decoded =
      run("ZXingReader '" + (shots / "pairing-not-serving.png").string() + "' 2>/dev/null");
  CHECK(decoded.find("FDPAIR1:") == std::string::npos);
  CHECK_FALSE(fs::exists(dir / "doors" / "doors-night.secret"));
  fs::remove_all(dir);
}
