// frontdesk bench web: the organizer web under a busy evening's load, on
// loopback: fifty phones holding live views and twenty searches a second
// while the door checks in one person a second. Prints the door's check-in
// times with and without that load, and how long a check-in takes to reach
// the phones.
#include "app/WebBench.h"

#include <httplib.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "app/BenchStats.h"
#include "app/ExitCodes.h"
#include "auth/Pin.h"
#include "engine/Engine.h"
#include "search/Synthetic.h"
#include "web/OrganizerSite.h"
#include "web/WebServer.h"

namespace fd {
namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The door: one check-in a second for `seconds`; returns each decision's
// time, and records when each ticket was shown, by the checked_in count it
// made (a phone's delay is measured from the moment the door was asked).
std::vector<double> door(Engine& engine, const std::vector<std::int64_t>& ids, std::size_t& next,
                         int seconds, std::vector<std::pair<int, Clock::time_point>>* commits) {
  std::vector<double> times;
  auto tick = Clock::now();
  for (int i = 0; i < seconds && next < ids.size(); ++i) {
    tick += std::chrono::seconds(1);
    const auto t0 = Clock::now();
    const Decision d = engine.run(CheckInAttendee{ids[next++], Method::Search});
    const auto t1 = Clock::now();
    times.push_back(ms(t1 - t0));
    if (commits && d.verdict == Verdict::Admitted)
      commits->emplace_back(engine.snapshot()->checked_in, t0);
    std::this_thread::sleep_until(tick);
  }
  return times;
}

using Seen = std::vector<std::pair<int, Clock::time_point>>;  // checked_in count, when

// 3,000 synthetic people on the bench event's list; their names (what the
// searches type) and their ids in the order the door checks them in.
void fill_list(Engine& engine, std::vector<std::string>& names, std::vector<std::int64_t>& ids) {
  ImportBatch batch;
  batch.source = "csv";
  std::size_t i = 0;
  for (SearchDoc& d : synthetic_people(3000, 11)) {
    AttendeeRow r;
    r.external_id = "web-" + std::to_string(i++);
    r.full_name = d.name;
    r.company = d.company;
    names.push_back(d.name);
    batch.rows.push_back(std::move(r));
  }
  engine.run(MergeImport{batch, "synthetic", false});
  for (const AttendeeView& a : *engine.snapshot()->roster) ids.push_back(a.id);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(3));
}

// The phones: each holds /api/live and notes when each new checked_in
// count first reaches it, until `stop`.
struct Phones {
  std::mutex mutex;
  std::vector<Seen> seen;
  std::atomic<bool> stop{false};
  std::atomic<int> connected{0};
  std::vector<std::jthread> threads;

  void watch(int port, const httplib::Headers& auth, std::size_t p) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    std::string buffer;
    int last = -1;
    bool counted = false;
    c.Get("/api/live", auth, [&](const char* data, std::size_t n) {
      if (!counted) {
        counted = true;
        ++connected;
      }
      buffer.append(data, n);
      for (std::size_t end; (end = buffer.find("\n\n")) != std::string::npos;) {
        const std::string event = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        const auto at = event.find("data: ");
        if (at == std::string::npos) continue;
        const auto j = nlohmann::json::parse(event.substr(at + 6), nullptr, false);
        if (j.is_discarded()) continue;
        const int count = j["stats"]["checked_in"].get<int>();
        if (count != last) {
          last = count;
          std::lock_guard lock(mutex);
          seen[p].emplace_back(count, Clock::now());
        }
      }
      return !stop.load();
    });
  }

  void start(int port, const httplib::Headers& auth, int phones) {
    seen.resize(static_cast<std::size_t>(phones));
    for (int p = 0; p < phones; ++p)
      threads.emplace_back(
          [this, port, auth, p] { watch(port, auth, static_cast<std::size_t>(p)); });
    for (int w = 0; w < 500 && connected < phones; ++w)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
};

// Searches as typed on a phone, `per_second`, until `stop`; each one's time.
std::jthread searches(int port, const httplib::Headers& auth, const std::vector<std::string>& names,
                      int per_second, const std::atomic<bool>& stop, std::vector<double>& times) {
  return std::jthread([port, auth, &names, per_second, &stop, &times] {
    httplib::Client c("127.0.0.1", port);
    std::mt19937_64 rng(5);
    const auto gap = std::chrono::microseconds(1000000 / std::max(1, per_second));
    auto tick = Clock::now();
    while (!stop) {
      tick += gap;
      const std::string& name = names[rng() % names.size()];
      const std::string typed = name.substr(0, std::min<std::size_t>(name.size(), 2 + rng() % 6));
      const auto t0 = Clock::now();
      auto r = c.Get("/api/search?q=" + httplib::detail::encode_query_param(typed), auth);
      if (r && r->status == 200) times.push_back(ms(Clock::now() - t0));
      std::this_thread::sleep_until(tick);
    }
  });
}

// From the door's asking to each phone's seeing it; `missed`: check-ins a
// phone never saw.
std::vector<double> live_delays(const std::vector<Seen>& seen, const Seen& commits, int& missed) {
  std::vector<double> delays;
  missed = 0;
  for (const auto& phone : seen) {
    for (const auto& [count, committed] : commits) {
      auto it =
          std::find_if(phone.begin(), phone.end(), [&](const auto& s) { return s.first >= count; });
      if (it == phone.end()) {
        ++missed;
        continue;
      }
      delays.push_back(std::max(0.0, ms(it->second - committed)));
    }
  }
  return delays;
}

// The organizer web of `engine` on a loopback port, logged in with the
// bench PIN: the port and the session's cookie.
std::pair<int, httplib::Headers> serve_bench(Engine& engine, const std::filesystem::path& tmp,
                                             std::unique_ptr<WebServer>& web,
                                             std::shared_ptr<OrganizerSite>& site) {
  if (!save_pin(tmp / "organizer.pin", "1234"))
    throw std::runtime_error("cannot write the bench PIN");
  WebServerOptions wo;
  wo.listen = {WebListen{"127.0.0.1", 0, false}};
  auto started = WebServer::start(wo);
  if (!started) throw std::runtime_error(started.error().message);
  web = std::move(*started);
  OrganizerSiteOptions so;
  so.organizer_pin_file = tmp / "organizer.pin";
  so.volunteer_pin_file = tmp / "volunteer.pin";
  so.venue_token_file = tmp / "venue.token";
  site = OrganizerSite::mount(*web, engine, so);
  const int port = web->endpoints().at(0).port;
  httplib::Client login("127.0.0.1", port);
  auto res = login.Post("/login", R"({"pin":"1234"})", "application/json");
  if (!res || res->status != 200) throw std::runtime_error("cannot log in to the bench server");
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  return {port, {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}}};
}

}  // namespace

int bench_web(const std::string& dir, int seconds, int phones, int searches_per_second) {
  std::string tmpl = (std::filesystem::path(dir) / "frontdesk-bench-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a directory under " + dir);
  const std::filesystem::path tmp = tmpl;
  int rc = exit_code::ok;
  {
    EngineOptions eo;
    eo.event = "Bench night";
    eo.create_event = true;
    auto opened = Engine::open(tmp / "bench.db", eo);
    if (!opened) throw std::runtime_error(opened.error().message);
    Engine& engine = **opened;
    std::vector<std::string> names;
    std::vector<std::int64_t> ids;
    fill_list(engine, names, ids);
    std::unique_ptr<WebServer> web;
    std::shared_ptr<OrganizerSite> site;
    const auto [port, auth] = serve_bench(engine, tmp, web, site);

    std::cout << "bench web: 3,000 attendees; the door checks in one person a second for "
              << seconds << " s, first alone, then with " << phones << " phones on live views and "
              << searches_per_second << " searches/s over HTTP (loopback)\n";
    std::size_t next = 0;
    const std::vector<double> idle = door(engine, ids, next, seconds, nullptr);

    Phones watching;
    watching.start(port, auth, phones);
    std::vector<double> search_times;
    std::jthread searcher =
        searches(port, auth, names, searches_per_second, watching.stop, search_times);

    Seen commits;
    const std::vector<double> loaded = door(engine, ids, next, seconds, &commits);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the last check-in's frames
    watching.stop = true;
    searcher.join();
    web.reset();  // ends the live views
    watching.threads.clear();

    int missed = 0;
    const std::vector<double> delays = live_delays(watching.seen, commits, missed);
    print_summary("door check-in, web idle", summarize(idle));
    print_summary("door check-in, under the web load", summarize(loaded));
    print_summary("live view: door asked -> phone sees it", summarize(delays));
    print_summary("search over HTTP (" + std::to_string(searches_per_second) + "/s)",
                  summarize(search_times));
    std::cout << "  live views connected: " << watching.connected.load() << " of " << phones
              << "; check-ins a phone never saw: " << missed << "\n";
    if (watching.connected < phones || missed > 0) rc = exit_code::failure;
  }
  std::filesystem::remove_all(tmp);
  return rc;
}

}  // namespace fd
