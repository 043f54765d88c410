// import, event, stats, export: the attendee list and what became of it.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "import/Csv.h"
#include "import/Importer.h"
#include "model/Export.h"
#include "report/Summary.h"

namespace fd {
namespace {

int report_error(const Error& e, int& exit_status) {
  std::cerr << "frontdesk: " << e.message << "\n";
  exit_status = exit_code::of(e);
  return exit_status;
}

using Quarters = std::vector<std::pair<TimeMs, int>>;

// Arrivals per quarter hour as the report counts them (report/Summary.h:
// guests come in with their host), so `stats` and `report` agree.
Quarters arrivals_per_15(Engine& engine) {
  const std::int64_t id = engine.snapshot()->event.id;
  for (const EventAttendance& e : engine.attendance().get())
    if (e.event.id == id) return summarize_event(e).arrivals_per_15;
  return {};
}

void print_stats(const Snapshot& s, const Quarters& buckets, const GlobalOptions& g) {
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
    line("Badges", "none: no printer is set up ([printer] name in the config)");
  else if (s.queues.badge_jobs_open || s.queues.badge_jobs_failed)
    line("Badges waiting", std::to_string(s.queues.badge_jobs_open) +
                               (s.queues.badge_jobs_failed
                                    ? " (" + std::to_string(s.queues.badge_jobs_failed) + " failed)"
                                    : ""));
  if (s.queues.badge_jobs_held)
    line("Badges held back", std::to_string(s.queues.badge_jobs_held) +
                                 " (waited too long to print; see `" + frontdesk_command(g) +
                                 " reprint`)");
  if (!s.sync_set_up)
    line("Sync", "no service set up: attendance stays here (`" + frontdesk_command(g) +
                     " export --out attendance.csv` writes it)");
  else if (s.queues.outbox_pending || s.queues.outbox_dead)
    line("To sync",
         std::to_string(s.queues.outbox_pending) +
             (s.queues.outbox_dead ? " (" + std::to_string(s.queues.outbox_dead) + " undeliverable)"
                                   : ""));
  if (buckets.empty()) {
    std::cout << "  No arrivals yet.\n";
    return;
  }
  std::cout << "  Arrivals per 15 minutes (guests included):\n";
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

nlohmann::json stats_json(const Snapshot& s, const Quarters& buckets) {
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
  for (const auto& [at, n] : buckets)
    j["arrivals_per_15_min"].push_back({{"at", iso8601_utc(at)}, {"count", n}});
  return j;
}

struct ImportArgs {
  std::string file, source = "auto", map;
  bool prune = false, yes = false, verbose = false;
  int capacity = -1;
};

// The import again, as typed, with --yes: what the organizer runs to go ahead.
std::string go_ahead_command(const GlobalOptions& g, const ImportArgs& a, const std::string& slug) {
  std::string cmd = frontdesk_command(g, false) + " import " + shell_word(a.file) + " --event " +
                    shell_word(slug);
  if (a.source != "auto") cmd += " --source " + a.source;
  if (!a.map.empty()) cmd += " --map " + shell_word(a.map);
  if (a.prune) cmd += " --prune";
  return cmd + " --yes";
}

// Who was added, changed or cancelled: five of each on screen, everyone
// with --verbose.
void print_people(const char* label, const std::vector<MergeChange>& people, bool verbose) {
  if (people.empty()) return;
  const std::size_t shown = verbose ? people.size() : std::min<std::size_t>(people.size(), 5);
  std::cout << "  " << label << ":";
  for (std::size_t i = 0; i < shown; ++i) {
    const MergeChange& c = people[i];
    std::cout << (verbose ? "\n    " : i ? ", " : " ") << c.name;
    if (!c.what.empty()) std::cout << " (" << c.what << ")";
  }
  if (shown < people.size())
    std::cout << ", … and " << people.size() - shown << " more (--verbose lists everyone)";
  std::cout << "\n";
}

void print_names(const MergeReport& r, bool verbose) {
  print_people("Added", r.added_people, verbose);
  print_people("Changed", r.changed_people, verbose);
  print_people("Cancelled or declined", r.cancelled_people, verbose);
}

// Nothing was changed: what the import would have done and how to go ahead.
void print_held(const Decision& d, const GlobalOptions& g, const ImportArgs& a,
                const std::string& slug) {
  std::cout << "Held back, nothing was changed: " << a.file << "\n  " << d.message << "\n";
  const MergeReport& r = d.import;
  if (r.added || r.updated || r.cancelled) {
    std::cout << "  It would have: " << r.added << " added, " << r.updated << " updated, "
              << r.cancelled << " cancelled or declined\n";
    print_names(r, a.verbose);
  }
  const std::string again = go_ahead_command(g, a, slug);
  switch (r.held) {
    case MergeHold::NoAttendees:
      std::cout << "  Download the export again (it may have been cut short) and import that.\n";
      if (r.cancelled)
        std::cout << "  To cancel everyone on the list anyway:\n    " << again << "\n";
      break;
    case MergeHold::OlderExport:
      std::cout << "  Import the newest export instead, or to put these changes back anyway:\n    "
                << again << "\n";
      break;
    case MergeHold::ManyCancelled:
    case MergeHold::None:
      std::cout << "  If the list really changed this much, go ahead with:\n    " << again << "\n";
      break;
  }
}

void print_imported(const Decision& d, const ImportBatch& batch, const ImportArgs& a,
                    const Snapshot& snap) {
  std::cout << "Imported " << a.file << " as " << batch.source << " into " << snap.event.name
            << " (" << snap.event.slug << ")\n";
  for (const auto& w : batch.warnings) std::cout << "  note: " << w << "\n";
  const MergeReport& r = d.import;
  std::cout << "  " << r.added << " added, " << r.updated << " updated, " << r.unchanged
            << " unchanged, " << r.cancelled << " newly cancelled/declined";
  if (r.not_in_file) std::cout << ", " << r.not_in_file << " on the list but not in this file";
  std::cout << "\n";
  print_names(r, a.verbose);
  std::cout << "  " << snap.rsvp_yes << " RSVPs yes, " << snap.expected()
            << " expected with guests, " << snap.waitlisted << " waitlisted\n";
  const std::size_t errors = batch.errors.size();
  if (!errors) return;
  std::cout << "  " << errors << " row" << (errors == 1 ? " was" : "s were") << " skipped:\n";
  std::size_t shown = 0;
  for (const RowError& e : batch.errors) {
    if (++shown > 50) {
      std::cout << "    … and " << (errors - 50) << " more\n";
      break;
    }
    std::cout << "    line " << e.line << ": " << e.message << "\n";
  }
}

Result<ImportBatch> read_for_import(const ImportArgs& a, const GlobalOptions& g) {
  ImportOptions opts;
  opts.source = a.source;
  if (!a.map.empty()) {
    auto m = parse_column_map(a.map);
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
  auto batch = read_attendee_file(a.file, opts);
  if (show_progress) std::cerr << "\r              \r";
  return batch;
}

void run_import(const ImportArgs& a, const GlobalOptions& g, int& exit_status) {
  auto batch = read_for_import(a, g);
  if (!batch) return void(report_error(batch.error(), exit_status));
  // A file without attendees creates no event: it would be an empty one.
  const bool rows = !batch->rows.empty();
  auto s = Session::open(g, {.create_event = rows});
  if (!s && !rows && s.error().code.rfind("event.", 0) == 0) {
    std::cout << "Held back, nothing was imported: " << a.file
              << "\n  The file holds no attendees (a header and no rows: a download cut short?)."
                 "\n  Download the export again and import that.\n";
    exit_status = exit_code::held;
    return;
  }
  if (!s && (s.error().code == "event.none" || s.error().code == "event.ambiguous"))
    throw CLI::ValidationError("--event",
                               "name the event this list is for: --event \"June meetup\"");
  if (!s) return void(report_error(s.error(), exit_status));
  if (!g.quiet && ::isatty(2)) std::cerr << "Merging " << batch->rows.size() << " rows…\n";
  ImportBatch kept;  // what the report needs after the batch moved into the command
  kept.source = batch->source;
  kept.warnings = batch->warnings;
  kept.errors = batch->errors;
  Engine& engine = (*s)->engine();
  const Decision d = engine.run(MergeImport{std::move(*batch), a.file, a.prune, a.yes});
  if (d.verdict == Verdict::Held) {
    print_held(d, g, a, engine.snapshot()->event.slug);
    exit_status = exit_code::held;
    return;
  }
  if (d.verdict != Verdict::Imported) {
    std::cerr << "frontdesk: " << d.message << "\n";
    exit_status = exit_code::failure;
    return;
  }
  // A list for a new event: that is the organizer's next event, the one
  // the door opens from now on.
  if (engine.created_event()) engine.run(MakeEventCurrent{});
  if (a.capacity >= 0) engine.run(SetEventDetails{"", a.capacity, -1});
  print_imported(d, kept, a, *engine.snapshot());
  exit_status = kept.errors.empty() ? exit_code::ok : exit_code::partial;
}

void add_import_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("import", "Load attendees from an RSVP service's CSV export");
  auto a = std::make_shared<ImportArgs>();
  cmd->add_option("file", a->file, "CSV file (Meetup, Eventbrite, pretix, Luma or any headed CSV)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--source", a->source, "auto, meetup, eventbrite, pretix, luma or csv")
      ->check(CLI::IsMember({"auto", "meetup", "eventbrite", "pretix", "luma", "csv"}));
  cmd->add_option("--map", a->map, "Column mapping, e.g. name=Full Name,email=E-mail");
  cmd->add_flag("--prune", a->prune, "Mark people missing from this file as cancelled");
  cmd->add_option("--capacity", a->capacity, "Set the room's capacity (0: no limit)");
  cmd->add_flag("--yes", a->yes,
                "Go ahead with an import that was held back (it would cancel more than a tenth "
                "of the list, or the export is older than the list)");
  cmd->add_flag("-v,--verbose", a->verbose, "Name everyone added, changed or cancelled");
  cmd->footer(
      "The event (--event NAME) is created if it does not exist yet. Re-importing a newer "
      "export merges by the service's ids and never drops a check-in. An import that would "
      "cancel more than a tenth of the list, holds no attendees or is older than the list "
      "changes nothing and says what it would do.");
  cmd->callback([&g, &exit_status, a] { run_import(*a, g, exit_status); });
}

void add_event_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
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
                << (e.starts_at ? "  starts " + local_datetime(e.starts_at).substr(0, 16) : "")
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
    const Decision d = (*s)->engine().run(*details);
    if (d.verdict != Verdict::Updated) {
      std::cerr << "frontdesk: " << d.message << "\n";
      exit_status = exit_code::failure;
      return;
    }
    // Say back what is now set, so a mistyped date is seen at once.
    const EventRecord& e = (*s)->engine().snapshot()->event;
    std::cout << "Event updated: " << e.name << " (" << e.slug << ")\n"
              << "  starts   "
              << (e.starts_at ? local_datetime(e.starts_at).substr(0, 16) +
                                    " (the forecast and the report count from then)"
                              : std::string("not set"))
              << "\n  capacity " << (e.capacity ? std::to_string(e.capacity) : "no limit") << "\n";
    exit_status = exit_code::ok;
  });
}

void add_stats_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("stats", "Headcounts and arrivals for the current event");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Machine-readable output");
  cmd->callback([&g, &exit_status, json] {
    auto s = Session::open(g);
    if (!s) return void(report_error(s.error(), exit_status));
    const auto snap = (*s)->engine().snapshot();
    const Quarters buckets = arrivals_per_15((*s)->engine());
    if (*json)
      std::cout << stats_json(*snap, buckets).dump(2) << "\n";
    else
      print_stats(*snap, buckets, g);
    exit_status = exit_code::ok;
  });
}

void add_export_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand("export", "Write attendance as CSV (who, when, how, which door)");
  auto out = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  cmd->add_option("-o,--out", *out, "Output file (default: standard output)");
  cmd->add_flag("--all", *all, "Include everyone on the list, not only those who came");
  cmd->callback([&g, &exit_status, out, all] {
    auto s = Session::open(g);
    if (!s) return void(report_error(s.error(), exit_status));
    const auto snap = (*s)->engine().snapshot();
    const std::vector<AttendeeRecord> people = (*s)->engine().attendees().get();
    std::vector<std::vector<std::string>> rows{attendance_columns()};
    for (const AttendeeRecord& a : people) {
      const Presence* p = snap->presence(a.id);
      if (!p && !*all) continue;
      rows.push_back(attendance_row(a, p));
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
      if (!f) return void(report_error(Error{"export.write", "Cannot write " + *out}, exit_status));
      std::cerr << "Wrote " << rows.size() - 1 << " people to " << *out << "\n";
    }
    exit_status = exit_code::ok;
  });
}

}  // namespace

void add_list_commands(CLI::App& app, GlobalOptions& g, int& exit_status) {
  add_import_command(app, g, exit_status);
  add_event_command(app, g, exit_status);
  add_stats_command(app, g, exit_status);
  add_export_command(app, g, exit_status);
}

}  // namespace fd
