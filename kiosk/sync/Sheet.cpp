#include "sync/Sheet.h"

#include <algorithm>

#include "base/Time.h"

namespace fd {

namespace {
std::string csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string attendance_sheet(const std::string& service, const std::vector<AttendeeRecord>& people,
                             const std::unordered_map<std::int64_t, Presence>& present) {
  std::vector<const AttendeeRecord*> listed, walk_ins;
  for (const AttendeeRecord& a : people) {
    if (a.walk_in)
      walk_ins.push_back(&a);
    else if (service.empty() || a.source == service)
      listed.push_back(&a);
  }
  // Each service's own attendee page: pretix and Eventbrite by order,
  // Meetup and Luma by name.
  const bool by_order = service == "pretix" || service == "eventbrite";
  std::stable_sort(listed.begin(), listed.end(),
                   [&](const AttendeeRecord* a, const AttendeeRecord* b) {
                     if (by_order) return a->external_id < b->external_id;
                     return a->full_name < b->full_name;
                   });
  std::string out = "\xEF\xBB\xBF";
  const std::string id_column = service == "pretix"       ? "Order-position"
                                : service == "eventbrite" ? "Attendee #"
                                : service == "meetup"     ? "Member ID"
                                : service == "luma"       ? "Guest ID"
                                                          : "ID";
  out += "Name," + id_column + ",Attendance,Checked in at,Door\r\n";
  int attended = 0, no_show = 0;
  auto line = [&](const AttendeeRecord& a, const std::string& id) {
    auto it = present.find(a.id);
    std::string mark;
    if (a.walk_in) {
      mark = "walk-in";
    } else if (it != present.end()) {
      mark = "attended";
      ++attended;
    } else if (a.rsvp == Rsvp::Yes) {
      mark = "no-show";
      ++no_show;
    } else {
      mark = "not expected";
    }
    out += csv(a.full_name) + "," + csv(id) + "," + mark + "," +
           (it != present.end() ? local_datetime(it->second.at) : "") + "," +
           csv(it != present.end() ? it->second.door : "") + "\r\n";
  };
  for (const AttendeeRecord* a : listed) line(*a, a->external_id);
  for (const AttendeeRecord* a : walk_ins)
    if (present.count(a->id)) line(*a, "");
  (void)attended;
  (void)no_show;
  return out;
}

}  // namespace fd
