// Backups taken while another process checks people in: each copy is one
// consistent moment (integrity ok, every check-in with its badge job and
// outbox row) holding every check-in acknowledged before it started; a
// restore says what it brings, keeps the current store aside, and refuses
// to pull a store out from under a running door.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "TestSupport.h"
#include "store/Backup.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {
using fd::test::TempDir;

// A store with one event of `n` people; returns the event id.
std::int64_t make_store(const fs::path& file, int n) {
  auto s = Store::open(file);
  REQUIRE(s.ok());
  const auto ev = (*s)->create_event("night", "Night");
  ImportBatch b;
  b.source = "csv";
  for (int i = 0; i < n; ++i) {
    AttendeeRow r;
    r.external_id = std::to_string(i);
    r.ticket_code = "T-" + std::to_string(i);
    r.full_name = "Person " + std::to_string(i);
    r.email = "person" + std::to_string(i) + "@example.org";
    b.rows.push_back(r);
  }
  (*s)->merge_attendees(ev.id, b, "list.csv", false);
  return ev.id;
}

// A door in another process: checks people in one after another and
// appends each acknowledged check-in's UUID (after its commit) to `acks`.
pid_t start_door(const fs::path& store, std::int64_t event_id, const fs::path& acks, int n) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto s = Store::open(store);
    if (!s) ::_exit(2);
    const auto people = (*s)->attendees(event_id);
    std::ofstream out(acks, std::ios::app);
    for (int i = 0; i < n && i < static_cast<int>(people.size()); ++i) {
      const LogEntry e =
          (*s)->append_checkin(event_id, people[i].id, "door 1", Method::Qr, now_ms());
      out << e.uuid << "\n" << std::flush;
    }
    ::_exit(0);
  }
  return pid;
}

std::set<std::string> read_lines(const fs::path& f) {
  std::set<std::string> out;
  std::ifstream in(f);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.insert(l);
  return out;
}

}  // namespace

TEST_CASE("backups taken while another process checks people in are consistent and complete") {
  TempDir dir;
  const fs::path store = dir.path / "data" / "frontdesk.db";
  const std::int64_t event = make_store(store, 400);
  const fs::path acks = dir.path / "acks.txt";
  const pid_t door = start_door(store, event, acks, 400);
  int copies = 0, status = 0;
  bool door_done = false;
  while (!door_done || copies < 3) {
    // Everything acknowledged before this copy starts must be in it.
    const std::set<std::string> before = read_lines(acks);
    const fs::path copy = dir.path / "usb" / ("copy-" + std::to_string(copies) + ".db");
    auto summary = backup_store(store, copy);
    REQUIRE_MESSAGE(summary.ok(), summary.error().message);
    CHECK(summary->intact);
    ++copies;
    struct stat st {};
    REQUIRE(::stat(copy.c_str(), &st) == 0);
    CHECK((st.st_mode & 077) == 0);                   // attendees' e-mails: owner only
    CHECK_FALSE(fs::exists(copy.string() + "-wal"));  // one self-contained file
    auto opened = Store::open(copy);
    REQUIRE(opened.ok());
    CHECK((*opened)->verify().ok());  // integrity, badge jobs and outbox rows
    std::set<std::string> in_copy;
    for (const LogEntry& e : (*opened)->log(event)) in_copy.insert(e.uuid);
    for (const std::string& uuid : before) CHECK_MESSAGE(in_copy.count(uuid), uuid);
    door_done = ::waitpid(door, &status, WNOHANG) == door;
  }
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // A last copy after the door stopped holds all 400.
  auto last = backup_store(store, dir.path / "usb" / "last.db");
  REQUIRE(last.ok());
  REQUIRE(last->events.size() == 1);
  CHECK(last->events[0].checked_in == 400);
  CHECK(last->events[0].attendees == 400);
  MESSAGE(copies << " copies taken while the door was checking people in");
}

TEST_CASE("backup names sort by time and pruning keeps the newest") {
  TempDir dir;
  const fs::path store = dir.path / "frontdesk.db";
  make_store(store, 3);
  const TimeMs t0 = 1'790'000'000'000;
  for (int i = 0; i < 5; ++i)
    REQUIRE(backup_store(store, dir.path / "usb" / backup_file_name(t0 + i * 60'000)).ok());
  std::ofstream(dir.path / "usb" / "notes.txt") << "not a backup";
  auto all = list_backups(dir.path / "usb");
  REQUIRE(all.size() == 5);
  CHECK(all[0].filename().string() == backup_file_name(t0 + 4 * 60'000));
  CHECK(prune_backups(dir.path / "usb", 3) == 2);
  all = list_backups(dir.path / "usb");
  REQUIRE(all.size() == 3);
  CHECK(all[2].filename().string() == backup_file_name(t0 + 2 * 60'000));
  CHECK(fs::exists(dir.path / "usb" / "notes.txt"));
}

TEST_CASE("a backup to a folder that cannot be written says so and leaves nothing behind") {
  TempDir dir;
  const fs::path store = dir.path / "frontdesk.db";
  make_store(store, 3);
  auto missing = backup_store(dir.path / "nope.db", dir.path / "usb" / "x.db");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("no store") != std::string::npos);
  if (::geteuid() != 0) {  // root writes anywhere
    fs::create_directories(dir.path / "ro");
    fs::permissions(dir.path / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    auto ro = backup_store(store, dir.path / "ro" / "x.db");
    REQUIRE_FALSE(ro.ok());
    CHECK(ro.error().message.find("Cannot write") != std::string::npos);
  }
  std::ofstream(dir.path / "junk.db") << "this is not sqlite";
  auto junk = inspect_store(dir.path / "junk.db");
  CHECK_FALSE(junk.ok());
}

TEST_CASE(
    "restore says what a copy holds - keeps the current store aside - refuses a running door") {
  TempDir dir;
  const fs::path store = dir.path / "frontdesk.db";
  const std::int64_t event = make_store(store, 10);
  {
    auto s = Store::open(store);
    REQUIRE(s.ok());
    const auto people = (*s)->attendees(event);
    for (int i = 0; i < 3; ++i)
      (*s)->append_checkin(event, people[i].id, "door 1", Method::Qr, now_ms());
  }
  auto copy = backup_store(store, dir.path / "usb" / "three.db");
  REQUIRE(copy.ok());
  CHECK(copy->events[0].checked_in == 3);
  CHECK(copy->last_checkin > 0);
  // Later, the SD card's store gets more check-ins (and a killed door leaves
  // them in the WAL) ...
  {
    auto s = Store::open(store);
    const auto people = (*s)->attendees(event);
    for (int i = 3; i < 5; ++i)
      (*s)->append_checkin(event, people[i].id, "door 1", Method::Qr, now_ms());
  }
  // ... while a door has it open, a restore is refused and changes nothing.
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t door = ::fork();
  REQUIRE(door >= 0);
  if (door == 0) {
    auto s = Store::open(store);
    if (s) (*s)->counts();
    (void)!::write(ready[1], "r", 1);
    ::pause();
    ::_exit(0);
  }
  char c;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  CHECK(store_in_use(store));
  auto refused = restore_store(dir.path / "usb" / "three.db", store, dir.path / "aside.db");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "restore.busy");
  CHECK_FALSE(fs::exists(dir.path / "aside.db"));
  ::kill(door, SIGKILL);
  ::waitpid(door, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  CHECK_FALSE(store_in_use(store));

  auto restored = restore_store(dir.path / "usb" / "three.db", store, dir.path / "aside.db");
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(restored->events[0].checked_in == 3);
  auto aside = inspect_store(dir.path / "aside.db");
  REQUIRE(aside.ok());
  CHECK(aside->events[0].checked_in == 5);  // nothing of the replaced store is lost
  auto reopened = Store::open(store);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->verify().ok());
  CHECK((*reopened)->log(event).size() == 3);
}

TEST_CASE("a damaged copy is never restored") {
  TempDir dir;
  const fs::path store = dir.path / "frontdesk.db";
  make_store(store, 50);
  auto copy = backup_store(store, dir.path / "copy.db");
  REQUIRE(copy.ok());
  {
    // Scribble over the middle of the file, as a failing SD card does.
    std::fstream f(dir.path / "copy.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(copy->bytes / 2));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto r = restore_store(dir.path / "copy.db", store, dir.path / "aside.db");
  REQUIRE_FALSE(r.ok());
  CHECK(fs::exists(store));
  CHECK_FALSE(fs::exists(dir.path / "aside.db"));
  auto s = Store::open(store);
  REQUIRE(s.ok());
  CHECK((*s)->verify().ok());
}
