// Who is who across events and services: the rule doc/guide.md's "Reports and
// forecast" section states, case by case.
#include <doctest/doctest.h>

#include "report/People.h"

using namespace fd;

namespace {

struct Facts {
  PeopleFacts f;
  std::int64_t seq = 0;
  Facts& person(std::int64_t id, const std::string& identity, const std::string& name,
                std::vector<std::int64_t> events) {
    f.people.push_back({id, identity, name});
    for (std::int64_t e : events) f.appearances.push_back({id, e});
    return *this;
  }
  Facts& link(std::int64_t id, const std::string& identity) {
    f.links.push_back({id, identity});
    return *this;
  }
  Facts& decide(std::int64_t a, std::int64_t b, bool same) {
    f.decisions.push_back({++seq, a, b, same, seq * 1000});
    return *this;
  }
  PeopleGroups groups() const { return group_people(f); }
};

bool together(const PeopleGroups& g, std::int64_t a, std::int64_t b) {
  return g.group(a) == g.group(b);
}

}  // namespace

TEST_CASE("a Meetup member whose row carried an e-mail is the Luma guest with that e-mail") {
  Facts x;
  x.person(1, "meetup:1001", "Ana García", {1})
      .link(1, "email:ana@example.org")
      .person(2, "email:ana@example.org", "Ana Garcia-Lopez", {2})  // another name on Luma
      .person(3, "email:bo@example.org", "Bo Li", {2});
  const PeopleGroups g = x.groups();
  CHECK(together(g, 1, 2));
  CHECK_FALSE(together(g, 1, 3));
  REQUIRE(g.find(1));
  CHECK(g.find(1)->members == std::vector<std::int64_t>{1, 2});
  CHECK(g.find(1)->joined_by == std::vector<std::string>{"e-mail"});
  CHECK(g.groups.size() == 2);
}

TEST_CASE("two Meetup accounts with one e-mail are one person") {
  Facts x;
  x.person(1, "meetup:1", "Cy Young", {1}).link(1, "email:cy@example.org");
  x.person(2, "meetup:2", "C. Young", {2}).link(2, "email:cy@example.org");
  CHECK(together(x.groups(), 1, 2));
}

TEST_CASE("a Meetup member without e-mail is the Eventbrite attendee of the same name") {
  Facts x;
  x.person(1, "meetup:1001", "Ana García", {1, 2})
      .person(2, "email:ana@example.org", "ana  garcia", {3})
      .person(3, "email:zoe@example.org", "Zoë Ångström", {3})
      .person(4, "meetup:77", "Zoe Angstrom", {4});
  const PeopleGroups g = x.groups();
  CHECK(together(g, 1, 2));
  CHECK(together(g, 3, 4));
  CHECK(g.find(1)->joined_by == std::vector<std::string>{"name"});
}

TEST_CASE("a name seen twice at one event is never evidence") {
  Facts x;
  // Two Alex Kims at event 1: two people, so the third is not joined to either.
  x.person(1, "meetup:1", "Alex Kim", {1})
      .person(2, "email:alex.k@example.org", "Alex Kim", {1, 2})
      .person(3, "email:akim@example.org", "alex kim", {3});
  const PeopleGroups g = x.groups();
  CHECK_FALSE(together(g, 1, 2));
  CHECK_FALSE(together(g, 1, 3));
  CHECK_FALSE(together(g, 2, 3));
}

TEST_CASE("one word says too little to join by name") {
  Facts x;
  x.person(1, "meetup:1", "Ana", {1}).person(2, "email:ana@example.org", "Ana", {2});
  CHECK_FALSE(together(x.groups(), 1, 2));
}

TEST_CASE("an organizer merges two people and splits them again - the newest decision wins") {
  Facts x;
  x.person(1, "meetup:1", "Robert Tables", {1}).person(2, "email:bobby@example.org", "Bob T", {2});
  CHECK_FALSE(together(x.groups(), 1, 2));
  x.decide(1, 2, true);
  CHECK(together(x.groups(), 1, 2));
  CHECK(x.groups().find(1)->joined_by == std::vector<std::string>{"organizer"});
  x.decide(1, 2, false);
  CHECK_FALSE(together(x.groups(), 1, 2));
  x.decide(2, 1, true);
  CHECK(together(x.groups(), 1, 2));
}

TEST_CASE("a split overrides the e-mail and the name rule") {
  Facts x;
  x.person(1, "meetup:1", "Sam Lee", {1}).link(1, "email:sam@example.org");
  x.person(2, "email:sam@example.org", "Sam Lee", {2});
  x.person(3, "email:other-sam@example.org", "Sam Lee", {3});
  CHECK(together(x.groups(), 1, 2));
  CHECK(together(x.groups(), 1, 3));  // by name: never two Sam Lees at one event
  // The organizer knows the third is someone else.
  x.decide(1, 3, false);
  PeopleGroups g = x.groups();
  CHECK(together(g, 1, 2));
  CHECK_FALSE(together(g, 1, 3));
  CHECK_FALSE(together(g, 2, 3));  // kept apart from the person, not only the record
  // Splitting records joined by a shared e-mail works too.
  x.decide(1, 2, false);
  g = x.groups();
  CHECK_FALSE(together(g, 1, 2));
}
