// checkin, undo, walkin, search: what happens at the door, without a screen.
#include <iostream>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "search/SearchIndex.h"

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
    exit_status =
        s.error().code.rfind("event.", 0) == 0 ? exit_code::not_found : exit_code::failure;
    return nullptr;
  }
  return std::move(*s);
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
    cmd->callback([&g, &exit_status, w, name] {
      auto s = open_or_report(g, exit_status);
      if (!s) return;
      const auto space = name->find(' ');
      w->first_name = name->substr(0, space);
      w->last_name = space == std::string::npos ? "" : name->substr(space + 1);
      const Decision d = s->engine().run(*w);
      print_decision(d);
      exit_status = exit_for(d);
    });
  }
  {
    auto* cmd = app.add_subcommand("search", "Find people by name, as typed at the door");
    auto text = std::make_shared<std::vector<std::string>>();
    auto limit = std::make_shared<std::size_t>(10);
    cmd->add_option("text", *text, "Name or its start; accents and case do not matter")->required();
    cmd->add_option("-n,--limit", *limit, "How many results");
    cmd->callback([&g, &exit_status, text, limit] {
      auto s = open_or_report(g, exit_status);
      if (!s) return;
      std::string query;
      for (const auto& t : *text) query += (query.empty() ? "" : " ") + t;
      const auto snap = s->engine().snapshot();
      const auto hits = snap->search->find(query, *limit);
      if (hits.empty()) {
        std::cout << "No one matches \"" << query << "\"\n";
        exit_status = exit_code::not_found;
        return;
      }
      // Names and companies only: this is what an attendee may see.
      for (const SearchHit& h : hits) {
        const AttendeeView* a = snap->attendee(h.id);
        if (!a) continue;
        std::cout << "  #" << a->id << "  " << a->full_name;
        if (!a->company.empty()) std::cout << " — " << a->company;
        if (const Presence* p = snap->presence(a->id))
          std::cout << "  [in " << local_hhmm(p->at) << ", " << p->door << "]";
        else if (a->rsvp != Rsvp::Yes)
          std::cout << "  [" << to_string(a->rsvp) << "]";
        std::cout << "\n";
      }
      exit_status = exit_code::ok;
    });
  }
}

}  // namespace fd
