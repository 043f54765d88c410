// Golden figures on small hand-made events: what a venue and a sponsor read.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include "report/Summary.h"

using namespace fd;

namespace {

void utc() {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
}

// 2026-03-12 18:00 UTC, a Thursday.
constexpr TimeMs kT0 = 1'773'338'400'000;
constexpr TimeMs kMin = 60'000;

ListEntryFacts entry(std::int64_t id, std::int64_t person, Rsvp rsvp, TimeMs at, int guests = 0,
                     bool walk_in = false, const std::string& door = "door 1",
                     Method method = Method::Qr) {
  ListEntryFacts f;
  f.attendee_id = id;
  f.person_id = person;
  f.rsvp = rsvp;
  f.guests = guests;
  f.walk_in = walk_in;
  f.arrived_at = at;
  f.door = at ? door : "";
  f.method = method;
  return f;
}

EventAttendance march() {
  EventAttendance e;
  e.event = {1, "march", "March meetup", kT0, 40};
  e.entries = {
      entry(1, 1, Rsvp::Yes, kT0 + 2 * kMin, 1),  // with a +1
      entry(2, 2, Rsvp::Yes, kT0 + 10 * kMin),
      entry(3, 3, Rsvp::Yes, kT0 + 20 * kMin, 0, false, "door 2"),
      entry(4, 4, Rsvp::Yes, 0),     // no-show
      entry(5, 5, Rsvp::Yes, 0, 2),  // no-show with guests
      entry(6, 6, Rsvp::Waitlist, kT0 + 31 * kMin, 0, false, "door 1", Method::Manual),
      entry(7, 7, Rsvp::No, 0),
      entry(8, 8, Rsvp::Cancelled, 0),
      entry(9, 0, Rsvp::Yes, kT0 + 47 * kMin, 0, true, "door 1", Method::WalkIn),
  };
  return e;
}

}  // namespace

TEST_CASE("an event's totals - rate - peak and quarter hours") {
  utc();
  const EventSummary s = summarize_event(march());
  CHECK(s.rsvp_yes == 5);
  CHECK(s.guests_expected == 3);
  CHECK(s.expected() == 8);
  CHECK(s.came_yes == 3);
  CHECK(s.guests_in == 1);
  CHECK(s.walk_ins == 1);
  CHECK(s.off_list == 1);
  CHECK(s.waitlisted == 1);
  CHECK(s.declined == 2);
  CHECK(s.headcount() == 6);
  CHECK(s.no_shows() == 2);
  CHECK(s.attendance_rate() == doctest::Approx(0.6));
  CHECK(s.peak == 6);
  CHECK(s.peak_at == kT0 + 47 * kMin);
  CHECK(s.date == kT0);
  REQUIRE(s.arrivals_per_15.size() == 4);                         // 18:00, 18:15, 18:30, 18:45
  CHECK(s.arrivals_per_15[0] == std::pair<TimeMs, int>{kT0, 3});  // 2 heads + 1
  CHECK(s.arrivals_per_15[1].second == 1);
  CHECK(s.arrivals_per_15[2].second == 1);
  CHECK(s.arrivals_per_15[3].second == 1);
  CHECK(s.in_room_per_15 == std::vector<int>{3, 4, 5, 6});
  CHECK(s.by_door == std::vector<std::pair<std::string, int>>{{"door 1", 5}, {"door 2", 1}});
  CHECK(s.by_method ==
        std::vector<std::pair<std::string, int>>{{"manual", 1}, {"qr", 4}, {"walkin", 1}});
}

TEST_CASE("people leaving lower the peak and move it") {
  EventAttendance e = march();
  e.departures = {kT0 + 25 * kMin, kT0 + 26 * kMin};
  const EventSummary s = summarize_event(e);
  CHECK(s.headcount() == 6);
  CHECK(s.peak == 4);
  CHECK(s.peak_at == kT0 + 20 * kMin);
  CHECK(s.in_room_per_15 == std::vector<int>{3, 2, 3, 4});
}

TEST_CASE("an event nobody came to yet is not held") {
  EventAttendance e;
  e.event = {2, "april", "April meetup", 0, 0};
  e.entries = {entry(1, 1, Rsvp::Yes, 0)};
  const EventSummary s = summarize_event(e);
  CHECK(s.date == 0);
  CHECK(s.headcount() == 0);
  CHECK(s.arrivals_per_15.empty());
  CHECK(s.attendance_rate() == doctest::Approx(0.0));
}

TEST_CASE("the group's months - new faces - regulars - no-show rate") {
  utc();
  PeopleFacts pf;
  for (std::int64_t id = 1; id <= 6; ++id)
    pf.people.push_back({id, "meetup:" + std::to_string(id), "P" + std::to_string(id)});
  pf.people.push_back({7, "email:p1@example.org", "P1"});  // person 1 again, on Luma
  pf.links.push_back({1, "email:p1@example.org"});
  const PeopleGroups groups = group_people(pf);

  const auto event = [](std::int64_t id, TimeMs start, std::vector<ListEntryFacts> entries) {
    EventAttendance e;
    e.event = {id, "e" + std::to_string(id), "Event " + std::to_string(id), start, 0};
    e.entries = std::move(entries);
    return e;
  };
  const TimeMs jan = 1'768'500'000'000;  // 2026-01-15
  const TimeMs feb = 1'771'200'000'000;  // 2026-02-16
  const TimeMs feb2 = feb + 7 * 24 * 3600 * 1000LL;
  std::vector<EventAttendance> all = {
      event(1, jan,
            {entry(1, 1, Rsvp::Yes, jan + 1), entry(2, 2, Rsvp::Yes, jan + 2),
             entry(3, 3, Rsvp::Yes, 0), entry(4, 4, Rsvp::Yes, jan + 3)}),
      event(2, feb,
            {entry(5, 7, Rsvp::Yes, feb + 1), entry(6, 2, Rsvp::Yes, feb + 2),
             entry(7, 5, Rsvp::Yes, feb + 3), entry(8, 6, Rsvp::Yes, 0),
             entry(9, 0, Rsvp::Yes, feb + 4, 0, true)}),
      event(3, feb2,
            {entry(10, 1, Rsvp::Yes, feb2 + 1), entry(11, 5, Rsvp::Yes, feb2 + 2),
             entry(12, 3, Rsvp::Yes, 0)}),
      event(4, 0, {entry(13, 1, Rsvp::Yes, 0)}),  // next month's list, nobody in yet
  };
  const GroupTrend t = group_trend(all, groups);
  CHECK(t.not_held == 1);
  REQUIRE(t.months.size() == 2);
  const MonthFigures& m1 = t.months[0];
  CHECK(m1.month == "2026-01");
  CHECK(m1.events == 1);
  CHECK(m1.rsvp_yes == 4);
  CHECK(m1.came_yes == 3);
  CHECK(m1.headcount == 3);
  CHECK(m1.people == 3);
  CHECK(m1.new_faces == 3);
  CHECK(m1.returning == 0);
  CHECK(m1.no_show_rate() == doctest::Approx(0.25));
  const MonthFigures& m2 = t.months[1];
  CHECK(m2.month == "2026-02");
  CHECK(m2.events == 2);
  CHECK(m2.rsvp_yes == 7);  // the walk-in is no RSVP
  CHECK(m2.came_yes == 5);
  CHECK(m2.headcount == 6);
  // Person 1 (by e-mail on Luma, then by Meetup id), 2, 5 and the walk-in.
  CHECK(m2.people == 4);
  CHECK(m2.new_faces == 2);  // 5 and the walk-in
  CHECK(m2.returning == 2);
  CHECK(m2.regulars == 1);  // person 1's third event
  CHECK(m2.no_show_rate() == doctest::Approx(2.0 / 7));
  CHECK(t.people == 5);  // 3 and 6 never came
  CHECK(t.regulars == 1);
  CHECK(t.unlinked == 1);
  const EventSummary* e3 = t.event(3);
  REQUIRE(e3);
  CHECK(e3->first_timers == 0);
  CHECK(e3->returning == 2);
  CHECK(e3->regulars == 1);
  CHECK(t.event(2)->first_timers == 2);
  CHECK(t.event(4) == nullptr);
}
