#pragma once
// What a badge shows, and the print queue's unit of work.
#include <cstdint>
#include <string>

#include "model/Attendee.h"

namespace fd {

struct BadgeData {
  std::string first_name, last_name, full_name, company, pronouns, role, event_name;
  std::string qr_payload;  // an opaque attendee id, never an e-mail
  std::string language;    // BCP 47 hint ("ja", "zh-CN"); guessed from the script when empty
};

// The one way an attendee becomes a badge (print worker, preview, sheets, CLI).
BadgeData badge_data(const AttendeeView& who, const std::string& event_name);

struct BadgeJob {
  std::int64_t id = 0;
  std::int64_t attendee_id = 0;
  std::string checkin_uuid;
  std::string reason;  // checkin, reprint
  int attempts = 0;
  std::string printer_job;  // set once a printer accepted it
};

// A badge asked for longer ago than this is not printed when the printer
// comes back: its person is long inside (Store::claim_badge_job).
inline constexpr std::int64_t kBadgeFreshFor = 10 * 60 * 1000;  // ms

// A badge held back: asked for too long ago to print unasked (the printer
// was off or out of labels while its person came in).
struct HeldBadge {
  std::int64_t job_id = 0, attendee_id = 0;
  std::int64_t asked_at = 0;  // ms since the epoch
};

}  // namespace fd
