#pragma once
// A person on an event's list, in the door's terms, whatever service the
// list came from. Shared by import (rows), the store (records), the engine
// and the screens (views without e-mail).
#include <cstddef>
#include <cstdint>
#include <string>

namespace fd {

enum class Rsvp {
  Yes,        // expected at the door
  Waitlist,   // kept, not expected
  No,         // said no: kept, not expected
  Cancelled,  // order cancelled / refunded / declined: kept, not admitted
};
const char* to_string(Rsvp r);
Rsvp rsvp_from_string(const std::string& s);  // inverse of to_string; unknown -> Yes

// One row of an attendee list as a service exported it.
struct AttendeeRow {
  std::string external_id;  // the service's id for this entry (order position, attendee #, api_id)
  std::string member_id;    // the service's id for the person across events (Meetup user id)
  std::string ticket_code;  // what the ticket's QR carries (pretix secret, Eventbrite barcode, ...)
  std::string first_name;
  std::string last_name;
  std::string full_name;  // always set: "first last" when the file only has parts
  std::string email;
  std::string company;
  std::string ticket_type;  // "General admission", "Speaker", ...
  std::string role;         // Speaker / Organizer / Sponsor / Volunteer when known
  Rsvp rsvp = Rsvp::Yes;
  int guests = 0;        // +1s that come with this person
  std::size_t line = 0;  // physical line in the file where the row starts (1-based)
};

// An attendee as the store keeps it (with e-mail: organizers' eyes only).
struct AttendeeRecord {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::int64_t person_id = 0;  // 0: not linked to a person
  std::string source;
  std::string external_id;
  std::string ticket_code;
  std::string first_name;
  std::string last_name;
  std::string full_name;
  std::string email;
  std::string company;
  std::string ticket_type;
  std::string role;
  Rsvp rsvp = Rsvp::Yes;
  int guests = 0;
  bool walk_in = false;
};

// What the door may show of an attendee: never an e-mail address.
struct AttendeeView {
  std::int64_t id = 0;
  std::string full_name;
  std::string first_name;
  std::string last_name;
  std::string company;
  std::string role;
  std::string ticket_type;
  Rsvp rsvp = Rsvp::Yes;
  int guests = 0;
  bool walk_in = false;
  std::string email_initial;  // first character of the email (UTF-8), for "is this you?"
};

AttendeeView view_of(const AttendeeRecord& a);

}  // namespace fd
