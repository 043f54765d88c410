#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "TestSupport.h"
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

// The stored real-world set (tests/scan/make-samples.sh): per condition, at
// least the codes read when the set was made; a wrong text or any read from
// must-not-decode/ fails. Raise a floor when the decoder reads more.
TEST_CASE("the stored real-world pictures: no false read, no fewer codes than measured") {
  const std::map<std::string, int> floor{
      {"blur-perspective", 1}, {"dense", 5},    {"glare", 5},       {"low-light", 4},
      {"mail-footer", 5},      {"mirrored", 5}, {"phone-angle", 5}, {"phone-dark", 5},
      {"photo-of-screen", 5},  {"printout", 1}, {"small-angle", 4}, {"two-codes", 5},
      {"must-not-decode", 0}};
  auto read_text = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  for (const auto& [condition, least] : floor) {
    int right = 0, images = 0;
    for (const auto& e : fs::directory_iterator(fs::path(FD_SCAN_SAMPLES) / condition)) {
      if (e.path().extension() != ".jpg") continue;
      ++images;
      std::vector<std::string> expected;
      for (const char* suffix : {".txt", ".2.txt"})
        if (const auto t = fs::path(e.path()).replace_extension(suffix); fs::exists(t))
          expected.push_back(read_text(t));
      auto frame = load_gray_image(e.path());
      REQUIRE(frame.ok());
      std::size_t hits = 0;
      for (const auto& d : decode_frame(*frame)) {
        REQUIRE_MESSAGE(std::find(expected.begin(), expected.end(), d.text) != expected.end(),
                        (expected.empty() ? "false read from " : "wrong text from ") << e.path());
        ++hits;
      }
      right += !expected.empty() && hits >= expected.size();
    }
    CHECK_MESSAGE(images >= 5, condition);
    CHECK_MESSAGE(right >= least, condition << ": " << right << " read, at least " << least);
  }
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
    // Three codes, one a second.
    fd::test::wait_for(
        [&] {
          std::lock_guard lock(m);
          return events.size() >= 3;
        },
        std::chrono::seconds(10));
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
