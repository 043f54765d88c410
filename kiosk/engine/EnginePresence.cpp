// Presence: who is in the room. Undoing a check-in (and resolving a double
// entry), going out and coming back.
#include <algorithm>

#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "store/Store.h"

namespace fd {

// Why there is nothing to undo, in words: an undo that was already done
// says when and where, so a second tap or a retried command is not a mystery.
std::string Engine::nothing_to_undo(const Undo& u) const {
  const State& s = *state_;
  const std::vector<LogEntry> log = store_->log(s.event.id);
  const LogEntry* checkin = nullptr;  // the one the undo was aimed at
  for (const LogEntry& e : log) {
    if (e.kind != CheckInKind::CheckIn) continue;
    if (!u.checkin_uuid.empty() ? e.uuid == u.checkin_uuid
        : u.attendee_id         ? e.attendee_id == u.attendee_id
                                : e.door == s.door)
      checkin = &e;  // the latest such
  }
  const AttendeeRecord* a = checkin ? s.find(checkin->attendee_id) : nullptr;
  const std::string who = a ? a->full_name : "them";
  if (!checkin) {
    if (!u.checkin_uuid.empty()) return "There is no check-in " + u.checkin_uuid + " on this event";
    if (u.attendee_id) {
      const AttendeeRecord* p = s.find(u.attendee_id);
      return (p ? p->full_name : std::string("That person")) + " is not checked in";
    }
    return "There is no check-in at " + s.door + " to undo";
  }
  for (const LogEntry& e : log)
    if (e.kind == CheckInKind::Annul && e.ref_uuid == checkin->uuid)
      return "The check-in of " + who + " at " + local_hhmm(checkin->at) + " (" + checkin->door +
             ") was already undone at " + local_hhmm(e.at) + " (" + e.door + ")";
  return "There is no such check-in to undo";
}

Decision Engine::decide(Undo& u) {
  State& s = *state_;
  Decision d;
  auto target = s.present.end();
  std::optional<std::pair<std::int64_t, Presence>> other_half;  // of a double entry
  if (!u.checkin_uuid.empty()) {
    target = std::find_if(s.present.begin(), s.present.end(),
                          [&](const auto& kv) { return kv.second.uuid == u.checkin_uuid; });
    for (const auto& kv : s.also_live)
      if (kv.second.uuid == u.checkin_uuid) other_half = kv;
  } else if (u.attendee_id) {
    target = s.present.find(u.attendee_id);
  } else {
    for (auto it = s.present.begin(); it != s.present.end(); ++it)
      if (it->second.door == state_->door &&
          (target == s.present.end() || it->second.at > target->second.at))
        target = it;
  }
  if (target == s.present.end() && other_half) {
    auto original = store_->log_entry(other_half->second.uuid);
    if (!original)
      throw std::runtime_error("check-in " + other_half->second.uuid + " missing from the log");
    store_->append_annul(*original, state_->door, now_ms());
    d.verdict = Verdict::Undone;
    d.checkin_uuid = original->uuid;
    if (const AttendeeRecord* a = s.find(other_half->first)) d.who = view_of(*a);
    d.message =
        "Double entry resolved: one check-in of " + (d.who ? d.who->full_name : "them") + " undone";
    return d;
  }
  if (target == s.present.end()) {
    d.verdict = Verdict::NothingToUndo;
    d.message = nothing_to_undo(u);
    return d;
  }
  const std::int64_t attendee_id = target->first;
  auto original = store_->log_entry(target->second.uuid);
  if (!original)
    throw std::runtime_error("check-in " + target->second.uuid + " missing from the log");
  const LogEntry annul = store_->append_annul(*original, state_->door, now_ms());
  d.verdict = Verdict::Undone;
  d.checkin_uuid = original->uuid;
  d.at = annul.at;
  if (const AttendeeRecord* a = s.find(attendee_id)) {
    d.who = view_of(*a);
    d.message = "Check-in of " + a->full_name + " undone";
  } else {
    d.message = "Check-in undone";
  }
  return d;
}

Decision Engine::decide(MarkLeft& c) {
  const AttendeeRecord* a = state_->find(c.attendee_id);
  if (!a) {
    Decision d;
    d.verdict = Verdict::NotIn;
    d.message = "No attendee #" + std::to_string(c.attendee_id) + " on this event's list";
    return d;
  }
  return move(*a, CheckInKind::Left, true);
}

Decision Engine::decide(MarkReturned& c) {
  const AttendeeRecord* a = state_->find(c.attendee_id);
  if (!a) {
    Decision d;
    d.verdict = Verdict::NotIn;
    d.message = "No attendee #" + std::to_string(c.attendee_id) + " on this event's list";
    return d;
  }
  return move(*a, CheckInKind::Returned, true);
}

// Out of the room or back in, appended to the log against the person's
// check-in. Coming back is refused when the room is full, unless an
// organizer does it.
Decision Engine::move(const AttendeeRecord& a, CheckInKind kind, bool organizer) {
  State& s = *state_;
  Decision d;
  d.who = view_of(a);
  auto it = s.present.find(a.id);
  if (it == s.present.end()) {
    d.verdict = Verdict::NotIn;
    d.message = a.full_name + " is not checked in";
    return d;
  }
  const bool leaving = kind == CheckInKind::Left;
  if (it->second.in_room != leaving) {
    d.verdict = leaving ? Verdict::Left : Verdict::Returned;
    d.checkin_uuid = it->second.uuid;
    d.at = it->second.moved_at;
    d.message = a.full_name + (leaving ? " had already left" : " is already in the room");
    return d;
  }
  if (!leaving && !organizer && room_full(party_size(a.id))) return room_full_decision();
  auto checkin = store_->log_entry(it->second.uuid);
  if (!checkin) throw std::runtime_error("check-in " + it->second.uuid + " missing from the log");
  const LogEntry e = store_->append_move(*checkin, kind, state_->door, now_ms());
  d.verdict = leaving ? Verdict::Left : Verdict::Returned;
  d.checkin_uuid = checkin->uuid;
  d.at = e.at;
  d.door = e.door;
  const std::string first = view_of(a).first_name;  // "Jane", never a title
  d.message = leaving ? "Goodbye, " + first + "!" : "Welcome back, " + first + "!";
  if (first.empty()) d.message = leaving ? "Goodbye!" : "Welcome back!";
  return d;
}

}  // namespace fd
