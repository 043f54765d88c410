// import, event, stats, export: the attendee list and what became of it.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "import/Csv.h"
#include "import/Importer.h"

namespace fd {
namespace {

int report_error(const Error& e, int& exit_status) {
  std::cerr << "frontdesk: " << e.message << "\n";
  exit_status = e.code.rfind("event.", 0) == 0 ? exit_code::not_found : exit_code::failure;
  return exit_status;
}

void print_stats(const Snapshot& s) {
  const auto line = [](const char* label, const std::string& value) {
    std::cout << "  " << std::left << std::setw(22) << label << value << "\n";
  };
  std::cout << s.event.name << " (" << s.event.slug << ")\n";
  line("RSVPs (yes)",
       std::to_string(s.rsvp_yes) +
           (s.guests_expected ? "  +" + std::to_string(s.guests_expected) +
                                    " guests = " + std::to_string(s.expected()) + " expected"
                              : ""));
  line("Checked in", std::to_string(s.checked_in) +
                         (s.guests_in ? "  +" + std::to_string(s.guests_in) + " guests" : ""));
  line("Walk-ins", std::to_string(s.walk_ins));
  if (s.unexpected_in) line("Let in off the list", std::to_string(s.unexpected_in));
  line("Headcount", std::to_string(s.headcount()) +
                        (s.event.capacity ? " of " + std::to_string(s.event.capacity) + " capacity"
                                          : "  (no capacity set)"));
  line("Waitlisted / declined", std::to_string(s.waitlisted) + " / " + std::to_string(s.declined));
  line("No-shows so far", std::to_string(s.no_shows_so_far()));
  if (!s.print_badges)
    line("Badges", "none: no printer is set up ([printer] in the config)");
  else if (s.queues.badge_jobs_open || s.queues.badge_jobs_failed)
    line("Badges waiting", std::to_string(s.queues.badge_jobs_open) +
                               (s.queues.badge_jobs_failed
                                    ? " (" + std::to_string(s.queues.badge_jobs_failed) + " failed)"
                                    : ""));
  if (s.queues.badge_jobs_held)
    line("Badges held back", std::to_string(s.queues.badge_jobs_held) +
                                 " (waited too long to print; see frontdesk reprint)");
  if (!s.sync_set_up)
    line("Sync", "no service set up: attendance stays here (frontdesk export writes it)");
  else if (s.queues.outbox_pending || s.queues.outbox_dead)
    line("To sync",
         std::to_string(s.queues.outbox_pending) +
             (s.queues.outbox_dead ? " (" + std::to_string(s.queues.outbox_dead) + " undeliverable)"
                                   : ""));
  const auto buckets = s.arrivals_per(15);
  if (buckets.empty()) {
    std::cout << "  No arrivals yet.\n";
    return;
  }
  std::cout << "  Arrivals per 15 minutes:\n";
  int most = 1;
  for (const auto& b : buckets) most = std::max(most, b.second);
  for (const auto& [at, n] : buckets) {
    const int bar = (n * 40 + most - 1) / most;
    std::string bars;
    for (int i = 0; i < bar; ++i) bars += "█";
    std::cout << "    " << local_hhmm(at) << "  " << std::setw(4) << std::right << n << " " << bars
              << "\n";
  }
}

nlohmann::json stats_json(const Snapshot& s) {
  nlohmann::json j;
  j["event"] = {{"slug", s.event.slug}, {"name", s.event.name}, {"capacity", s.event.capacity}};
  j["rsvp_yes"] = s.rsvp_yes;
  j["guests_expected"] = s.guests_expected;
  j["expected"] = s.expected();
  j["checked_in"] = s.checked_in;
  j["guests_in"] = s.guests_in;
  j["walk_ins"] = s.walk_ins;
  j["unexpected_in"] = s.unexpected_in;
  j["headcount"] = s.headcount();
  j["waitlisted"] = s.waitlisted;
  j["declined"] = s.declined;
  j["no_shows_so_far"] = s.no_shows_so_far();
  j["in_room"] = s.in_room;  // checked in and not gone out (exit doors, organizers)
  j["left_room"] = s.left_room;
  j["arrivals_per_15_min"] = nlohmann::json::array();
  for (const auto& [at, n] : s.arrivals_per(15))
    j["arrivals_per_15_min"].push_back({{"at", iso8601_utc(at)}, {"count", n}});
  return j;
}

}  // namespace

void add_list_commands(CLI::App& app, GlobalOptions& g, int& exit_status) {
  {
    auto* cmd = app.add_subcommand("import", "Load attendees from an RSVP service's CSV export");
    struct Args {
      std::string file, source = "auto", map, capacity_text;
      bool prune = false;
      int capacity = -1;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("file", a->file,
                    "CSV file (Meetup, Eventbrite, pretix, Luma or any headed CSV)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--source", a->source, "auto, meetup, eventbrite, pretix, luma or csv")
        ->check(CLI::IsMember({"auto", "meetup", "eventbrite", "pretix", "luma", "csv"}));
    cmd->add_option("--map", a->map, "Column mapping, e.g. name=Full Name,email=E-mail");
    cmd->add_flag("--prune", a->prune, "Mark people missing from this file as cancelled");
    cmd->add_option("--capacity", a->capacity, "Set the room's capacity (0: no limit)");
    cmd->footer(
        "The event (--event NAME) is created if it does not exist yet. Re-importing a "
        "newer export merges by the service's ids and never drops a check-in.");
    cmd->callback([&g, &exit_status, a] {
      ImportOptions opts;
      opts.source = a->source;
      if (!a->map.empty()) {
        auto m = parse_column_map(a->map);
        if (!m) throw CLI::ValidationError("--map", m.error().message);
        opts.column_map = *m;
      }
      const bool show_progress = !g.quiet && ::isatty(2);
      if (show_progress) {
        opts.progress = [last = -1](std::size_t done, std::size_t total) mutable {
          const int pct = total ? static_cast<int>(done * 100 / total) : 100;
          if (pct == last) return;
          last = pct;
          std::cerr << "\rReading… " << pct << "%" << std::flush;
        };
      }
      auto batch = read_attendee_file(a->file, opts);
      if (show_progress) std::cerr << "\r              \r";
      if (!batch) return void(report_error(batch.error(), exit_status));
      auto s = Session::open(g, {.create_event = true});
      if (!s && (s.error().code == "event.none" || s.error().code == "event.ambiguous"))
        throw CLI::ValidationError("--event",
                                   "name the event this list is for: --event \"June meetup\"");
      if (!s) return void(report_error(s.error(), exit_status));
      if (show_progress) std::cerr << "Merging " << batch->rows.size() << " rows…\n";
      const std::size_t errors = batch->errors.size();
      const auto warnings = batch->warnings;
      const auto row_errors = batch->errors;
      const std::string source = batch->source;
      const Decision d = (*s)->engine().run(MergeImport{std::move(*batch), a->file, a->prune});
      if (d.verdict != Verdict::Imported) {
        std::cerr << "frontdesk: " << d.message << "\n";
        exit_status = exit_code::failure;
        return;
      }
      // A list for a new event: that is the organizer's next event, the one
      // the door opens from now on.
      if ((*s)->engine().created_event()) (*s)->engine().run(MakeEventCurrent{});
      if (a->capacity >= 0) (*s)->engine().run(SetEventDetails{"", a->capacity, -1});
      const auto snap = (*s)->engine().snapshot();
      std::cout << "Imported " << a->file << " as " << source << " into " << snap->event.name
                << " (" << snap->event.slug << ")\n";
      for (const auto& w : warnings) std::cout << "  note: " << w << "\n";
      const MergeReport& r = d.import;
      std::cout << "  " << r.added << " added, " << r.updated << " updated, " << r.unchanged
                << " unchanged, " << r.cancelled << " newly cancelled/declined";
      if (r.not_in_file) std::cout << ", " << r.not_in_file << " on the list but not in this file";
      std::cout << "\n  " << snap->rsvp_yes << " RSVPs yes, " << snap->expected()
                << " expected with guests, " << snap->waitlisted << " waitlisted\n";
      if (errors) {
        std::cout << "  " << errors << " row" << (errors == 1 ? " was" : "s were") << " skipped:\n";
        std::size_t shown = 0;
        for (const RowError& e : row_errors) {
          if (++shown > 50) {
            std::cout << "    … and " << (errors - 50) << " more\n";
            break;
          }
          std::cout << "    line " << e.line << ": " << e.message << "\n";
        }
      }
      exit_status = errors ? exit_code::partial : exit_code::ok;
    });
  }
  {
    auto* cmd = app.add_subcommand("event", "List events, pick the current one, set details");
    cmd->require_subcommand(0, 1);
    auto* list = cmd->add_subcommand("list", "List the events in the store");
    auto* use = cmd->add_subcommand("use", "Make an event the current one");
    auto* set = cmd->add_subcommand("set", "Change the current event's name, capacity or start");
    auto slug = std::make_shared<std::string>();
    use->add_option("slug", *slug, "Event slug or name")->required();
    auto details = std::make_shared<SetEventDetails>();
    auto starts = std::make_shared<std::string>();
    set->add_option("--name", details->name, "Display name");
    set->add_option("--capacity", details->capacity, "Room capacity (0: no limit)");
    set->add_option("--starts", *starts, "Start time, \"YYYY-MM-DD HH:MM\" local");
    auto list_events = [&g, &exit_status] {
      auto s = Session::open(g, {.require_event = false});
      if (!s) return void(report_error(s.error(), exit_status));
      Engine& engine = (*s)->engine();
      const auto current = engine.has_event() ? engine.snapshot()->event.slug : std::string();
      const auto events = engine.events().get();
      if (events.empty()) std::cout << "No events yet.\n";
      for (const auto& e : events)
        std::cout << (e.slug == current ? "* " : "  ") << e.slug << "  " << e.name
                  << (e.capacity ? "  capacity " + std::to_string(e.capacity) : "") << "\n";
      exit_status = exit_code::ok;
    };
    list->callback(list_events);
    cmd->callback([cmd, list_events] {
      if (cmd->get_subcommands().empty()) list_events();
    });
    use->callback([&g, &exit_status, slug] {
      GlobalOptions g2 = g;
      g2.event = *slug;
      auto s = Session::open(g2, {.make_current = true});
      if (!s) return void(report_error(s.error(), exit_status));
      std::cout << "Current event: " << (*s)->engine().snapshot()->event.name << "\n";
      exit_status = exit_code::ok;
    });
    set->callback([&g, &exit_status, details, starts] {
      if (!starts->empty()) {
        details->starts_at = parse_datetime(*starts);
        if (details->starts_at < 0)
          throw CLI::ValidationError("--starts", "use \"YYYY-MM-DD HH:MM\"");
      }
      auto s = Session::open(g);
      if (!s) return void(report_error(s.error(), exit_status));
      (*s)->engine().run(*details);
      print_stats(*(*s)->engine().snapshot());
      exit_status = exit_code::ok;
    });
  }
  {
    auto* cmd = app.add_subcommand("stats", "Headcounts and arrivals for the current event");
    auto json = std::make_shared<bool>(false);
    cmd->add_flag("--json", *json, "Machine-readable output");
    cmd->callback([&g, &exit_status, json] {
      auto s = Session::open(g);
      if (!s) return void(report_error(s.error(), exit_status));
      const auto snap = (*s)->engine().snapshot();
      if (*json)
        std::cout << stats_json(*snap).dump(2) << "\n";
      else
        print_stats(*snap);
      exit_status = exit_code::ok;
    });
  }
  {
    auto* cmd =
        app.add_subcommand("export", "Write attendance as CSV (who, when, how, which door)");
    auto out = std::make_shared<std::string>();
    auto all = std::make_shared<bool>(false);
    cmd->add_option("-o,--out", *out, "Output file (default: standard output)");
    cmd->add_flag("--all", *all, "Include everyone on the list, not only those who came");
    cmd->callback([&g, &exit_status, out, all] {
      auto s = Session::open(g);
      if (!s) return void(report_error(s.error(), exit_status));
      const auto snap = (*s)->engine().snapshot();
      const std::vector<AttendeeRecord> people = (*s)->engine().attendees().get();
      std::vector<std::vector<std::string>> rows;
      rows.push_back({"Name", "Email", "Company", "Ticket type", "RSVP", "Walk-in", "Status",
                      "Checked in at", "Method", "Door", "Check-in ID", "Source", "External ID"});
      for (const AttendeeRecord& a : people) {
        const Presence* p = snap->presence(a.id);
        if (!p && !*all) continue;
        rows.push_back({a.full_name, a.email, a.company, a.ticket_type, to_string(a.rsvp),
                        a.walk_in ? "yes" : "no", p ? "checked in" : "not checked in",
                        p ? local_datetime(p->at) : "", p ? to_string(p->method) : "",
                        p ? p->door : "", p ? p->uuid : "", a.source, a.external_id});
      }
      const std::string csv = write_csv(rows);
      if (out->empty()) {
        std::cout << csv;
      } else {
        // The export holds e-mail addresses: owner-only, like the store.
        const mode_t old = ::umask(077);
        std::ofstream f(*out, std::ios::binary | std::ios::trunc);
        ::umask(old);
        f << csv;
        if (!f)
          return void(report_error(Error{"export.write", "Cannot write " + *out}, exit_status));
        std::cerr << "Wrote " << rows.size() - 1 << " people to " << *out << "\n";
      }
      exit_status = exit_code::ok;
    });
  }
}

}  // namespace fd
