// The reports' figures as CSV, for spreadsheets. RFC 4180 like the exports
// (CRLF, fields quoted only when needed).
#include <cstdio>

#include "report/ReportFiles.h"

namespace fd {

namespace {

std::string quote(const std::string& f) {
  if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + quote(fields[i]);
  return out + "\r\n";
}

std::string rate(double r) {
  if (r < 0) return "";
  char b[16];
  std::snprintf(b, sizeof b, "%.3f", r);
  return b;
}

std::string n(int v) { return std::to_string(v); }

}  // namespace

std::string event_report_csv(const EventSummary& s) {
  std::string out = line({"metric", "value"});
  const auto row = [&](const std::string& k, const std::string& v) { out += line({k, v}); };
  row("event", s.event.name);
  row("slug", s.event.slug);
  row("date", s.date ? local_datetime(s.date) : "");
  row("capacity", n(s.event.capacity));
  row("rsvp_yes", n(s.rsvp_yes));
  row("guests_expected", n(s.guests_expected));
  row("expected", n(s.expected()));
  row("came_rsvp_yes", n(s.came_yes));
  row("attendance_rate", rate(s.attendance_rate()));
  row("guests_in", n(s.guests_in));
  row("walk_ins", n(s.walk_ins));
  row("let_in_off_list", n(s.off_list));
  row("headcount", n(s.headcount()));
  row("no_shows", n(s.no_shows()));
  row("waitlisted", n(s.waitlisted));
  row("declined", n(s.declined));
  row("peak_in_room", n(s.peak));
  row("peak_at", s.peak_at ? local_datetime(s.peak_at) : "");
  row("first_arrival", s.first_arrival ? local_datetime(s.first_arrival) : "");
  row("last_arrival", s.last_arrival ? local_datetime(s.last_arrival) : "");
  row("people_came", n(s.people_came()));
  if (s.first_timers_known()) {
    row("first_timers", n(s.first_timers));
    row("returning", n(s.returning));
    row("regulars", n(s.regulars));
  }
  for (const auto& [door, c] : s.by_door) row("door:" + door, n(c));
  for (const auto& [method, c] : s.by_method) row("method:" + method, n(c));
  out += "\r\n";
  out += line({"quarter_from", "quarter_to", "arrivals", "in_room_after"});
  for (std::size_t i = 0; i < s.arrivals_per_15.size(); ++i) {
    const auto& [at, count] = s.arrivals_per_15[i];
    out += line(
        {local_datetime(at), local_datetime(at + 15 * 60'000), n(count), n(s.in_room_per_15[i])});
  }
  return out;
}

std::string group_trend_csv(const GroupTrend& t) {
  std::string out = line({"month", "events", "rsvp_yes", "came_rsvp_yes", "headcount", "people",
                          "new_faces", "returning", "regulars", "no_show_rate"});
  for (const MonthFigures& m : t.months)
    out += line({m.month, n(m.events), n(m.rsvp_yes), n(m.came_yes), n(m.headcount), n(m.people),
                 n(m.new_faces), n(m.returning), n(m.regulars), rate(m.no_show_rate())});
  return out;
}

}  // namespace fd
