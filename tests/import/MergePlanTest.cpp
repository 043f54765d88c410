// What a merge would do, decided before anything is written (model/MergePlan.h):
// who is added, changed and cancelled, and when an import or a pull is held
// back because it would cancel much of the list, holds no one, or is older.
#include <doctest/doctest.h>

#include "base/Time.h"
#include "model/MergePlan.h"

using namespace fd;

namespace {

std::vector<AttendeeRecord> list_of(int n, const std::string& source = "meetup") {
  std::vector<AttendeeRecord> out;
  for (int i = 1; i <= n; ++i) {
    AttendeeRecord a;
    a.id = i;
    a.source = source;
    a.external_id = std::to_string(100 + i);
    a.full_name = "Person " + std::to_string(i);
    a.first_name = "Person";
    a.last_name = std::to_string(i);
    out.push_back(a);
  }
  return out;
}

AttendeeRow row_of(const AttendeeRecord& a) {
  AttendeeRow r;
  r.external_id = a.external_id;
  r.full_name = a.full_name;
  r.first_name = a.first_name;
  r.last_name = a.last_name;
  r.rsvp = a.rsvp;
  r.guests = a.guests;
  return r;
}

ImportBatch batch_of(const std::vector<AttendeeRecord>& people) {
  ImportBatch b;
  b.source = "meetup";
  for (const AttendeeRecord& a : people) b.rows.push_back(row_of(a));
  return b;
}

}  // namespace

TEST_CASE("a header-only file with --prune would cancel everyone - it is held, saying so") {
  const auto list = list_of(30);
  ImportBatch empty;
  empty.source = "meetup";
  const MergePlan plan = plan_merge(list, empty, {true, true, 0});
  CHECK(plan.hold == MergeHold::NoAttendees);
  CHECK(plan.would.cancelled == 30);
  CHECK(hold_reason(plan) ==
        "The file holds no attendees (a header and no rows: a download cut short?); importing it "
        "would cancel 30 people of the 30 on the list");
  // Without --prune it would change nothing, and is still no list.
  CHECK(plan_merge(list, empty, {false, true, 0}).hold == MergeHold::NoAttendees);
  // A sync pull may bring nothing new: that is not held.
  CHECK_FALSE(plan_merge(list, empty, {false, false, 0}).held());
}

TEST_CASE("cancelling more than a tenth of the list is held - a few cancellations are not") {
  const auto list = list_of(30);
  auto newer = list;
  for (int i = 0; i < 4; ++i) newer[static_cast<std::size_t>(i)].rsvp = Rsvp::No;
  MergePlan plan = plan_merge(list, batch_of(newer), {false, true, 0});
  CHECK(plan.hold == MergeHold::ManyCancelled);
  CHECK(hold_reason(plan) ==
        "It would cancel 4 people of the 30 on the list (more than a tenth): checked-in people "
        "would count as let in off the list and their tickets would be refused");
  REQUIRE(plan.would.cancelled_people.size() == 4);
  CHECK(plan.would.cancelled_people[0].name == "Person 1");
  CHECK(plan.would.cancelled_people[0].what == "RSVP yes → no");
  // Three of 30 is a tenth, not more: it goes through.
  newer[3].rsvp = Rsvp::Yes;
  CHECK_FALSE(plan_merge(list, batch_of(newer), {false, true, 0}).held());
  // On a small list, one or two cancellations are the usual news of a newer export.
  const auto small = list_of(5);
  auto two_no = small;
  two_no[0].rsvp = two_no[1].rsvp = Rsvp::Cancelled;
  CHECK_FALSE(plan_merge(small, batch_of(two_no), {false, true, 0}).held());
  // Pruning counts as cancelling.
  const std::vector<AttendeeRecord> half(list.begin(), list.begin() + 20);
  CHECK(plan_merge(list, batch_of(half), {true, true, 0}).hold == MergeHold::ManyCancelled);
  CHECK_FALSE(plan_merge(list, batch_of(half), {false, true, 0}).held());
}

TEST_CASE("the plan names who is added and changed, and what changed") {
  const auto list = list_of(3);
  auto newer = list;
  newer[0].rsvp = Rsvp::Waitlist;
  newer[1].guests = 2;
  newer[2].full_name = "Person Three";
  AttendeeRecord added;
  added.source = "meetup";
  added.external_id = "999";
  added.full_name = "Ana García";
  newer.push_back(added);
  const MergePlan plan = plan_merge(list, batch_of(newer), {false, true, 0});
  CHECK_FALSE(plan.held());
  CHECK(plan.would.added == 1);
  CHECK(plan.would.updated == 3);
  REQUIRE(plan.would.added_people.size() == 1);
  CHECK(plan.would.added_people[0].name == "Ana García");
  REQUIRE(plan.would.changed_people.size() == 3);
  CHECK(plan.would.changed_people[0].what == "RSVP yes → waitlist");
  CHECK(plan.would.changed_people[1].what == "guests 0 → 2");
  CHECK(plan.would.changed_people[2].what == "name was Person 3");
  // Another source's people are not this file's to change.
  CHECK(plan_merge(list_of(3, "luma"), batch_of(newer), {true, true, 0}).would.cancelled == 0);
}

TEST_CASE("an export older than the list is held when it would put changes back") {
  const auto list = list_of(10);
  auto older = list;
  older[0].rsvp = Rsvp::Waitlist;  // as they were before they got a place
  ImportBatch b = batch_of(older);
  b.as_of = parse_datetime("2026-11-01 10:00");
  const TimeMs list_as_of = parse_datetime("2026-11-03 12:30");
  const MergePlan plan = plan_merge(list, b, {false, true, list_as_of});
  CHECK(plan.hold == MergeHold::OlderExport);
  CHECK(hold_reason(plan) ==
        "This export is older than the list: its newest RSVP is from 2026-11-01 10:00, the list "
        "already has RSVPs up to 2026-11-03 12:30; importing it would put back 1 change");
  // The same file, newer than the list, or one that changes nothing: no question.
  b.as_of = parse_datetime("2026-11-04 10:00");
  CHECK_FALSE(plan_merge(list, b, {false, true, list_as_of}).held());
  ImportBatch same = batch_of(list);
  same.as_of = parse_datetime("2026-11-01 10:00");
  CHECK_FALSE(plan_merge(list, same, {false, true, list_as_of}).held());
}
