// reprint: a person's badge again, and the badges held back after the
// printer was away for a while (Store::claim_badge_job holds badges asked
// for more than kBadgeFreshFor ago, so a printer that comes back does not
// print the evening's backlog for people long inside).
#include <iostream>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"

namespace fd {
namespace {

std::string name_of(const Snapshot& snap, std::int64_t id) {
  for (const AttendeeView& a : *snap.roster)
    if (a.id == id) return a.full_name;
  return "#" + std::to_string(id);
}

int list_held(Engine& engine, const GlobalOptions& g) {
  const auto held = engine.held_badges().get();
  if (held.empty()) {
    std::cout << "No badges are held back.\n";
    return exit_code::ok;
  }
  const auto snap = engine.snapshot();
  std::cout << held.size() << (held.size() == 1 ? " badge was" : " badges were")
            << " held back: asked for more than " << kBadgeFreshFor / 60000
            << " minutes before the printer could print, so not printed unasked.\n";
  for (const HeldBadge& h : held)
    std::cout << "  " << h.attendee_id << "  " << name_of(*snap, h.attendee_id) << "  (came in at "
              << local_hhmm(h.asked_at) << ")\n";
  std::cout << "Print them all: " << frontdesk_command(g) << " reprint --held\n"
            << "Print some:     " << frontdesk_command(g) << " reprint " << held.front().attendee_id
            << (held.size() > 1 ? " " + std::to_string(held.back().attendee_id) : "") << "\n";
  return exit_code::ok;
}

}  // namespace

void add_reprint_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "reprint", "Print a checked-in person's badge again; without ID: the badges held back");
  auto ids = std::make_shared<std::vector<std::int64_t>>();
  auto held = std::make_shared<bool>(false);
  cmd->add_option("id", *ids, "Attendee ids (from `frontdesk search`)");
  cmd->add_flag("--held", *held,
                "Print every badge held back (asked for while the printer was away)");
  cmd->callback([&g, &exit_status, ids, held] {
    if (*held && !ids->empty()) throw CLI::ValidationError("give IDs or --held, not both");
    auto s = Session::open(g);
    if (!s) {
      std::cerr << "frontdesk: " << s.error().message << "\n";
      exit_status = exit_code::of(s.error());
      return;
    }
    Engine& engine = (*s)->engine();
    if (ids->empty() && !*held) return void(exit_status = list_held(engine, g));
    if (*held) {
      const Decision d = engine.run(PrintHeldBadges{});
      std::cout << d.message << "\n";
      exit_status = d.verdict == Verdict::Failed ? exit_code::failure : exit_code::ok;
      return;
    }
    exit_status = exit_code::ok;
    for (std::int64_t id : *ids) {
      const Decision d = engine.run(Reprint{id});
      std::cout << d.message << "\n";
      if (d.verdict != Verdict::Reprinting) exit_status = exit_code::failure;
    }
  });
}

}  // namespace fd
