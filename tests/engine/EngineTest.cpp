#include <doctest/doctest.h>

#include <filesystem>

#include "engine/Engine.h"
#include "search/SearchIndex.h"
#include "store/Store.h"

using namespace fd;

namespace {

AttendeeRow row(const std::string& id, const std::string& name, Rsvp rsvp = Rsvp::Yes,
                int guests = 0) {
  AttendeeRow r;
  r.external_id = id;
  r.ticket_code = "TKT-" + id;
  r.full_name = name;
  r.first_name = name.substr(0, name.find(' '));
  r.email = id + "@example.org";
  r.rsvp = rsvp;
  r.guests = guests;
  return r;
}

struct Door {
  std::unique_ptr<Engine> engine;
  Door(std::vector<AttendeeRow> rows, int capacity = 0, bool admit_not_expected = false,
       const std::filesystem::path& file = ":memory:") {
    auto store = Store::open(file);
    REQUIRE(store.ok());
    auto ev = (*store)->event_by_slug("june");
    if (!ev) ev = (*store)->create_event("june", "June meetup");
    ev->capacity = capacity;
    (*store)->update_event(*ev);
    ImportBatch b;
    b.source = "csv";
    b.rows = std::move(rows);
    (*store)->merge_attendees(ev->id, b, "list.csv", false);
    engine = std::make_unique<Engine>(std::move(*store),
                                      EngineOptions::for_event(ev->id, admit_not_expected));
  }
  Decision scan(const std::string& code) { return engine->run(CheckInCode{code, Method::Qr}); }
};

}  // namespace

TEST_CASE("a valid ticket is admitted once - the second scan says when and where") {
  Door door({row("1", "Ana García"), row("2", "Bo Li")});
  const Decision first = door.scan("TKT-1");
  CHECK(first.verdict == Verdict::Admitted);
  CHECK(first.message == "Welcome, Ana!");
  REQUIRE(first.who.has_value());
  CHECK(first.who->full_name == "Ana García");
  const Decision again = door.scan("TKT-1\r\n");  // a handheld scanner's Enter
  CHECK(again.verdict == Verdict::AlreadyIn);
  CHECK(again.door == "door 1");
  CHECK(again.at == first.at);
  CHECK(again.message.find("Already checked in at") == 0);
  const auto snap = door.engine->snapshot();
  CHECK(snap->checked_in == 1);
  CHECK(snap->recent.size() == 1);
  CHECK(snap->recent.front().name == "Ana García");
}

TEST_CASE("refusals say why in plain words and record nothing") {
  Door door({row("1", "Ana García", Rsvp::Cancelled), row("2", "Bo Li", Rsvp::Waitlist),
             row("3", "Cy Young", Rsvp::No)});
  CHECK(door.scan("NOPE").verdict == Verdict::UnknownTicket);
  CHECK(door.scan("   ").verdict == Verdict::NotATicket);
  const Decision cancelled = door.scan("TKT-1");
  CHECK(cancelled.verdict == Verdict::Cancelled);
  CHECK(cancelled.message.find("cancelled") != std::string::npos);
  CHECK(door.scan("TKT-2").verdict == Verdict::NotAttending);
  CHECK(door.scan("TKT-3").verdict == Verdict::NotAttending);
  CHECK(door.engine->snapshot()->headcount() == 0);
  CHECK(door.engine->snapshot()->queues.outbox_pending == 0);
  // An organizer can still let them in by hand.
  CHECK(door.engine->run(CheckInAttendee{door.engine->snapshot()->roster->at(1).id, Method::Manual})
            .verdict == Verdict::Admitted);
  CHECK(door.engine->snapshot()->unexpected_in == 1);
}

TEST_CASE("meetups that let in waitlisted people can say so") {
  Door door({row("2", "Bo Li", Rsvp::Waitlist)}, 0, /*admit_not_expected=*/true);
  CHECK(door.scan("TKT-2").verdict == Verdict::Admitted);
}

TEST_CASE("a ticket of another event in the same store is named as such") {
  auto store = Store::open(":memory:");
  REQUIRE(store.ok());
  const auto may = (*store)->create_event("may", "May meetup");
  const auto june = (*store)->create_event("june", "June meetup");
  ImportBatch b;
  b.source = "csv";
  b.rows = {row("9", "Old Timer")};
  (*store)->merge_attendees(may.id, b, "may.csv", false);
  Engine engine(std::move(*store), EngineOptions::for_event(june.id));
  const Decision d = engine.run(CheckInCode{"TKT-9", Method::Qr});
  CHECK(d.verdict == Verdict::WrongEvent);
  CHECK(d.message == "This ticket is for another event (May meetup)");
}

TEST_CASE("capacity counts guests and walk-ins - and organizers may override") {
  Door door({row("1", "Ana García", Rsvp::Yes, 2), row("2", "Bo Li"), row("3", "Cy Young")}, 4);
  CHECK(door.scan("TKT-1").verdict == Verdict::Admitted);  // 3 people in
  CHECK(door.scan("TKT-2").verdict == Verdict::Admitted);  // 4
  const Decision full = door.scan("TKT-3");
  CHECK(full.verdict == Verdict::CapacityReached);
  CHECK(full.message.find("capacity 4") != std::string::npos);
  CHECK(door.engine->run(WalkIn{"Dee", "", "", ""}).verdict == Verdict::CapacityReached);
  CHECK(door.engine->snapshot()->headcount() == 4);
}

TEST_CASE("undo annuls the latest check-in at this door - the person can check in again") {
  Door door({row("1", "Ana García"), row("2", "Bo Li")});
  CHECK(door.engine->run(Undo{}).verdict == Verdict::NothingToUndo);
  door.scan("TKT-1");
  const Decision bo = door.scan("TKT-2");
  const Decision undo = door.engine->run(Undo{});
  CHECK(undo.verdict == Verdict::Undone);
  CHECK(undo.checkin_uuid == bo.checkin_uuid);
  CHECK(door.engine->snapshot()->checked_in == 1);
  CHECK(door.scan("TKT-2").verdict == Verdict::Admitted);
  CHECK(door.engine->snapshot()->checked_in == 2);
  int annuls = 0;
  for (const auto& e : door.engine->log().get()) annuls += e.kind == CheckInKind::Annul;
  CHECK(annuls == 1);  // recorded, not deleted
}

TEST_CASE("walk-ins need a name - are counted apart and are searchable at once") {
  Door door({row("1", "Ana García")});
  CHECK(door.engine->run(WalkIn{" ", "", "", ""}).verdict == Verdict::Failed);
  const Decision d = door.engine->run(WalkIn{"Zoë", "Ångström", "zoe@example.org", "Nordic AB"});
  CHECK(d.verdict == Verdict::Admitted);
  CHECK(d.message == "Welcome, Zoë!");
  const auto snap = door.engine->snapshot();
  CHECK(snap->walk_ins == 1);
  CHECK(snap->checked_in == 0);
  CHECK(snap->rsvp_yes == 1);
  const auto hits = snap->search->find("angstrom", 5);
  REQUIRE(hits.size() == 1);
  CHECK(snap->attendee(hits[0].id)->company == "Nordic AB");
  CHECK(snap->attendee(hits[0].id)->email_initial == "z");
}

TEST_CASE("a re-import never drops a check-in - and the door keeps its state") {
  Door door({row("1", "Ana García"), row("2", "Bo Li")});
  door.scan("TKT-1");
  ImportBatch newer;
  newer.source = "csv";
  newer.rows = {row("1", "Ana María García"), row("3", "New Person")};
  const Decision d = door.engine->run(MergeImport{newer, "newer.csv", /*prune_missing=*/true});
  CHECK(d.verdict == Verdict::Imported);
  CHECK(d.import.added == 1);
  CHECK(d.import.updated == 1);
  CHECK(d.import.cancelled == 1);
  const auto snap = door.engine->snapshot();
  CHECK(snap->checked_in == 1);
  CHECK(door.scan("TKT-1").verdict == Verdict::AlreadyIn);
  CHECK(door.scan("TKT-2").verdict == Verdict::Cancelled);
}

TEST_CASE("presence is derived from the log when the kiosk restarts") {
  const auto file =
      std::filesystem::temp_directory_path() / ("fd-engine-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(file);
  std::string uuid;
  {
    Door door({row("1", "Ana García"), row("2", "Bo Li"), row("3", "Cy Young")}, 0, false, file);
    uuid = door.scan("TKT-1").checkin_uuid;
    door.scan("TKT-2");
    door.engine->run(Undo{});
  }
  {
    Door door({}, 0, false, file);
    const auto snap = door.engine->snapshot();
    CHECK(snap->checked_in == 1);
    REQUIRE(snap->recent.size() == 1);
    CHECK(snap->recent.front().uuid == uuid);
    CHECK(door.scan("TKT-1").verdict == Verdict::AlreadyIn);
    CHECK(door.scan("TKT-2").verdict == Verdict::Admitted);
  }
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + ext);
}

TEST_CASE("arrivals are bucketed by the clock and net of undone check-ins") {
  Snapshot s;
  const TimeMs base = 1'700'000'000'000 - (1'700'000'000'000 % 900'000);  // a quarter hour
  s.arrivals_per_minute = {{base, 2}, {base + 60'000, 3}, {base + 16 * 60'000, 1}};
  const auto q = s.arrivals_per(15);
  REQUIRE(q.size() == 2);
  CHECK(q[0] == std::pair<TimeMs, int>{base, 5});
  CHECK(q[1] == std::pair<TimeMs, int>{base + 15 * 60'000, 1});
}

TEST_CASE("regulars are recognised: attendance counts across events") {
  auto store = Store::open(":memory:");
  REQUIRE(store.ok());
  std::int64_t last_event = 0;
  for (int m = 1; m <= 3; ++m) {
    const auto ev = (*store)->create_event("m" + std::to_string(m), "Meetup " + std::to_string(m));
    ImportBatch b;
    b.source = "meetup";
    AttendeeRow r = row("rsvp" + std::to_string(m), "Ana García");
    r.member_id = "777";
    b.rows = {r};
    (*store)->merge_attendees(ev.id, b, "m.csv", false);
    if (m < 3)
      (*store)->append_checkin(ev.id, (*store)->attendees(ev.id)[0].id, "door 1", Method::Qr,
                               now_ms());
    last_event = ev.id;
  }
  Engine engine(std::move(*store), EngineOptions::for_event(last_event));
  const Decision d = engine.run(CheckInCode{"TKT-rsvp3", Method::Qr});
  CHECK(d.verdict == Verdict::Admitted);
  CHECK(d.visits == 3);
}

TEST_CASE("outside input at the door has limits - a huge name or code is refused in plain words") {
  Door door({row("1", "Ana García")});
  const Decision walk = door.engine->run(WalkIn{std::string(5000, 'x'), "", "", ""});
  CHECK(walk.verdict == Verdict::Failed);
  CHECK(walk.message.size() < 80);
  const Decision scan = door.scan(std::string(100000, 'Q'));
  CHECK(scan.verdict == Verdict::NotATicket);
  CHECK(scan.message.size() < 80);
  CHECK(door.engine->snapshot()->headcount() == 0);
}

TEST_CASE("a sync pull that would cancel more than a tenth of the list is held - nothing changes") {
  std::vector<AttendeeRow> rows;
  for (int i = 1; i <= 20; ++i)
    rows.push_back(row(std::to_string(i), "Person " + std::to_string(i)));
  Door door(rows);
  REQUIRE(door.scan("TKT-1").verdict == Verdict::Admitted);
  MergePull pull;
  pull.service = "csv";  // the list's own source, as a service would pull it
  pull.batch.source = "csv";
  for (int i = 1; i <= 5; ++i)
    pull.batch.rows.push_back(
        row(std::to_string(i), "Person " + std::to_string(i), Rsvp::Cancelled));
  pull.cursor = "next-page";
  const Decision held = door.engine->run(pull);
  CHECK(held.verdict == Verdict::Held);
  CHECK(held.message ==
        "It would cancel 5 people of the 20 on the list (more than a tenth): checked-in people "
        "would count as let in off the list and their tickets would be refused. Nothing was "
        "changed.");
  CHECK(held.import.cancelled == 5);
  REQUIRE(held.import.cancelled_people.size() == 5);
  CHECK(held.import.cancelled_people[0].name == "Person 1");
  CHECK(door.scan("TKT-2").verdict == Verdict::Admitted);  // still on the list
  // An organizer who confirms it lets it through.
  pull.confirmed = true;
  const Decision done = door.engine->run(pull);
  CHECK(done.verdict == Verdict::Imported);
  CHECK(door.scan("TKT-3").verdict == Verdict::Cancelled);
}

TEST_CASE("an import with no attendee rows is held - an undone undo says when and where") {
  Door door({row("1", "Ana García"), row("2", "Bo Li")});
  ImportBatch empty;
  empty.source = "csv";
  const Decision held = door.engine->run(MergeImport{empty, "cut.csv", true});
  CHECK(held.verdict == Verdict::Held);
  CHECK(door.scan("TKT-1").verdict == Verdict::Admitted);
  REQUIRE(door.engine->run(Undo{}).verdict == Verdict::Undone);
  const Decision again = door.engine->run(Undo{});
  CHECK(again.verdict == Verdict::NothingToUndo);
  CHECK(again.message.rfind("The check-in of Ana García at ", 0) == 0);
  CHECK(again.message.find(" (door 1) was already undone at ") != std::string::npos);
}

TEST_CASE("a walk-in with the name of someone on the list asks first - titles aside") {
  Door door({row("1", "Dr. Jane Smith"), row("2", "Bo Li")});
  const Decision asked = door.engine->run(WalkIn{"Jane", "Smith", "", ""});
  CHECK(asked.verdict == Verdict::IsThisYou);
  REQUIRE(asked.who.has_value());
  CHECK(asked.who->full_name == "Dr. Jane Smith");
  CHECK(door.engine->snapshot()->walk_ins == 0);  // nobody registered yet
  // Not her: a new person, asked and answered.
  CHECK(door.engine->run(WalkIn{"Jane", "Smith", "", "", true}).verdict == Verdict::Admitted);
  CHECK(door.engine->snapshot()->walk_ins == 1);
  // Another Smith is someone else.
  CHECK(door.engine->run(WalkIn{"John", "Smith", "", ""}).verdict == Verdict::Admitted);
}
