#pragma once
// What the engine decided about a command, in the door's terms. Every
// verdict has plain words a person can act on.
#include <cstdint>
#include <optional>
#include <string>

#include "base/Time.h"
#include "engine/Snapshot.h"
#include "model/Badge.h"
#include "model/Import.h"

namespace fd {

enum class Verdict {
  Admitted,         // checked in now
  AlreadyIn,        // was already in: when and at which door
  UnknownTicket,    // no such code on this event's list
  NotATicket,       // a QR that is no ticket at all (Wi-Fi, a web link)
  Forged,           // a signature that does not verify
  NotYetValid,      // ticket valid from a later time
  Expired,          // ticket validity ended
  WrongEvent,       // a ticket for another event
  Cancelled,        // cancelled order / refunded / declined
  NotAttending,     // RSVP'd no, or on the waitlist
  CapacityReached,  // the room is full
  Undone,           // a check-in was annulled
  NothingToUndo,
  Reprinting,  // a badge reprint was queued
  Imported,    // an import batch was merged
  Updated,     // event details changed
  Done,        // a query ran
  Failed,      // the engine could not do it (a bug or the disk): see message
  NameNeeded,  // a genuine signed ticket not on the list yet: ask the holder's name, then admit
  Left,        // marked as gone out of the room (still checked in)
  Returned,    // back in the room after leaving
  NotIn,       // cannot leave or come back: not checked in / not out
  IsThisYou,   // a walk-in's name is someone's on the list (`who`): ask before adding anyone
  Held,        // an import or pull held back, nothing changed: `import` says what it would do
};
const char* to_string(Verdict v);
// Admitted, AlreadyIn and the organizer outcomes are not refusals.
bool is_refusal(Verdict v);

struct Decision {
  Verdict verdict = Verdict::Failed;
  std::string message;                // plain words for the door
  std::optional<AttendeeView> who;    // never carries an email
  std::string checkin_uuid;           // Admitted / AlreadyIn / Undone
  TimeMs at = 0;                      // AlreadyIn: when they came in
  std::string door;                   // AlreadyIn: where
  int visits = 0;                     // Admitted: events attended, this one included
  MergeReport import;                 // Imported; Held: what it would have done
  std::size_t replicated = 0;         // MergeFromDoor: log entries taken, in order
  bool lease_held = false;            // Lease: the holder holds it (until its ttl runs out)
  bool had_badge = false;             // AlreadyIn: a badge was printed for them before
  std::optional<BadgeJob> badge_job;  // ClaimBadgeJob: the job to print (who is in `who`)
};

}  // namespace fd
