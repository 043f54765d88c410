// The report files: one A4 page laid out inside its margins, the words a
// reader looks for (pdftotext), and the CSV a spreadsheet opens.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "TestSupport.h"
#include "report/ReportFiles.h"

using namespace fd;
namespace fs = std::filesystem;

namespace {

constexpr TimeMs kT0 = 1'773'338'400'000;  // 2026-03-12 18:00 UTC
constexpr TimeMs kMin = 60'000;

void utc() {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
}

ListEntryFacts entry(std::int64_t id, Rsvp rsvp, TimeMs at, int guests = 0, bool walk_in = false) {
  ListEntryFacts f;
  f.attendee_id = id;
  f.person_id = id;
  f.rsvp = rsvp;
  f.guests = guests;
  f.walk_in = walk_in;
  f.arrived_at = at;
  f.door = at ? "door 1" : "";
  f.method = walk_in ? Method::WalkIn : Method::Qr;
  return f;
}

EventSummary small_event(const std::string& name = "March meetup") {
  EventAttendance e;
  e.event = {1, "march", name, kT0, 40};
  e.entries = {entry(1, Rsvp::Yes, kT0 + 2 * kMin, 1),
               entry(2, Rsvp::Yes, kT0 + 10 * kMin),
               entry(3, Rsvp::Yes, kT0 + 20 * kMin),
               entry(4, Rsvp::Yes, 0),
               entry(5, Rsvp::Yes, 0, 2),
               entry(6, Rsvp::Waitlist, kT0 + 31 * kMin),
               entry(7, Rsvp::No, 0),
               entry(9, Rsvp::Yes, kT0 + 47 * kMin, 0, true)};
  return summarize_event(e);
}

GroupTrend months(int n) {
  std::vector<EventAttendance> all;
  PeopleFacts pf;
  for (int i = 0; i < n; ++i) {
    EventAttendance e;
    const TimeMs start = kT0 + i * 31LL * 24 * 60 * kMin;
    e.event = {i + 1, "e" + std::to_string(i), "Event", start, 0};
    for (int k = 0; k < 10; ++k)
      e.entries.push_back(entry(i * 100 + k, Rsvp::Yes, k < 6 ? start + k * kMin : 0));
    all.push_back(e);
  }
  return group_trend(all, group_people(pf));
}

void check_inside(const ReportLayout& l) {
  for (const ReportBox& b : l.boxes) {
    INFO(b.what);
    CHECK(b.x >= l.margin_mm - 1e-6);
    CHECK(b.y >= l.margin_mm - 1e-6);
    CHECK(b.x + b.w <= l.width_mm - l.margin_mm + 1e-6);
    CHECK(b.y + b.h <= l.height_mm - l.margin_mm + 1e-6);
  }
  // Nothing overlaps what comes after it on the page.
  const ReportBox* chart = l.find("chart");
  const ReportBox* table = l.find("table");
  const ReportBox* footer = l.find("footer");
  REQUIRE(chart);
  REQUIRE(table);
  REQUIRE(footer);
  CHECK(chart->y + chart->h < table->y);
  CHECK(table->y + table->h < footer->y);
  std::vector<const ReportBox*> tiles;
  for (const ReportBox& b : l.boxes)
    if (b.what.rfind("tile:", 0) == 0) tiles.push_back(&b);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    CHECK(tiles[i]->y + tiles[i]->h < chart->y);
    for (std::size_t j = i + 1; j < tiles.size(); ++j) {
      const bool apart =
          tiles[i]->x + tiles[i]->w <= tiles[j]->x || tiles[j]->x + tiles[j]->w <= tiles[i]->x ||
          tiles[i]->y + tiles[i]->h <= tiles[j]->y || tiles[j]->y + tiles[j]->h <= tiles[i]->y;
      CHECK_MESSAGE(apart, tiles[i]->what, " overlaps ", tiles[j]->what);
    }
  }
}

std::string run(const std::string& cmd) { return fd::test::run(cmd, nullptr, false); }

struct TempDir {
  fs::path dir;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "fd-report-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    dir = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("the event report's layout stays inside the page's margins") {
  utc();
  const ReportLayout l = layout_event_report(small_event(), kT0 + 200 * kMin);
  check_inside(l);
  CHECK(l.find("tile:People came"));
  CHECK(l.find("tile:Peak in the room"));
  CHECK(l.find("title"));
}

TEST_CASE("a very long event name shrinks and wraps - never leaves the page") {
  std::string name;
  for (int i = 0; i < 12; ++i) name += "Rust und WebAssembly im Browser — 東京 Meetup ";
  const ReportLayout l = layout_event_report(small_event(name), kT0);
  check_inside(l);
  const ReportBox* title = l.find("title");
  REQUIRE(title);
  CHECK(title->h < 20);  // two lines at most
}

TEST_CASE("an event nobody came to yet still makes a page") {
  EventAttendance e;
  e.event = {2, "april", "April meetup", 0, 0};
  e.entries = {entry(1, Rsvp::Yes, 0)};
  const EventSummary s = summarize_event(e);
  check_inside(layout_event_report(s, kT0));
  CHECK(render_event_report_pdf(s, kT0).ok());
}

TEST_CASE("the group report shows the latest 18 months and says where the rest are") {
  const GroupTrend t = months(30);
  REQUIRE(t.months.size() == 30);
  const ReportLayout l = layout_group_report(t, kT0);
  check_inside(l);
  CHECK(l.find("note"));
  CHECK_FALSE(layout_group_report(months(3), kT0).find("note"));
  check_inside(layout_group_report(months(0), kT0));
}

TEST_CASE("the event CSV - golden figures") {
  utc();
  const std::string csv = event_report_csv(small_event());
  for (const char* line :
       {"metric,value\r\n", "event,March meetup\r\n", "rsvp_yes,5\r\n", "expected,8\r\n",
        "came_rsvp_yes,3\r\n", "attendance_rate,0.600\r\n", "walk_ins,1\r\n",
        "let_in_off_list,1\r\n", "headcount,6\r\n", "no_shows,2\r\n", "peak_in_room,6\r\n",
        "peak_at,2026-03-12 18:47:00\r\n", "door:door 1,6\r\n",
        "quarter_from,quarter_to,arrivals,in_room_after\r\n",
        "2026-03-12 18:00:00,2026-03-12 18:15:00,3,3\r\n",
        "2026-03-12 18:45:00,2026-03-12 19:00:00,1,6\r\n"})
    CHECK_MESSAGE(csv.find(line) != std::string::npos, line);
}

TEST_CASE("the group CSV - one row per month - empty months included") {
  utc();
  const std::string csv = group_trend_csv(months(2));
  CHECK(csv ==
        "month,events,rsvp_yes,came_rsvp_yes,headcount,people,new_faces,returning,regulars,"
        "no_show_rate\r\n"
        "2026-03,1,10,6,6,6,6,0,0,0.400\r\n"
        "2026-04,1,10,6,6,6,6,0,0,0.400\r\n");
}

TEST_CASE("the PDF is one A4 page with the figures a reader looks for") {
  utc();
  TempDir tmp;
  auto pdf = render_event_report_pdf(small_event(), kT0 + 200 * kMin);
  REQUIRE(pdf.ok());
  const fs::path file = tmp.dir / "report.pdf";
  std::ofstream(file, std::ios::binary) << *pdf;
  const std::string info = run("pdfinfo '" + file.string() + "'");
  CHECK_MESSAGE(info.find("Pages:           1\n") != std::string::npos, info);
  CHECK(info.find("595.276 x 841.89 pts (A4)") != std::string::npos);
  const std::string text = run("pdftotext -layout '" + file.string() + "' -");
  for (const char* s :
       {"ATTENDANCE REPORT", "March meetup", "Thursday 12 March 2026", "People came",
        "RSVP → attendance", "60%", "Peak in the room", "at 18:47", "Arrivals per 15 minutes",
        "18:00", "18:45", "capacity 40", "no names, e-mail addresses or ticket codes"})
    CHECK_MESSAGE(text.find(s) != std::string::npos, s);
}

TEST_CASE("arrivals and the room share one axis - equal numbers stand at equal heights") {
  utc();
  const EventSummary s = small_event();
  // 18:00-18:15: three people arrive (one with a guest) and three are in.
  REQUIRE(s.arrivals_per_15[0].second == 3);
  REQUIRE(s.in_room_per_15[0] == 3);
  const ReportLayout l = layout_event_report(s, kT0 + 200 * kMin);
  const ReportBox* bar = l.find("bar:0");
  const ReportBox* point = l.find("line:0");
  REQUIRE(bar);
  REQUIRE(point);
  CHECK(bar->y == doctest::Approx(point->y).epsilon(1e-9));
  // Six in the room stand twice as high above the axis as three arriving.
  const ReportBox* six = l.find("line:3");
  REQUIRE(six);
  REQUIRE(s.in_room_per_15[3] == 6);
  const double axis = bar->y + bar->h;
  CHECK(axis - six->y == doctest::Approx(2 * (axis - bar->y)).epsilon(1e-6));
}

TEST_CASE("first-timers are a share of the people who came - and unknown at the first event") {
  utc();
  std::vector<EventAttendance> all;
  for (int i = 0; i < 2; ++i) {
    EventAttendance e;
    e.event = {i + 1, "e" + std::to_string(i), "Event", kT0 + i * 28LL * 24 * 60 * kMin, 0};
    // The same three people both times, one bringing a guest; one newcomer the second time.
    for (int k = 1; k <= 3 + i; ++k)
      e.entries.push_back(entry(k == 4 ? 40 : k, Rsvp::Yes, e.event.starts_at + k * kMin, k == 1));
    all.push_back(e);
  }
  const GroupTrend t = group_trend(all, group_people(PeopleFacts{}));
  const EventSummary& first = t.events[0];
  const EventSummary& second = t.events[1];
  CHECK_FALSE(first.first_timers_known());
  CHECK(second.first_timers_known());
  CHECK(second.headcount() == 5);
  CHECK(second.people_came() == 4);
  CHECK(second.first_timers + second.returning == second.people_came());
  TempDir tmp;
  for (const auto* s : {&first, &second}) {
    auto pdf = render_event_report_pdf(*s, kT0);
    REQUIRE(pdf.ok());
    const fs::path file = tmp.dir / "r.pdf";
    std::ofstream(file, std::ios::binary) << *pdf;
    const std::string text = run("pdftotext -layout '" + file.string() + "' -");
    INFO(text);
    if (s == &first) {
      CHECK(text.find("first event in the store") != std::string::npos);
    } else {
      CHECK(text.find("of the 4 people who came") != std::string::npos);
      CHECK(text.find("(guests aside)") != std::string::npos);
      CHECK(text.find("1 of them guests") != std::string::npos);
    }
  }
  CHECK(event_report_csv(first).find("first_timers") == std::string::npos);
  CHECK(event_report_csv(second).find("first_timers,1\r\n") != std::string::npos);
}
