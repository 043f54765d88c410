// Badges and printing: reprints, the print worker's side of the badge
// queue (claim, sent, finished), the printer's problems, held badges.
#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "store/Store.h"

namespace fd {

std::future<std::vector<HeldBadge>> Engine::held_badges() {
  return read<std::vector<HeldBadge>>([](const Store& s) { return s.held_badges(); });
}

Decision Engine::decide(Reprint& r) {
  State& s = *state_;
  Decision d;
  const AttendeeRecord* a = s.find(r.attendee_id);
  auto p = s.present.find(r.attendee_id);
  if (!a || p == s.present.end()) {
    d.verdict = Verdict::Failed;
    d.message = "Only people who are checked in can get a badge";
    return d;
  }
  if (!options_.print_badges) {
    // Said rather than queued: a job queued now would print, with all the
    // others, whenever a printer is added.
    d.verdict = Verdict::Failed;
    d.message =
        "No printer is set up at this door, so no badge was printed. Name one under "
        "[printer] in the config (frontdesk printers lists them).";
    return d;
  }
  auto entry = store_->log_entry(p->second.uuid);
  if (!entry) throw std::runtime_error("check-in " + p->second.uuid + " missing from the log");
  store_->enqueue_reprint(*entry);
  d.verdict = Verdict::Reprinting;
  d.who = view_of(*a);
  d.checkin_uuid = entry->uuid;
  d.message = "Reprinting the badge of " + a->full_name;
  return d;
}

Decision Engine::decide(ClaimBadgeJob&) {
  Decision d;
  d.verdict = Verdict::Done;
  auto job = store_->claim_badge_job(now_ms());
  if (!job) return d;
  if (auto a = store_->attendee(job->attendee_id)) d.who = view_of(*a);
  d.badge_job = job;
  return d;
}

Decision Engine::decide(BadgeJobSent& c) {
  store_->set_badge_printer_job(c.job_id, c.printer_job);
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(FinishBadgeJob& c) {
  store_->finish_badge_job(c.job_id, c.state, c.problem, now_ms());
  state_->print_problem = c.state == "done" ? "" : c.problem;
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(ReportPrinter& c) {
  state_->print_problem = c.problem;
  Decision d;
  d.verdict = Verdict::Done;
  return d;
}

Decision Engine::decide(PrintHeldBadges& c) {
  Decision d;
  if (!options_.print_badges) {
    d.verdict = Verdict::Failed;
    d.message = "No printer is set up at this door: name one under [printer] in the config.";
    return d;
  }
  const int n = store_->release_held_badges(c.job_ids, now_ms());
  d.verdict = Verdict::Done;
  d.message = n == 0   ? "No held badge to print"
              : n == 1 ? "1 held badge goes to the printer"
                       : std::to_string(n) + " held badges go to the printer";
  return d;
}

}  // namespace fd
