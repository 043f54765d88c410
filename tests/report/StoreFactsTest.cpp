// The facts reports count, gathered through the engine from a real store:
// arrivals replayed from the log as the engine's presence, identities across
// services, and organizers' merge and split as engine commands.
#include <doctest/doctest.h>

#include "engine/Engine.h"
#include "report/People.h"
#include "report/Summary.h"
#include "store/Store.h"

using namespace fd;

namespace {

constexpr TimeMs kT0 = 1'773'338'400'000;  // 2026-03-12 18:00 UTC
constexpr TimeMs kMin = 60'000;

AttendeeRow row(const std::string& id, const std::string& name, const std::string& member,
                const std::string& email, Rsvp rsvp = Rsvp::Yes) {
  AttendeeRow r;
  r.external_id = id;
  r.member_id = member;
  r.ticket_code = "T-" + id;
  r.full_name = name;
  r.email = email;
  r.rsvp = rsvp;
  return r;
}

struct TwoEvents {
  std::unique_ptr<Engine> engine;
  std::int64_t feb = 0, mar = 0;
  explicit TwoEvents(bool choose_event = true) {
    auto store = Store::open(":memory:");
    REQUIRE(store.ok());
    Store& s = **store;
    const EventRecord e1 = s.create_event("feb", "February meetup");
    const EventRecord e2 = s.create_event("mar", "March meetup");
    feb = e1.id;
    mar = e2.id;
    ImportBatch meetup;
    meetup.source = "meetup";
    meetup.rows = {row("m1", "Ana García", "1001", "Ana@Example.org"),
                   row("m2", "Bo Li", "1002", ""), row("m3", "Cy Young", "1003", "")};
    s.merge_attendees(feb, meetup, "meetup.csv", false);
    ImportBatch luma;
    luma.source = "luma";
    luma.rows = {row("g1", "Ana Garcia", "", "ana@example.org"),
                 row("g2", "bo li", "", "bo@example.org"),
                 row("g3", "Dee Dee", "", "dee@example.org")};
    s.merge_attendees(mar, luma, "luma.csv", false);
    const auto feb_list = s.attendees(feb);
    const auto mar_list = s.attendees(mar);
    // February: Ana in, Bo in twice (a second door's duplicate), Cy in and annulled.
    s.append_checkin(feb, feb_list[0].id, "door 1", Method::Qr, kT0 - 28 * 24 * 60 * kMin);
    s.append_checkin(feb, feb_list[1].id, "door 1", Method::Qr, kT0 - 28 * 24 * 60 * kMin + kMin);
    s.append_checkin(feb, feb_list[1].id, "door 2", Method::Qr,
                     kT0 - 28 * 24 * 60 * kMin + 2 * kMin);
    const LogEntry cy = s.append_checkin(feb, feb_list[2].id, "door 1", Method::Qr,
                                         kT0 - 28 * 24 * 60 * kMin + 3 * kMin);
    s.append_annul(cy, "door 1", kT0 - 28 * 24 * 60 * kMin + 4 * kMin);
    // March: Ana and Bo come, annulled once and in again.
    const LogEntry ana = s.append_checkin(mar, mar_list[0].id, "door 1", Method::Qr, kT0);
    s.append_annul(ana, "door 1", kT0 + kMin);
    s.append_checkin(mar, mar_list[0].id, "door 1", Method::Search, kT0 + 5 * kMin);
    s.append_checkin(mar, mar_list[1].id, "door 1", Method::Qr, kT0 + 6 * kMin);
    EngineOptions o;
    if (choose_event) o.event_id = mar;
    o.require_event = choose_event;
    engine = std::make_unique<Engine>(std::move(*store), o);
  }
  PeopleGroups groups() { return group_people(engine->people_facts().get()); }
  std::int64_t person(const std::string& identity) {
    for (const PersonRecord& p : engine->people_facts().get().people)
      if (p.identity == identity) return p.id;
    FAIL("no person " << identity);
    return 0;
  }
};

}  // namespace

TEST_CASE("arrivals are replayed from the log as the engine counts presence") {
  TwoEvents t;
  const auto all = t.engine->attendance().get();
  REQUIRE(all.size() == 2);
  const EventSummary feb = summarize_event(all[0]);
  CHECK(feb.event.slug == "feb");
  CHECK(feb.came_yes == 2);  // Cy's check-in was annulled; Bo's duplicate counts once
  CHECK(feb.by_door == std::vector<std::pair<std::string, int>>{{"door 1", 2}});
  const EventSummary mar = summarize_event(all[1]);
  CHECK(mar.came_yes == 2);
  CHECK(mar.first_arrival == kT0 + 5 * kMin);  // Ana's second check-in
  // The same numbers the engine's snapshot shows.
  CHECK(t.engine->snapshot()->checked_in == mar.came_yes);
  for (const EventAttendance& e : all)
    for (const ListEntryFacts& f : e.entries) CHECK(f.person_id != 0);
}

TEST_CASE("a Meetup member is the Luma guest by e-mail - and by name - across the store") {
  TwoEvents t;
  const PeopleGroups g = t.groups();
  const std::int64_t ana_meetup = t.person("meetup:1001"),
                     ana_luma = t.person("email:ana@example.org");
  const std::int64_t bo_meetup = t.person("meetup:1002"),
                     bo_luma = t.person("email:bo@example.org");
  CHECK(g.group(ana_meetup) == g.group(ana_luma));  // the Meetup row carried her e-mail
  CHECK(g.group(bo_meetup) == g.group(bo_luma));    // the same name, never twice at one event
  CHECK(g.group(t.person("meetup:1003")) != g.group(t.person("email:dee@example.org")));
  const GroupTrend trend = group_trend(t.engine->attendance().get(), g);
  REQUIRE(trend.months.size() == 2);
  CHECK(trend.months[1].new_faces == 0);  // both came in February
  CHECK(trend.months[1].returning == 2);
  CHECK(trend.people == 2);
}

TEST_CASE("organizers merge and split people through engine commands") {
  TwoEvents t(false);  // store-wide: no event chosen
  CHECK_FALSE(t.engine->has_event());
  const std::int64_t cy = t.person("meetup:1003"), dee = t.person("email:dee@example.org");
  Decision d = t.engine->run(MergePeople{cy, dee});
  CHECK(d.verdict == Verdict::Updated);
  CHECK(t.groups().group(cy) == t.groups().group(dee));
  const auto facts = t.engine->people_facts().get();
  REQUIRE(facts.decisions.size() == 1);
  CHECK(facts.decisions[0].same);
  d = t.engine->run(SplitPeople{dee, cy});
  CHECK(d.verdict == Verdict::Updated);
  CHECK(t.groups().group(cy) != t.groups().group(dee));
  // The e-mail rule joined Ana's records; an organizer can still split them.
  const std::int64_t a1 = t.person("meetup:1001"), a2 = t.person("email:ana@example.org");
  CHECK(t.engine->run(SplitPeople{a1, a2}).verdict == Verdict::Updated);
  CHECK(t.groups().group(a1) != t.groups().group(a2));
  // Mistakes are refused in plain words and record nothing.
  d = t.engine->run(MergePeople{cy, 9999});
  CHECK(d.verdict == Verdict::Failed);
  CHECK(d.message == "No person #9999 (see frontdesk people)");
  CHECK(t.engine->run(MergePeople{cy, cy}).verdict == Verdict::Failed);
  CHECK(t.engine->people_facts().get().decisions.size() == 3);
}
