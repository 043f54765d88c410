#include "model/Export.h"

#include "base/Time.h"

namespace fd {

const std::vector<std::string>& attendance_columns() {
  static const std::vector<std::string> columns = {
      "Name",   "E-mail",     "Company",         "Ticket type",
      "RSVP",   "Walk-in",    "Status",          "Checked in at",
      "Method", "Door",       "In the room now", "Check-in ID",
      "Source", "External ID"};
  return columns;
}

std::vector<std::string> attendance_row(const AttendeeRecord& a, const Presence* p) {
  return {a.full_name,
          a.email,
          a.company,
          a.ticket_type,
          to_string(a.rsvp),
          a.walk_in ? "yes" : "no",
          p ? "checked in" : "not checked in",
          p ? local_datetime(p->at) : "",
          p ? to_string(p->method) : "",
          p ? p->door : "",
          p ? (p->in_room ? "yes" : "no") : "",
          p ? p->uuid : "",
          a.source,
          a.external_id};
}

}  // namespace fd
