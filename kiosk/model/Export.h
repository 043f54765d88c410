#pragma once
// The attendance export's columns: one definition for `frontdesk export`
// and the organizer pages' export.csv, so a spreadsheet built on one reads
// the other. Organizers' eyes only: it carries e-mail addresses.
#include <string>
#include <vector>

#include "model/Attendee.h"
#include "model/CheckIn.h"

namespace fd {

// Name, E-mail, Company, Ticket type, RSVP, Walk-in, Status, Checked in at,
// Method, Door, In the room now, Check-in ID, Source, External ID.
const std::vector<std::string>& attendance_columns();
// One person's row under those columns; `p` is their live check-in (null:
// not checked in).
std::vector<std::string> attendance_row(const AttendeeRecord& a, const Presence* p);

}  // namespace fd
