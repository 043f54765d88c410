// Who is in the room now: leaving and coming back are appended to the log;
// "checked in" keeps its meaning, "in the room" and capacity follow people out.
#include <doctest/doctest.h>

#include "engine/Engine.h"
#include "store/Store.h"

using namespace fd;

namespace {

AttendeeRow person(const std::string& id, const std::string& name, int guests = 0) {
  AttendeeRow r;
  r.external_id = id;
  r.ticket_code = "TKT-" + id;
  r.full_name = name;
  r.first_name = name.substr(0, name.find(' '));
  r.guests = guests;
  return r;
}

std::unique_ptr<Engine> door(int capacity, bool exit_door, const std::string& file = ":memory:") {
  auto store = Store::open(file);
  REQUIRE(store.ok());
  auto ev = (*store)->event_by_slug("june");
  if (!ev) {
    ev = (*store)->create_event("june", "June meetup");
    ev->capacity = capacity;
    (*store)->update_event(*ev);
    ImportBatch b;
    b.source = "csv";
    b.rows = {person("1", "Ana García", 1), person("2", "Bo Li"), person("3", "Cy Twombly")};
    (*store)->merge_attendees(ev->id, b, "list.csv", false);
  }
  EngineOptions o = EngineOptions::for_event(ev->id);
  o.exit_door = exit_door;
  o.door = exit_door ? "exit" : "door 1";
  return std::make_unique<Engine>(std::move(*store), o);
}

}  // namespace

TEST_CASE("leaving and coming back change in_room - not checked_in") {
  auto e = door(0, false);
  REQUIRE(e->run(CheckInCode{"TKT-1"}).verdict == Verdict::Admitted);  // Ana and her +1
  REQUIRE(e->run(CheckInCode{"TKT-2"}).verdict == Verdict::Admitted);
  auto s = e->snapshot();
  CHECK(s->checked_in == 2);
  CHECK(s->in_room == 3);
  const Decision left = e->run(MarkLeft{1});
  CHECK(left.verdict == Verdict::Left);
  CHECK(left.message == "Goodbye, Ana!");
  s = e->snapshot();
  CHECK(s->checked_in == 2);
  CHECK(s->in_room == 1);
  CHECK(s->left_room == 1);
  CHECK_FALSE(s->presence(1)->in_room);
  CHECK(e->run(MarkLeft{1}).message == "Ana García had already left");
  // Showing the ticket again at the entrance is a welcome back, not "already in".
  const Decision back = e->run(CheckInCode{"TKT-1"});
  CHECK(back.verdict == Verdict::Returned);
  CHECK(e->snapshot()->in_room == 3);
  CHECK(e->run(MarkLeft{3}).verdict == Verdict::NotIn);  // never came
  // The log holds every move, each with its outbox row.
  int lefts = 0, returns = 0;
  for (const LogEntry& l : e->log().get()) {
    lefts += l.kind == CheckInKind::Left;
    returns += l.kind == CheckInKind::Returned;
  }
  CHECK(lefts == 1);
  CHECK(returns == 1);
}

TEST_CASE("capacity counts the room - people who left free their places") {
  auto e = door(2, false);
  REQUIRE(e->run(CheckInCode{"TKT-2"}).verdict == Verdict::Admitted);
  REQUIRE(e->run(CheckInCode{"TKT-3"}).verdict == Verdict::Admitted);
  CHECK(e->run(CheckInCode{"TKT-1"}).verdict == Verdict::CapacityReached);
  REQUIRE(e->run(MarkLeft{2}).verdict == Verdict::Left);
  REQUIRE(e->run(MarkLeft{3}).verdict == Verdict::Left);
  CHECK(e->run(CheckInCode{"TKT-1"}).verdict == Verdict::Admitted);         // 2 of 2 now
  CHECK(e->run(CheckInCode{"TKT-2"}).verdict == Verdict::CapacityReached);  // cannot come back
  CHECK(e->run(MarkReturned{2}).verdict == Verdict::Returned);              // an organizer may
  CHECK(e->snapshot()->in_room == 3);
}

TEST_CASE("an exit door marks people as gone - a second process sees it") {
  const std::string file = (std::filesystem::temp_directory_path() /
                            ("fd-presence-" + std::to_string(::getpid()) + ".db"))
                               .string();
  {
    auto entrance = door(0, false, file);
    auto exit = door(0, true, file);
    REQUIRE(entrance->run(CheckInCode{"TKT-2"}).verdict == Verdict::Admitted);
    CHECK(exit->run(CheckInCode{"TKT-3"}).verdict == Verdict::NotIn);
    const Decision out = exit->run(CheckInCode{"TKT-2"});
    CHECK(out.verdict == Verdict::Left);
    CHECK(out.door == "exit");
    // The entrance's engine catches up within its 200 ms watch.
    for (int i = 0; i < 50 && entrance->snapshot()->in_room != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(entrance->snapshot()->in_room == 0);
    CHECK(entrance->snapshot()->checked_in == 1);
    // An organizer checking in by hand at the exit door still checks in.
    CHECK(exit->run(CheckInAttendee{3, Method::Manual}).verdict == Verdict::Admitted);
  }
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(file + ext);
}
