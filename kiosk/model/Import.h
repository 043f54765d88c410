#pragma once
// What an import produces and what merging it did.
#include <cstddef>
#include <string>
#include <vector>

#include "base/Time.h"
#include "model/Attendee.h"

namespace fd {

struct RowError {
  std::size_t line = 0;  // 1-based physical line where the bad row starts
  std::string message;   // plain words: "unbalanced quote", "no name", ...
};

struct ImportBatch {
  std::string source;  // "meetup", "eventbrite", "pretix", "luma" or "csv"
  std::vector<AttendeeRow> rows;
  std::vector<RowError> errors;
  std::vector<std::string> warnings;  // file-level notes: "decoded as Windows-1252"
  // The newest RSVP or order date in the file (Meetup's "RSVPed on", ...):
  // which of two exports is newer. 0: the file does not say.
  TimeMs as_of = 0;
};

// One person a merge added, changed or cancelled, for the organizer to read.
struct MergeChange {
  std::string name;  // as on the list (never an e-mail address)
  std::string what;  // "RSVP waitlist → yes", "not in this file"; "" for added
};

// Why a merge was held back (model/MergePlan.h), nothing changed.
enum class MergeHold {
  None,
  NoAttendees,    // the file has no attendee rows at all
  ManyCancelled,  // it would cancel more than a tenth of the list
  OlderExport,    // its newest RSVP is older than the list's
};

struct MergeReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  int cancelled = 0;    // became cancelled / no in this import (or pruned)
  int not_in_file = 0;  // on the list before, absent from this file
  int errors = 0;       // rows the file could not give us
  // Who, in list order: the merge report names them (a short list on
  // screen, all of them with --verbose).
  std::vector<MergeChange> added_people, changed_people, cancelled_people;
  MergeHold held = MergeHold::None;  // what was done is then what would have been
};

}  // namespace fd
