// The event and its list: its details, its ticket key, the current event,
// and lists merged in from an import or a sync pull (held back by the same
// rules, model/MergePlan.h).
#include <cstdlib>

#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "model/MergePlan.h"
#include "store/Store.h"

namespace fd {

namespace {
// The newest RSVP each source's list was merged from (model/MergePlan.h).
std::string list_as_of_key(std::int64_t event_id, const std::string& source) {
  return "list_as_of:" + std::to_string(event_id) + ":" + (source.empty() ? "csv" : source);
}
Decision held_merge(const MergePlan& plan) {
  Decision d;
  d.verdict = Verdict::Held;
  d.import = plan.would;
  d.message = hold_reason(plan) + ". Nothing was changed.";
  return d;
}
void name_changes(MergeReport& done, const MergePlan& plan) {
  done.added_people = plan.would.added_people;
  done.changed_people = plan.would.changed_people;
  done.cancelled_people = plan.would.cancelled_people;
}
}  // namespace

// Imports and pulls are planned before anything is written: one that would
// cancel much of the list, holds no attendees or is older than the list is
// held back until an organizer confirms it.
Decision Engine::decide(MergeImport& m) {
  State& s = *state_;
  Decision d;
  const std::string key = list_as_of_key(s.event.id, m.batch.source);
  const TimeMs list_as_of = std::atoll(store_->meta(key).value_or("0").c_str());
  const MergePlan plan = plan_merge(s.attendees, m.batch, {m.prune_missing, true, list_as_of});
  if (plan.held() && !m.confirmed) return held_merge(plan);
  d.import = store_->merge_attendees(s.event.id, m.batch, m.file_name, m.prune_missing);
  name_changes(d.import, plan);
  if (m.batch.as_of > list_as_of) store_->set_meta(key, std::to_string(m.batch.as_of));
  d.verdict = Verdict::Imported;
  d.message = std::to_string(d.import.added) + " added, " + std::to_string(d.import.updated) +
              " updated, " + std::to_string(d.import.unchanged) + " unchanged";
  return d;
}

Decision Engine::decide(MergePull& c) {
  if (c.batch.source.empty()) c.batch.source = c.service;  // as Store::merge_pull reads it
  // A complete list cancels who left it (Store::merge_pull), so the same
  // tenth-of-the-list rule as an import with --prune holds it.
  const MergePlan plan = plan_merge(state_->attendees, c.batch, {c.complete, false, 0});
  if (plan.held() && !c.confirmed) return held_merge(plan);  // the cursor stays: it comes again
  Decision d;
  int remote = 0;
  d.import = store_->merge_pull(event_id_, c.service, c.batch, c.remote, c.cursor, now_ms(),
                                &remote, c.complete);
  name_changes(d.import, plan);
  if (c.rules) store_->set_ticket_rules(state_->event.slug, *c.rules);
  d.verdict = Verdict::Imported;
  d.message = std::to_string(d.import.added) + " added, " + std::to_string(d.import.updated) +
              " updated (" + std::to_string(d.import.cancelled) + " cancelled), " +
              std::to_string(remote) + " checked in elsewhere";
  return d;
}

Decision Engine::decide(SetEventDetails& e) {
  EventRecord ev = state_->event;
  if (!e.name.empty()) ev.name = e.name;
  if (e.capacity >= 0) ev.capacity = e.capacity;
  if (e.starts_at >= 0) ev.starts_at = e.starts_at;
  store_->update_event(ev);
  Decision d;
  d.verdict = Verdict::Updated;
  d.message = "Event updated";
  return d;
}

Decision Engine::decide(MakeEventCurrent&) {
  store_->set_meta("current_event", state_->event.slug);
  Decision d;
  d.verdict = Verdict::Updated;
  d.message = "Current event: " + state_->event.name;
  return d;
}

Decision Engine::decide(SetTicketKey& k) {
  Decision d;
  auto key = public_key_from_text(k.public_key);
  if (!key) {
    d.verdict = Verdict::Failed;
    d.message = key.error().message;
    return d;
  }
  store_->set_meta("ticket_public_key:" + state_->event.slug, k.public_key);
  d.verdict = Verdict::Updated;
  d.message = "Ticket key saved";
  return d;
}

}  // namespace fd
