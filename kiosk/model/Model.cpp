#include <algorithm>
#include <cctype>

#include "model/Attendee.h"
#include "model/Badge.h"
#include "model/CheckIn.h"
#include "model/DoorChecks.h"
#include "model/Event.h"
#include "model/PersonName.h"

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

const char* to_string(Method m) {
  switch (m) {
    case Method::Qr: return "qr";
    case Method::Scanner: return "scanner";
    case Method::Search: return "search";
    case Method::WalkIn: return "walkin";
    case Method::Manual: return "manual";
  }
  return "qr";
}

Method method_from_string(const std::string& s) {
  if (s == "scanner") return Method::Scanner;
  if (s == "search") return Method::Search;
  if (s == "walkin") return Method::WalkIn;
  if (s == "manual") return Method::Manual;
  return Method::Qr;
}

const char* to_string(CheckInKind k) {
  switch (k) {
    case CheckInKind::CheckIn: return "checkin";
    case CheckInKind::Annul: return "annul";
    case CheckInKind::Left: return "left";
    case CheckInKind::Returned: return "returned";
  }
  return "checkin";
}

CheckInKind kind_from_string(const std::string& s) {
  if (s == "annul") return CheckInKind::Annul;
  if (s == "left") return CheckInKind::Left;
  if (s == "returned") return CheckInKind::Returned;
  return CheckInKind::CheckIn;
}

namespace {
std::string first_utf8_char(const std::string& s) {
  if (s.empty()) return {};
  const auto c = static_cast<unsigned char>(s[0]);
  const std::size_t n = c < 0x80           ? 1
                        : (c >> 5) == 0x6  ? 2
                        : (c >> 4) == 0xe  ? 3
                        : (c >> 3) == 0x1e ? 4
                                           : 1;
  return s.substr(0, std::min(n, s.size()));
}
}  // namespace

AttendeeView view_of(const AttendeeRecord& a) {
  AttendeeView v;
  v.id = a.id;
  v.full_name = a.full_name;
  v.first_name = a.first_name;
  v.last_name = a.last_name;
  // Lists imported before titles were recognised hold "Dr." as a first
  // name; the door greets and the badge prints the name, not the title.
  if (v.first_name.empty() || is_title(v.first_name)) {
    NameParts p = split_full_name(a.full_name);
    v.first_name = std::move(p.first);
    if (!a.first_name.empty()) v.last_name = std::move(p.last);
  } else {
    v.first_name = without_title(v.first_name);
  }
  v.company = a.company;
  v.role = a.role;
  v.ticket_type = a.ticket_type;
  v.rsvp = a.rsvp;
  v.guests = a.guests;
  v.walk_in = a.walk_in;
  v.email_initial = first_utf8_char(a.email);
  return v;
}

BadgeData badge_data(const AttendeeView& who, const std::string& event_name) {
  BadgeData d;
  d.first_name = who.first_name;
  d.last_name = who.last_name;
  d.full_name = who.full_name;
  d.company = who.company;
  d.role = who.role;
  d.event_name = event_name;
  // Opaque: the attendee's row id, meaningless outside this store.
  d.qr_payload = "A" + std::to_string(who.id);
  return d;
}

std::string slugify(const std::string& name) {
  std::string out;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
      dash = false;
    } else if (c >= 0x80) {
      out += static_cast<char>(c);  // keep non-ASCII names recognisable
      dash = false;
    } else if (!out.empty() && !dash) {
      out += '-';
      dash = true;
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "event" : out;
}

const char* to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::Ok: return "ok";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::Skip: return "skip";
  }
  return "?";
}

bool DoctorReport::ready() const {
  for (const Check& c : checks)
    if (c.status == CheckStatus::Fail) return false;
  return true;
}

}  // namespace fd
