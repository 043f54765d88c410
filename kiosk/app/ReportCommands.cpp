// report, forecast, people, bench forecast: what a venue, a sponsor or a
// user-group network asks for, and who is who across services.
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "report/Forecast.h"
#include "report/People.h"
#include "report/ReportFiles.h"
#include "report/Summary.h"
#include "text/Fold.h"

namespace fd {
namespace {

int fail(const Error& e, int& exit_status) {
  std::cerr << "frontdesk: " << e.message << "\n";
  exit_status = exit_code::of(e);
  return exit_status;
}

std::string percent(double r) {
  if (r < 0) return "–";
  return std::to_string(static_cast<int>(std::lround(100 * r))) + "%";
}

// Pads by characters, not bytes ("RSVP → attendance" has a 3-byte arrow).
void line(const std::string& label, const std::string& value) {
  std::size_t chars = 0;
  for (unsigned char c : label) chars += (c & 0xC0) != 0x80;
  std::cout << "  " << label << std::string(chars < 24 ? 24 - chars : 1, ' ') << value << "\n";
}

// What the output file's name asks for; empty when it is neither.
std::string kind_of(const std::string& out) {
  const auto dot = out.rfind('.');
  if (dot == std::string::npos) return "";
  std::string ext = out.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "pdf" || ext == "csv" ? ext : "";
}

bool write_file(const std::string& path, const std::string& bytes, int& exit_status) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  f.close();
  if (!f) {
    fail(Error{"report.write", "Cannot write " + path}, exit_status);
    return false;
  }
  return true;
}

struct Facts {
  std::vector<EventAttendance> all;
  PeopleGroups groups;
  GroupTrend trend;
};

Facts gather(Engine& engine) {
  Facts f;
  f.all = engine.attendance().get();
  f.groups = group_people(engine.people_facts().get());
  f.trend = group_trend(f.all, f.groups);
  return f;
}

// ---------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------

void print_event(const EventSummary& s) {
  std::cout << s.event.name << " (" << s.event.slug << ")"
            << (s.date ? ", " + local_datetime(s.date).substr(0, 16) : ", not held yet") << "\n";
  line("People came", std::to_string(s.headcount()) + " of " + std::to_string(s.expected()) +
                          " expected" +
                          (s.guests_in ? " (" + std::to_string(s.people_came()) + " people and " +
                                             std::to_string(s.guests_in) + " guests)"
                                       : ""));
  line("RSVP → attendance", percent(s.attendance_rate()) + " (" + std::to_string(s.came_yes) +
                                " of " + std::to_string(s.rsvp_yes) + ")");
  line("No-shows", std::to_string(s.no_shows()));
  line("Guests, walk-ins", std::to_string(s.guests_in) + ", " + std::to_string(s.walk_ins));
  if (s.off_list) line("Let in off the list", std::to_string(s.off_list));
  line("Peak in the room",
       s.peak_at
           ? std::to_string(s.peak) + " at " + local_hhmm(s.peak_at) +
                 (s.event.capacity ? " (capacity " + std::to_string(s.event.capacity) + ")" : "")
           : "nobody in yet");
  if (s.first_timers_known())
    line("First-timers, regulars", std::to_string(s.first_timers) + " and " +
                                       std::to_string(s.regulars) + " of the " +
                                       std::to_string(s.first_timers + s.returning) +
                                       " people who came" + (s.guests_in ? " (guests aside)" : ""));
  else if (s.first_timers >= 0)
    line("First-timers, regulars", "not known: this is the first event in the store");
  if (!s.arrivals_per_15.empty()) {
    std::cout << "  Arrivals per 15 minutes (guests included):\n";
    for (std::size_t i = 0; i < s.arrivals_per_15.size(); ++i)
      std::cout << "    " << local_hhmm(s.arrivals_per_15[i].first) << "  " << std::setw(4)
                << std::right << s.arrivals_per_15[i].second << "   in the room "
                << s.in_room_per_15[i] << "\n";
  }
}

void print_trend(const GroupTrend& t) {
  std::cout << "Attendance by month: " << t.events.size() << " events, " << t.people
            << " different people, " << t.regulars << " regulars (three events or more)";
  if (t.not_held) std::cout << "; " << t.not_held << " more not held yet";
  std::cout << "\n";
  std::cout << "  month     events  rsvps   came  headcount  people    new  returning  "
               "regulars  no-show\n";
  for (const MonthFigures& m : t.months)
    std::cout << "  " << m.month << std::right << std::setw(9) << m.events << std::setw(7)
              << m.rsvp_yes << std::setw(7) << m.came_yes << std::setw(11) << m.headcount
              << std::setw(8) << m.people << std::setw(7) << m.new_faces << std::setw(11)
              << m.returning << std::setw(10) << m.regulars << std::setw(9)
              << percent(m.no_show_rate()) << "\n";
}

// ---------------------------------------------------------------------------
// forecast
// ---------------------------------------------------------------------------

nlohmann::json forecast_json(const HeadcountForecast& f, const EventRecord& e, TimeMs now) {
  nlohmann::json j;
  j["event"] = {{"slug", e.slug}, {"name", e.name}, {"capacity", e.capacity}};
  j["at"] = iso8601_utc(now);
  j["expected"] = f.expected;
  j["low"] = f.low;
  j["high"] = f.high;
  j["interval"] = 0.8;
  j["headcount_now"] = f.headcount_now;
  j["full_at"] = f.full_at ? nlohmann::json(iso8601_utc(*f.full_at)) : nlohmann::json(nullptr);
  j["full_now"] = f.full_now;
  j["may_fill"] = f.may_fill;
  j["show_up_rate"] = std::round(f.show_up_rate * 1000) / 1000;
  j["past_events"] = f.past_events;
  j["basis"] = f.basis;
  return j;
}

void print_forecast(const HeadcountForecast& f, const EventRecord& e, TimeMs now) {
  std::cout << e.name << " (" << e.slug << "): the final headcount, forecast at " << local_hhmm(now)
            << "\n";
  line("Expected", std::to_string(f.expected) + " people (80% interval " + std::to_string(f.low) +
                       "–" + std::to_string(f.high) + ")");
  line("In so far", std::to_string(f.headcount_now));
  if (e.capacity) {
    std::string full;
    if (f.full_now)
      full = "already (capacity " + std::to_string(e.capacity) + ")";
    else if (f.full_at)
      full =
          "at about " + local_hhmm(*f.full_at) + " (capacity " + std::to_string(e.capacity) + ")";
    else if (f.may_fill)
      full =
          "not expected, but possible if many come (capacity " + std::to_string(e.capacity) + ")";
    else
      full = "not expected (capacity " + std::to_string(e.capacity) + ")";
    line("Room full", full);
  }
  std::cout << "  " << f.basis << "\n";
}

// ---------------------------------------------------------------------------
// people
// ---------------------------------------------------------------------------

void print_person(const PersonGroup& g,
                  const std::map<std::int64_t, std::set<std::int64_t>>& came) {
  std::cout << "#" << g.id << "  " << g.name << "\n";
  for (std::size_t i = 0; i < g.members.size(); ++i)
    std::cout << "    #" << g.members[i] << "  " << g.identities[i] << "\n";
  if (!g.joined_by.empty()) {
    std::string how;
    for (const std::string& h : g.joined_by)
      how += (how.empty() ? "" : ", ") + (h == "organizer" ? std::string("an organizer")
                                          : h == "e-mail"  ? "a shared e-mail"
                                                           : "the same name");
    std::cout << "    joined by " << how << "\n";
  }
  const auto it = came.find(g.id);
  const std::size_t n = it == came.end() ? 0 : it->second.size();
  std::cout << "    came to " << n << (n == 1 ? " event" : " events") << "\n";
}

std::map<std::int64_t, std::set<std::int64_t>> events_came(const Facts& f) {
  std::map<std::int64_t, std::set<std::int64_t>> came;  // group -> events
  for (const EventAttendance& e : f.all)
    for (const ListEntryFacts& a : e.entries)
      if (a.arrived_at && a.person_id) came[f.groups.group(a.person_id)].insert(e.event.id);
  return came;
}

bool matches(const PersonGroup& g, const std::string& folded_query, const std::string& raw) {
  if (folded_query.empty()) return g.members.size() > 1;
  if (fold(g.name).find(folded_query) != std::string::npos) return true;
  for (const std::string& id : g.identities)
    if (id.find(raw) != std::string::npos) return true;
  return std::to_string(g.id) == raw;
}

void add_report_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "report", "The event's one-page report, or the trend across events (--group)");
  auto out = std::make_shared<std::string>();
  auto group = std::make_shared<bool>(false);
  cmd->add_option("-o,--out", *out, "FILE.pdf or FILE.csv (default: figures on the terminal)");
  cmd->add_flag("--group", *group, "Every event in the store, month by month");
  cmd->footer(
      "Counts only: reports hold no names, e-mail addresses or ticket codes. The event is "
      "--event SLUG, else the current one.");
  cmd->callback([&g, &exit_status, out, group] {
    const std::string kind = out->empty() ? "" : kind_of(*out);
    if (!out->empty() && kind.empty())
      throw CLI::ValidationError("--out", "name a .pdf or a .csv file");
    auto s = Session::open(g, {.require_event = !*group});
    if (!s) return void(fail(s.error(), exit_status));
    Engine& engine = (*s)->engine();
    const Facts f = gather(engine);
    const TimeMs now = now_ms();
    if (*group) {
      if (kind.empty()) {
        print_trend(f.trend);
      } else {
        auto bytes = kind == "pdf" ? render_group_report_pdf(f.trend, now)
                                   : Result<std::string>(group_trend_csv(f.trend));
        if (!bytes) return void(fail(bytes.error(), exit_status));
        if (!write_file(*out, *bytes, exit_status)) return;
        std::cerr << "Wrote " << *out << ": " << f.trend.months.size() << " months, "
                  << f.trend.events.size() << " events\n";
      }
      exit_status = exit_code::ok;
      return;
    }
    const std::int64_t id = engine.snapshot()->event.id;
    EventSummary summary;
    if (const EventSummary* held = f.trend.event(id)) {
      summary = *held;
    } else {
      for (const EventAttendance& e : f.all)
        if (e.event.id == id) summary = summarize_event(e);
    }
    if (kind.empty()) {
      print_event(summary);
    } else {
      auto bytes = kind == "pdf" ? render_event_report_pdf(summary, now)
                                 : Result<std::string>(event_report_csv(summary));
      if (!bytes) return void(fail(bytes.error(), exit_status));
      if (!write_file(*out, *bytes, exit_status)) return;
      std::cerr << "Wrote " << *out << ": " << summary.headcount() << " people came of "
                << summary.expected() << " expected\n";
    }
    exit_status = exit_code::ok;
  });
}

void add_forecast_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd =
      app.add_subcommand("forecast", "How many will have come by the end, and when the room fills");
  auto at = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--at", *at, "Forecast as of \"YYYY-MM-DD HH:MM\" (default: now)");
  cmd->add_flag("--json", *json, "Machine-readable output");
  cmd->callback([&g, &exit_status, at, json] {
    TimeMs now = now_ms();
    if (!at->empty()) {
      now = parse_datetime(*at);
      if (now < 0) throw CLI::ValidationError("--at", "use \"YYYY-MM-DD HH:MM\"");
    }
    auto s = Session::open(g);
    if (!s) return void(fail(s.error(), exit_status));
    Engine& engine = (*s)->engine();
    const std::int64_t id = engine.snapshot()->event.id;
    const std::vector<EventAttendance> all = engine.attendance().get();
    const EventAttendance* event = nullptr;
    for (const EventAttendance& e : all)
      if (e.event.id == id) event = &e;
    if (!event) return void(fail(Error{"event.unknown", "The event is gone"}, exit_status));
    const LiveEvent live = live_event(*event, now);
    // Learn only from what came before this evening (a hindsight forecast
    // must not peek at later events).
    const TimeMs open = doors_open_at(live.doors_open, live.first_arrival);
    const auto history = past_events(all, id, open ? open : now);
    const HeadcountForecast f = forecast_headcount(history, live, now);
    if (*json)
      std::cout << forecast_json(f, event->event, now).dump(2) << "\n";
    else
      print_forecast(f, event->event, now);
    exit_status = exit_code::ok;
  });
}

void add_people_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* cmd = app.add_subcommand(
      "people", "Who is who across events and services; merge or split two people by hand");
  cmd->require_subcommand(0, 1);
  auto query = std::make_shared<std::string>();
  cmd->add_option("text", *query,
                  "A name, an identity (meetup:123, email:...) or a number; default: people "
                  "joined across services");
  cmd->footer(
      "A person is joined across services by a shared e-mail (or a list row carrying a member "
      "id and an e-mail), or by the same full name when that name was never twice at one event. "
      "merge and split override both; the newest decision wins.");
  auto same_name = std::make_shared<bool>(false);
  cmd->add_flag("--same-name", *same_name,
                "Names that several people carry: the ones to check and merge by hand");
  auto* merge = cmd->add_subcommand("merge", "Two people records are one person");
  auto* split = cmd->add_subcommand("split", "Two people records are two people");
  auto ab = std::make_shared<std::vector<std::int64_t>>();
  merge->add_option("ids", *ab, "The two #numbers from frontdesk people")->expected(2)->required();
  split->add_option("ids", *ab, "The two #numbers from frontdesk people")->expected(2)->required();
  const auto decide = [&g, &exit_status, ab](bool same) {
    auto s = Session::open(g, {.require_event = false});
    if (!s) return void(fail(s.error(), exit_status));
    Engine& engine = (*s)->engine();
    const Decision d = same ? engine.run(MergePeople{(*ab)[0], (*ab)[1]})
                            : engine.run(SplitPeople{(*ab)[0], (*ab)[1]});
    if (d.verdict != Verdict::Updated) {
      std::cerr << "frontdesk: " << d.message << "\n";
      exit_status = d.message.rfind("No person", 0) == 0 ? exit_code::not_found : exit_code::usage;
      return;
    }
    std::cout << d.message << "\n";
    const Facts f = gather(engine);
    const auto came = events_came(f);
    std::set<std::int64_t> shown;
    for (std::int64_t id : *ab)
      if (shown.insert(f.groups.group(id)).second)
        if (const PersonGroup* p = f.groups.find(f.groups.group(id))) print_person(*p, came);
    exit_status = exit_code::ok;
  };
  merge->callback([decide] { decide(true); });
  split->callback([decide] { decide(false); });
  cmd->callback([cmd, &g, &exit_status, query, same_name] {
    if (!cmd->get_subcommands().empty()) return;
    auto s = Session::open(g, {.require_event = false});
    if (!s) return void(fail(s.error(), exit_status));
    const Facts f = gather((*s)->engine());
    const auto came = events_came(f);
    if (*same_name) {
      // The name rule abstains where a name was ever twice at one event;
      // an organizer who knows them can merge (or leave) each pair.
      std::map<std::string, std::set<std::int64_t>> by_name;
      for (const PersonGroup& p : f.groups.groups)
        if (std::string key = fold(p.name); !key.empty()) by_name[key].insert(p.id);
      std::size_t names = 0;
      for (const auto& [key, ids] : by_name) {
        if (ids.size() < 2) continue;
        ++names;
        std::cout << "\"" << f.groups.find(*ids.begin())->name << "\": " << ids.size()
                  << " people\n";
        for (std::int64_t id : ids) print_person(*f.groups.find(id), came);
      }
      std::cout << names << (names == 1 ? " name" : " names")
                << " carried by more than one person\n";
      exit_status = exit_code::ok;
      return;
    }
    const std::string folded = fold(*query);
    std::size_t records = 0, joined = 0, shown = 0;
    for (const PersonGroup& p : f.groups.groups) {
      records += p.members.size();
      if (p.members.size() > 1) ++joined;
      if (!matches(p, folded, *query)) continue;
      if (++shown <= 200) print_person(p, came);
    }
    if (shown > 200) std::cout << "… and " << shown - 200 << " more: narrow the search\n";
    std::cout << f.groups.groups.size() << " people (" << records << " records; " << joined
              << " joined across lists or services)\n";
    exit_status = query->empty() || shown ? exit_code::ok : exit_code::not_found;
  });
}

}  // namespace

void add_report_commands(CLI::App& app, GlobalOptions& g, int& exit_status) {
  add_report_command(app, g, exit_status);
  add_forecast_command(app, g, exit_status);
  add_people_command(app, g, exit_status);
  // frontdesk bench forecast: the backtest with figures, beside the other benches.
  if (CLI::App* bench = app.get_subcommand("bench")) {
    auto* cmd = bench->add_subcommand(
        "forecast", "Headcount forecast backtest: error and interval coverage on synthetic groups");
    auto groups = std::make_shared<int>(1000);
    auto past = std::make_shared<int>(12);
    auto minutes = std::make_shared<double>(30);
    auto seed = std::make_shared<std::uint64_t>(1);
    cmd->add_option("--groups", *groups, "Synthetic groups");
    cmd->add_option("--past", *past, "Past events per group");
    cmd->add_option("--minutes", *minutes, "Forecast this long after doors open");
    cmd->add_option("--seed", *seed, "Random seed");
    cmd->callback([&exit_status, groups, past, minutes, seed] {
      std::cout << "bench forecast: " << *groups
                << " synthetic groups (show-up 40-80% at 50 RSVPs, "
                << "larger groups lower, 0-10% walk-ins, half in by 10-40 min), " << *past
                << " past events each, 25-200 RSVPs;\n  forecast of the next event's final "
                   "headcount vs the truth\n";
      std::cout << std::fixed << std::setprecision(1);
      for (double m : std::set<double>{0, 15, *minutes, 60}) {
        const BacktestFigures b = backtest_forecast(*groups, *past, m, *seed);
        std::cout << "  " << std::setw(3) << static_cast<int>(m)
                  << " min after doors open: median abs error " << b.median_abs_error << " people ("
                  << b.median_abs_pct << "%), p90 " << b.p90_abs_pct
                  << "%, 80% interval held the truth " << 100 * b.coverage << "%\n";
        if (m != *minutes) continue;
        std::cout << "      compared: RSVPs and history only " << b.median_abs_pct_rsvps_only
                  << "%, no history (stated prior) " << b.median_abs_pct_no_history
                  << "% (interval held " << 100 * b.coverage_no_history << "%), 60% of RSVPs "
                  << b.median_abs_pct_naive << "%\n"
                  << "      room full (capacity 85% of the final count, " << b.full_cases
                  << " evenings): median error " << b.full_median_abs_minutes << " minutes\n"
                  << std::setprecision(3) << "      time per forecast: median " << b.median_ms
                  << " ms, p99 " << b.p99_ms << " ms\n"
                  << std::setprecision(1);
      }
      exit_status = exit_code::ok;
    });
  }
}

}  // namespace fd
