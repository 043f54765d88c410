// report, forecast and people as an organizer runs them: the real binary on a
// store holding a year of a synthetic group (report_demo_store), files read
// back with poppler, and nobody's name or e-mail in any report.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "TestSupport.h"
#include "engine/Engine.h"
#include "report/People.h"
#include "store/Store.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {

struct Run {
  int code = -1;
  std::string out;
};

Run shell(const std::string& cmd) {
  Run r;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool has(const std::string& text, const std::string& s) {
  return text.find(s) != std::string::npos;
}

using fd::test::read_file;

// A year of "Rust Night" (13 events, 28 days apart from Thu 2026-01-15 18:00
// UTC, capacity 80); the current event is the last, rust-13.
struct DemoStore {
  fs::path dir, db;
  std::map<std::string, int> final_count;  // slug -> headcount at the end
  DemoStore() {
    std::string t = (fs::temp_directory_path() / "fd-report-cli-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    dir = t;
    db = dir / "demo.db";
    const Run made = shell(std::string("'") + DEMO_STORE + "' '" + db.string() + "' 1");
    REQUIRE_MESSAGE(made.code == 0, made.out);
    std::istringstream lines(made.out);
    std::string slug;
    long long start = 0;
    int rsvps = 0, count = 0;
    while (lines >> slug >> start >> rsvps >> count) final_count[slug] = count;
    REQUIRE(final_count.size() == 13);
  }
  ~DemoStore() {
    std::error_code ec;  // destructors never throw
    fs::remove_all(dir, ec);
  }
  Run operator()(const std::string& args) const {
    const char* bin = std::getenv("FD_BINARY");
    REQUIRE(bin);
    return shell("TZ=UTC XDG_CONFIG_HOME='" + (dir / "config").string() + "' '" + bin +
                 "' --store '" + db.string() + "' " + args);
  }
  // Every name and e-mail address on any list in the store.
  std::vector<std::string> personal_data() const {
    auto store = Store::open(db);
    REQUIRE(store.ok());
    std::set<std::string> out;
    for (const EventRecord& e : (*store)->events())
      for (const AttendeeRecord& a : (*store)->attendees(e.id)) {
        out.insert(a.full_name);
        if (!a.email.empty()) out.insert(a.email);
      }
    return {out.begin(), out.end()};
  }
};

void check_no_personal_data(const std::string& text, const std::vector<std::string>& personal) {
  CHECK_FALSE(has(text, "@"));
  for (const std::string& p : personal) CHECK_MESSAGE(!has(text, p), p);
}

}  // namespace

TEST_CASE("report --out FILE.pdf - one page - the figures - no name or e-mail of anyone") {
  DemoStore demo;
  const fs::path pdf = demo.dir / "rust-13.pdf";
  const Run r = demo("report --out '" + pdf.string() + "'");
  REQUIRE_MESSAGE(r.code == 0, r.out);
  CHECK(has(r.out, "78 people came of 118 expected"));
  const Run info = shell("pdfinfo '" + pdf.string() + "'");
  CHECK_MESSAGE(has(info.out, "Pages:           1\n"), info.out);
  const std::string text = shell("pdftotext -layout '" + pdf.string() + "' -").out;
  for (const char* s : {"ATTENDANCE REPORT",
                        "Rust Night #13",
                        "Thursday 17 December 2026",
                        "capacity 80",
                        "People came",
                        "78",
                        "of 118 expected",
                        "RSVP → attendance",
                        "64%",
                        "76 of 118 RSVPs came",
                        "Walk-ins",
                        "Peak in the room",
                        "at 19:59",
                        "98% of capacity",
                        "No-shows",
                        "42",
                        "First-timers",
                        "18",
                        "Regulars",
                        "Busiest quarter hour",
                        "18:15–18:30",
                        "28",
                        "Arrivals per 15 minutes",
                        "In at door 2",
                        "17",
                        "QR code"})
    CHECK_MESSAGE(has(text, s), s);
  check_no_personal_data(text, demo.personal_data());
  CHECK(has(info.out, "Title:           Attendance report: Rust Night #13\n"));
}

TEST_CASE("report --out FILE.csv and report --group - golden figures") {
  DemoStore demo;
  const fs::path csv = demo.dir / "rust-13.csv";
  REQUIRE(demo("report -o '" + csv.string() + "'").code == 0);
  const std::string e = read_file(csv);
  for (const char* line : {"headcount,78\r\n", "rsvp_yes,118\r\n", "came_rsvp_yes,76\r\n",
                           "attendance_rate,0.644\r\n", "walk_ins,2\r\n", "peak_in_room,78\r\n",
                           "first_timers,18\r\n", "regulars,42\r\n", "door:door 2,17\r\n"})
    CHECK_MESSAGE(has(e, line), line);
  const fs::path group = demo.dir / "group.csv";
  REQUIRE(demo("report --group -o '" + group.string() + "'").code == 0);
  const std::string g = read_file(group);
  CHECK(has(g, "2026-01,1,88,52,54,54,54,0,0,0.409\r\n"));
  CHECK(has(g, "2026-07,2,213,132,139,123,51,72,41,0.380\r\n"));  // two events that month
  CHECK(has(g, "2026-12,1,118,76,78,78,18,60,42,0.356\r\n"));
  std::size_t rows = 0;
  for (char c : g) rows += c == '\n';
  CHECK(rows == 13);  // header + 12 months
  const std::vector<std::string> personal = demo.personal_data();
  check_no_personal_data(e, personal);
  check_no_personal_data(g, personal);
  const Run text = demo("report --group");
  CHECK(has(text.out, "13 events, 345 different people, 105 regulars"));
  const fs::path gpdf = demo.dir / "group.pdf";
  REQUIRE(demo("report --group --out '" + gpdf.string() + "'").code == 0);
  const std::string gtext = shell("pdftotext -layout '" + gpdf.string() + "' -").out;
  for (const char* s : {"GROUP TREND", "Attendance by month", "13 events, Jan 2026 to Dec 2026",
                        "345", "105", "39%", "Jul 2026", "Month by month"})
    CHECK_MESSAGE(has(gtext, s), s);
  check_no_personal_data(gtext, personal);
  CHECK(has(shell("pdfinfo '" + gpdf.string() + "'").out, "Pages:           1\n"));
}

TEST_CASE("report refuses an output it cannot write as PDF or CSV") {
  DemoStore demo;
  Run r = demo("report --out report.txt");
  CHECK(r.code == 2);
  CHECK(has(r.out, "name a .pdf or a .csv file"));
  r = demo("report --out /nonexistent-dir/report.pdf");
  CHECK(r.code == 1);
  CHECK(has(r.out, "Cannot write /nonexistent-dir/report.pdf"));
  r = demo("--event no-such-event report");
  CHECK(r.code == 6);
}

TEST_CASE("forecast 30 minutes after doors open - against the night's final count") {
  DemoStore demo;
  const Run r = demo("forecast --at '2026-12-17 18:30' --json");
  REQUIRE_MESSAGE(r.code == 0, r.out);
  const auto j = nlohmann::json::parse(r.out);
  const int truth = demo.final_count["rust-13"];
  MESSAGE("forecast ", j["expected"].get<int>(), " (", j["low"].get<int>(), "-",
          j["high"].get<int>(), "), final ", truth);
  CHECK(j["past_events"] == 12);  // learned from the year before, not from later events
  CHECK(j["headcount_now"] == 53);
  CHECK(std::abs(j["expected"].get<int>() - truth) <= 6);
  CHECK(j["low"].get<int>() <= truth);
  CHECK(j["high"].get<int>() >= truth);
  CHECK(j["interval"] == 0.8);
  // Before the doors open it says so, and the interval is wider.
  const auto before = nlohmann::json::parse(demo("forecast --at '2026-12-17 17:30' --json").out);
  CHECK(has(before["basis"].get<std::string>(), "Doors not open yet"));
  CHECK(before["high"].get<int>() - before["low"].get<int>() >
        j["high"].get<int>() - j["low"].get<int>());
  const Run text = demo("forecast --at '2026-12-17 18:30'");
  CHECK(has(text.out, "Expected"));
  CHECK(has(text.out, "80% interval"));
  CHECK(has(text.out, "53 in after 30 minutes"));
  CHECK(has(text.out, "Room full"));
  CHECK(demo("forecast --at yesterday").code == 2);
}

TEST_CASE("regulars across services - the rule finds the same people the generator made") {
  DemoStore demo;
  // The generator's truth: meetup:100000+i and email:person<i>@example.org
  // are pool person i.
  auto store = Store::open(demo.db);
  REQUIRE(store.ok());
  EngineOptions o;
  o.require_event = false;
  Engine engine(std::move(*store), o);
  const PeopleFacts facts = engine.people_facts().get();
  const PeopleGroups groups = group_people(facts);
  std::map<int, std::set<std::int64_t>> groups_of_person;  // truth -> groups found
  std::map<std::int64_t, std::set<int>> persons_in_group;
  std::map<int, std::string> name_of;
  for (const PersonRecord& p : facts.people) {
    int i = -1;
    if (p.identity.rfind("meetup:", 0) == 0) i = std::stoi(p.identity.substr(7)) - 100000;
    if (p.identity.rfind("email:person", 0) == 0) i = std::stoi(p.identity.substr(12));
    if (i < 0) continue;
    groups_of_person[i].insert(groups.group(p.id));
    persons_in_group[groups.group(p.id)].insert(i);
    name_of[i] = p.name;
  }
  // The pool repeats some generated names (two 渡辺 健): the name rule must
  // abstain for those, so only people with a name of their own must be whole.
  std::map<std::string, int> name_count;
  for (const auto& [i, name] : name_of) ++name_count[name];
  int split_wrongly = 0, joined_wrongly = 0, abstained = 0;
  for (const auto& [i, found] : groups_of_person) {
    if (name_count[name_of[i]] == 1)
      split_wrongly += found.size() > 1;
    else
      abstained += found.size() > 1;
  }
  for (const auto& [g, persons] : persons_in_group) {
    std::set<std::string> names;
    for (int i : persons) names.insert(name_of[i]);
    // Two pool people with the same generated name are indistinguishable by name.
    joined_wrongly += persons.size() > 1 && names.size() > 1;
  }
  MESSAGE(groups_of_person.size(), " people; split wrongly ", split_wrongly, ", joined wrongly ",
          joined_wrongly, "; left apart for a shared name ", abstained);
  CHECK(groups_of_person.size() > 300);
  CHECK(split_wrongly == 0);
  CHECK(joined_wrongly == 0);
}

TEST_CASE("people merge and split by hand through the CLI") {
  DemoStore demo;
  Run r = demo("people");
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "joined by a shared e-mail"));
  CHECK(has(r.out, "joined by the same name"));
  CHECK(has(r.out, "records;"));
  // Two records of different people.
  auto store = Store::open(demo.db);
  REQUIRE(store.ok());
  std::int64_t a = 0, b = 0;
  for (const PersonRecord& p : (*store)->people_facts().people) {
    if (p.identity == "meetup:100001") a = p.id;
    if (p.identity == "meetup:100002") b = p.id;
  }
  store->reset();
  REQUIRE(a);
  REQUIRE(b);
  const std::string ids = std::to_string(a) + " " + std::to_string(b);
  r = demo("people merge " + ids);
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(has(r.out, "are one person now"));
  CHECK(has(r.out, "joined by an organizer"));
  CHECK(has(demo("people meetup:100002").out, "meetup:100001"));
  r = demo("people split " + ids);
  CHECK(r.code == 0);
  CHECK(has(r.out, "kept apart"));
  CHECK_FALSE(has(demo("people meetup:100002").out, "meetup:100001"));
  r = demo("people merge " + std::to_string(a) + " 999999");
  CHECK(r.code == 6);
  CHECK(has(r.out, "No person #999999"));
  CHECK(demo("people merge " + std::to_string(a)).code == 2);
  CHECK(demo("people no-such-person-anywhere").code == 6);
  // The names the rule left apart, for an organizer to check.
  r = demo("people --same-name");
  CHECK(r.code == 0);
  CHECK(has(r.out, "names carried by more than one person"));
  CHECK(has(r.out, ": 2 people"));
}

TEST_CASE("stats and the report count the same arrivals in every quarter hour - guests included") {
  DemoStore demo;
  const Run stats = demo("stats --json");
  REQUIRE_MESSAGE(stats.code == 0, stats.out);
  std::vector<int> from_stats;
  const auto j = nlohmann::json::parse(stats.out);
  for (const auto& q : j["arrivals_per_15_min"]) from_stats.push_back(q["count"].get<int>());
  const fs::path csv = demo.dir / "r.csv";
  REQUIRE(demo("report --out '" + csv.string() + "'").code == 0);
  std::vector<int> from_report;
  std::istringstream lines(read_file(csv));
  std::string line;
  bool quarters = false;
  int headcount = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("headcount,", 0) == 0) headcount = std::stoi(line.substr(10));
    if (line.rfind("quarter_from", 0) == 0) {
      quarters = true;
      continue;
    }
    if (!quarters || line.size() < 3) continue;
    const auto third = line.find(',', line.find(',') + 1);
    from_report.push_back(std::stoi(line.substr(third + 1)));
  }
  CHECK(!from_stats.empty());
  CHECK(from_stats == from_report);
  int sum = 0;
  for (int n : from_stats) sum += n;
  CHECK(sum == headcount);
  CHECK(has(demo("stats").out, "Arrivals per 15 minutes (guests included):"));
}
