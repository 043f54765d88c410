// sync pull | push | status | retry | sheet: the RSVP services, by hand.
// The same runner as the kiosk's background worker (sync/SyncRunner.h).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/Advice.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"
#include "sync/Sheet.h"
#include "sync/Status.h"
#include "sync/SyncRunner.h"

namespace fd {
namespace {

int fail(const Error& e, int code, int& exit_status) {
  std::cerr << "frontdesk: " << e.message << "\n";
  // A configuration problem (a token file others can read, a missing key)
  // is the organizer's to fix, like a bad command line.
  exit_status = e.code.rfind("config.", 0) == 0 ? exit_code::usage : code;
  return exit_status;
}

ConnectorOptions connector_options(const Session& s) {
  ConnectorOptions o;
  o.timeout = std::chrono::seconds(s.config().sync.timeout_s);
  o.state_dir = s.config_dir();
  return o;
}

SyncOptions sync_options(const Config& c) {
  SyncOptions o;
  o.max_refusals = c.sync.max_refusals;
  return o;
}

// The event to pull into: --event (created when new), the current one, or
// when the store has none yet, one named after the service's event.
Result<std::unique_ptr<Session>> open_for_pull(const GlobalOptions& g) {
  SessionOptions so;
  so.create_event = true;
  auto s = Session::open(g, so);
  if (s || s.error().code != "event.none") return s;
  auto config = resolve_config(g);
  if (!config) return config.error();
  GlobalOptions named = g;
  if (config->pretix)
    named.event = config->pretix->event;
  else if (config->eventbrite)
    named.event = "Eventbrite " + config->eventbrite->event_id;
  else if (config->meetup)
    named.event = "Meetup " + config->meetup->event_id;
  else if (config->luma)
    named.event = "Luma " + config->luma->event_id;
  else
    return s;
  return Session::open(named, so);
}

nlohmann::json dead_letters(const SyncServiceStatus& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const DeadLetter& d : s.dead_letters)
    out.push_back({{"kind", d.kind}, {"who", d.who}, {"reason", d.reason}});
  return out;
}

void add_pull(CLI::App* sync, GlobalOptions& g, int& exit_status) {
  auto* pull = sync->add_subcommand("pull", "Pull the attendee list from every configured service");
  auto full = std::make_shared<bool>(false);
  pull->add_flag("--full", *full, "Everything, not only what changed since the last pull");
  auto yes = std::make_shared<bool>(false);
  pull->add_flag("--yes", *yes,
                 "Go ahead with a pull that was held back (it would cancel more than a tenth of "
                 "the list)");
  pull->callback([&g, &exit_status, full, yes] {
    auto session = open_for_pull(g);
    if (!session) return void(fail(session.error(), exit_code::of(session.error()), exit_status));
    const Config& cfg = (*session)->config();
    if (!cfg.has_sync())
      return void(fail({"sync.config",
                        "No service configured: add a [pretix], [eventbrite], [meetup] or [luma] "
                        "section to " +
                            (session->get()->config_dir() / "frontdesk.toml").string() +
                            " (the example explains each: " + example_config() + ")"},
                       exit_code::usage, exit_status));
    SyncRunner runner((*session)->engine(), make_connectors(cfg, connector_options(**session)),
                      sync_options(cfg));
    bool failed = false, held = false;
    for (const std::string& service : runner.pulling_services()) {
      PullRequest ctx;
      ctx.wait = [](std::chrono::milliseconds d) {
        std::this_thread::sleep_for(d);
        return true;
      };
      if (!g.quiet)
        ctx.progress = [&](int people, int pages) {
          std::cerr << "\r" << service << ": " << people << " people, " << pages << " pages"
                    << std::flush;
        };
      auto r = runner.pull(service, *full, ctx, *yes);
      if (!g.quiet) std::cerr << "\r\033[K";
      if (!r && r.error().code == "sync.held") {
        std::cout << service << ": held back: " << r.error().message
                  << "\n  If the list really changed this much, go ahead with:\n    "
                  << frontdesk_command(g) << " sync pull" << (*full ? " --full" : "") << " --yes\n";
        held = true;
        continue;
      }
      if (!r) {
        std::cerr << "frontdesk: " << service << ": " << r.error().message << "\n";
        failed = true;
        continue;
      }
      std::cout << service << ": " << r->people << (r->incremental ? " changed" : "")
                << " people pulled — " << r->message << " (" << r->requests << " requests, "
                << r->took.count() << " ms)\n";
      if (!r->notice.empty()) std::cout << service << ": " << r->notice << "\n";
    }
    exit_status = failed ? exit_code::failure : held ? exit_code::held : exit_code::ok;
  });
}

void add_push(CLI::App* sync, GlobalOptions& g, int& exit_status) {
  auto* push = sync->add_subcommand("push", "Send queued check-ins and undos until none is left");
  auto timeout_s = std::make_shared<int>(60);
  push->add_option("--timeout", *timeout_s, "Give up after this many seconds (default 60)");
  push->callback([&g, &exit_status, timeout_s] {
    auto session = Session::open(g);
    if (!session) return void(fail(session.error(), exit_code::of(session.error()), exit_status));
    const Config& cfg = (*session)->config();
    Engine& engine = (*session)->engine();
    // Someone waits at the terminal: retry failed rows within seconds, not
    // the minutes the kiosk's background worker allows itself.
    SyncOptions so = sync_options(cfg);
    so.retry_max = std::chrono::seconds(8);
    SyncRunner runner(engine, make_connectors(cfg, connector_options(**session)), so);
    const auto services = runner.pushing_services();
    if (services.empty())
      return void(fail({"sync.config",
                        "No service takes check-ins: configure [pretix] or [webhook] (Eventbrite, "
                        "Meetup and Luma get attendance by `frontdesk sync sheet`)"},
                       exit_code::usage, exit_status));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*timeout_s);
    const auto out_of_time = [&] { return std::chrono::steady_clock::now() >= deadline; };
    PushRound total;
    int pending = 0, dead = 0;
    for (;;) {
      const PushRound r = runner.push_once(out_of_time);
      total.delivered += r.delivered;
      total.retried += r.retried;
      total.dead += r.dead;
      if (!r.last_error.empty()) total.last_error = r.last_error;
      pending = dead = 0;
      for (const auto& st : engine.sync_status(services).get()) {
        pending += st.pending;
        dead += st.dead;
      }
      if (!g.quiet)
        std::cerr << "\r" << total.delivered << " sent, " << pending << " waiting" << std::flush;
      if (pending == 0 || out_of_time()) break;
      if (r.delivered == 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (!g.quiet) std::cerr << "\r\033[K";
    int requests = 0, faults = 0;
    for (Connector* c : runner.connectors()) {
      requests += c->counters().requests;
      faults += c->counters().faults;
    }
    std::cout << total.delivered << " delivered, " << total.retried << " retries, " << dead
              << " refused for good, " << pending << " still waiting (" << requests << " requests, "
              << faults << " failed)\n";
    if (pending && !total.last_error.empty())
      std::cout << "Last problem: " << total.last_error << "\n";
    exit_status = pending ? exit_code::sync_incomplete
                  : dead  ? exit_code::sync_refused
                          : exit_code::ok;
  });
}

void add_status(CLI::App* sync, GlobalOptions& g, int& exit_status) {
  auto* status = sync->add_subcommand(
      "status", "Per service, one line: what sync could not do and what to do about it");
  auto as_json = std::make_shared<bool>(false);
  status->add_flag("--json", *as_json, "Machine-readable");
  status->callback([&g, &exit_status, as_json] {
    auto session = Session::open(g);
    if (!session) return void(fail(session.error(), exit_code::of(session.error()), exit_status));
    const Config& cfg = (*session)->config();
    std::vector<std::string> services;
    for (const auto& c : make_connectors(cfg, connector_options(**session)))
      services.push_back(c->name());
    const auto all = (*session)->engine().sync_status(services).get();
    if (*as_json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& s : all)
        j.push_back({{"service", s.service},
                     {"last_success", s.last_success ? iso8601_utc(s.last_success) : ""},
                     {"last_pull", s.last_pull ? iso8601_utc(s.last_pull) : ""},
                     {"pending", s.pending},
                     {"dead", s.dead},
                     {"last_error", s.last_error},
                     {"dead_reason", s.dead_example},
                     {"dead_letters", dead_letters(s)},
                     {"pulled", s.pulled},
                     {"line", status_line(s)}});
      std::cout << j.dump(2) << "\n";
      return;
    }
    if (all.empty())
      std::cout << "No service configured: add a [pretix], [eventbrite], [meetup] or [luma] "
                   "section to "
                << ((*session)->config_dir() / "frontdesk.toml").string()
                << " (the example explains each: " << example_config() << ").\n";
    // One line per service: what it could not do, and what to do about it.
    for (const auto& s : all) std::cout << status_line(s) << "\n";
  });
}

void add_retry(CLI::App* sync, GlobalOptions& g, int& exit_status) {
  auto* retry = sync->add_subcommand("retry", "Queue the check-ins a service refused again");
  auto retry_service = std::make_shared<std::string>();
  retry->add_option("--service", *retry_service, "Only this service (default: all)");
  retry->callback([&g, &exit_status, retry_service] {
    auto session = Session::open(g);
    if (!session) return void(fail(session.error(), exit_code::of(session.error()), exit_status));
    const Decision d = (*session)->engine().run(RetryDeadLetters{*retry_service});
    std::cout << d.message << "\n";
  });
}

void add_sheet(CLI::App* sync, GlobalOptions& g, int& exit_status) {
  auto* sheet = sync->add_subcommand(
      "sheet", "Attendance to mark by hand on services without a write API (CSV)");
  auto sheet_out = std::make_shared<std::string>(), sheet_service = std::make_shared<std::string>();
  sheet->add_option("--out", *sheet_out, "Write here (default: standard output)");
  sheet->add_option("--service", *sheet_service,
                    "eventbrite, meetup, luma or pretix (default: the configured one)");
  sheet->callback([&g, &exit_status, sheet_out, sheet_service] {
    auto session = Session::open(g);
    if (!session) return void(fail(session.error(), exit_code::of(session.error()), exit_status));
    const Config& cfg = (*session)->config();
    std::string service = *sheet_service;
    if (service.empty())
      service = cfg.meetup       ? "meetup"
                : cfg.eventbrite ? "eventbrite"
                : cfg.luma       ? "luma"
                : cfg.pretix     ? "pretix"
                                 : "";
    Engine& engine = (*session)->engine();
    const auto people = engine.attendees().get();
    const auto snap = engine.snapshot();
    const std::string text = attendance_sheet(service, people, *snap->present);
    if (sheet_out->empty()) {
      std::cout << text;
      return;
    }
    std::ofstream out(*sheet_out, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
      return void(
          fail({"sheet.write", "Cannot write " + *sheet_out}, exit_code::failure, exit_status));
    if (!g.quiet) std::cerr << "Wrote " << *sheet_out << "\n";
  });
}

}  // namespace

void add_sync_command(CLI::App& app, GlobalOptions& g, int& exit_status) {
  auto* sync =
      app.add_subcommand("sync", "Pull lists from and push check-ins to the RSVP services");
  sync->require_subcommand(1);
  add_pull(sync, g, exit_status);
  add_push(sync, g, exit_status);
  add_status(sync, g, exit_status);
  add_retry(sync, g, exit_status);
  add_sheet(sync, g, exit_status);
}

}  // namespace fd
