// Attendance: letting people in. A ticket (ours, pretix's signed ones, a
// code on the list), a name picked from the list, a walk-in; the list's
// verdicts (cancelled, waitlisted), the room's capacity, the welcome.
#include <algorithm>
#include <cctype>

#include "engine/Engine.h"
#include "engine/EngineState.h"
#include "model/PersonName.h"
#include "store/Store.h"
#include "text/Fold.h"

namespace fd {

namespace {

// Limits on what people type or scan (QR codes hold at most ~3 KB).
constexpr std::size_t kMaxTypedField = 300;
constexpr std::size_t kMaxCode = 4096;

}  // namespace

Decision Engine::admit(const AttendeeRecord& a, Method method) {
  State& s = *state_;
  Decision d;
  d.who = view_of(a);
  // At an exit door a ticket means "going out"; someone who went out and
  // comes back in is welcomed back rather than told they are already in.
  const bool by_hand = method == Method::Manual;
  if (options_.exit_door && !by_hand) return move(a, CheckInKind::Left, false);
  if (auto it = s.present.find(a.id); it != s.present.end() && !it->second.in_room)
    return move(a, CheckInKind::Returned, by_hand);  // back from outside: welcome back
  if (auto it = s.present.find(a.id); it != s.present.end()) {
    d.verdict = Verdict::AlreadyIn;
    d.checkin_uuid = it->second.uuid;
    d.at = it->second.at;
    d.door = it->second.door;
    d.message = "Already checked in at " + local_hhmm(d.at) + " (" + d.door + ")";
    d.had_badge = store_->badges_printed(a.id) > 0;
    return d;
  }
  // An organizer checking someone in by hand overrides the list's verdicts.
  const bool organizer = method == Method::Manual;
  if (a.rsvp == Rsvp::Cancelled && !organizer) {
    d.verdict = Verdict::Cancelled;
    d.message = "This ticket was cancelled — please see an organizer";
    return d;
  }
  if ((a.rsvp == Rsvp::No || a.rsvp == Rsvp::Waitlist) && !organizer &&
      !options_.admit_not_expected) {
    d.verdict = Verdict::NotAttending;
    d.message = a.rsvp == Rsvp::Waitlist
                    ? "You're on the waitlist — please see an organizer"
                    : "Your RSVP says you're not coming — please see an organizer";
    return d;
  }
  if (room_full(1 + a.guests) && !organizer) return room_full_decision();
  const LogEntry e = store_->append_checkin(s.event.id, a.id, state_->door, method, now_ms());
  return welcome(a, e);
}

// The person is in: say so. (The engine's view learns it from the log once
// the decision is committed, like any other process's check-in.)
Decision Engine::welcome(const AttendeeRecord& a, const LogEntry& e) {
  Decision d;
  d.verdict = Verdict::Admitted;
  d.who = view_of(a);
  d.checkin_uuid = e.uuid;
  d.at = e.at;
  d.door = e.door;
  d.visits = store_->events_attended(a.person_id);
  d.message = "Welcome, " + d.who->first_name + "!";
  return d;
}

Decision Engine::room_full_decision() const {
  Decision d;
  d.verdict = Verdict::CapacityReached;
  d.message = "The room is full (capacity " + std::to_string(state_->event.capacity) +
              ") — please see an organizer";
  return d;
}

bool Engine::room_full(int arriving) const {
  const State& s = *state_;
  if (s.event.capacity <= 0) return false;
  // Capacity is about the room: people who went out do not count.
  int in = 0;
  for (const auto& [id, p] : s.present)
    if (p.in_room) in += party_size(id);
  return in + arriving > s.event.capacity;
}

// A person and the +1s who came with them.
int Engine::party_size(std::int64_t attendee_id) const {
  const AttendeeRecord* a = state_->find(attendee_id);
  return 1 + (a && a->rsvp == Rsvp::Yes && !a->walk_in ? a->guests : 0);
}

Decision Engine::decide(CheckInCode& c) {
  State& s = *state_;
  Decision d;
  std::string code = c.text;
  // Handheld scanners add CR/LF; people paste with spaces.
  const auto notspace = [](unsigned char ch) { return !std::isspace(ch); };
  code.erase(code.begin(), std::find_if(code.begin(), code.end(), notspace));
  code.erase(std::find_if(code.rbegin(), code.rend(), notspace).base(), code.end());
  if (code.empty()) {
    d.verdict = Verdict::NotATicket;
    d.message = "That code is empty — please try again";
    return d;
  }
  if (code.size() > kMaxCode) {
    d.verdict = Verdict::NotATicket;
    d.message = "That code is too long to be a ticket";
    return d;
  }
  // What the code is: a ticket of ours, another event's, a forgery, or no ticket at all.
  TicketContext ctx = options_.tickets;
  ctx.now_s = now_ms() / 1000;
  const TicketResult parsed = parse_ticket(code, ctx);
  if (const auto* no = std::get_if<TicketRejection>(&parsed)) {
    switch (no->problem) {
      case TicketProblem::NotATicket: d.verdict = Verdict::NotATicket; break;
      case TicketProblem::Forged: d.verdict = Verdict::Forged; break;
      case TicketProblem::WrongEvent: d.verdict = Verdict::WrongEvent; break;
      case TicketProblem::NotYetValid: d.verdict = Verdict::NotYetValid; break;
      case TicketProblem::Expired: d.verdict = Verdict::Expired; break;
    }
    d.message = no->message;
    return d;
  }
  const Ticket& ticket = std::get<Ticket>(parsed);
  // Refused even offline: pretix said so at the last pull.
  if (s.revoked.count(ticket.code) || s.blocked.count(ticket.code)) {
    d.verdict = Verdict::Cancelled;
    d.message = s.revoked.count(ticket.code) ? "This ticket was revoked — please see an organizer"
                                             : "This ticket is blocked — please see an organizer";
    return d;
  }
  // Frontdesk tickets carry the attendee's id; the others a code on the list.
  const AttendeeRecord* found = nullptr;
  if (ticket.kind == TicketKind::Frontdesk) {
    if (auto it = s.by_external.find(ticket.code); it != s.by_external.end())
      found = &s.attendees[it->second];
  } else {
    if (auto it = s.by_code.find(ticket.code); it != s.by_code.end())
      found = &s.attendees[it->second];
    else if (auto ext = s.by_external.find(ticket.code); ext != s.by_external.end())
      found = &s.attendees[ext->second];
  }
  if (found) return admit(*found, c.method);
  code = ticket.code;
  if (auto other = store_->attendee_by_code_elsewhere(s.event.id, code)) {
    d.verdict = Verdict::WrongEvent;
    const auto ev = store_->event_by_id(other->event_id);
    d.message = "This ticket is for another event" + (ev ? " (" + ev->name + ")" : std::string());
    return d;
  }
  // A genuine signed pretix ticket bought after the last pull: the point of
  // signed tickets is that the door admits it without the list.
  if (ticket.kind == TicketKind::PretixSigned && ticket.signature_verified)
    return admit_ticket_holder(ticket, c);
  d.verdict = Verdict::UnknownTicket;
  d.message = ticket.signature_verified
                  ? "This ticket is genuine but not on this event's list — please see an organizer"
                  : "We can't find this ticket on the list — please see an organizer";
  return d;
}

Decision Engine::decide(CheckInAttendee& c) {
  const AttendeeRecord* a = state_->find(c.attendee_id);
  if (!a) {
    Decision d;
    d.verdict = Verdict::UnknownTicket;
    d.message = "No attendee #" + std::to_string(c.attendee_id) + " on this event's list";
    return d;
  }
  return admit(*a, c.method);
}

Decision Engine::decide(WalkIn& w) {
  State& s = *state_;
  Decision d;
  AttendeeRecord a;
  a.first_name = w.first_name;
  a.last_name = w.last_name;
  a.full_name = w.first_name.empty()  ? w.last_name
                : w.last_name.empty() ? w.first_name
                                      : w.first_name + " " + w.last_name;
  a.email = w.email;
  a.company = w.company;
  if (a.full_name.find_first_not_of(" \t") == std::string::npos) {
    d.verdict = Verdict::Failed;
    d.message = "Please tell us your name";
    return d;
  }
  // Typed at a kiosk or sent by a phone: outside input, with the import's limits.
  for (const std::string* field : {&a.full_name, &a.email, &a.company}) {
    if (field->size() > kMaxTypedField) {
      d.verdict = Verdict::Failed;
      d.message = "That is too long — please shorten it";
      return d;
    }
  }
  if (!w.new_person) {
    // Someone of that name is on the list or already inside: a second
    // record would count them twice, in the headcount and the report.
    // Titles aside: "Jane Smith" at the door is "Dr. Jane Smith" on the list.
    const auto same_name = [](const std::string& full) {
      const NameParts p = split_full_name(full);
      return fold(p.first + " " + p.last);
    };
    const std::string key = same_name(a.full_name);
    for (const AttendeeRecord& other : s.attendees) {
      if (same_name(other.full_name) != key) continue;
      d.verdict = Verdict::IsThisYou;
      d.who = view_of(other);
      d.message = s.present.count(other.id)
                      ? other.full_name + " is already checked in. Is this you?"
                      : other.full_name + " is on the list. Is this you?";
      return d;
    }
  }
  if (room_full(1)) return room_full_decision();
  auto [added, entry] = store_->add_walk_in(s.event.id, a, state_->door, now_ms());
  return welcome(added, entry);
}

void Engine::load_ticket_rules() {
  State& s = *state_;
  s.rules_version = store_->ticket_rules_version(s.event.slug);
  const auto rules = store_->ticket_rules(s.event.slug);
  s.rules_known = rules.has_value();
  s.revoked.clear();
  s.blocked.clear();
  s.products.clear();
  s.all_products = true;
  if (!rules) return;
  s.revoked.insert(rules->revoked.begin(), rules->revoked.end());
  s.blocked.insert(rules->blocked.begin(), rules->blocked.end());
  s.all_products = rules->all_products;
  s.products.insert(rules->products.begin(), rules->products.end());
  auto& keys = options_.tickets.pretix_keys;
  for (const std::string& text : rules->pretix_keys)
    if (auto k = pretix_public_key(text))
      if (std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
}

Decision Engine::admit_ticket_holder(const Ticket& ticket, const CheckInCode& c) {
  State& s = *state_;
  Decision d;
  if (s.rules_known && !s.all_products && !s.products.count(ticket.item)) {
    d.verdict = Verdict::WrongEvent;
    d.message = "This ticket is not for this entrance — please see an organizer";
    return d;
  }
  const auto blank = [](const std::string& t) {
    return t.find_first_not_of(" \t") == std::string::npos;
  };
  if (blank(c.first_name) && blank(c.last_name)) {
    d.verdict = Verdict::NameNeeded;
    d.message = "Your ticket is fine — please type your name for your badge";
    return d;
  }
  if (room_full(1)) return room_full_decision();
  AttendeeRecord a;
  a.source = "pretix";
  a.ticket_code = ticket.code;
  a.first_name = c.first_name;
  a.last_name = c.last_name;
  a.full_name = blank(c.first_name)  ? c.last_name
                : blank(c.last_name) ? c.first_name
                                     : c.first_name + " " + c.last_name;
  auto [added, entry] = store_->add_ticket_holder(s.event.id, a, state_->door, c.method, now_ms());
  return welcome(added, entry);
}

}  // namespace fd
