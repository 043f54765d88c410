// Sync against loopback stand-ins of the services (tests/sync/FakeServices.h):
// real HTTP, the documented APIs, and the faults the network and the
// services really produce. Every check asserts what an organizer or a
// person at the door would notice: who is on the list, who is in, what the
// service ends up with.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "FakeServices.h"
#include "SyncHelpers.h"
#include "TestSupport.h"
#include "store/Store.h"
#include "sync/Parse.h"
#include "sync/SyncRunner.h"
#include "sync/SyncWorker.h"
#include "tickets/Ticket.h"

using namespace fd;
using namespace fdtest;
namespace fs = std::filesystem;

namespace {

using fd::test::TempDir;

const std::vector<Fault> kAllFaults = {Fault::E500,      Fault::E502,          Fault::E503,
                                       Fault::TooMany,   Fault::Reset,         Fault::Truncate,
                                       Fault::Duplicate, Fault::AppliedThen500};

}  // namespace

TEST_CASE("pretix pull: 3000 attendees cold then incremental - figures") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 3000);
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());

  auto cold = runner.pull("pretix", false, waiting());
  REQUIRE(cold.ok());
  CHECK(cold->people == 3000);
  CHECK(cold->merged.added == 3000);
  CHECK(engine->snapshot()->rsvp_yes == 3000);
  MESSAGE("pretix cold pull of 3000: " << cold->took.count() << " ms, " << cold->requests
                                       << " requests");

  // Two orders change; the incremental pull asks only for what changed since.
  pretix.generated = "2026-11-29T11:00:00Z";
  pretix.modify("secret7", 'c', "2026-11-29T10:30:00Z");
  pretix.modify("secret8", 'p', "2026-11-29T10:31:00Z");
  auto inc = runner.pull("pretix", false, waiting());
  REQUIRE(inc.ok());
  CHECK(inc->incremental);
  CHECK(inc->people == 2);
  CHECK(inc->merged.cancelled == 1);
  MESSAGE("pretix incremental pull: " << inc->took.count() << " ms, " << inc->requests
                                      << " requests");
  CHECK(engine->snapshot()->rsvp_yes == 2999);
  // The cancelled ticket is refused at the door after the pull.
  CHECK(engine->run(CheckInCode{"secret7"}).verdict == Verdict::Cancelled);
  CHECK(engine->run(CheckInCode{"secret8"}).verdict == Verdict::Admitted);
}

TEST_CASE("pretix pull survives every fault and never merges half a list") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 400);
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  FaultPlan plan;
  plan.script = {Fault::E500,      Fault::None, Fault::E502,     Fault::None,    Fault::Stall,
                 Fault::None,      Fault::E503, Fault::None,     Fault::TooMany, Fault::None,
                 Fault::Reset,     Fault::None, Fault::Truncate, Fault::None,    Fault::None,
                 Fault::Duplicate, Fault::None, Fault::Duplicate};
  plan.stall = std::chrono::milliseconds(2500);  // longer than the 1.5 s the client waits
  pretix.plan(plan);
  auto r = runner.pull("pretix", true, waiting());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(engine->snapshot()->rsvp_yes == 400);
  CHECK(pretix.faults() == 9);  // each fault of the script struck once

  // An answer that stays unreadable: a plain error, and nothing merged.
  add_people(pretix, 450);
  FaultPlan broken;
  broken.rate = 1.0;
  broken.mix = {Fault::Truncate};
  pretix.plan(broken);
  auto bad = runner.pull("pretix", true, waiting());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("not valid JSON") != std::string::npos);
  CHECK(engine->snapshot()->rsvp_yes == 400);
  const auto st = engine->sync_status({"pretix"}).get();
  CHECK(st.front().last_error.find("not valid JSON") != std::string::npos);
}

TEST_CASE("pretix refuses a wrong token in plain words") {
  TempDir dir;
  FakePretix pretix;
  pretix.start();
  auto engine = open_engine(dir.path);
  Config c = pretix_config(pretix);
  c.pretix->token = "wrong";
  SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
  auto r = runner.pull("pretix", false, waiting());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "pretix refused our credentials (check the token) — pretix says: Invalid token.");
  CHECK(r.error().message.find("wrong") == std::string::npos);
}

TEST_CASE(
    "pretix device auth: the init token is exchanged once and the device token kept owner-only") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 3);
  pretix.start();
  auto engine = open_engine(dir.path);
  Config c = pretix_config(pretix);
  c.pretix->token.clear();
  c.pretix->init_token = "init-once";
  {
    SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
    REQUIRE(runner.pull("pretix", false, waiting()).ok());
  }
  SyncRunner again(*engine, make_connectors(c, fast(dir.path)), quick());
  REQUIRE(again.pull("pretix", true, waiting()).ok());
  CHECK(pretix.device_inits == 1);
  const auto perms = fs::status(dir.path / "pretix-device.json").permissions();
  CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
}

TEST_CASE("pretix push: every check-in arrives once through faults - undos annul it") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 60);
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  REQUIRE(runner.pull("pretix", false, waiting()).ok());
  for (int i = 1; i <= 50; ++i)
    REQUIRE(engine->run(CheckInCode{"secret" + std::to_string(i)}).verdict == Verdict::Admitted);
  for (int i = 1; i <= 5; ++i) {
    auto d = engine->run(CheckInCode{"secret" + std::to_string(i)});
    REQUIRE(engine->run(Undo{d.checkin_uuid, 0}).verdict == Verdict::Undone);
  }
  FaultPlan plan;
  plan.rate = 0.4;
  plan.mix = kAllFaults;
  plan.mix.push_back(Fault::Stall);
  plan.stall = std::chrono::milliseconds(2000);
  pretix.plan(plan);
  CHECK(push_all(runner, *engine, 60) == 0);
  const auto lives = pretix.lives();
  for (int i = 1; i <= 60; ++i)
    CHECK_MESSAGE(lives.at("secret" + std::to_string(i)) == (i > 5 && i <= 50 ? 1 : 0),
                  "secret" << i);
  CHECK(pretix.faults() > 10);
  CHECK(engine->snapshot()->queues.outbox_pending == 0);
}

TEST_CASE("a row pretix refuses becomes a dead letter - the rest go on - retry queues it again") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 3);
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  REQUIRE(runner.pull("pretix", false, waiting()).ok());
  // secret2 disappears from pretix after the pull (the order was deleted).
  REQUIRE(engine->run(CheckInCode{"secret2"}).verdict == Verdict::Admitted);
  REQUIRE(engine->run(CheckInCode{"secret1"}).verdict == Verdict::Admitted);
  REQUIRE(engine->run(CheckInCode{"secret3"}).verdict == Verdict::Admitted);
  pretix.remove("secret2");
  CHECK(push_all(runner, *engine, 20) == 0);
  CHECK(pretix.live("secret1") == 1);
  CHECK(pretix.live("secret3") == 1);
  const auto st = engine->sync_status({"pretix"}).get().front();
  CHECK(st.dead == 1);
  CHECK(st.dead_example == "pretix refused the check-in: pretix does not know this ticket");
  // pretix logged the refused scan itself, once: no retries, no second upload.
  REQUIRE(pretix.scan_log.size() == 1);
  CHECK(pretix.scan_log[0].secret == "secret2");
  CHECK(pretix.scan_log[0].reason == "invalid");
  CHECK(pretix.failed_checkins.empty());
  CHECK(engine->snapshot()->queues.outbox_dead == 1);
  // The organizer fixes it in pretix and retries.
  pretix.add("O00002", "secret2", "Person 2");
  CHECK(engine->run(RetryDeadLetters{""}).message == "1 check-in queued again");
  CHECK(push_all(runner, *engine, 20) == 0);
  CHECK(pretix.live("secret2") == 1);
  CHECK(engine->sync_status({"pretix"}).get().front().dead == 0);
}

TEST_CASE(
    "a ticket checked in on pretix by another device shows as already in after the next pull") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 5);
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  REQUIRE(runner.pull("pretix", false, waiting()).ok());
  // Our own check-in, pushed: the next pull must not count it twice.
  REQUIRE(engine->run(CheckInCode{"secret1"}).verdict == Verdict::Admitted);
  REQUIRE(push_all(runner, *engine) == 0);
  pretix.generated = "2026-11-29T11:00:00Z";
  pretix.checkin_elsewhere("secret2", iso8601_utc(now_ms() + 2000));
  auto r = runner.pull("pretix", false, waiting());
  REQUIRE(r.ok());
  CHECK(r->message.find("1 checked in elsewhere") != std::string::npos);
  const Decision d = engine->run(CheckInCode{"secret2"});
  CHECK(d.verdict == Verdict::AlreadyIn);
  CHECK(d.door == "pretix");
  // The remote check-in is in the log without badge or outbox, and the store verifies.
  CHECK(engine->snapshot()->checked_in == 2);
  CHECK(engine->snapshot()->queues.outbox_pending == 0);
  auto store = Store::open(dir.path / "frontdesk.db");
  REQUIRE(store.ok());
  CHECK((*store)->verify().ok());
  // Pulling again adds nothing.
  auto again = runner.pull("pretix", true, waiting());
  REQUIRE(again.ok());
  CHECK(again->message.find("0 checked in elsewhere") != std::string::npos);
  int entries = 0;
  for (const LogEntry& e : engine->log().get()) entries += e.kind == CheckInKind::CheckIn;
  CHECK(entries == 2);
}

namespace {
// pretix's own generator made these vectors (PLATFORM.md); without them the
// signed-ticket tests would prove nothing, so a missing file fails them.
json vectors() {
  std::ifstream in(std::string(FD_SOURCE_DIR) + "/../shared/data/pretix_sig1_vectors.json");
  if (!in) in.open("/work/shared/data/pretix_sig1_vectors.json");
  REQUIRE_MESSAGE(in.good(),
                  "pretix_sig1_vectors.json not found (../shared/data/ beside the "
                  "repository, or /work/shared/data/)");
  json j = json::parse(in, nullptr, false);
  REQUIRE_MESSAGE(j.is_object(), "pretix_sig1_vectors.json is not a JSON object");
  REQUIRE_MESSAGE(j.contains("vectors"), "pretix_sig1_vectors.json has no vectors");
  return j;
}
}  // namespace

TEST_CASE(
    "signed pretix tickets: genuine and not yet pulled is admitted with a typed name - revoked is "
    "refused offline") {
  const json v = vectors();
  std::string genuine, revoked_one, key = v["vectors"][0].value("pubkey_as_published", "");
  for (const auto& t : v["vectors"]) {
    if (!t["expect"].value("valid", false)) continue;
    if (t["expect"].value("valid_until_unix", 0) != 0 ||
        t["expect"].value("valid_from_unix", 0) != 0)
      continue;
    if (genuine.empty())
      genuine = t.value("secret", "");
    else if (revoked_one.empty())
      revoked_one = t.value("secret", "");
  }
  REQUIRE(!genuine.empty());
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 2);
  pretix.keys = {key};
  if (!revoked_one.empty()) pretix.revoked = {revoked_one};
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  REQUIRE(runner.pull("pretix", false, waiting()).ok());
  pretix.stop();  // offline from here on

  Decision d = engine->run(CheckInCode{genuine});
  CHECK(d.verdict == Verdict::NameNeeded);
  CHECK_FALSE(is_refusal(d.verdict));
  CheckInCode named{genuine};
  named.first_name = "Grace";
  named.last_name = "Hopper";
  d = engine->run(named);
  CHECK(d.verdict == Verdict::Admitted);
  CHECK(d.who->full_name == "Grace Hopper");
  CHECK(engine->run(CheckInCode{genuine}).verdict == Verdict::AlreadyIn);
  if (!revoked_one.empty()) {
    d = engine->run(CheckInCode{revoked_one});
    CHECK(d.verdict == Verdict::Cancelled);
    CHECK(d.message == "This ticket was revoked — please see an organizer");
  }
  // Back online: the scan is pushed like any other, and the next pull
  // brings the real order onto the same person (no duplicate).
  pretix.start();
  SyncRunner online(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  pretix.add("O09999", genuine, "Grace Hopper");
  CHECK(push_all(online, *engine) == 0);
  CHECK(pretix.live(genuine) == 1);
  REQUIRE(online.pull("pretix", true, waiting()).ok());
  int graces = 0;
  for (const AttendeeRecord& a : engine->attendees().get()) graces += a.ticket_code == genuine;
  CHECK(graces == 1);
  CHECK(engine->run(CheckInCode{genuine}).verdict == Verdict::AlreadyIn);
}

TEST_CASE("a check-in list limited to other products refuses a signed ticket for this product") {
  const json v = vectors();
  const json& t = v["vectors"][0];
  TempDir dir;
  FakePretix pretix;
  pretix.keys = {t.value("pubkey_as_published", "")};
  pretix.all_products = false;
  pretix.products = {t["expect"].value("item", 0) + 1};
  pretix.start();
  auto engine = open_engine(dir.path);
  SyncRunner runner(*engine, make_connectors(pretix_config(pretix), fast(dir.path)), quick());
  REQUIRE(runner.pull("pretix", false, waiting()).ok());
  CheckInCode c{t.value("secret", "")};
  c.first_name = "Ada";
  const Decision d = engine->run(c);
  CHECK(d.verdict == Verdict::WrongEvent);
  CHECK(d.message == "This ticket is not for this entrance — please see an organizer");
}

TEST_CASE(
    "Eventbrite pull: continuation paging through faults - cancellations and remote check-ins") {
  TempDir dir;
  FakeEventbrite eb;
  for (int i = 1; i <= 230; ++i)
    eb.people.push_back({std::to_string(1000 + i), "Guest " + std::to_string(i), "g@example.org",
                         "EB" + std::to_string(i), i == 3 ? "Cancelled" : "Attending", i == 4, ""});
  eb.start();
  FaultPlan plan;
  plan.script = {Fault::E503,      Fault::TooMany, Fault::None,
                 Fault::Duplicate, Fault::Reset,   Fault::Truncate};
  eb.plan(plan);
  auto engine = open_engine(dir.path);
  Config c;
  c.eventbrite = EventbriteSettings{eb.url(), eb.event_id, eb.token};
  SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
  auto r = runner.pull("eventbrite", false, waiting());
  REQUIRE(r.ok());
  CHECK(engine->snapshot()->rsvp_yes == 229);
  CHECK(engine->run(CheckInCode{"EB3"}).verdict == Verdict::Cancelled);
  CHECK(engine->run(CheckInCode{"EB4"}).verdict == Verdict::AlreadyIn);
  CHECK(engine->run(CheckInCode{"EB5"}).verdict == Verdict::Admitted);
  c.eventbrite->token = "nope";
  SyncRunner wrong(*engine, make_connectors(c, fast(dir.path)), quick());
  auto refused = wrong.pull("eventbrite", false, waiting());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "eventbrite refused our credentials (check the token)");
}

TEST_CASE("Meetup pull: GraphQL RSVPs paged with first and after - waitlist and guests") {
  TempDir dir;
  FakeMeetup mu;
  for (int i = 1; i <= 250; ++i)
    mu.people.push_back({std::to_string(500 + i), "Member " + std::to_string(i), "", "",
                         i % 10 == 0 ? "WAITLIST" : "YES", false, "", i % 7 == 0 ? 1 : 0});
  mu.start();
  FaultPlan plan;
  plan.script = {Fault::E502, Fault::Truncate, Fault::None, Fault::Reset};
  mu.plan(plan);
  auto engine = open_engine(dir.path);
  Config c;
  c.meetup = MeetupSettings{};
  c.meetup->url = mu.url() + "/gql-ext";
  c.meetup->event_id = mu.event_id;
  c.meetup->token = mu.token;
  SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
  REQUIRE(runner.pull("meetup", false, waiting()).ok());
  const auto snap = engine->snapshot();
  CHECK(snap->rsvp_yes == 225);
  CHECK(snap->waitlisted == 25);
  CHECK(snap->guests_expected == 32);
  c.meetup->event_id = "999";
  SyncRunner other(*engine, make_connectors(c, fast(dir.path)), quick());
  auto r = other.pull("meetup", false, waiting());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "Meetup: event not found");
}

TEST_CASE("Luma pull: cursor paging and 429 with Retry-After - check-in codes from the QR link") {
  TempDir dir;
  FakeLuma luma;
  for (int i = 1; i <= 150; ++i)
    luma.people.push_back({"gst-" + std::to_string(i), "Luma " + std::to_string(i), "l@example.org",
                           "g-" + std::to_string(i), i == 2 ? "declined" : "approved", false,
                           i == 3 ? iso8601_utc(now_ms() - 60000) : ""});
  luma.start();
  FaultPlan plan;
  plan.script = {Fault::TooMany, Fault::None, Fault::E500};
  luma.plan(plan);
  auto engine = open_engine(dir.path);
  Config c;
  c.luma = LumaSettings{luma.url(), luma.event_id, luma.key};
  SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(runner.pull("luma", false, waiting()).ok());
  CHECK(std::chrono::steady_clock::now() - started >=
        std::chrono::milliseconds(900));  // Retry-After: 1
  CHECK(engine->snapshot()->rsvp_yes == 149);
  CHECK(engine->run(CheckInCode{"https://lu.ma/check-in/evt-abc?pk=g-1"}).verdict ==
        Verdict::Admitted);
  CHECK(engine->run(CheckInCode{"g-2"}).verdict == Verdict::Cancelled);
  CHECK(engine->run(CheckInCode{"g-3"}).verdict == Verdict::AlreadyIn);
}

TEST_CASE("webhook: signed JSON with an idempotency key - faults never double a check-in") {
  TempDir dir;
  FakeWebhook hook;
  hook.start();
  auto engine = open_engine(dir.path);
  engine->run(MergeImport{hook_people(40), "list.csv", false});
  for (int i = 1; i <= 40; ++i) engine->run(CheckInCode{"W" + std::to_string(i)});
  for (int i = 1; i <= 4; ++i) engine->run(Undo{"", static_cast<std::int64_t>(i)});
  FaultPlan plan;
  plan.rate = 0.4;
  plan.mix = kAllFaults;
  hook.plan(plan);
  Config c;
  c.webhook = WebhookSettings{hook.url() + "/hook", hook.secret};
  SyncRunner runner(*engine, make_connectors(c, fast(dir.path)), quick());
  CHECK(push_all(runner, *engine) == 0);
  CHECK(hook.bad_signatures == 0);
  const auto lives = hook.lives();
  CHECK(lives.size() == 36);
  for (const auto& [code, n] : lives) CHECK(n == 1);
  // A wrong secret is refused by the receiver: counted, never silently dropped.
  engine->run(CheckInCode{"W1"});
  c.webhook->secret = "wrong";
  SyncRunner wrong(*engine, make_connectors(c, fast(dir.path)), quick());
  wrong.push_once({});
  CHECK(engine->sync_status({"webhook"}).get().front().pending == 1);
}

TEST_CASE("the sync worker delivers in the background and says how it is doing") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 20);
  pretix.start();
  auto engine = open_engine(dir.path);
  const Config c = pretix_config(pretix);
  SyncWorkerOptions o;
  o.sync = quick();
  o.idle_poll = std::chrono::milliseconds(50);
  {
    SyncWorker worker(
        *engine, [&] { return make_connectors(c, fast(dir.path)); }, o);
    REQUIRE(fd::test::wait_for([&] { return engine->snapshot()->rsvp_yes == 20; },
                               std::chrono::seconds(5)));
    for (int i = 1; i <= 10; ++i) engine->run(CheckInCode{"secret" + std::to_string(i)});
    CHECK(fd::test::wait_for([&] { return engine->snapshot()->queues.outbox_pending == 0; },
                             std::chrono::seconds(5)));
    CHECK(pretix.live("secret10") == 1);
    WorkerHealth h = worker.health();
    CHECK(h.ok);
    CHECK(h.message.find("pretix: everything sent") == 0);
    // Offline: the queue waits and the dashboard says so.
    pretix.stop();
    engine->run(CheckInCode{"secret11"});
    fd::test::wait_for([&] { return !worker.health().ok; }, std::chrono::seconds(5));
    h = worker.health();
    CHECK_FALSE(h.ok);
    CHECK(h.message.find("1 check-in waits") != std::string::npos);
    CHECK(h.message.find("Cannot reach") != std::string::npos);
  }
}

TEST_CASE("two processes on one store: one syncs at a time - the other takes over when it stops") {
  // A kiosk and `frontdesk serve` on one store, both configured to sync:
  // every check-in must reach the service once, not once per process.
  TempDir dir;
  FakeWebhook hook;
  hook.start();
  std::unique_ptr<Engine> engines[2] = {open_engine(dir.path), open_engine(dir.path)};
  engines[0]->run(MergeImport{hook_people(30), "list.csv", false});
  Config c;
  c.webhook = WebhookSettings{hook.url() + "/hook", hook.secret};
  SyncWorkerOptions o;
  o.sync = quick();
  o.idle_poll = std::chrono::milliseconds(20);
  o.lease = std::chrono::milliseconds(900);
  std::unique_ptr<SyncWorker> workers[2];
  for (int k = 0; k < 2; ++k)
    workers[k] = std::make_unique<SyncWorker>(
        *engines[k], [&] { return make_connectors(c, fast(dir.path)); }, o);
  const auto pending = [&] { return engines[0]->sync_status({"webhook"}).get().front().pending; };
  const auto settle = [&] {
    fd::test::wait_for([&] { return pending() == 0; }, std::chrono::seconds(10));
  };
  // A rush at both: rows wait in the outbox that either process could send.
  for (int i = 1; i <= 20; ++i) engines[i % 2]->run(CheckInCode{"W" + std::to_string(i)});
  settle();
  CHECK(pending() == 0);
  CHECK(hook.lives().size() == 20);
  CHECK(hook.duplicates == 0);
  // One of them says the other one syncs.
  int leader = -1, followers = 0;
  for (int k = 0; k < 2; ++k) {
    const WorkerHealth h = workers[k]->health();
    CHECK(h.ok);
    if (h.message.find("another Frontdesk process") == std::string::npos)
      leader = k;
    else
      ++followers;
  }
  REQUIRE(leader >= 0);
  CHECK(followers == 1);
  // The leader's process stops: the other takes over and sends what follows.
  workers[leader].reset();
  for (int i = 21; i <= 25; ++i) engines[leader]->run(CheckInCode{"W" + std::to_string(i)});
  settle();
  CHECK(pending() == 0);
  CHECK(hook.lives().size() == 25);
  CHECK(hook.duplicates == 0);
  CHECK(workers[1 - leader]->health().message.find("everything sent") != std::string::npos);
}

TEST_CASE("JSON parsers: bad answers are plain errors") {
  CHECK(parse_pretix_orders("{\"results\": [", 1).error().code == "sync.json");
  CHECK(parse_pretix_orders("[]", 1).error().code == "sync.shape");
  CHECK(parse_pretix_orders(R"({"results":[{"code":"A","positions":"x"}]})", 1).error().code ==
        "sync.shape");
  CHECK(parse_eventbrite_attendees(std::string(100, '[')).error().code == "sync.json");
  CHECK(parse_meetup_rsvps(R"({"errors":[{"message":"Too many requests"}]})").error().message ==
        "Meetup: Too many requests");
  CHECK(parse_luma_guests(R"({"entries":[{"guest":{}}]})").error().code == "sync.shape");
  CHECK(parse_pretix_answer("<html>").status.empty());
  const auto ok = parse_pretix_orders(
      R"({"next":null,"results":[{"code":"ABC12","status":"p","email":"a@b.c","positions":[
      {"positionid":1,"secret":"s1","attendee_name":"Ada Lovelace","addon_to":null,"checkins":[]},
      {"positionid":2,"secret":"s2","attendee_name":"","addon_to":1,"checkins":[]}]}]})",
      1);
  REQUIRE(ok.ok());
  REQUIRE(ok->rows.size() == 1);
  CHECK(ok->rows[0].external_id == "ABC12-1");
  CHECK(ok->rows[0].first_name == "Ada");
}

namespace {
struct CliRun {
  int code = -1;
  std::string out;
};
CliRun cli(const fs::path& dir, const std::string& args) {
  const char* bin = std::getenv("FD_BINARY");
  REQUIRE(bin);
  const std::string cmd = "'" + std::string(bin) + "' --config-dir '" + dir.string() +
                          "' --store '" + (dir / "fd.db").string() + "' " + args + " 2>&1";
  CliRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}
}  // namespace

TEST_CASE(
    "frontdesk sync as organizers use it: owner-only config - pull - status - push exit codes") {
  TempDir dir;
  FakePretix pretix;
  add_people(pretix, 10);
  pretix.start();
  const fs::path cfg = dir.path / "frontdesk.toml";
  {
    std::ofstream out(cfg);
    out << "[pretix]\nurl = \"" << pretix.url() << "\"\norganizer = \"demo\"\nevent = \"pycon\"\n"
        << "checkin_list = 7\ntoken = \"secret-token\"\n[sync]\ntimeout = 1\n";
  }
  fs::permissions(cfg, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                           fs::perms::others_read);
  CliRun r = cli(dir.path, "sync status");
  CHECK(r.code == 2);
  CHECK(r.out.find("chmod 600") != std::string::npos);
  CHECK(r.out.find("secret-token") == std::string::npos);
  fs::permissions(cfg, fs::perms::owner_read | fs::perms::owner_write);

  // The store has no event yet: the pull creates one named after pretix's.
  r = cli(dir.path, "-q sync pull");
  CHECK(r.code == 0);
  CHECK(r.out.find("pretix: 10 people pulled") != std::string::npos);
  r = cli(dir.path, "sync status --json");
  REQUIRE(r.code == 0);
  const json st = json::parse(r.out, nullptr, false);
  REQUIRE(st.is_array());
  CHECK(st[0].value("service", "") == "pretix");
  CHECK(st[0].value("pulled", 0) == 10);
  CHECK(st[0].value("pending", -1) == 0);

  r = cli(dir.path, "checkin secret1");
  CHECK(r.code == 0);
  r = cli(dir.path, "-q sync push --timeout 20");
  CHECK(r.code == 0);
  CHECK(r.out.find("1 delivered") != std::string::npos);
  CHECK(pretix.live("secret1") == 1);

  // pretix unreachable: time runs out, the check-in waits (exit 7).
  pretix.stop();
  cli(dir.path, "checkin secret2");
  r = cli(dir.path, "-q sync push --timeout 2");
  CHECK(r.code == 7);
  CHECK(r.out.find("1 still waiting") != std::string::npos);
  CHECK(r.out.find("Cannot reach") != std::string::npos);
  r = cli(dir.path, "sync status");
  CHECK(r.out.find("pretix: 1 check-in waits: Cannot reach") == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);  // one line for the one service

  // The sheet: everyone in the service's order, marked.
  r = cli(dir.path, "sync sheet");
  CHECK(r.code == 0);
  CHECK(r.out.find("Person 1,O00001-1,attended") != std::string::npos);
  CHECK(r.out.find("Person 3,O00003-1,no-show") != std::string::npos);
}

TEST_CASE("config: service sections need their keys - said with the file's name") {
  auto c = parse_config("[pretix]\nurl = \"https://pretix.eu\"\norganizer = \"o\"\nevent = \"e\"\n",
                        "frontdesk.toml");
  REQUIRE_FALSE(c.ok());
  // Named at the section's line, with a value to copy (#22 point 9).
  CHECK(c.error().message ==
        "frontdesk.toml line 1: [pretix] needs checkin_list (the check-in list's id, e.g. "
        "checkin_list = 12345)");
  c = parse_config("[webhook]\nurl = \"ftp://x\"\n", "frontdesk.toml");
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message ==
        "frontdesk.toml line 2: [webhook] url must start with https:// or http://");
  c = parse_config(
      "[meetup]\nevent_id = \"1\"\nrefresh_token = \"r\"\nclient_id = \"c\"\nclient_secret = "
      "\"s\"\n",
      "frontdesk.toml");
  REQUIRE(c.ok());
  CHECK(c->meetup->refresh_token == "r");
  CHECK(c->meetup->oauth_url == "https://secure.meetup.com/oauth2/access");
  c = parse_config("[luma]\nevent_id = \"evt-1\"\n[sync]\nmax_refusals = 5\n", "frontdesk.toml");
  REQUIRE(c.ok());
  CHECK(c->luma->url == "https://public-api.luma.com");
  CHECK(c->sync.max_refusals == 5);
  CHECK(c->has_sync());
}
