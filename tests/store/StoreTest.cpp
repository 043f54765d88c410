#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "TestSupport.h"
#include "base/Uuid.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {
using fd::test::TempDir;

ImportBatch batch_of(std::initializer_list<std::pair<const char*, const char*>> people) {
  ImportBatch b;
  b.source = "csv";
  for (auto [id, name] : people) {
    AttendeeRow r;
    r.external_id = id;
    r.ticket_code = std::string("T-") + id;
    r.full_name = name;
    b.rows.push_back(r);
  }
  return b;
}
}  // namespace

TEST_CASE("a new store is durable by configuration: WAL - synchronous=FULL - owner-only file") {
  TempDir dir;
  const fs::path file = dir.path / "sub" / "frontdesk.db";
  auto store = Store::open(file);
  REQUIRE(store.ok());
  CHECK((*store)->schema_version() == Store::latest_schema_version());
  CHECK(is_uuid((*store)->device_id()));
  store.value().reset();

  SQLite::Database db(file.string());
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 077) == 0);  // attendee data: nobody but the owner
}

TEST_CASE("reopening keeps the device id and does not re-run migrations") {
  TempDir dir;
  std::string id;
  {
    auto s = Store::open(dir.path / "a.db");
    REQUIRE(s.ok());
    id = (*s)->device_id();
    (*s)->create_event("june", "June meetup");
  }
  auto s = Store::open(dir.path / "a.db");
  REQUIRE(s.ok());
  CHECK((*s)->device_id() == id);
  CHECK((*s)->events().size() == 1);
}

TEST_CASE("a store from a newer Frontdesk is refused with a plain message - not damaged") {
  TempDir dir;
  {
    SQLite::Database db((dir.path / "new.db").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 999");
  }
  auto s = Store::open(dir.path / "new.db");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("newer Frontdesk") != std::string::npos);
}

TEST_CASE("the check-in log is append-only: updates and deletes are refused by the schema") {
  TempDir dir;
  const fs::path file = dir.path / "log.db";
  {
    auto s = Store::open(file);
    REQUIRE(s.ok());
    const auto ev = (*s)->create_event("e", "E");
    (*s)->merge_attendees(ev.id, batch_of({{"1", "Ana"}}), "f.csv", false);
    const auto a = (*s)->attendees(ev.id).at(0);
    (*s)->append_checkin(ev.id, a.id, "door 1", Method::Qr, now_ms());
  }
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
  CHECK_THROWS(db.exec("UPDATE checkins SET door = 'x'"));
  CHECK_THROWS(db.exec("DELETE FROM checkins"));
  CHECK(db.execAndGet("SELECT COUNT(*) FROM checkins").getInt() == 1);
}

TEST_CASE("a check-in is written with its badge job and its outbox row") {
  auto s = Store::open(":memory:");
  REQUIRE(s.ok());
  Store& st = **s;
  const auto ev = st.create_event("e", "E");
  st.merge_attendees(ev.id, batch_of({{"1", "Ana"}, {"2", "Bo"}}), "f.csv", false);
  const auto people = st.attendees(ev.id);
  const LogEntry in = st.append_checkin(ev.id, people[0].id, "door 1", Method::Qr, now_ms());
  CHECK(st.counts().badge_jobs_open == 1);
  CHECK(st.counts().outbox_pending == 1);
  const LogEntry out = st.append_annul(in, "door 1", now_ms());
  CHECK(out.ref_uuid == in.uuid);
  CHECK(st.counts().badge_jobs_open == 0);  // an annulled check-in's badge does not print
  CHECK(st.counts().outbox_pending == 2);   // the service hears about the annul too
  CHECK(st.verify().ok());
  CHECK(st.log(ev.id).size() == 2);
}

TEST_CASE("merging a newer export updates by external id and keeps everyone") {
  auto s = Store::open(":memory:");
  REQUIRE(s.ok());
  Store& st = **s;
  const auto ev = st.create_event("e", "E");
  auto r1 =
      st.merge_attendees(ev.id, batch_of({{"1", "Ana"}, {"2", "Bo"}, {"3", "Cy"}}), "a.csv", false);
  CHECK(r1.added == 3);
  auto again =
      st.merge_attendees(ev.id, batch_of({{"1", "Ana"}, {"2", "Bo"}, {"3", "Cy"}}), "a.csv", false);
  CHECK(again.added == 0);
  CHECK(again.unchanged == 3);

  auto newer = batch_of({{"1", "Ana María"}, {"2", "Bo"}, {"4", "Di"}});
  newer.rows[1].rsvp = Rsvp::Cancelled;
  auto r2 = st.merge_attendees(ev.id, newer, "b.csv", false);
  CHECK(r2.added == 1);
  CHECK(r2.updated == 2);
  CHECK(r2.cancelled == 1);
  CHECK(r2.not_in_file == 1);
  CHECK(st.attendees(ev.id).size() == 4);

  auto pruned = st.merge_attendees(ev.id, newer, "b.csv", true);
  CHECK(pruned.cancelled == 1);  // Cy, absent from the file
}

TEST_CASE("a person is recognised across events by member id - and their attendance counted") {
  auto s = Store::open(":memory:");
  REQUIRE(s.ok());
  Store& st = **s;
  std::int64_t person = 0;
  for (int month = 1; month <= 3; ++month) {
    const auto ev = st.create_event("m" + std::to_string(month), "Meetup " + std::to_string(month));
    ImportBatch b;
    b.source = "meetup";
    AttendeeRow r;
    r.external_id = "rsvp-" + std::to_string(month);
    r.member_id = "12345";
    r.full_name = "Ana García";
    b.rows.push_back(r);
    st.merge_attendees(ev.id, b, "m.csv", false);
    const auto a = st.attendees(ev.id).at(0);
    person = a.person_id;
    if (month != 2) st.append_checkin(ev.id, a.id, "door 1", Method::Qr, now_ms());
  }
  CHECK(person != 0);
  CHECK(st.events_attended(person) == 2);
  CHECK(st.rsvps_not_honoured(person, 0) == 1);
}
