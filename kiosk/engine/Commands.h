#pragma once
// Commands are imperatives posted to the engine by the UI, the web server,
// the CLI, the scanner and sync. Only the engine acts on them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/Time.h"
#include "model/CheckIn.h"
#include "model/Import.h"
#include "model/Peer.h"
#include "model/Replica.h"
#include "model/Sync.h"

namespace fd {

// A scanned or typed ticket code (QR text, handheld scanner input).
struct CheckInCode {
  std::string text;
  Method method = Method::Qr;
  // A genuine signed ticket not on the list yet (bought after the last
  // pull): the holder's name as they typed it, for the list and the badge.
  std::string first_name{};
  std::string last_name{};
};

// A person picked from search (attendee side after confirming, or organizer).
struct CheckInAttendee {
  std::int64_t attendee_id = 0;
  Method method = Method::Search;
};

// Annul a check-in: by its UUID, or the last check-in of an attendee, or
// (both empty) the latest check-in at this door.
struct Undo {
  std::string checkin_uuid;
  std::int64_t attendee_id = 0;
};

struct WalkIn {
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string company;
  // Asked and answered: not the person of that name on the list (or
  // inside). Without it a name that matches one there is IsThisYou.
  bool new_person = false;
};

struct Reprint {
  std::int64_t attendee_id = 0;
};

struct MergeImport {
  ImportBatch batch;
  std::string file_name;
  bool prune_missing = false;  // mark people absent from this file as cancelled
  // An organizer saw what a held import would do and said go ahead (--yes).
  bool confirmed = false;
};

struct SetEventDetails {
  std::string name;       // empty: keep
  int capacity = -1;      // -1: keep; 0: no limit
  TimeMs starts_at = -1;  // -1: keep
};

// The print worker's side of the badge queue.
struct ClaimBadgeJob {};
struct BadgeJobSent {
  std::int64_t job_id = 0;
  std::string printer_job;  // the printer's job id: followed, never re-sent
};
struct FinishBadgeJob {
  std::int64_t job_id = 0;
  std::string state;    // done, queued (retry later), failed
  std::string problem;  // plain words, shown to organizers and at the door
};
// A printer problem while a job waits (out of labels, cover open); empty: fixed.
struct ReportPrinter {
  std::string problem;
};

// This event's Frontdesk ticket key (public half), kept in the store so
// every kiosk with a copy of the store verifies tickets offline.
struct SetTicketKey {
  std::string public_key;  // base64
};

// Several doors: what a peer door's pages brought (attendees first, then
// its log, merged as a set union), and what this door knows of that peer.
struct MergeFromDoor {
  std::vector<ReplicaAttendee> attendees;
  std::vector<ReplicaEntry> entries;
};
struct SavePeer {
  PeerRecord peer;
};
// This door's name for the event: "door 2" when it joins (the first free
// one), or what an organizer calls it. Refused when empty, too long, or
// another door of the event already has it. --door and [kiosk] door still
// win over a stored name.
struct NameDoor {
  std::string name;
  bool organizer = true;  // false: chosen by joining (and changed again if another door has it)
};
// Where this process answers other doors (no addresses: it stopped), so
// `frontdesk doors pair` in another process names the right port.
struct SaveListener {
  DoorListener listener;
};

// --- Sync with the RSVP services (the sync worker, `frontdesk sync`) ------
// What deliveries of outbox rows to one service came to. `services` is
// every service the pushing process serves: a row all of them settled
// leaves the queue.
struct RecordDeliveries {
  std::string service;
  std::vector<Delivery> results;
  std::vector<std::string> services;
};
// A pull: the service's list merged by external id (never touching a
// check-in), check-ins the service recorded from other devices, where the
// next incremental pull starts, and pretix's ticket rules when it has them.
struct MergePull {
  std::string service;
  ImportBatch batch;
  std::vector<RemoteCheckIn> remote;
  std::string cursor;
  std::optional<TicketRules> rules;
  // The batch is the service's whole list: its people missing from it are
  // no longer expected (a Meetup RSVP withdrawn, an order deleted).
  bool complete = false;
  // An organizer confirmed a pull that was held (it would cancel more than
  // a tenth of the list: model/MergePlan.h).
  bool confirmed = false;
};
// A pull or push that failed (plain words) or worked, for the status.
struct RecordSyncResult {
  std::string service;
  bool ok = false;
  std::string error;
};
// Dead letters back into the queue ("" service: every service).
struct RetryDeadLetters {
  std::string service;
};
// Work one process of a store does at a time (Store::take_lease): taken or
// renewed (Decision::lease_held says whether), or given back (ttl 0).
struct Lease {
  std::string name;
  std::string holder;
  std::chrono::milliseconds ttl{0};
};
// An organizer says two people records (`frontdesk people`) are one person
// (merge) or two (split), overriding what the lists suggested. Store-wide:
// they need no event.
struct MergePeople {
  std::int64_t a = 0, b = 0;
};
struct SplitPeople {
  std::int64_t a = 0, b = 0;
};
// Who is in the room now: a person checked in goes out (an exit door, or an
// organizer marks it) or comes back. Recorded in the log; checked_in keeps
// counting them.
struct MarkLeft {
  std::int64_t attendee_id = 0;
};
struct MarkReturned {
  std::int64_t attendee_id = 0;
};

// Held badges (waited too long to print: Store::claim_badge_job) printed
// after all: these jobs, or every held one when empty.
struct PrintHeldBadges {
  std::vector<std::int64_t> job_ids;
};

// This event becomes the store's current one (the one a door opens without
// --event): an organizer's choice, never a side effect of opening the store.
struct MakeEventCurrent {};

using Command =
    std::variant<CheckInCode, CheckInAttendee, Undo, WalkIn, Reprint, MergeImport, SetEventDetails,
                 MakeEventCurrent, SetTicketKey, ClaimBadgeJob, BadgeJobSent, FinishBadgeJob,
                 ReportPrinter, PrintHeldBadges, RecordDeliveries, MergePull, RecordSyncResult,
                 RetryDeadLetters, Lease, MergeFromDoor, SavePeer, NameDoor, SaveListener,
                 MergePeople, SplitPeople, MarkLeft, MarkReturned>;

}  // namespace fd
