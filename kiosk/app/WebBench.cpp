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
    ImportBatch batch;
    batch.source = "csv";
    std::vector<std::string> names;
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
    std::vector<std::int64_t> ids;
    for (const AttendeeView& a : *engine.snapshot()->roster) ids.push_back(a.id);
    std::shuffle(ids.begin(), ids.end(), std::mt19937_64(3));

    if (!save_pin(tmp / "organizer.pin", "1234"))
      throw std::runtime_error("cannot write the bench PIN");
    WebServerOptions wo;
    wo.listen = {WebListen{"127.0.0.1", 0, false}};
    auto web = WebServer::start(wo);
    if (!web) throw std::runtime_error(web.error().message);
    OrganizerSiteOptions so;
    so.organizer_pin_file = tmp / "organizer.pin";
    so.volunteer_pin_file = tmp / "volunteer.pin";
    so.venue_token_file = tmp / "venue.token";
    auto site = OrganizerSite::mount(**web, engine, so);
    const int port = (*web)->endpoints().at(0).port;

    httplib::Client login("127.0.0.1", port);
    auto res = login.Post("/login", R"({"pin":"1234"})", "application/json");
    if (!res || res->status != 200) throw std::runtime_error("cannot log in to the bench server");
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    const httplib::Headers auth{{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};

    std::cout << "bench web: 3,000 attendees; the door checks in one person a second for "
              << seconds << " s, first alone, then with " << phones << " phones on live views and "
              << searches_per_second << " searches/s over HTTP (loopback)\n";
    std::size_t next = 0;
    const std::vector<double> idle = door(engine, ids, next, seconds, nullptr);

    // The phones: each holds /api/live and notes when each new checked_in
    // count first reaches it.
    std::mutex seen_mutex;
    std::vector<std::vector<std::pair<int, Clock::time_point>>> seen(
        static_cast<std::size_t>(phones));
    std::atomic<bool> stop{false};
    std::atomic<int> connected{0};
    std::vector<std::jthread> phone_threads;
    for (int p = 0; p < phones; ++p) {
      phone_threads.emplace_back([&, p] {
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
              std::lock_guard lock(seen_mutex);
              seen[static_cast<std::size_t>(p)].emplace_back(count, Clock::now());
            }
          }
          return !stop.load();
        });
      });
    }
    for (int w = 0; w < 500 && connected < phones; ++w)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));

    std::vector<double> search_times;
    std::jthread searcher([&] {
      httplib::Client c("127.0.0.1", port);
      std::mt19937_64 rng(5);
      const auto gap = std::chrono::microseconds(1000000 / std::max(1, searches_per_second));
      auto tick = Clock::now();
      while (!stop) {
        tick += gap;
        const std::string& name = names[rng() % names.size()];
        const std::string typed = name.substr(0, std::min<std::size_t>(name.size(), 2 + rng() % 6));
        const auto t0 = Clock::now();
        auto r = c.Get("/api/search?q=" + httplib::detail::encode_query_param(typed), auth);
        if (r && r->status == 200) search_times.push_back(ms(Clock::now() - t0));
        std::this_thread::sleep_until(tick);
      }
    });

    std::vector<std::pair<int, Clock::time_point>> commits;
    const std::vector<double> loaded = door(engine, ids, next, seconds, &commits);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the last check-in's frames
    stop = true;
    searcher.join();
    web->reset();  // ends the live views
    phone_threads.clear();

    std::vector<double> delays;
    int missed = 0;
    for (const auto& phone : seen) {
      for (const auto& [count, committed] : commits) {
        auto it = std::find_if(phone.begin(), phone.end(),
                               [&](const auto& s) { return s.first >= count; });
        if (it == phone.end()) {
          ++missed;
          continue;
        }
        delays.push_back(std::max(0.0, ms(it->second - committed)));
      }
    }
    print_summary("door check-in, web idle", summarize(idle));
    print_summary("door check-in, under the web load", summarize(loaded));
    print_summary("live view: door asked -> phone sees it", summarize(delays));
    print_summary("search over HTTP (" + std::to_string(searches_per_second) + "/s)",
                  summarize(search_times));
    std::cout << "  live views connected: " << connected.load() << " of " << phones
              << "; check-ins a phone never saw: " << missed << "\n";
    if (connected < phones || missed > 0) rc = exit_code::failure;
  }
  std::filesystem::remove_all(tmp);
  return rc;
}

}  // namespace fd
