// Child process of the crash test: checks people in as fast as it can and
// prints "ACK <uuid>" only after the engine returned the decision, which is
// after the commit. The parent kills it with SIGKILL at a random moment.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "engine/Engine.h"
#include "store/Store.h"

using namespace fd;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crash_child STORE\n");
    return 2;
  }
  auto store = Store::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  auto ev = (*store)->event_by_slug("crash");
  if (!ev) {
    ev = (*store)->create_event("crash", "Crash night");
    ImportBatch b;
    b.source = "csv";
    for (int i = 0; i < 3000; ++i) {
      AttendeeRow r;
      r.external_id = std::to_string(i);
      r.ticket_code = "C" + std::to_string(i);
      r.full_name = "Person " + std::to_string(i);
      b.rows.push_back(r);
    }
    (*store)->merge_attendees(ev->id, b, "crash.csv", false);
  }
  Engine engine(std::move(*store), EngineOptions::for_event(ev->id));
  std::printf("READY\n");
  std::fflush(stdout);
  for (int i = 0;; ++i) {
    const auto snap = engine.snapshot();
    // Mostly ticket scans of people not yet in; now and then a walk-in or an undo.
    Decision d;
    std::int64_t pick = 0;
    for (const AttendeeView& a : *snap->roster)
      if (!a.walk_in && !snap->presence(a.id)) {
        pick = a.id;
        break;
      }
    if (i % 10 == 9) {
      d = engine.run(Undo{});
    } else if (i % 10 == 5 || pick == 0) {
      // Each life numbers from 0 again: the pid keeps the walk-ins distinct
      // people, not the same name asking "is this you?".
      d = engine.run(
          WalkIn{"Walk", "In " + std::to_string(::getpid()) + "-" + std::to_string(i), "", ""});
    } else {
      d = engine.run(CheckInAttendee{pick, Method::Search});
    }
    if (d.verdict == Verdict::Admitted) {
      std::printf("ACK %s\n", d.checkin_uuid.c_str());
    } else if (d.verdict == Verdict::Undone) {
      std::printf("UNDO %s\n", d.checkin_uuid.c_str());
    } else {
      std::printf("ERR %s %s\n", to_string(d.verdict), d.message.c_str());
    }
    std::fflush(stdout);
  }
}
