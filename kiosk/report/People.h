#pragma once
// Who is who across events and services. A person is a group of people
// records (one per identifier a list carried), joined by, in this order:
//   1. an organizer's decision (`frontdesk people merge/split`), the newest
//      decision about a pair first, so a later split undoes an earlier merge
//      and the other way round;
//   2. a shared identifier: one list row carried both a service member id
//      and an e-mail ("meetup:123" and "email:ana@example.org"), or two rows
//      on any services carried the same e-mail (case-insensitive);
//   3. the same name: two records whose full names fold to the same words
//      (case, accents, umlauts, transliteration; at least two words) are one
//      person only if no two records with that name were ever on the same
//      event's list (two "Alex Kim" at one event are two people, so that
//      name is never evidence).
// An organizer's "different" is never overridden by 2 or 3.
//
// Thread-safety: a pure function over values.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/Attendance.h"

namespace fd {

struct PersonGroup {
  std::int64_t id = 0;                  // the smallest people record id in it
  std::vector<std::int64_t> members;    // people record ids, ascending
  std::vector<std::string> identities;  // of the members, same order
  std::string name;                     // the first member's name
  // How the members were joined: "organizer", "e-mail", "name".
  std::vector<std::string> joined_by;
};

struct PeopleGroups {
  std::vector<PersonGroup> groups;                          // by id
  std::unordered_map<std::int64_t, std::int64_t> group_of;  // people record -> group id
  // The group a people record belongs to; 0 for 0 (an unrecognisable entry).
  std::int64_t group(std::int64_t person_id) const;
  const PersonGroup* find(std::int64_t group_id) const;
};

PeopleGroups group_people(const PeopleFacts& facts);

}  // namespace fd
