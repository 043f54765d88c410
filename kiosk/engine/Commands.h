#pragma once
// Commands are imperatives posted to the engine by the UI, the web server,
// the CLI, the scanner and sync. Only the engine acts on them.
#include <cstdint>
#include <string>
#include <variant>

#include "base/Time.h"
#include "model/CheckIn.h"
#include "model/Import.h"
#include "model/Peer.h"
#include "model/Replica.h"

namespace fd {

// A scanned or typed ticket code (QR text, handheld scanner input).
struct CheckInCode {
  std::string text;
  Method method = Method::Qr;
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
};

struct Reprint {
  std::int64_t attendee_id = 0;
};

struct MergeImport {
  ImportBatch batch;
  std::string file_name;
  bool prune_missing = false;  // mark people absent from this file as cancelled
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

using Command = std::variant<CheckInCode, CheckInAttendee, Undo, WalkIn, Reprint, MergeImport,
                             SetEventDetails, SetTicketKey, ClaimBadgeJob, BadgeJobSent,
                             FinishBadgeJob, ReportPrinter, MergeFromDoor, SavePeer>;

}  // namespace fd
