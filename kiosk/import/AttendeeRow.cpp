#include "import/AttendeeRow.h"

namespace fd {

const char* to_string(Rsvp r) {
  switch (r) {
    case Rsvp::Yes: return "yes";
    case Rsvp::Waitlist: return "waitlist";
    case Rsvp::No: return "no";
    case Rsvp::Cancelled: return "cancelled";
  }
  return "yes";
}

Rsvp rsvp_from_string(const std::string& s) {
  if (s == "waitlist") return Rsvp::Waitlist;
  if (s == "no") return Rsvp::No;
  if (s == "cancelled") return Rsvp::Cancelled;
  return Rsvp::Yes;
}

}  // namespace fd
