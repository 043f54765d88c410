#pragma once
// What the sync tests share: an engine on a temp store, connector and
// runner options that keep tests fast, pushing until the queue is empty,
// and people for the loopback services.
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "FakeServices.h"
#include "TestSupport.h"
#include "engine/Engine.h"
#include "sync/SyncRunner.h"

namespace fdtest {

using namespace fd;

inline std::unique_ptr<Engine> open_engine(const std::filesystem::path& dir) {
  EngineOptions o;
  o.event = "PyCon";
  o.create_event = true;
  auto e = Engine::open(dir / "frontdesk.db", o);
  REQUIRE(e.ok());
  return std::move(*e);
}

inline Config pretix_config(const FakePretix& p) {
  Config c;
  PretixSettings s;
  s.url = p.url();
  s.organizer = p.organizer;
  s.event = p.event;
  s.checkin_list = p.list_id;
  s.token = p.token;
  c.pretix = s;
  return c;
}

inline ConnectorOptions fast(const std::filesystem::path& dir) {
  ConnectorOptions o;
  o.timeout = std::chrono::milliseconds(1500);
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.state_dir = dir;
  return o;
}

inline SyncOptions quick() {
  SyncOptions o;
  o.retry_base = std::chrono::milliseconds(50);
  o.retry_max = std::chrono::milliseconds(400);
  o.refusal_base = std::chrono::milliseconds(50);
  return o;
}

// The connector's backoff between retries, shortened: this sleep stands
// for time passing (what the connector asked to wait), not for another
// thread catching up.
inline PullRequest waiting() {
  PullRequest r;
  r.wait = [](std::chrono::milliseconds d) {
    std::this_thread::sleep_for(std::min(d, std::chrono::milliseconds(1200)));
    return true;
  };
  return r;
}

// Pushes until nothing waits for `services` (or the time is up); returns
// how many still wait.
inline int push_all(SyncRunner& runner, Engine& engine, int seconds = 30) {
  int pending = 0;
  fd::test::wait_for(
      [&] {
        runner.push_once({});
        pending = 0;
        for (const auto& st : engine.sync_status(runner.pushing_services()).get())
          pending += st.pending;
        return pending == 0;
      },
      std::chrono::seconds(seconds));
  return pending;
}

inline void add_people(FakePretix& p, int n) {
  for (int i = 1; i <= n; ++i) {
    char order[16];
    std::snprintf(order, sizeof order, "O%05d", i);
    p.add(order, "secret" + std::to_string(i), "Person " + std::to_string(i));
  }
}

// People W1..Wn ("Hook i"), as a CSV list would bring them.
inline ImportBatch hook_people(int n) {
  ImportBatch b;
  b.source = "csv";
  for (int i = 1; i <= n; ++i) {
    AttendeeRow r;
    r.external_id = std::to_string(i);
    r.ticket_code = "W" + std::to_string(i);
    r.full_name = "Hook " + std::to_string(i);
    b.rows.push_back(r);
  }
  return b;
}

}  // namespace fdtest
