// The badge queue as an organizer meets it: no printer, no labels wasted;
// a printer back after a long outage prints only the last few minutes.
#include <doctest/doctest.h>

#include "TestSupport.h"
#include "store/Store.h"

using namespace fd;

namespace {

struct Door {
  fd::test::TempDir dir;
  std::unique_ptr<Store> store;
  std::int64_t event = 0;
  std::vector<std::int64_t> people;

  explicit Door(int n) {
    auto s = Store::open(dir.path / "frontdesk.db");
    REQUIRE(s.ok());
    store = std::move(*s);
    event = store->create_event("june", "June meetup").id;
    ImportBatch b;
    b.source = "csv";
    for (int i = 1; i <= n; ++i) {
      AttendeeRow r;
      r.external_id = std::to_string(i);
      r.full_name = "Person " + std::to_string(i);
      b.rows.push_back(r);
    }
    store->merge_attendees(event, b, "list.csv", false);
    for (const AttendeeRecord& a : store->attendees(event)) people.push_back(a.id);
  }
};

constexpr TimeMs kEvening = 1'780'000'000'000;  // some evening
constexpr TimeMs kMinute = 60'000;

}  // namespace

TEST_CASE("without a printer a check-in queues no badge - and a printer added later prints none") {
  Door door(3);
  door.store->set_print_badges(false);
  door.store->append_checkin(door.event, door.people[0], "door 1", Method::Qr, kEvening);
  door.store->append_checkin(door.event, door.people[1], "door 1", Method::Qr, kEvening);
  CHECK(door.store->counts().badge_jobs_open == 0);
  // Every check-in still has its (unprinted) job: the store verifies.
  CHECK(door.store->verify().ok());
  // The printer is set up a minute later: nothing of the backlog prints.
  door.store->set_print_badges(true);
  CHECK_FALSE(door.store->claim_badge_job(kEvening + kMinute).has_value());
  CHECK(door.store->held_badges().empty());
  // The next person's badge prints.
  door.store->append_checkin(door.event, door.people[2], "door 1", Method::Qr,
                             kEvening + 2 * kMinute);
  const auto job = door.store->claim_badge_job(kEvening + 2 * kMinute);
  REQUIRE(job.has_value());
  CHECK(job->attendee_id == door.people[2]);
}

TEST_CASE("a printer back after a long outage prints the last minutes - the rest are held") {
  Door door(4);
  // Two came in while the printer was off, 25 and 20 minutes ago; two
  // came in the last few minutes.
  const TimeMs now = kEvening + 30 * kMinute;
  door.store->append_checkin(door.event, door.people[0], "door 1", Method::Qr, now - 25 * kMinute);
  door.store->append_checkin(door.event, door.people[1], "door 1", Method::Qr, now - 20 * kMinute);
  door.store->append_checkin(door.event, door.people[2], "door 1", Method::Qr, now - 4 * kMinute);
  door.store->append_checkin(door.event, door.people[3], "door 1", Method::Qr, now - 1 * kMinute);
  CHECK(door.store->counts().badge_jobs_open == 4);

  std::vector<std::int64_t> printed;
  while (auto job = door.store->claim_badge_job(now)) {
    printed.push_back(job->attendee_id);
    door.store->finish_badge_job(job->id, "done", "", now);
  }
  CHECK(printed == std::vector<std::int64_t>{door.people[2], door.people[3]});
  const QueueCounts q = door.store->counts();
  CHECK(q.badge_jobs_open == 0);
  CHECK(q.badge_jobs_held == 2);
  const auto held = door.store->held_badges();
  REQUIRE(held.size() == 2);
  CHECK(held[0].attendee_id == door.people[0]);
  CHECK(held[0].asked_at == now - 25 * kMinute);

  // The organizer wants one of them after all: it prints, the other stays.
  CHECK(door.store->release_held_badges({held[1].job_id}, now + kMinute) == 1);
  const auto again = door.store->claim_badge_job(now + kMinute);
  REQUIRE(again.has_value());
  CHECK(again->attendee_id == door.people[1]);
  door.store->finish_badge_job(again->id, "done", "", now + kMinute);
  CHECK(door.store->counts().badge_jobs_held == 1);
  // Then every held one.
  CHECK(door.store->release_held_badges({}, now + 2 * kMinute) == 1);
  CHECK(door.store->claim_badge_job(now + 2 * kMinute).has_value());
  CHECK(door.store->counts().badge_jobs_held == 0);
}

TEST_CASE("a badge already sent to the printer is followed - never held") {
  Door door(1);
  const TimeMs at = kEvening;
  door.store->append_checkin(door.event, door.people[0], "door 1", Method::Qr, at);
  auto job = door.store->claim_badge_job(at);
  REQUIRE(job.has_value());
  door.store->set_badge_printer_job(job->id, "0:cups-17");
  door.store->finish_badge_job(job->id, "queued", "printer busy", at);
  const auto later = door.store->claim_badge_job(at + 30 * kMinute);
  REQUIRE(later.has_value());
  CHECK(later->printer_job == "0:cups-17");
  CHECK(door.store->counts().badge_jobs_held == 0);
}
