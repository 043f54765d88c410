// checkin, undo, walkin, search: what happens at the door, without a screen.
#include <iostream>
#include <map>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "model/PersonName.h"
#include "search/NameHints.h"
#include "search/SearchIndex.h"
#include "text/Fold.h"

namespace fd {
namespace {

int exit_for(const Decision& d) {
  switch (d.verdict) {
    case Verdict::Admitted:
    case Verdict::Undone:
    case Verdict::Reprinting: return exit_code::ok;
    case Verdict::AlreadyIn: return exit_code::already_in;
    case Verdict::NothingToUndo: return exit_code::not_found;
    case Verdict::Failed: return exit_code::failure;
    default: return is_refusal(d.verdict) ? exit_code::refused : exit_code::ok;
  }
}

void print_decision(const Decision& d) {
  std::cout << to_string(d.verdict) << ": " << d.message;
  if (d.who && d.verdict != Verdict::Admitted && d.verdict != Verdict::Undone)
    std::cout << " [" << d.who->full_name << "]";
  std::cout << "\n";
  if (d.verdict == Verdict::Undone) std::cout << "  check-in " << d.checkin_uuid << " annulled\n";
  if (d.verdict == Verdict::Admitted && d.who) {
    if (!d.who->company.empty()) std::cout << "  " << d.who->company << "\n";
    if (d.visits > 1) std::cout << "  Welcome back: event number " << d.visits << " for them.\n";
    std::cout << "  check-in " << d.checkin_uuid << " at " << local_hhmm(d.at) << " (" << d.door
              << ")\n";
  }
}

std::unique_ptr<Session> open_or_report(const GlobalOptions& g, int& exit_status) {
  auto s = Session::open(g);
  if (!s) {
    std::cerr << "frontdesk: " << s.error().message << "\n";
    exit_status = exit_code::of(s.error());
    return nullptr;
  }
  return std::move(*s);
}

// Organizers at a terminal may tell namesakes alike in every detail apart
// by a masked e-mail or the service's member id; read only for namesakes.
std::vector<std::string> last_resort_hints(Engine& engine, const std::vector<AttendeeView>& shown) {
  std::vector<std::string> out(shown.size());
  std::map<std::string, int> names;
  for (const AttendeeView& a : shown) ++names[fold(a.full_name)];
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (names[fold(shown[i].full_name)] < 2) continue;
    const auto rec = engine.attendee(shown[i].id).get();
    if (!rec) continue;
    // Ids Frontdesk made up carry the name or the e-mail: never shown.
    const bool own_id = rec->external_id.rfind("email:", 0) == 0 ||
                        rec->external_id.rfind("name:", 0) == 0 ||
                        rec->external_id.rfind("code:", 0) == 0 || rec->external_id.empty();
    out[i] = !rec->email.empty() ? "e-mail " + masked_email(rec->email)
             : !own_id           ? rec->source + " id " + rec->external_id
                                 : "";
  }
  return out;
}

// Names and companies only: this is what an attendee may see. People who
// share a name get a hint that tells them apart; a cut-off list says so.
void print_search(Engine& engine, const std::string& query, std::size_t limit,
                  const GlobalOptions& g, int& exit_status) {
  const auto snapshot = engine.snapshot();
  const Snapshot& snap = *snapshot;
  const auto hits = snap.search->find(query, limit + 1);
  if (hits.empty()) {
    std::cout << "No one matches \"" << query << "\"\n";
    exit_status = exit_code::not_found;
    return;
  }
  std::vector<AttendeeView> shown;
  for (std::size_t i = 0; i < hits.size() && i < limit; ++i)
    if (const AttendeeView* a = snap.attendee(hits[i].id)) shown.push_back(*a);
  const std::vector<std::string> hints = same_name_hints(shown, last_resort_hints(engine, shown));
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const AttendeeView& a = shown[i];
    std::cout << "  #" << a.id << "  " << a.full_name;
    if (!a.company.empty()) std::cout << " — " << a.company;
    if (!hints[i].empty()) std::cout << "  (" << hints[i] << ")";
    if (const Presence* p = snap.presence(a.id))
      std::cout << "  [in " << local_hhmm(p->at) << ", " << p->door << "]";
    else if (a.rsvp != Rsvp::Yes)
      std::cout << "  [" << to_string(a.rsvp) << "]";
    std::cout << "\n";
  }
  if (hits.size() > limit)
    std::cout << "  Showing the first " << limit << "; more match. Type more of the name, or see "
              << "more with: " << frontdesk_command(g) << " search " << shell_word(query)
              << " --limit " << limit * 5 << "\n";
  exit_status = exit_code::ok;
}

// A walk-in with the name of someone on the list or inside: nobody is
// registered yet; the two commands that settle it, as this run was given.
void print_is_this_you(const Decision& d, const Snapshot& snap, const WalkIn& w,
                       const std::string& name, const GlobalOptions& g) {
  std::cout << d.message << "\n";
  if (const Presence* p = snap.presence(d.who->id))
    std::cout << "  The same person: already in since " << local_hhmm(p->at) << " (" << p->door
              << "), nothing more to do\n";
  else
    std::cout << "  The same person: " << frontdesk_command(g) << " checkin --id " << d.who->id
              << (d.who->rsvp == Rsvp::Yes ? "" : " --organizer") << "\n";
  std::cout << "  Someone else:    " << frontdesk_command(g) << " walkin --name "
            << shell_word(name) << (w.email.empty() ? "" : " --email " + shell_word(w.email))
            << (w.company.empty() ? "" : " --company " + shell_word(w.company)) << " --new\n";
}

}  // namespace

void add_door_commands(CLI::App& app, GlobalOptions& g, int& exit_status) {
  {
    auto* cmd = app.add_subcommand("checkin", "Check a person in by ticket code or attendee id");
    auto code = std::make_shared<std::string>();
    auto id = std::make_shared<std::int64_t>(0);
    auto manual = std::make_shared<bool>(false);
    cmd->add_option("code", *code, "What the ticket's QR code or barcode says");
    cmd->add_option("--id", *id, "Attendee id (from `frontdesk search`)");
    cmd->add_flag("--organizer", *manual,
                  "Organizer override: admit even if cancelled, waitlisted or the room is full");
    cmd->callback([&g, &exit_status, code, id, manual] {
      if (code->empty() == (*id == 0)) throw CLI::ValidationError("give a ticket CODE or --id N");
      auto s = open_or_report(g, exit_status);
      if (!s) return;
      Decision d =
          *id ? s->engine().run(CheckInAttendee{*id, *manual ? Method::Manual : Method::Search})
              : s->engine().run(CheckInCode{*code, *manual ? Method::Manual : Method::Qr});
      print_decision(d);
      // What only an organizer may override (the list's no, a full room),
      // with the command that does it.
      const bool overridable = d.verdict == Verdict::NotAttending ||
                               d.verdict == Verdict::Cancelled ||
                               d.verdict == Verdict::CapacityReached;
      if (overridable && !*manual && d.who)
        std::cout << "  An organizer can let them in anyway: " << frontdesk_command(g)
                  << " checkin --id " << d.who->id << " --organizer\n";
      exit_status = exit_for(d);
    });
  }
  {
    auto* cmd = app.add_subcommand("undo", "Annul a check-in (recorded, never deleted)");
    auto uuid = std::make_shared<std::string>();
    auto id = std::make_shared<std::int64_t>(0);
    cmd->add_option("checkin", *uuid, "Check-in UUID; default: the latest at this door");
    cmd->add_option("--id", *id, "Annul this attendee's check-in");
    cmd->callback([&g, &exit_status, uuid, id] {
      auto s = open_or_report(g, exit_status);
      if (!s) return;
      const Decision d = s->engine().run(Undo{*uuid, *id});
      print_decision(d);
      exit_status = exit_for(d);
    });
  }
  {
    auto* cmd = app.add_subcommand("walkin", "Register a walk-in and check them in");
    auto w = std::make_shared<WalkIn>();
    auto name = std::make_shared<std::string>();
    cmd->add_option("--name", *name, "Full name")->required();
    cmd->add_option("--email", w->email, "E-mail (optional; never shown at the door)");
    cmd->add_option("--company", w->company, "Company (optional)");
    cmd->add_flag("--new", w->new_person,
                  "A new person although someone of that name is on the list or inside");
    cmd->callback([&g, &exit_status, w, name] {
      if (name->find_first_not_of(" \t") == std::string::npos)
        throw CLI::ValidationError("--name",
                                   "give the walk-in's name, e.g. --name \"Ada Lovelace\"");
      auto s = open_or_report(g, exit_status);
      if (!s) return;
      // A title stays with the first name ("Dr. Jane"), so the full name
      // keeps it and the greeting drops it (model/PersonName.h).
      const NameParts parts = split_full_name(*name);
      w->first_name = parts.title.empty() ? parts.first : parts.title + " " + parts.first;
      w->last_name = parts.last;
      const Decision d = s->engine().run(*w);
      if (d.verdict == Verdict::IsThisYou && d.who) {
        print_is_this_you(d, *s->engine().snapshot(), *w, *name, g);
        exit_status = exit_code::held;
        return;
      }
      print_decision(d);
      exit_status = exit_for(d);
    });
  }
  {
    auto* cmd = app.add_subcommand("search", "Find people by name, as typed at the door");
    auto text = std::make_shared<std::vector<std::string>>();
    auto limit = std::make_shared<std::size_t>(10);
    cmd->add_option("text", *text, "Name or its start; accents and case do not matter")->required();
    cmd->add_option("-n,--limit", *limit, "How many results (default 10)");
    cmd->callback([&g, &exit_status, text, limit] {
      auto s = open_or_report(g, exit_status);
      if (!s) return;
      std::string query;
      for (const auto& t : *text) query += (query.empty() ? "" : " ") + t;
      print_search(s->engine(), query, *limit, g, exit_status);
    });
  }
}

}  // namespace fd
