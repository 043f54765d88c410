#pragma once
// How much work waits behind the door: badges to print, check-ins to sync.
namespace fd {

struct QueueCounts {
  int badge_jobs_open = 0;
  int badge_jobs_failed = 0;
  // Waited longer than kBadgeFreshFor (no paper, printer off): not printed
  // when the printer comes back; listed for the organizer instead.
  int badge_jobs_held = 0;
  int outbox_pending = 0;
  int outbox_dead = 0;
  bool operator==(const QueueCounts&) const = default;
};

}  // namespace fd
