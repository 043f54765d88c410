// What doors say to each other, as a door receives it: pairing codes as
// people type them, signatures that fail for anyone not paired, and pages
// that round-trip or are refused whole.
#include <doctest/doctest.h>

#include <random>

#include "doors/DoorAuth.h"
#include "doors/Join.h"
#include "doors/Pairing.h"
#include "doors/Reach.h"
#include "doors/Wire.h"

using namespace fd;

namespace {
PairingCode sample() {
  PairingCode c;
  c.event_slug = "june-meetup";
  c.event_name = "June Meetup — Zürich";
  c.door_id = "0c4d1c1e-1111-4a2b-9c3d-1234567890ab";
  c.door_name = "door 1";
  c.addresses = {"192.168.1.20:8443", "127.0.0.1:8080"};
  c.secret = new_door_secret();
  return c;
}
}  // namespace

TEST_CASE("a pairing code round-trips - survives the spaces people paste around it") {
  const PairingCode c = sample();
  const std::string code = encode_pairing(c);
  CHECK(code.rfind("FDPAIR1:", 0) == 0);
  CHECK(code.size() < 400);  // fits a QR code a webcam reads at arm's length
  auto back = parse_pairing("  " + code + "\n");
  REQUIRE(back.ok());
  CHECK(back->event_slug == c.event_slug);
  CHECK(back->event_name == c.event_name);
  CHECK(back->addresses == c.addresses);
  CHECK(back->secret == c.secret);
  CHECK(back->secret.size() == kDoorSecretBytes);
  CHECK(back->host.empty());  // an older code: its loopback addresses are for no one else
  PairingCode hosted = c;
  hosted.host = this_host();
  CHECK(parse_pairing(encode_pairing(hosted))->host == hosted.host);
}

TEST_CASE("a mistyped or foreign pairing code is a plain message - never half a pairing") {
  const std::string code = encode_pairing(sample());
  CHECK(parse_pairing("hello").error().message.find("not a pairing code") != std::string::npos);
  CHECK(parse_pairing(code.substr(0, code.size() - 9)).error().code == "pairing.invalid");
  std::string flipped = code;
  flipped[20] = flipped[20] == 'A' ? 'B' : 'A';
  CHECK_FALSE(parse_pairing(flipped).ok());
  CHECK(parse_pairing("FDPAIR1:" + std::string(5000, 'A')).error().message.find("too long") !=
        std::string::npos);
  CHECK(parse_pairing("FDPAIR9:abc").error().message.find("newer Frontdesk") != std::string::npos);
  // Every single-character change either still parses to the same event or
  // fails cleanly (a property over the whole code).
  std::mt19937 rng(4);
  for (int i = 0; i < 300; ++i) {
    std::string s = code;
    s[8 + rng() % (s.size() - 8)] = "AZaz09-_!"[rng() % 9];
    auto r = parse_pairing(s);
    if (r) CHECK(r->secret.size() == kDoorSecretBytes);
  }
}

TEST_CASE("addresses in codes and configs are host:port with a real port") {
  CHECK(valid_address("192.168.1.20:8443"));
  CHECK(valid_address("door-2.local:8443"));
  CHECK(valid_address("[fe80::1]:8443"));
  CHECK_FALSE(valid_address("192.168.1.20"));
  CHECK_FALSE(valid_address("host:0"));
  CHECK_FALSE(valid_address("host:99999"));
  CHECK_FALSE(valid_address("ho st:80"));
  CHECK_FALSE(valid_address("host/evil:80"));
}

TEST_CASE("a signature holds only for the same secret - request - door - nonce and body") {
  const std::string secret = new_door_secret(), other = new_door_secret();
  const std::string nonce = new_nonce();
  const std::string sig = door_signature(secret, "GET /doors/v1/log?since=4", "d1", nonce, "");
  CHECK(door_signature_ok(secret, "GET /doors/v1/log?since=4", "d1", nonce, "", sig));
  CHECK_FALSE(door_signature_ok(other, "GET /doors/v1/log?since=4", "d1", nonce, "", sig));
  CHECK_FALSE(door_signature_ok(secret, "GET /doors/v1/log?since=0", "d1", nonce, "", sig));
  CHECK_FALSE(door_signature_ok(secret, "GET /doors/v1/log?since=4", "d2", nonce, "", sig));
  CHECK_FALSE(door_signature_ok(secret, "GET /doors/v1/log?since=4", "d1", new_nonce(), "", sig));
  CHECK_FALSE(door_signature_ok(secret, "GET /doors/v1/log?since=4", "d1", nonce, "x", sig));
  CHECK_FALSE(door_signature_ok(secret, "GET /doors/v1/log?since=4", "d1", nonce, "", ""));
  CHECK_FALSE(door_signature_ok("", "GET /doors/v1/log?since=4", "d1", nonce, "", sig));
}

TEST_CASE("log and attendee pages round-trip - bad pages are refused whole") {
  LogPage p;
  for (int i = 1; i <= 3; ++i) {
    ReplicaEntry e;
    e.seq = i;
    e.uuid = "u" + std::to_string(i);
    e.kind = i == 3 ? CheckInKind::Annul : CheckInKind::CheckIn;
    e.ref_uuid = i == 3 ? "u1" : "";
    e.device_id = "d1";
    e.door = "door 1";
    e.method = Method::Search;
    e.at = 1700000000000 + i;
    e.source = "csv";
    e.external_id = "ext-" + std::to_string(i);
    p.entries.push_back(e);
  }
  p.next = 3;
  auto back = parse_log_page(to_json(p));
  REQUIRE(back.ok());
  REQUIRE(back->entries.size() == 3);
  CHECK(back->entries[2].kind == CheckInKind::Annul);
  CHECK(back->entries[2].ref_uuid == "u1");
  CHECK(back->entries[1].method == Method::Search);
  CHECK(back->next == 3);
  CHECK_FALSE(parse_log_page("{\"entries\":[{\"uuid\":\"x\"}]}").ok());
  CHECK_FALSE(parse_log_page("{\"entries\":[1,2]}").ok());
  CHECK_FALSE(parse_log_page("[]").ok());
  CHECK_FALSE(parse_log_page("{\"entries\":[{\"uuid\":\"a\",\"kind\":\"annul\",\"device\":\"d\","
                             "\"source\":\"csv\",\"external_id\":\"1\"}]}")
                  .ok());  // an undo of nothing

  AttendeePage a;
  ReplicaAttendee ra;
  ra.record.source = "walkin";
  ra.record.external_id = "6f1c";
  ra.record.full_name = "Zoë Ångström";
  ra.record.email = "zoe@example.org";
  ra.record.walk_in = true;
  ra.updated_at = 42;
  a.attendees.push_back(ra);
  a.next = "7_12";
  auto ab = parse_attendee_page(to_json(a));
  REQUIRE(ab.ok());
  REQUIRE(ab->attendees.size() == 1);
  CHECK(ab->attendees[0].record.full_name == "Zoë Ångström");
  CHECK(ab->attendees[0].record.walk_in);
  CHECK(ab->attendees[0].updated_at == 42);
  CHECK(ab->next == "7_12");
  CHECK_FALSE(parse_attendee_page("{\"attendees\":[{\"source\":\"csv\"}]}").ok());
  CHECK_FALSE(parse_attendee_page("{\"attendees\":[{\"source\":\"csv\",\"external_id\":\"1\","
                                  "\"full_name\":\"" +
                                  std::string(5000, 'x') + "\"}]}")
                  .ok());
}

TEST_CASE("a greeting carries the door's host and the names of the doors it knows") {
  DoorHello h;
  h.door_id = "d1";
  h.door_name = "door 1";
  h.event_slug = "june";
  h.host = this_host();
  h.names = {{"d1", "door 1"}, {"d2", "Side door"}};
  auto back = parse_hello(to_json(h));
  REQUIRE(back.ok());
  CHECK(back->host == h.host);
  CHECK(back->names == h.names);
  CHECK_FALSE(parse_hello("{\"door\":\"d\",\"event\":\"e\",\"names\":[[\"d\"]]}").ok());
  CHECK_FALSE(parse_hello("{\"door\":\"d\",\"event\":\"e\",\"names\":[[\"d\",\"" +
                          std::string(65, 'x') + "\"]]}")
                  .ok());
  CHECK(parse_hello("{\"door\":\"d\",\"event\":\"e\"}")->names.empty());  // an older door
}

TEST_CASE("a loopback address is only for a door on the same host") {
  const std::string me = this_host(), other(32, 'f');
  CHECK(me.size() == 32);
  CHECK(me == this_host());  // the same for a process's life
  for (const char* a : {"127.0.0.1:8080", "127.1.2.3:1", "localhost:80", "[::1]:8443"}) {
    CHECK(is_loopback(a));
    CHECK(usable_from(a, me, me));
    CHECK_FALSE(usable_from(a, other, me));
    CHECK_FALSE(usable_from(a, "", me));  // not known: never
  }
  CHECK_FALSE(is_loopback("198.51.100.7:8443"));
  CHECK(usable_from("198.51.100.7:8443", other, me));
  CHECK(usable_from("198.51.100.7:8443", "", me));
  const std::vector<std::string> mine{"198.51.100.7:17443", "127.0.0.1:17080"};
  CHECK(offered_to(mine, me, me) == mine);
  CHECK(offered_to(mine, other, me) == std::vector<std::string>{"198.51.100.7:17443"});
  CHECK(offered_to(mine, "", me) == std::vector<std::string>{"198.51.100.7:17443"});
}

TEST_CASE("this process is alive by its id - a dead or reused pid is not") {
  const std::string me = this_process();
  CHECK(process_alive(me));
  const std::string pid_part = me.substr(me.find('/') + 1);
  CHECK_FALSE(process_alive(me.substr(0, me.find('/')) + "/" +
                            pid_part.substr(0, pid_part.find('/')) + "/1"));  // other start time
  CHECK_FALSE(process_alive("another-boot/" + pid_part));
  CHECK_FALSE(process_alive(""));
  CHECK_FALSE(process_alive("x/y/z"));
}

TEST_CASE("a joining door takes the first door N that no other door has") {
  CHECK(first_free_door_name({{"d1", "door 1"}}, "me") == "door 2");
  CHECK(first_free_door_name({{"d1", "door 1"}, {"d3", "door 3"}}, "me") == "door 2");
  CHECK(first_free_door_name({{"d1", "Main entrance"}}, "me") == "door 1");
  // Its own old name is not another's.
  CHECK(first_free_door_name({{"d1", "door 1"}, {"me", "door 2"}}, "me") == "door 2");
}
