// Sync against the services as they are today (issue #21): each loopback
// server refuses what the real service refuses (FakePretix.h, FakeLists.h
// name the source of every rule), and each test asserts what an organizer
// setting up sync alone would notice: the first pull works, names arrive,
// a refusal is reported once and in pretix's words, the status says what
// to do.
#include <doctest/doctest.h>

#include "SyncHelpers.h"
#include "sync/Status.h"

using namespace fd;
using namespace fdtest;
namespace fs = std::filesystem;
using fd::test::TempDir;

namespace {

Config device_config(const FakePretix& p) {
  Config c = pretix_config(p);
  c.pretix->token.clear();
  c.pretix->init_token = p.init_token;
  return c;
}

SyncServiceStatus status_of(Engine& engine, const std::string& service) {
  return engine.sync_status({service}).get().front();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

// ---------------------------------------------------------------------------
// pretix
// ---------------------------------------------------------------------------

TEST_CASE(
    "pretix device set-up passes pretix's serializer - a refused token says what pretix said") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 3);
  pretix.start();
  auto engine = open_engine(dir.path);
  {
    SyncRunner runner(*engine, make_connectors(device_config(pretix), fast(dir.path)), quick());
    auto r = runner.pull("pretix", false, waiting());
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  }
  CHECK(engine->snapshot()->rsvp_yes == 3);
  REQUIRE(pretix.init_requests.size() == 1);
  // What the kiosk told pretix about itself: real values or null, never blank.
  const json sent = pretix.init_requests[0];
  for (const char* f : {"os_name", "os_version"})
    CHECK_MESSAGE((sent[f].is_null() || !sent[f].get<std::string>().empty()), f);
  CHECK(sent.value("software_version", "") != "");

  // A second kiosk with the same init token: pretix's reason, and what to do.
  TempDir other;
  auto engine2 = open_engine(other.path);
  SyncRunner second(*engine2, make_connectors(device_config(pretix), fast(other.path)), quick());
  auto r = second.pull("pretix", false, waiting());
  REQUIRE_FALSE(r.ok());
  CHECK(has(r.error().message, "This initialization token has already been used"));
  CHECK(has(r.error().message, "connect a new device in pretix"));
  CHECK_FALSE(has(r.error().message, "init-once"));  // the token itself never shows
}

TEST_CASE(
    "pretix pretixSCAN profiles: each pulls what it may and an undo it may not send is shown") {
  struct Case {
    const char* profile;
    bool names;  // the door learns names (orders or the list's positions)
  };
  for (const Case k : {Case{"pretixscan", true}, Case{"pretixscan_online_noorders", true},
                       Case{"pretixscan_online_kiosk", false}}) {
    CAPTURE(k.profile);
    TempDir dir;
    FakePretix pretix;
    pretix.init_profile = k.profile;
    add_people(pretix, 5);
    pretix.modify("secret5", 'c', "2026-11-29T09:30:00Z");
    pretix.revoked = {"rv1"};
    pretix.start();
    auto engine = open_engine(dir.path);
    SyncRunner runner(*engine, make_connectors(device_config(pretix), fast(dir.path)), quick());
    auto pulled = runner.pull("pretix", false, waiting());
    REQUIRE_MESSAGE(pulled.ok(), (pulled.ok() ? "" : pulled.error().message));
    // The revoked secret reaches the door in every profile.
    CHECK(engine->run(CheckInCode{"rv1"}).verdict == Verdict::Cancelled);
    if (!k.names) {
      CHECK(engine->snapshot()->rsvp_yes == 0);
      const std::string line = status_line(status_of(*engine, "pretix"));
      CHECK(has(line, "“pretixSCAN (kiosk mode, no order sync, no search)”"));
      CHECK(has(line, "choose the profile “pretixSCAN”"));
      CHECK(pretix.route_hits("GET checkinlist-detail") == 0);
      continue;
    }
    CHECK(engine->snapshot()->rsvp_yes == 4);
    CHECK(engine->run(CheckInCode{"secret5"}).verdict == Verdict::Cancelled);
    // A check-in reaches pretix; its undo is refused by the profile, once,
    // and shown with the profile's name instead of being retried for ever.
    const Decision in = engine->run(CheckInCode{"secret1"});
    REQUIRE(in.verdict == Verdict::Admitted);
    REQUIRE(push_all(runner, *engine) == 0);
    CHECK(pretix.live("secret1") == 1);
    REQUIRE(engine->run(Undo{in.checkin_uuid, 0}).verdict == Verdict::Undone);
    CHECK(push_all(runner, *engine) == 0);
    CHECK(pretix.route_hits("POST checkinrpc.annul") == 1);
    const auto st = status_of(*engine, "pretix");
    CHECK(st.dead == 1);
    const std::string line = status_line(st);
    CHECK(has(line, "undo of Person 1 not delivered"));
    CHECK(has(line, "does not allow undoing a check-in"));
  }
}

TEST_CASE("pretix refusals: a bad ticket is reported once - a refused undo shows pretix's reason") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 4);
  pretix.annul_window = 0;  // pretix's 15 minutes, passed at once
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  REQUIRE(runner.pull("pretix", false, waiting()).ok());
  // After the pull, in pretix: one order cancelled, one ticket's product off the list.
  pretix.modify("secret2", 'c', "2026-11-29T10:10:00Z");
  pretix.set_item("secret3", 42);
  pretix.all_products = false;
  pretix.products = {1};
  Decision first{};
  for (int i = 1; i <= 3; ++i) {
    const Decision d = engine->run(CheckInCode{"secret" + std::to_string(i)});
    REQUIRE(d.verdict == Verdict::Admitted);
    if (i == 1) first = d;
  }
  const TimeMs checked_in_at = now_ms();
  CHECK(push_all(runner, *engine) == 0);
  CHECK(pretix.live("secret1") == 1);
  // Each refusal reached pretix's log once (libpretixsync too drops a
  // refused upload after one try).
  CHECK(pretix.refused_scans("secret2") == 1);
  CHECK(pretix.refused_scans("secret3") == 1);

  // The undo comes after pretix's window.
  fd::test::wait_for([&] { return now_ms() > checked_in_at + 5; }, std::chrono::seconds(1));
  REQUIRE(engine->run(Undo{first.checkin_uuid, 0}).verdict == Verdict::Undone);
  CHECK(push_all(runner, *engine) == 0);
  CHECK(pretix.live("secret1") == 1);  // pretix kept it: shown as not delivered
  const auto st = status_of(*engine, "pretix");
  CHECK(st.dead == 3);
  const std::string line = status_line(st);
  CHECK(has(line, "pretix: refused 2 check-ins: "));
  CHECK(has(line, "the ticket was cancelled in pretix (1)"));
  CHECK(has(line, "this product is not on the check-in list (1)"));
  CHECK(has(line, "undo of Person 1 not delivered: more than 15 minutes after the check-in"));
  CHECK(has(line, "`frontdesk sync retry`"));
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("pretix: a check-in list pretix does not know stops pushing with pretix's words") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 2);
  pretix.start();
  auto engine = open_engine(dir.path);
  {
    SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
    REQUIRE(runner.pull("pretix", false, waiting()).ok());
  }
  REQUIRE(engine->run(CheckInCode{"secret1"}).verdict == Verdict::Admitted);
  REQUIRE(engine->run(CheckInCode{"secret2"}).verdict == Verdict::Admitted);
  Config wrong = pretix_config(pretix);
  wrong.pretix->checkin_list = 99;
  SyncOptions slow = quick();
  slow.retry_base = std::chrono::seconds(10);  // the pause outlasts this test's rounds
  SyncRunner runner(*engine, make_connectors(wrong, fast(dir.path)), slow);
  for (int i = 0; i < 3; ++i) runner.push_once({});
  // Nothing lost, nothing dead: both wait, and the status says why.
  const auto st = status_of(*engine, "pretix");
  CHECK(st.pending == 2);
  CHECK(st.dead == 0);
  const std::string line = status_line(st);
  CHECK(has(line, "2 check-ins wait: pretix refused check-ins"));
  CHECK(has(line, "Invalid pk"));
  CHECK(has(line, "checkin_list (99)"));
  // The wrong list is seen before the first row: one request, not one per row.
  CHECK(pretix.route_hits("POST checkinrpc.redeem") == 1);
  // The pull says the same in its own words.
  auto r = runner.pull("pretix", false, waiting());
  REQUIRE_FALSE(r.ok());
  CHECK(has(r.error().message, "pretix has no check-in list 99"));
  CHECK(has(r.error().message, "7 “Entrance”"));
}

TEST_CASE("pretix behind a proxy: next links with another scheme and host still bring every page") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 120);
  pretix.revoked = {"rv1", "rv2", "rv3"};  // two pages
  pretix.public_base = "https://pretix.example.org:8443";
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  auto r = runner.pull("pretix", false, waiting());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(engine->snapshot()->rsvp_yes == 120);
  CHECK(engine->run(CheckInCode{"rv3"}).message ==
        "This ticket was revoked — please see an organizer");
}

// ---------------------------------------------------------------------------
// Meetup
// ---------------------------------------------------------------------------

namespace {
Config meetup_config(const FakeMeetup& mu) {
  Config c;
  MeetupSettings m;
  m.url = mu.url() + "/gql-ext";
  m.event_id = mu.event_id;
  m.token = mu.token;
  m.refresh_token = mu.refresh_token;
  m.client_id = mu.client_id;
  m.client_secret = mu.client_secret;
  m.oauth_url = mu.url() + "/oauth2/access";
  c.meetup = m;
  return c;
}
Rsvp rsvp_of(Engine& engine, const std::string& name) {
  for (const auto& a : engine.attendees().get())
    if (a.full_name == name) return a.rsvp;
  FAIL("no " << name << " on the list");
  return Rsvp::Cancelled;
}
}  // namespace

TEST_CASE("Meetup pull brings YES WAITLIST NO and ATTENDED - a switch to NO stops being expected") {
  TempDir dir;
  FakeMeetup mu;
  mu.people = {person("1", "Ada Yes", "", "", "YES"),    person("2", "Bo Wait", "", "", "WAITLIST"),
               person("3", "Cy No", "", "", "NO"),       person("4", "Di Came", "", "", "ATTENDED"),
               person("5", "Ed Changes", "", "", "YES"), person("6", "Flo Leaves", "", "", "YES")};
  mu.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(meetup_config(mu), fast(dir.path)), quick());
  REQUIRE(runner.pull("meetup", false, waiting()).ok());
  CHECK(engine->attendees().get().size() == 6);
  CHECK(rsvp_of(*engine, "Bo Wait") == Rsvp::Waitlist);
  CHECK(rsvp_of(*engine, "Cy No") == Rsvp::No);
  CHECK(engine->snapshot()->rsvp_yes == 4);
  CHECK(engine->snapshot()->checked_in == 1);  // marked attended on Meetup

  // Ed switches to NO; Flo's RSVP is gone altogether.
  mu.people[4].status = "NO";
  mu.people.pop_back();
  REQUIRE(runner.pull("meetup", false, waiting()).ok());
  CHECK(rsvp_of(*engine, "Ed Changes") == Rsvp::No);
  CHECK(rsvp_of(*engine, "Flo Leaves") == Rsvp::Cancelled);
  CHECK(engine->snapshot()->rsvp_yes == 2);
}

TEST_CASE(
    "a Meetup pull that would cancel most of the list is held - the organizer's yes goes on") {
  TempDir dir;
  FakeMeetup mu;
  for (int i = 1; i <= 10; ++i)
    mu.people.push_back(person(std::to_string(i), "Member " + std::to_string(i), "", "", "YES"));
  mu.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(meetup_config(mu), fast(dir.path)), quick());
  REQUIRE(runner.pull("meetup", false, waiting()).ok());
  REQUIRE(engine->snapshot()->rsvp_yes == 10);

  // Meetup answers with only two RSVPs (an event switched, a glitch): the
  // whole list would cancel eight people. Nothing changes; it says why.
  mu.people.resize(2);
  auto held = runner.pull("meetup", false, waiting());
  REQUIRE_FALSE(held.ok());
  CHECK(held.error().code == "sync.held");
  CHECK_MESSAGE(has(held.error().message, "It would cancel 8 people of the 10 on the list"),
                held.error().message);
  CHECK(engine->snapshot()->rsvp_yes == 10);
  CHECK(rsvp_of(*engine, "Member 9") == Rsvp::Yes);
  // The status shows it, for a pull that ran in the background.
  const auto st = engine->sync_status({"meetup"}).get();
  REQUIRE(st.size() == 1);
  CHECK(has(st.front().last_error, "It would cancel 8 people"));
  CHECK(has(st.front().last_error, "go ahead with `frontdesk sync pull --yes`"));

  // The organizer says go ahead: the list is what Meetup says.
  auto done = runner.pull("meetup", false, waiting(), /*go_ahead=*/true);
  REQUIRE_MESSAGE(done.ok(), (done.ok() ? "" : done.error().message));
  CHECK(done->merged.cancelled == 8);
  CHECK(rsvp_of(*engine, "Member 9") == Rsvp::Cancelled);
  CHECK(engine->snapshot()->rsvp_yes == 2);
}

TEST_CASE(
    "Meetup: an expired token is renewed from the stored refresh token without the organizer") {
  TempDir dir;
  FakeMeetup mu;
  mu.people = {person("1", "Ada Lovelace", "", "", "YES")};
  mu.start();
  auto engine = open_engine(dir.path);
  const Config c = meetup_config(mu);
  {
    SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
    // A second process on the same config (`sync pull` beside the kiosk).
    SyncRunner beside(*engine, make_connectors(c, fast(dir.path)), quick());
    REQUIRE(runner.pull("meetup", false, waiting()).ok());
    REQUIRE(beside.pull("meetup", false, waiting()).ok());
    mu.expire_token();  // an hour later
    auto r = runner.pull("meetup", false, waiting());
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(mu.refreshes == 1);
    // The other process takes the renewed token instead of failing with
    // the refresh token the renewal replaced.
    r = beside.pull("meetup", false, waiting());
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(mu.refreshes == 1);
  }
  // The renewed tokens are kept owner-only; the config's refresh token was
  // replaced by the renewal and works no more.
  const auto perms = fs::status(dir.path / "meetup-token.json").permissions();
  CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  mu.expire_token();
  SyncRunner restarted(*engine, make_connectors(c, fast(dir.path)), quick());
  auto r = restarted.pull("meetup", false, waiting());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(mu.refreshes == 2);
  // No refresh token: the words say what to add (and show no token).
  Config bare = c;
  bare.meetup->refresh_token.clear();
  TempDir other;
  SyncRunner without(*engine, make_connectors(bare, fast(other.path)), quick());
  mu.expire_token();
  auto refused = without.pull("meetup", false, waiting());
  REQUIRE_FALSE(refused.ok());
  CHECK(has(refused.error().message, "Add refresh_token, client_id and client_secret"));
  CHECK_FALSE(has(refused.error().message, "mu-"));
}

TEST_CASE("Meetup: a rate limit inside an HTTP 200 waits and asks again - a 403 says Meetup Pro") {
  TempDir dir;
  FakeMeetup mu;
  mu.people = {person("1", "Ada Lovelace", "", "", "YES")};
  mu.rate_limited_next = 1;
  mu.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(meetup_config(mu), fast(dir.path)), quick());
  const auto started = std::chrono::steady_clock::now();
  auto r = runner.pull("meetup", false, waiting());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(800));
  CHECK(engine->snapshot()->rsvp_yes == 1);
  mu.pro = false;
  auto refused = runner.pull("meetup", false, waiting());
  REQUIRE_FALSE(refused.ok());
  CHECK(has(refused.error().message, "Meetup Pro"));
}

// ---------------------------------------------------------------------------
// Luma
// ---------------------------------------------------------------------------

TEST_CASE(
    "Luma pull of today's documented guest list merges names e-mails QR codes and check-ins") {
  for (const bool old_deployment : {false, true}) {
    CAPTURE(old_deployment);
    TempDir dir;
    FakeLuma luma;
    luma.current_route = !old_deployment;
    luma.old_route = old_deployment;
    luma.people = {person("gst-1", "Grace Hopper", "grace@example.org", "g-1", "approved"),
                   person("gst-2", "Alan Turing", "alan@example.org", "g-2", "approved"),
                   person("gst-3", "Ada Lovelace", "ada@example.org", "g-3", "waitlist"),
                   person("gst-4", "Kurt Goedel", "kurt@example.org", "g-4", "declined")};
    luma.people[1].checked_in_at = iso8601_utc(now_ms() - 60000);  // checked in on Luma
    luma.start();
    auto engine = open_engine(dir.path);
    Config c;
    c.luma = LumaSettings{luma.url(), luma.event_id, luma.key};
    SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
    auto r = runner.pull("luma", false, waiting());
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    int found = 0;
    for (const auto& a : engine->attendees().get())
      if (a.external_id == "gst-1") {
        ++found;
        CHECK(a.first_name == "Grace");
        CHECK(a.last_name == "Hopper");
        CHECK(a.email == "grace@example.org");
      }
    CHECK(found == 1);
    CHECK(engine->run(CheckInCode{"https://lu.ma/check-in/evt-abc?pk=g-1"}).verdict ==
          Verdict::Admitted);
    const Decision turing = engine->run(CheckInCode{"g-2"});
    CHECK(turing.verdict == Verdict::AlreadyIn);  // checked in on Luma
    CHECK(engine->run(CheckInCode{"g-3"}).verdict == Verdict::NotAttending);
    CHECK(engine->run(CheckInCode{"g-4"}).verdict == Verdict::Cancelled);
  }
}

// ---------------------------------------------------------------------------
// Eventbrite
// ---------------------------------------------------------------------------

TEST_CASE(
    "Eventbrite pull brings cancelled and refunded attendees - its cursor is Eventbrite's clock") {
  TempDir dir;
  FakeEventbrite eb;
  eb.clock_offset = -2 * 3600 * 1000;  // this door's clock runs two hours ahead of Eventbrite's
  eb.people = {person("1", "Ann Attends", "a@example.org", "EB1", "Attending"),
               person("2", "Ray Refunded", "r@example.org", "EB2", "Attending"),
               person("3", "Cat Cancels", "c@example.org", "EB3", "Not Attending"),
               person("4", "Lee Later", "l@example.org", "EB4", "Attending")};
  eb.people[1].refunded = true;
  eb.start();
  auto engine = open_engine(dir.path);
  Config c;
  c.eventbrite = EventbriteSettings{eb.url(), eb.event_id, eb.token};
  SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
  REQUIRE(runner.pull("eventbrite", false, waiting()).ok());
  CHECK(engine->run(CheckInCode{"EB2"}).verdict == Verdict::Cancelled);
  CHECK(engine->run(CheckInCode{"EB3"}).verdict == Verdict::Cancelled);
  CHECK(engine->snapshot()->rsvp_yes == 2);

  // Lee cancels on Eventbrite; the next pull asks for what changed since,
  // on Eventbrite's clock, and sees it.
  eb.cancel("4");
  auto inc = runner.pull("eventbrite", false, waiting());
  REQUIRE(inc.ok());
  CHECK(inc->incremental);
  CHECK(engine->run(CheckInCode{"EB4"}).verdict == Verdict::Cancelled);
  REQUIRE_FALSE(eb.changed_since_asked.empty());
  const TimeMs asked = parse_datetime(eb.changed_since_asked.back());
  CHECK(asked <= eb.server_now());
  CHECK(asked > eb.server_now() - 10 * 60 * 1000);
}

// ---------------------------------------------------------------------------
// sync status, as organizers read it
// ---------------------------------------------------------------------------

TEST_CASE("sync status: one line per service - what it could not do and what to do") {
  SyncServiceStatus ok;
  ok.service = "luma";
  ok.last_pull = now_ms();
  ok.pulled = 12;
  CHECK(status_line(ok).rfind("luma: everything sent; list pulled ", 0) == 0);
  CHECK(has(status_line(ok), "(12 people)"));

  SyncServiceStatus bad;
  bad.service = "pretix";
  bad.pending = 1;
  bad.last_error = "Cannot reach pretix";
  bad.last_error_at = now_ms();
  bad.dead = 3;
  bad.dead_letters = {{"checkin", "Bo", "pretix refused the check-in: the order is not paid"},
                      {"checkin", "Cy", "pretix refused the check-in: the order is not paid"},
                      {"annul", "Ana Silva", "more than 15 minutes after the check-in"}};
  const std::string line = status_line(bad);
  CHECK(has(line, "pretix: 1 check-in waits: Cannot reach pretix (since "));
  CHECK(has(line, "refused 2 check-ins: the order is not paid (2)"));
  CHECK(has(line, "undo of Ana Silva not delivered: more than 15 minutes after the check-in"));
  CHECK(has(line, "`frontdesk sync retry`"));
}
