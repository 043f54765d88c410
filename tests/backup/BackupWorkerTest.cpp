// The backup worker beside a real engine on a store file: a copy when the
// door opens, while people arrive and once they stop, one more when the
// door closes; a missing stick is a plain problem and no check-in waits.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "TestEngine.h"
#include "TestSupport.h"
#include "backup/BackupWorker.h"
#include "store/Backup.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {

using fd::test::engine_with_people;
using fd::test::TempDir;
using fd::test::wait_for;

// A folder on another device than the store, as a USB stick is: /dev/shm
// (tmpfs) when the machine has it.
fs::path other_device() {
  struct stat a {
  }, b{};
  if (::stat("/dev/shm", &a) == 0 && ::stat(fs::temp_directory_path().c_str(), &b) == 0 &&
      a.st_dev != b.st_dev && ::access("/dev/shm", W_OK) == 0)
    return "/dev/shm";
  return fs::temp_directory_path();
}

}  // namespace

TEST_CASE("copies when the door opens - while people arrive - after the last one - at closing") {
  TempDir data, stick(other_device());
  const fs::path store = data.path / "frontdesk.db";
  auto engine = engine_with_people(store, {.people = 20});
  BackupOptions o;
  o.store = store;
  o.dir = stick.path;
  o.every = std::chrono::milliseconds(600);
  o.quiet = std::chrono::milliseconds(300);
  o.tick = std::chrono::milliseconds(50);
  o.keep = 100;
  {
    BackupWorker worker(*engine, o);
    REQUIRE(wait_for([&] { return worker.last().copies == 1; },
                     std::chrono::seconds(10)));  // door opened
    const bool apart = other_device() != fs::temp_directory_path();
    if (apart) {
      CHECK(worker.health().ok);
      CHECK(worker.health().message.find("Backed up at") == 0);
    }
    // Nothing new: no more copies.
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK(worker.last().copies == 1);
    // Copies are named by the second: the ones below must not share the
    // first one's name (a fast run used to fit all of them in one second).
    std::this_thread::sleep_for(std::chrono::milliseconds(1000 - now_ms() % 1000 + 20));
    for (int i = 1; i <= 5; ++i)
      CHECK(engine->run(CheckInCode{"T" + std::to_string(i), Method::Qr}).verdict ==
            Verdict::Admitted);
    // The door went quiet: a copy holding all five (on a slow machine, one
    // in between may hold fewer).
    CHECK(wait_for(
        [&] {
          auto copy = inspect_store(worker.last().file);
          return copy.ok() && copy->events[0].checked_in == 5;
        },
        std::chrono::seconds(10)));
    CHECK(worker.last().copies >= 2);
    CHECK(engine->run(CheckInCode{"T6", Method::Qr}).verdict == Verdict::Admitted);
    // Closing right after a check-in: the destructor's copy holds it.
  }
  // (Copies in the same second share a name: the newer replaces the older.)
  const auto all = list_backups(stick.path);
  REQUIRE(all.size() >= 2);
  auto newest = inspect_store(all.front());
  REQUIRE(newest.ok());
  CHECK(newest->events[0].checked_in == 6);
}

TEST_CASE("an unplugged backup stick is a plain problem - never a folder on the SD card") {
  TempDir data;
  const fs::path store = data.path / "frontdesk.db";
  auto engine = engine_with_people(store, {.people = 3});
  BackupOptions o;
  o.store = store;
  o.dir = data.path / "media" / "FRONTDESK";  // the stick's mount point, gone
  o.every = std::chrono::milliseconds(200);
  o.tick = std::chrono::milliseconds(50);
  BackupWorker worker(*engine, o);
  REQUIRE(wait_for([&] { return !worker.health().ok; }, std::chrono::seconds(10)));
  CHECK(worker.health().message.find("plug in the backup stick") != std::string::npos);
  CHECK_FALSE(fs::exists(o.dir));
  // Check-ins go on meanwhile.
  CHECK(engine->run(CheckInCode{"T1", Method::Qr}).verdict == Verdict::Admitted);
  // The stick comes back (here: on the same disk, which is said too).
  fs::create_directories(o.dir);
  REQUIRE(wait_for([&] { return worker.last().copies >= 1; }, std::chrono::seconds(10)));
  CHECK(worker.health().message.find("same disk") != std::string::npos);
}
