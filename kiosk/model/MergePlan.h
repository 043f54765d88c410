#pragma once
// What merging a list into an event would do, worked out before anything is
// written: who would be added, changed and cancelled, and whether the merge
// should be held back until an organizer confirms it.
//
// Why held back: a half-downloaded export (a header and no rows) with
// --prune, or a service answering with everyone cancelled, would otherwise
// cancel the list in one stroke; checked-in people would become "let in off
// the list" and the next valid ticket would be refused. An older export
// imported after a newer one would quietly put back changes. The engine
// calls plan_merge() inside its write transaction for imports and sync
// pulls alike, so the same rule guards both.
//
// Thread-safety: pure functions over values.
#include <string>
#include <vector>

#include "base/Time.h"
#include "model/Attendee.h"
#include "model/Import.h"

namespace fd {

struct MergeRules {
  bool prune_missing = false;  // people absent from the batch become cancelled
  // Imports are whole lists, so one without rows is a broken file; a sync
  // pull may be incremental, and "nothing changed" is an empty batch there.
  bool rows_required = true;
  TimeMs list_as_of = 0;  // the newest RSVP the list was merged from (0: unknown)
};

struct MergePlan {
  MergeReport would;  // counts and names, as the merge would report them
  int list_size = 0;  // people of this source on the list before (walk-ins aside)
  MergeHold hold = MergeHold::None;
  TimeMs file_as_of = 0, list_as_of = 0;  // OlderExport: the two dates compared
  bool held() const { return hold != MergeHold::None; }
};

// `existing`: the event's attendees of the batch's source (others are
// ignored). The rule for ManyCancelled: more than a tenth of `existing`
// and more than two people, so the one or two cancellations a small
// meetup's newer export brings go through without a question.
MergePlan plan_merge(const std::vector<AttendeeRecord>& existing, const ImportBatch& batch,
                     const MergeRules& rules);

// Why the plan is held, in plain words, without the way to go ahead (that
// depends on who asked: `--yes` on the command line, a button elsewhere).
// "" when it is not held.
std::string hold_reason(const MergePlan& plan);

}  // namespace fd
