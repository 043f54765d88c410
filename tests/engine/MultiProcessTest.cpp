// One truth on one store: several processes (door engines like a running
// kiosk, the CLI, a re-import) race each other on one store for 30 s. Then
// no person has two live check-ins, every acknowledged check-in and undo is
// in the log, and every process counts the same.
#include <doctest/doctest.h>
#include <stdio.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "TestSupport.h"
#include "engine/Engine.h"
#include "import/Csv.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("fd-race-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_list(const fs::path& file, int people, int cancelled_from) {
  std::vector<std::vector<std::string>> rows{{"ID", "Name", "Email", "RSVP"}};
  for (int i = 1; i <= people; ++i)
    rows.push_back({std::to_string(i), "Person " + std::to_string(i),
                    "p" + std::to_string(i) + "@example.org",
                    i >= cancelled_from ? "cancelled" : "yes"});
  std::ofstream(file, std::ios::binary) << write_csv(rows);
}

// Reads what a child printed so far without blocking the others for long.
std::string read_all(FILE* f) {
  std::string out;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, f)) out += buf;
  return out;
}

// "VERB the rest" per line.
template <typename F>
void for_each_line(const std::string& text, F f) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto space = line.find(' ');
    f(line.substr(0, space), space == std::string::npos ? "" : line.substr(space + 1));
  }
}

}  // namespace

TEST_CASE("four processes race on one store for 30 s - one truth at the end") {
  const char* fd_binary = std::getenv("FD_BINARY");
  REQUIRE_MESSAGE(fd_binary, "FD_BINARY must point at the frontdesk binary");
  TempDir dir;
  const fs::path store = dir.path / "race.db";
  const fs::path done = dir.path / "writers-done";
  write_list(dir.path / "v1.csv", 300, 1000);
  write_list(dir.path / "v2.csv", 340, 330);  // 40 new people, the last ten cancelled
  const std::string fd =
      std::string("'") + fd_binary + "' --store '" + store.string() + "' --event race";
  REQUIRE(std::system(
              (fd + " import '" + (dir.path / "v1.csv").string() + "' -q >/dev/null").c_str()) ==
          0);

  const int seconds = 30;
  // Two door engines, as two kiosks (or a kiosk and `frontdesk serve`) would run.
  std::vector<FILE*> racers;
  for (int seed : {1, 2})
    racers.push_back(
        ::popen((std::string("'") + STORE_RACER + "' '" + store.string() + "' " +
                 std::to_string(seconds) + " " + std::to_string(seed) + " '" + done.string() + "'")
                    .c_str(),
                "r"));
  // The CLI, as an organizer at a terminal: check-ins, undos, walk-ins and
  // re-imports of a newer export, one process each.
  const std::string cli_loop =
      "end=$((SECONDS+" + std::to_string(seconds) +
      ")); i=0; while [ $SECONDS -lt $end ]; do "
      "i=$((i+1)); n=$((RANDOM % 40 + 1)); case $((RANDOM % 10)) in "
      "0|1) " +
      fd +
      " undo --id $n | awk '/annulled/{print \"UNDO \" $2}' ;; "
      "2) " +
      fd +
      " walkin --name \"Cli Walker $i\" | awk '/^  check-in /{print \"ACK \" $2}' ;; "
      "3) " +
      fd + " import '" + dir.path.string() +
      "/v'$((i % 2 + 1))'.csv' -q >/dev/null ;; "
      "*) " +
      fd + " checkin --id $n | awk '/^  check-in /{print \"ACK \" $2}' ;; esac; done";
  std::ofstream(dir.path / "cli.sh") << cli_loop << "\n";
  FILE* cli = ::popen(("bash '" + (dir.path / "cli.sh").string() + "'").c_str(), "r");
  REQUIRE(cli);

  // And this process holds a running engine, watching, as a kiosk would.
  EngineOptions watch;
  watch.event = "race";
  auto watcher = Engine::open(store, watch);
  REQUIRE(watcher.ok());

  const std::string cli_out = read_all(cli);
  CHECK(::pclose(cli) == 0);
  std::vector<std::string> racer_out;
  for (FILE* r : racers) {
    std::string text;
    char buf[4096];
    while (text.find("STOPPED") == std::string::npos && std::fgets(buf, sizeof buf, r)) text += buf;
    racer_out.push_back(text);
  }
  std::ofstream(done) << "done\n";  // every writer has stopped
  for (std::size_t i = 0; i < racers.size(); ++i) {
    racer_out[i] += read_all(racers[i]);
    CHECK(::pclose(racers[i]) == 0);
  }

  // What was acknowledged, by everyone.
  std::set<std::string> acked, undone;
  int errors = 0;
  std::vector<std::string> finals;
  for (const std::string& text : racer_out)
    for_each_line(text, [&](const std::string& verb, const std::string& rest) {
      if (verb == "ACK") acked.insert(rest);
      if (verb == "UNDO") undone.insert(rest);
      if (verb == "ERR") ++errors;
      if (verb == "FINAL") finals.push_back(rest);
    });
  for_each_line(cli_out, [&](const std::string& verb, const std::string& rest) {
    if (verb == "ACK") acked.insert(rest);
    if (verb == "UNDO") undone.insert(rest);
  });
  MESSAGE(acked.size() << " check-ins and " << undone.size() << " undos acknowledged in " << seconds
                       << " s by 2 door engines and the CLI");
  CHECK(errors == 0);
  CHECK(acked.size() > 200);
  CHECK(undone.size() > 20);

  // The truth, straight from the log.
  auto opened = Store::open(store);
  REQUIRE(opened.ok());
  Store& st = **opened;
  REQUIRE(st.verify().ok());
  const auto ev = st.event_by_slug("race");
  REQUIRE(ev.has_value());
  std::map<std::string, LogEntry> checkins;
  std::set<std::string> annulled;
  for (const LogEntry& e : st.log(ev->id)) {
    if (e.kind == CheckInKind::CheckIn)
      checkins[e.uuid] = e;
    else
      annulled.insert(e.ref_uuid);
  }
  std::map<std::int64_t, int> live;
  for (const auto& [uuid, e] : checkins)
    if (!annulled.count(uuid)) ++live[e.attendee_id];
  int doubled = 0;
  for (const auto& [id, n] : live) doubled += n > 1;
  CHECK_MESSAGE(doubled == 0, doubled << " people have two live check-ins");
  for (const std::string& u : acked)
    CHECK_MESSAGE(checkins.count(u), "acknowledged check-in " << u << " is missing");
  for (const std::string& u : undone)
    CHECK_MESSAGE(annulled.count(u), "acknowledged undo of " << u << " is missing");
  // The newer export's cancellations and new people arrived (v2 was imported).
  const auto people = st.attendees(ev->id);
  CHECK(std::count_if(people.begin(), people.end(),
                      [](const AttendeeRecord& a) { return a.external_id == "335"; }) == 1);

  // Every process counts the same: the two door engines, this one, and a
  // fresh CLI process. This one first sees the last commits (its watch).
  int walk_ins_inside = 0;
  for (const AttendeeRecord& a : people) walk_ins_inside += a.walk_in && live.count(a.id);
  CHECK(fd::test::wait_for(
      [&] {
        const auto s = (*watcher)->snapshot();
        return s->present->size() == live.size() && s->walk_ins == walk_ins_inside;
      },
      std::chrono::seconds(20)));
  const auto snap = (*watcher)->snapshot();
  const std::string mine = std::to_string(snap->checked_in) + " " + std::to_string(snap->walk_ins) +
                           " " + std::to_string(snap->unexpected_in) + " " +
                           std::to_string(snap->present->size());
  CHECK(static_cast<int>(live.size()) == static_cast<int>(snap->present->size()));
  REQUIRE(finals.size() == 2);
  for (const std::string& f : finals) CHECK(f == mine);
  FILE* stats = ::popen((fd + " stats --json").c_str(), "r");
  const std::string json = read_all(stats);
  ::pclose(stats);
  const auto j = nlohmann::json::parse(json);
  CHECK(j["checked_in"] == snap->checked_in);
  CHECK(j["walk_ins"] == snap->walk_ins);
  CHECK(j["headcount"] == snap->headcount());
}
