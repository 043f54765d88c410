// The kiosk's door without a window (flow/KioskFlow.h): what the screen
// would show after scans, taps and the work done off the frame loop, driven
// here the way the frame loop drives it.
#include <doctest/doctest.h>

#include "TestEngine.h"
#include "TestSupport.h"
#include "auth/Pin.h"
#include "doors/Pairing.h"
#include "flow/KioskFlow.h"

using namespace fd;
using namespace std::chrono_literals;

namespace {

struct Door {
  test::TempDir dir;
  std::unique_ptr<Shell> shell;
  std::unique_ptr<KioskFlow> flow;
  explicit Door(KioskFlowOptions o = {}, int people = 3) {
    test::TestEngineOptions eo;
    eo.people = people;
    shell = std::make_unique<Shell>(test::engine_with_people(dir.path / "store.db", eo),
                                    ShellOptions{});
    o.i18n_dirs = {std::string(FD_SOURCE_DIR) + "/config/i18n"};
    if (o.pin_file.empty()) o.pin_file = dir.path / "organizer.pin";
    flow = std::make_unique<KioskFlow>(*shell, o);
  }
  // Turns of the frame loop until `done` holds (or 15 s pass: a bound, not a wait).
  bool turn_until(const std::function<bool()>& done) {
    return test::wait_for(
        [&] {
          flow->drain(now_ms());
          flow->tick(now_ms());
          return done();
        },
        15s);
  }
  void log_in() {
    REQUIRE(save_pin(flow_pin(), "482913").ok());
    flow->open_pin(now_ms());
    for (char c : std::string("482913")) flow->flow().pin_digit(c, now_ms());
    flow->key_enter(now_ms());
    REQUIRE(turn_until([&] { return flow->flow().screen() == Screen::Organizer; }));
  }
  std::filesystem::path flow_pin() const { return dir.path / "organizer.pin"; }
};

std::string pairing_text(const std::string& event_slug, const std::string& door_id) {
  PairingCode c;
  c.event_slug = event_slug;
  c.event_name = "Doors Night";
  c.door_id = door_id;
  c.door_name = "door 1";
  c.addresses = {"198.51.100.7:8443"};
  c.secret = std::string(kDoorSecretBytes, 'k');
  return encode_pairing(c);
}

}  // namespace

TEST_CASE(
    "a ticket scanned at the kiosk is welcomed - with the chime and the badge being printed") {
  Door d;
  d.flow->scanned("T1", Method::Qr, now_ms());
  REQUIRE(d.turn_until([&] { return d.flow->flow().screen() == Screen::Result; }));
  REQUIRE(d.flow->flow().result());
  CHECK(d.flow->flow().result()->verdict == Verdict::Admitted);
  CHECK(d.flow->take_cue() == Cue::Welcome);
  CHECK(d.flow->take_cue() == Cue::None);  // once
  // The preview is drawn off the frame loop and arrives as PNG bytes.
  REQUIRE(d.turn_until([&] { return !d.flow->badge_png().empty(); }));
  CHECK(d.flow->badge_png().substr(1, 3) == "PNG");
  // Scanned again: already in, and the refusal tone.
  d.flow->key_escape(now_ms());
  d.flow->scanned("T1", Method::Qr, now_ms());
  REQUIRE(d.turn_until([&] {
    return d.flow->flow().result() && d.flow->flow().result()->verdict == Verdict::AlreadyIn;
  }));
}

TEST_CASE("a pairing code held up at the door is never a check-in - and says who it is for") {
  Door d;
  d.flow->scanned(pairing_text("doors-night", "door-a"), Method::Qr, now_ms());
  CHECK(d.shell->in_flight() == 0);  // never reached the engine
  REQUIRE(d.flow->flow().result());
  CHECK(d.flow->flow().result()->verdict == Verdict::NotATicket);
  CHECK(d.flow->flow().result()->message.find("pairing doors") != std::string::npos);
}

TEST_CASE("a pairing code scanned on the dashboard asks to join - and joining restarts the door") {
  Door d;
  d.log_in();
  // This door's own code cannot be joined.
  d.flow->scanned(pairing_text("june", d.shell->engine().device_id()), Method::Qr, now_ms());
  CHECK(d.flow->join_problem().find("own code") != std::string::npos);
  CHECK(d.flow->join_question().empty());
  // A broken one says what is wrong with it.
  d.flow->scanned("FDPAIR1:not-base64!", Method::Qr, now_ms());
  CHECK_FALSE(d.flow->join_problem().empty());
  // Another door's: the question, then Join closes this door process.
  d.flow->scanned(pairing_text("doors-night", "door-a"), Method::Qr, now_ms());
  CHECK(d.flow->join_question() ==
        "Join \"Doors Night\" at 198.51.100.7:8443? This door then admits for that event.");
  CHECK_FALSE(d.flow->restart());
  d.flow->flow().join(now_ms());
  REQUIRE(d.turn_until([&] { return d.flow->restart(); }));
  REQUIRE(d.flow->restart_to_join());
  CHECK(d.flow->restart_to_join()->event_slug == "doors-night");
  CHECK(d.flow->busy());  // a test script waits for the restart
}

TEST_CASE("after the door opened again to join - the pairing screen says how it went") {
  KioskFlowOptions o;
  o.joined = std::pair{true, std::string("Joined \"Doors Night\" with door 1: 3 people.")};
  Door d(o);
  CHECK(d.flow->flow().screen() == Screen::Pairing);
  REQUIRE(d.flow->flow().join_result());
  CHECK(d.flow->flow().join_result()->first);
  CHECK(d.flow->flow().join_result()->second.find("Doors Night") != std::string::npos);
}

TEST_CASE("the forecast on the dashboard is worded in the door's language") {
  Door d({}, 40);
  d.log_in();
  REQUIRE(d.turn_until([&] { return !d.flow->forecast_words(0).empty(); }));
  const std::string english = d.flow->forecast_words(0);
  CHECK(english.rfind("About ", 0) == 0);
  REQUIRE(d.flow->use_language("de", now_ms()));
  const std::string german = d.flow->forecast_words(0);
  CHECK(german != english);
  CHECK(german.find("Etwa") != std::string::npos);
}

TEST_CASE("a wrong PIN is refused off the frame loop - the right one opens the dashboard") {
  Door d;
  REQUIRE(save_pin(d.flow_pin(), "482913").ok());
  d.flow->open_pin(now_ms());
  for (char c : std::string("111111")) d.flow->flow().pin_digit(c, now_ms());
  d.flow->key_enter(now_ms());
  d.flow->tick(now_ms());
  CHECK(d.flow->busy());  // Argon2 runs on the task thread
  REQUIRE(d.turn_until([&] { return !d.flow->busy(); }));
  CHECK(d.flow->flow().screen() == Screen::Pin);
  CHECK(d.flow->flow().pin_failures() == 1);
  d.log_in();
}

namespace {
struct FakeWorker : Worker {
  std::function<WorkerHealth()> h;
  WorkerHealth health() const override { return h(); }
};
}  // namespace

TEST_CASE("worker health reaches the dashboard as typed state") {
  Door d;
  std::atomic<bool> apart{false};
  auto w = std::make_unique<FakeWorker>();
  w->h = [&] {
    WorkerHealth h{"Doors", !apart, apart ? "door 2 not heard from for 40 s" : "2 doors in step",
                   WorkerKind::Doors};
    h.counts_may_be_low = apart;
    return h;
  };
  d.shell->add(std::move(w));
  REQUIRE(d.turn_until([&] { return d.flow->health().size() == 1; }));
  CHECK(d.flow->health()[0].kind == WorkerKind::Doors);
  CHECK_FALSE(d.flow->health()[0].counts_may_be_low);
  apart = true;
  REQUIRE(d.turn_until([&] { return d.flow->health()[0].counts_may_be_low; }));
  CHECK_FALSE(d.flow->health()[0].ok);
}

TEST_CASE("the kiosk follows the store's current event when an organizer changes it") {
  std::atomic<int> asked{0};
  KioskFlowOptions o;
  o.moved_to = [&]() -> std::optional<std::string> {
    return ++asked >= 2 ? std::optional<std::string>("july") : std::nullopt;
  };
  Door d(o);
  CHECK_FALSE(d.flow->restart());
  REQUIRE(d.turn_until([&] { return d.flow->restart(); }));
  CHECK(d.flow->moved_to_event() == "july");
  CHECK_FALSE(d.flow->restart_to_join());
}

TEST_CASE("an attendee's language lasts for their own check-in - the next person gets the door's") {
  KioskFlowOptions o;
  o.language = "de";
  Door d(o);
  CHECK(d.flow->words().language() == "de");
  // Someone switches to the next language and checks in.
  const TimeMs t0 = now_ms();
  d.flow->next_language(t0);
  const std::string chosen = d.flow->words().language();
  CHECK(chosen != "de");
  d.flow->scanned("T1", Method::Qr, t0);
  REQUIRE(d.turn_until([&] { return d.flow->flow().screen() == Screen::Result; }));
  CHECK(d.flow->words().language() == chosen);  // their answer in their language
  d.flow->key_escape(now_ms());                 // Done
  d.flow->tick(now_ms());
  CHECK(d.flow->flow().screen() == Screen::Ready);
  CHECK(d.flow->words().language() == "de");
  // Someone switches and walks away: the ready screen goes back after the idle time.
  const TimeMs t1 = now_ms();
  d.flow->next_language(t1);
  d.flow->tick(t1 + 1000);
  CHECK(d.flow->words().language() != "de");
  d.flow->tick(t1 + DoorTimings{}.idle + 1);
  CHECK(d.flow->words().language() == "de");
}

// The engine, the tickets and the door flow speak English; every answer the
// door shows for them must come out in German and Spanish (by the
// catalogues' patterns), names and times carried over.
TEST_CASE("the engine's answers are worded in every shipped language") {
  Door d({}, 3);
  Engine& e = d.shell->engine();
  std::vector<Decision> said;
  const auto run = [&](Command c) {
    said.push_back(e.run(std::move(c)));
    return said.back();
  };
  const Decision in = run(CheckInCode{"T1"});
  REQUIRE(in.who);
  const std::int64_t one = in.who->id;
  run(CheckInCode{"T1"});                                  // already in
  run(CheckInCode{"WIFI:S:venue;T:WPA;P:secret;;"});       // not a ticket
  run(CheckInCode{"https://example.org/some/page"});       // a web link
  run(CheckInCode{"BEGIN:VCARD\nFN:Someone\nEND:VCARD"});  // a contact card
  run(CheckInCode{"NO-SUCH-TICKET-42"});                   // not on the list
  run(CheckInCode{std::string(5000, 'x')});                // too long
  run(CheckInAttendee{999999});                            // no such person
  run(WalkIn{" ", "", "", ""});                            // no name
  run(WalkIn{"Person", "Number2", "", ""});                // is this you?
  run(Reprint{one + 1});                                   // not checked in
  run(MarkLeft{one + 1});                                  // not checked in
  run(Undo{"", one});                                      // undone
  run(Undo{"", one});                                      // nothing to undo
  run(SetEventDetails{"", 1, -1});                         // event updated
  run(CheckInCode{"T2"});
  run(CheckInCode{"T3"});  // the room is full
  CHECK(said.back().verdict == Verdict::CapacityReached);
  const auto all = Catalog::load_all({std::string(FD_SOURCE_DIR) + "/config/i18n"});
  REQUIRE(all.size() >= 3);
  for (const Catalog& c : all) {
    if (c.language() == "en") continue;
    for (const Decision& dec : said) {
      if (dec.message.empty()) continue;
      const std::string worded = c.message(dec.message);
      CHECK_MESSAGE(worded != dec.message, c.language() << " lacks \"" << dec.message << "\"");
    }
  }
  // What the message carried is still there.
  const Catalog& de = all[1].language() == "de" ? all[1] : all[2];
  CHECK(de.message(said[0].message) == "Willkommen, Person!");
}
