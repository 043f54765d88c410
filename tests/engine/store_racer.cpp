// A door process for the multi-process test: an engine on a shared store
// checking people in (mostly a small "hot" set that other processes race
// for), undoing and registering walk-ins for a number of seconds. Prints
// "ACK <uuid>" / "UNDO <uuid>" only after the engine's commit, then, once
// every process has stopped writing, the counts its engine sees.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "engine/Engine.h"

using namespace fd;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: store_racer STORE SECONDS SEED DONE-FILE\n");
    return 2;
  }
  EngineOptions o;
  o.event = "race";
  o.door = std::string("racer ") + argv[3];
  auto engine = Engine::open(argv[1], o);
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  Engine& e = **engine;
  std::mt19937 rng(static_cast<unsigned>(std::stoul(argv[3])));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(std::stoi(argv[2]));
  for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
    const auto snap = e.snapshot();
    const auto& roster = *snap->roster;
    if (roster.empty()) continue;
    // Three in four picks from the first 40 people: the same person is
    // often wanted by several processes at once.
    const std::size_t n = rng() % 4 ? std::min<std::size_t>(40, roster.size()) : roster.size();
    const std::int64_t id = roster[rng() % n].id;
    Decision d;
    const unsigned op = rng() % 20;
    if (op < 3) {
      d = e.run(Undo{"", id});
    } else if (op == 3) {
      d = e.run(WalkIn{"Walk", "In " + std::string(argv[3]) + "-" + std::to_string(i), "", ""});
    } else {
      d = e.run(CheckInAttendee{id, Method::Search});
    }
    if (d.verdict == Verdict::Admitted) std::printf("ACK %s\n", d.checkin_uuid.c_str());
    if (d.verdict == Verdict::Undone) std::printf("UNDO %s\n", d.checkin_uuid.c_str());
    if (d.verdict == Verdict::Failed) std::printf("ERR %s\n", d.message.c_str());
    std::fflush(stdout);
  }
  std::printf("STOPPED\n");
  std::fflush(stdout);
  // Wait until the test says every writer has stopped, then until the
  // engine's watch has seen the last commits: its view holds everyone with
  // a live check-in in the log. Then report what it shows.
  while (!std::filesystem::exists(argv[4]))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::set<std::string> annulled;
  std::map<std::string, std::int64_t> checkins;
  for (const LogEntry& l : e.log().get()) {
    if (l.kind == CheckInKind::CheckIn)
      checkins[l.uuid] = l.attendee_id;
    else
      annulled.insert(l.ref_uuid);
  }
  std::set<std::int64_t> inside;
  for (const auto& [uuid, id] : checkins)
    if (!annulled.count(uuid)) inside.insert(id);
  int walk_ins_inside = 0;
  for (const AttendeeRecord& a : e.attendees().get())
    walk_ins_inside += a.walk_in && inside.count(a.id);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while ((e.snapshot()->present->size() != inside.size() ||
          e.snapshot()->walk_ins != walk_ins_inside) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto snap = e.snapshot();
  std::printf("FINAL %d %d %d %d\n", snap->checked_in, snap->walk_ins, snap->unexpected_in,
              static_cast<int>(snap->present->size()));
  std::fflush(stdout);
  return 0;
}
