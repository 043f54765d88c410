#pragma once
// The values sync shares with the store and the engine: outbox rows as a
// connector sees them, what a delivery came to, check-ins the service
// recorded elsewhere, and each service's status for the organizer.
#include <cstdint>
#include <string>
#include <vector>

#include "base/Time.h"

namespace fd {

// One outbox row due for one service.
struct OutboxItem {
  std::int64_t id = 0;
  std::string key;      // idempotency key: the log entry's UUID (pretix's nonce)
  std::string kind;     // checkin, annul
  std::string payload;  // JSON written with the check-in (see Store's outbox_payload)
  int attempts = 0;     // with this service
  int refusals = 0;
  // Annul rows: where the check-in they cancel stands with this service
  // ('' not tried yet, pending, sent, dead; "none": it has no outbox row,
  // i.e. it came from the service itself).
  std::string ref_state;
};

// What happened to one outbox row with one service.
struct Delivery {
  std::int64_t outbox_id = 0;
  std::string state;     // sent, pending (try again at next_attempt_at), dead
  bool refused = false;  // the service said no (counts toward the dead-letter bound)
  std::string error;     // plain words; empty when sent
  TimeMs next_attempt_at = 0;
};

// A check-in the service knows and this store may not: by another device.
struct RemoteCheckIn {
  std::string external_id;  // the attendee's id on the service (as merged)
  std::string remote_id;    // the service's id for the check-in, stable across pulls
  TimeMs at = 0;            // 0: the service does not say when
};

// An outbox row a service refused for good, for the organizer to act on.
struct DeadLetter {
  std::string kind;    // checkin, annul
  std::string who;     // the attendee's name
  std::string reason;  // the service's refusal in plain words
};

struct SyncServiceStatus {
  std::string service;
  TimeMs last_success = 0;
  TimeMs last_pull = 0;
  std::string last_error;
  TimeMs last_error_at = 0;
  std::string cursor;
  int pulled = 0;
  int pending = 0;           // outbox rows of this event not yet delivered to it
  int dead = 0;              // refused for good: an organizer must look (`frontdesk sync retry`)
  std::string dead_example;  // the latest dead letter's reason
  std::vector<DeadLetter> dead_letters;  // newest first, at most 100
};

}  // namespace fd

namespace fd {

// What pretix says about tickets beyond the list, kept per event so that
// every kiosk on the store refuses a revoked secret even offline, and
// verifies signed tickets bought after the last pull.
struct TicketRules {
  std::vector<std::string> pretix_keys;  // valid_keys.pretix_sig1 entries, as published
  std::vector<std::string> revoked;      // revokedsecrets
  std::vector<std::string> blocked;      // blockedsecrets
  bool all_products = true;              // the check-in list admits every product
  std::vector<std::int64_t> products;    // else: these items only
};

}  // namespace fd
