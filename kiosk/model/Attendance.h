#pragma once
// What reports and the headcount forecast count: each event's list and who
// came when, without names or e-mail addresses, and the facts that say
// which list entries across events (and services) are one person.
#include <cstdint>
#include <string>
#include <vector>

#include "base/Time.h"
#include "model/Attendee.h"
#include "model/CheckIn.h"
#include "model/Event.h"

namespace fd {

// One entry of an event's list as reports count it.
struct ListEntryFacts {
  std::int64_t attendee_id = 0;
  std::int64_t person_id = 0;  // the people record; 0: nothing to recognise them by
  Rsvp rsvp = Rsvp::Yes;
  int guests = 0;
  bool walk_in = false;
  TimeMs arrived_at = 0;  // their first check-in that was not annulled; 0: never came
  std::string door;       // where they came in
  Method method = Method::Qr;
};

struct EventAttendance {
  EventRecord event;
  std::vector<ListEntryFacts> entries;  // by attendee id
  // When people left the room (exit doors), one entry per person leaving;
  // empty while the log does not record leaving.
  std::vector<TimeMs> departures;
};

// A people record: one identifier a person was recognised by on a list.
struct PersonRecord {
  std::int64_t id = 0;
  std::string identity;  // "meetup:123" or "email:ana@example.org"
  std::string name;      // as last seen on a list
};

// A list entry of person `person_id` also carried this identifier (a Meetup
// row with an e-mail column: "email:ana@example.org"), so both are one person.
struct IdentityLink {
  std::int64_t person_id = 0;
  std::string identity;
};

// An organizer said two records are the same person (merge) or not (split).
struct PeopleDecision {
  std::int64_t seq = 0;  // later decisions win
  std::int64_t a = 0, b = 0;
  bool same = true;
  TimeMs at = 0;
};

// Which people record was on which event's list: two records on one list
// are two people, whatever their names.
struct Appearance {
  std::int64_t person_id = 0;
  std::int64_t event_id = 0;
};

// Organizers' eyes only: identities hold e-mail addresses.
struct PeopleFacts {
  std::vector<PersonRecord> people;  // by id
  std::vector<IdentityLink> links;
  std::vector<PeopleDecision> decisions;  // by seq
  std::vector<Appearance> appearances;
};

}  // namespace fd
