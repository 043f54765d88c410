#include "report/Summary.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>

namespace fd {

namespace {
constexpr TimeMs kQuarter = 15 * 60'000;
}

std::string local_month(TimeMs t) {
  const std::time_t s = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&s, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m", &tm);
  return buf;
}

EventSummary summarize_event(const EventAttendance& e) {
  EventSummary s;
  s.event = e.event;
  // +heads at an arrival, -1 at a departure.
  std::vector<std::pair<TimeMs, int>> moves;
  std::map<std::string, int> doors, methods;
  for (const ListEntryFacts& a : e.entries) {
    const bool in = a.arrived_at != 0;
    int heads = 1;
    if (a.walk_in) {
      if (in) ++s.walk_ins;
    } else {
      switch (a.rsvp) {
        case Rsvp::Yes:
          ++s.rsvp_yes;
          s.guests_expected += a.guests;
          if (in) {
            ++s.came_yes;
            s.guests_in += a.guests;
            heads += a.guests;
          }
          break;
        case Rsvp::Waitlist:
          ++s.waitlisted;
          if (in) ++s.off_list;
          break;
        case Rsvp::No:
        case Rsvp::Cancelled:
          ++s.declined;
          if (in) ++s.off_list;
          break;
      }
    }
    if (!in) continue;
    moves.emplace_back(a.arrived_at, heads);
    doors[a.door] += heads;
    methods[to_string(a.method)] += heads;
  }
  for (TimeMs t : e.departures) moves.emplace_back(t, -1);
  // Arrivals before departures at the same instant: never a negative room.
  std::sort(moves.begin(), moves.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first < y.first : x.second > y.second;
  });
  int room = 0;
  for (const auto& [t, d] : moves) {
    if (d > 0) {
      if (!s.first_arrival) s.first_arrival = t;
      s.last_arrival = t;
    }
    room = std::max(0, room + d);
    if (room > s.peak) {
      s.peak = room;
      s.peak_at = t;
    }
  }
  s.date = e.event.starts_at ? e.event.starts_at : s.first_arrival;
  if (!s.first_arrival) s.date = 0;  // never held at the door
  if (s.first_arrival) {
    const TimeMs from = s.first_arrival - (s.first_arrival % kQuarter);
    const TimeMs to = s.last_arrival - (s.last_arrival % kQuarter);
    for (TimeMs q = from; q <= to; q += kQuarter) s.arrivals_per_15.emplace_back(q, 0);
    std::size_t i = 0;
    room = 0;
    for (std::size_t b = 0; b < s.arrivals_per_15.size(); ++b) {
      const TimeMs end = s.arrivals_per_15[b].first + kQuarter;
      for (; i < moves.size() && moves[i].first < end; ++i) {
        if (moves[i].second > 0) s.arrivals_per_15[b].second += moves[i].second;
        room = std::max(0, room + moves[i].second);
      }
      s.in_room_per_15.push_back(room);
    }
  }
  s.by_door.assign(doors.begin(), doors.end());
  s.by_method.assign(methods.begin(), methods.end());
  return s;
}

const EventSummary* GroupTrend::event(std::int64_t id) const {
  for (const EventSummary& e : events)
    if (e.event.id == id) return &e;
  return nullptr;
}

GroupTrend group_trend(const std::vector<EventAttendance>& all, const PeopleGroups& groups) {
  GroupTrend t;
  struct Held {
    const EventAttendance* facts;
    EventSummary summary;
  };
  std::vector<Held> held;
  for (const EventAttendance& e : all) {
    EventSummary s = summarize_event(e);
    if (!s.date) {
      ++t.not_held;
      continue;
    }
    held.push_back({&e, std::move(s)});
  }
  std::stable_sort(held.begin(), held.end(), [](const Held& a, const Held& b) {
    return a.summary.date != b.summary.date ? a.summary.date < b.summary.date
                                            : a.summary.event.id < b.summary.event.id;
  });

  // Visits in date order: a person's n-th event is the n-th they came to.
  std::unordered_map<std::int64_t, int> visits;  // person key -> events so far
  std::map<std::string, MonthFigures> months;
  std::map<std::string, std::set<std::int64_t>> month_people, month_new, month_regular;
  int earlier = 0;
  for (Held& h : held) {
    EventSummary& s = h.summary;
    s.first_timers = s.returning = s.regulars = 0;
    s.earlier_events = earlier++;
    std::set<std::int64_t> here;  // one visit per person per event, whatever their entries
    for (const ListEntryFacts& a : h.facts->entries) {
      if (!a.arrived_at) continue;
      // No identifier: a person of their own (negative keys never clash with groups).
      const std::int64_t key = a.person_id ? groups.group(a.person_id) : -a.attendee_id;
      if (!a.person_id) ++t.unlinked;
      here.insert(key);
    }
    const std::string month = local_month(s.date);
    MonthFigures& m = months[month];
    m.month = month;
    ++m.events;
    m.rsvp_yes += s.rsvp_yes;
    m.came_yes += s.came_yes;
    m.headcount += s.headcount();
    for (std::int64_t key : here) {
      const int n = ++visits[key];
      month_people[month].insert(key);
      if (n == 1) {
        ++s.first_timers;
        month_new[month].insert(key);
      } else {
        ++s.returning;
      }
      if (n >= 3) {
        ++s.regulars;
        month_regular[month].insert(key);
      }
    }
  }
  // Months without an event stay on the chart as gaps a sponsor can see.
  if (!months.empty()) {
    int y = std::atoi(months.begin()->first.c_str()),
        mo = std::atoi(months.begin()->first.c_str() + 5);
    const std::string last = months.rbegin()->first;
    for (int guard = 0; guard < 1200; ++guard) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", y, mo);
      if (buf > last) break;
      months[buf].month = buf;
      if (++mo > 12) {
        mo = 1;
        ++y;
      }
    }
  }
  for (auto& [month, m] : months) {
    m.people = static_cast<int>(month_people[month].size());
    m.new_faces = static_cast<int>(month_new[month].size());
    m.returning = m.people - m.new_faces;
    m.regulars = static_cast<int>(month_regular[month].size());
    t.months.push_back(m);
  }
  t.people = static_cast<int>(visits.size());
  for (const auto& [key, n] : visits)
    if (n >= 3) ++t.regulars;
  for (Held& h : held) t.events.push_back(std::move(h.summary));
  return t;
}

}  // namespace fd
