#pragma once
// What an import produces: one row per RSVP / ticket / guest-list entry, in
// the door's terms, whatever service exported it. The engine merges a batch
// into an event by (source, external_id).
#include <cstddef>
#include <string>
#include <vector>

namespace fd {

enum class Rsvp {
  Yes,        // expected at the door
  Waitlist,   // kept, not expected
  No,         // said no: kept, not expected
  Cancelled,  // order cancelled / refunded / declined: kept, not admitted
};
const char* to_string(Rsvp r);
Rsvp rsvp_from_string(const std::string& s);  // inverse of to_string; unknown -> Yes

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

struct RowError {
  std::size_t line = 0;  // 1-based physical line where the bad row starts
  std::string message;   // plain words: "unbalanced quote", "no name", ...
};

struct ImportBatch {
  std::string source;  // "meetup", "eventbrite", "pretix", "luma" or "csv"
  std::vector<AttendeeRow> rows;
  std::vector<RowError> errors;
  std::vector<std::string> warnings;  // file-level notes: "decoded as Windows-1252"
};

}  // namespace fd
