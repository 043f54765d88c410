#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "scan/Scanner.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {
// How many images of a condition decode to exactly their expected text; any
// other text fails the test at once.
int decoded(const std::string& condition, int* total) {
  int ok = 0;
  *total = 0;
  for (const auto& e : fs::directory_iterator(fs::path(FD_SCAN_TESTSET) / condition)) {
    if (e.path().extension() != ".jpg") continue;
    ++*total;
    std::ifstream in(fs::path(e.path()).replace_extension(".txt"), std::ios::binary);
    std::ostringstream expected;
    expected << in.rdbuf();
    auto frame = load_gray_image(e.path());
    REQUIRE(frame.ok());
    for (const auto& d : decode_frame(*frame)) {
      REQUIRE_MESSAGE(d.text == expected.str(), "wrong text from " << e.path());
      ++ok;
    }
  }
  return ok;
}
}  // namespace

TEST_CASE("plain camera conditions all decode") {
  for (const char* c :
       {"plain", "small", "rotated", "perspective", "jpeg", "phone", "noisy", "inverted"}) {
    int n = 0;
    const int ok = decoded(c, &n);
    CHECK_MESSAGE(n > 0, c);
    CHECK_MESSAGE(ok == n, c << ": " << ok << " of " << n);
  }
}

TEST_CASE("scenes without a code decode to nothing") {
  int n = 0;
  CHECK(decoded("negative", &n) == 0);
  CHECK(n > 0);
}

TEST_CASE("a code held in view counts once - again only after it left") {
  std::map<std::string, TimeMs> seen;
  int scans = 0;
  for (int frame = 0; frame < 60; ++frame)
    scans += debounce(seen, "T1", frame * 33, 2000);  // two seconds in view
  CHECK(scans == 1);
  CHECK_FALSE(debounce(seen, "T1", 60 * 33 + 1500, 2000));   // still around
  CHECK(debounce(seen, "T1", 60 * 33 + 1500 + 2100, 2000));  // came back later
  CHECK(debounce(seen, "T2", 0, 2000));
}

TEST_CASE("camera to scan: a ticket is read within two frames of appearing - and once") {
  SyntheticOptions o;
  o.codes = {"vx6zn4jmf3dpjk2q0000000000007919", "https://pretix.eu/demo/meetup/ticket/00002",
             "FD1:abc"};
  o.fps = 30;
  o.show_frames = 20;
  o.gap_frames = 10;
  Camera camera([o] { return Result<std::unique_ptr<FrameSource>>(make_synthetic(o)); });
  std::mutex m;
  std::vector<ScanEvent> events;
  {
    Scanner scanner(camera, [&](const ScanEvent& e) {
      std::lock_guard lock(m);
      events.push_back(e);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(2300));  // three codes, one a second
  }
  std::lock_guard lock(m);
  REQUIRE(events.size() >= 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(events[i].text == o.codes[i]);
    const auto first = synthetic_first_frame(o, i);
    CHECK_MESSAGE(events[i].frame_source_sequence <= first + 2,
                  "read at frame " << events[i].frame_source_sequence << ", appeared at " << first);
  }
}
