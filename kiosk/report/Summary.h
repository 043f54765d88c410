#pragma once
// The figures a venue, a sponsor or a user-group network asks for, from the
// store's lists and log: one event's totals, and the trend across events per
// month. Counts only: nothing here names a person.
//
// Counting rules (the same as the engine's snapshot and `frontdesk stats`):
// a person's first check-in counts, an annulled one does not; guests (+1s)
// come in with the person who brought them; the headcount is everyone in
// (RSVPs, their guests, walk-ins and people let in off the list).
//
// Thread-safety: pure functions over values.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/Attendance.h"
#include "report/People.h"

namespace fd {

struct EventSummary {
  EventRecord event;
  TimeMs date = 0;  // the event's start, else its first arrival; 0: not held yet
  int rsvp_yes = 0, guests_expected = 0;
  int came_yes = 0;  // RSVP yes who came
  int guests_in = 0, walk_ins = 0;
  int off_list = 0;  // waitlisted or declined, let in by an organizer
  int waitlisted = 0, declined = 0;
  int expected() const { return rsvp_yes + guests_expected; }
  int headcount() const { return came_yes + guests_in + walk_ins + off_list; }
  int no_shows() const { return rsvp_yes - came_yes; }
  // RSVP yes -> came; negative when nobody RSVP'd.
  double attendance_rate() const { return rsvp_yes ? double(came_yes) / rsvp_yes : -1; }

  // Most people in the room at once (arrivals less departures), and when it
  // was first reached. Without exit doors nobody is seen leaving, so the peak
  // is the headcount at the last arrival.
  int peak = 0;
  TimeMs peak_at = 0;
  TimeMs first_arrival = 0, last_arrival = 0;
  // People arriving (guests included) per quarter hour, on the clock
  // (18:00, 18:15, ...), empty quarters included, from the first arrival's.
  std::vector<std::pair<TimeMs, int>> arrivals_per_15;
  // In the room at the end of each of those quarters.
  std::vector<int> in_room_per_15;
  std::vector<std::pair<std::string, int>> by_door;    // people in, per door
  std::vector<std::pair<std::string, int>> by_method;  // qr, search, walkin, ...
  // People who came (not guests): here for the first time in the store's
  // history, or back. -1 until group_trend() has seen every event.
  int first_timers = -1, returning = -1, regulars = -1;
  // Events held before this one in the store (-1 until group_trend()). On
  // the first, everyone is "new" to the store, which says nothing about who
  // is new to the group: the figures are not shown then.
  int earlier_events = -1;
  bool first_timers_known() const { return first_timers >= 0 && earlier_events > 0; }
  // Who came, guests aside: what first-timers and regulars are a share of.
  int people_came() const { return headcount() - guests_in; }
};

EventSummary summarize_event(const EventAttendance& e);

// One calendar month (local time) of the group.
struct MonthFigures {
  std::string month;  // "2026-03"
  int events = 0;
  int rsvp_yes = 0, came_yes = 0;
  int headcount = 0;  // everyone in, summed over the month's events
  int people = 0;     // different people who came (guests not counted)
  int new_faces = 0;  // their first event in the store
  int returning = 0;  // came before
  int regulars = 0;   // came at least twice before (a third visit or more)
  // RSVP yes who did not come, of RSVP yes; negative when nobody RSVP'd.
  double no_show_rate() const { return rsvp_yes ? double(rsvp_yes - came_yes) / rsvp_yes : -1; }
};

struct GroupTrend {
  std::vector<MonthFigures> months;  // ascending, months without events included
  std::vector<EventSummary> events;  // the events counted, by date, with first-timers filled in
  int not_held = 0;  // events with no arrivals (future ones, or never used at the door)
  int people = 0;    // different people who ever came
  int regulars = 0;  // who came to three events or more
  int unlinked = 0;  // arrivals with nothing to recognise them by (a walk-in without e-mail)
  const EventSummary* event(std::int64_t id) const;
};

// A regular is a person at their third event or later; people are told
// apart by `groups` (report/People.h); an entry without any identifier is a
// person of its own.
GroupTrend group_trend(const std::vector<EventAttendance>& all, const PeopleGroups& groups);

// "2026-03" for a time, in local time.
std::string local_month(TimeMs t);

}  // namespace fd
