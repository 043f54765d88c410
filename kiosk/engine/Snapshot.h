#pragma once
// The engine's published state: immutable once published, shared by
// readers (UI frames, web requests, CLI) through shared_ptr<const Snapshot>.
// Nothing here carries an email address: the door never needs one.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/Time.h"
#include "model/Attendee.h"
#include "model/CheckIn.h"
#include "model/Event.h"
#include "model/Queues.h"

namespace fd {

class SearchIndex;

struct RecentCheckIn {
  std::string uuid;
  std::int64_t attendee_id = 0;
  std::string name;
  std::string company;
  TimeMs at = 0;
  std::string door;
  Method method = Method::Qr;
  bool walk_in = false;
};

// One person admitted at two doors while the doors could not reach each
// other: counted once, listed so organizers see who, where and when.
struct DoubleEntry {
  std::int64_t attendee_id = 0;
  std::string name;
  std::vector<Presence> checkins;  // each live check-in: door and time as recorded
};

// Where this door's name comes from.
enum class DoorNaming {
  Default,    // never named: "door 1"
  Joined,     // given when it joined the event (the first free "door N")
  Organizer,  // `frontdesk doors name`
  Fixed,      // --door or [kiosk] door: stored names do not apply
};

struct Snapshot {
  std::uint64_t version = 0;
  EventRecord event;
  // This door's name ("door 2"): its check-ins carry it, the screen shows it.
  std::string door = "door 1";
  DoorNaming door_naming = DoorNaming::Default;

  int rsvp_yes = 0;         // people expected (RSVP yes / valid tickets), walk-ins excluded
  int guests_expected = 0;  // their +1s
  int waitlisted = 0;
  int declined = 0;       // RSVP no or cancelled
  int checked_in = 0;     // expected people who are in
  int guests_in = 0;      // +1s of people who are in
  int walk_ins = 0;       // walk-ins who are in
  int unexpected_in = 0;  // waitlisted / no RSVPs let in by an organizer
  int headcount() const { return checked_in + guests_in + walk_ins + unexpected_in; }
  // In the room now: people checked in (with their +1s) who have not left,
  // the figure a venue's fire-safety limit is about; `capacity` refers to it.
  int in_room = 0;
  int left_room = 0;  // people checked in who are out now
  int expected() const { return rsvp_yes + guests_expected; }
  int no_shows_so_far() const { return rsvp_yes - checked_in; }

  // Arrivals (net of annulled check-ins) per minute, ascending.
  std::vector<std::pair<TimeMs, int>> arrivals_per_minute;
  std::vector<RecentCheckIn> recent;  // newest first

  std::shared_ptr<const std::vector<AttendeeView>> roster;  // by ascending id
  std::shared_ptr<const SearchIndex> search;
  std::shared_ptr<const std::unordered_map<std::int64_t, Presence>> present;

  std::vector<DoubleEntry> double_entries;
  QueueCounts queues;
  // What reading the last change from the store cost this process (another
  // process's check-in, import or walk-in), in ms: `frontdesk bench refresh`.
  double catch_up_ms = 0;
  std::string last_error;  // the engine's last failure, in plain words
  std::string
      print_problem;  // the printer's, e.g. "Printer out of labels"; empty when printing works

  const AttendeeView* attendee(std::int64_t id) const;
  const Presence* presence(std::int64_t id) const;
  // Arrivals grouped into buckets of `minutes`, from the first arrival.
  std::vector<std::pair<TimeMs, int>> arrivals_per(int minutes) const;
};

}  // namespace fd
