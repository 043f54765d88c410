#include <doctest/doctest.h>
#include <sodium.h>

#include <random>

#include "tickets/Ticket.h"

using namespace fd;

namespace {

Ticket ok(const TicketResult& r) {
  if (const auto* no = std::get_if<TicketRejection>(&r)) FAIL("rejected: " << no->message);
  return std::get<Ticket>(r);
}
TicketProblem problem(const TicketResult& r) {
  REQUIRE(std::holds_alternative<TicketRejection>(r));
  return std::get<TicketRejection>(r).problem;
}

// A pretix_sig1 secret made the way the format describes: protobuf payload,
// Ed25519 signature over it, framed, standard base64, reversed.
std::string pretix_secret(const EventKeys& k, const std::string& seed, std::uint64_t from,
                          std::uint64_t until, bool tamper = false) {
  std::string p;
  p += static_cast<char>(0x0A);  // field 1, length-delimited
  p += static_cast<char>(seed.size());
  p += seed;
  p += static_cast<char>(0x10);  // field 2 (item), varint
  p += static_cast<char>(42);
  auto varint = [&](std::uint64_t v) {
    do {
      unsigned char b = v & 0x7F;
      v >>= 7;
      if (v) b |= 0x80;
      p += static_cast<char>(b);
    } while (v);
  };
  if (from) {
    p += static_cast<char>(0x28);
    varint(from);
  }
  if (until) {
    p += static_cast<char>(0x30);
    varint(until);
  }
  unsigned char sig[64];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(p.data()), p.size(),
                       k.secret_key.data());
  if (tamper) p[3] ^= 1;
  std::string raw;
  raw += static_cast<char>(1);
  raw += static_cast<char>(p.size() >> 8);
  raw += static_cast<char>(p.size() & 0xFF);
  raw += static_cast<char>(0);
  raw += static_cast<char>(64);
  raw += p;
  raw.append(reinterpret_cast<const char*>(sig), 64);
  const std::string b64 = base64_encode(raw, false, true);
  return std::string(b64.rbegin(), b64.rend());
}

TicketContext ctx_with(const EventKeys& pretix, const EventKeys& fd) {
  TicketContext c;
  c.pretix_keys = {pretix.public_key};
  c.frontdesk_keys = {fd.public_key};
  c.event_slug = "june";
  c.now_s = 1'800'000'000;
  return c;
}

}  // namespace

TEST_CASE("plain codes are looked up as they are - scanner line ends trimmed") {
  TicketContext c;
  const Ticket t = ok(parse_ticket("  vx6zn4jmf3dpjk2qj3gzrcuq4rpswm8n\r\n", c));
  CHECK(t.kind == TicketKind::Plain);
  CHECK(t.code == "vx6zn4jmf3dpjk2qj3gzrcuq4rpswm8n");
  CHECK(ok(parse_ticket("1234567890330100001", c)).code ==
        "1234567890330100001");  // Eventbrite barcode
}

TEST_CASE("things that are not tickets are named for what they are") {
  TicketContext c;
  const auto wifi = parse_ticket("WIFI:S:venue;T:WPA;P:secret;;", c);
  CHECK(problem(wifi) == TicketProblem::NotATicket);
  CHECK(std::get<TicketRejection>(wifi).message == "This is a Wi-Fi QR code, not a ticket");
  CHECK(problem(parse_ticket("BEGIN:VCARD\nFN:Ana\nEND:VCARD", c)) == TicketProblem::NotATicket);
  CHECK(problem(parse_ticket("https://example.com/menu", c)) == TicketProblem::NotATicket);
  CHECK(problem(parse_ticket("", c)) == TicketProblem::NotATicket);
  CHECK(problem(parse_ticket("hello world with spaces", c)) == TicketProblem::NotATicket);
}

TEST_CASE("links that carry a code give that code") {
  TicketContext c;
  CHECK(ok(parse_ticket("https://pretix.eu/demo/meetup/ticket/ABC12/?secret=vx6zn4jmf3dpjk2q", c))
            .code == "vx6zn4jmf3dpjk2q");
  CHECK(ok(parse_ticket("https://tickets.example.org/t/h8s2k4m6n8p2r4t6v8x2", c)).code ==
        "h8s2k4m6n8p2r4t6v8x2");
  const Ticket luma = ok(parse_ticket("https://lu.ma/check-in/evt-ABC123?pk=g-Ana111", c));
  CHECK(luma.kind == TicketKind::Luma);
  CHECK(luma.code == "g-Ana111");
  CHECK(luma.event_ref == "evt-ABC123");
  c.luma_event_id = "evt-OTHER";
  CHECK(problem(parse_ticket("https://lu.ma/check-in/evt-ABC123?pk=g-Ana111", c)) ==
        TicketProblem::WrongEvent);
}

TEST_CASE(
    "pretix signed tickets: genuine - forged - another event's key - outside their validity") {
  const EventKeys pretix = make_event_keys(), other = make_event_keys(), fdk = make_event_keys();
  const TicketContext c = ctx_with(pretix, fdk);
  const std::string good = pretix_secret(pretix, "sEeD0123456789abcdef", 0, 0);
  const Ticket t = ok(parse_ticket(good, c));
  CHECK(t.kind == TicketKind::PretixSigned);
  CHECK(t.signature_verified);
  CHECK(t.code == good);
  CHECK(problem(parse_ticket(pretix_secret(pretix, "sEeD0123456789abcdef", 0, 0, true), c)) ==
        TicketProblem::Forged);
  CHECK(problem(parse_ticket(pretix_secret(other, "sEeD0123456789abcdef", 0, 0), c)) ==
        TicketProblem::Forged);
  CHECK(problem(parse_ticket(pretix_secret(pretix, "sEeD0123456789abcdef", 1'900'000'000, 0), c)) ==
        TicketProblem::NotYetValid);
  CHECK(problem(parse_ticket(pretix_secret(pretix, "sEeD0123456789abcdef", 0, 1'700'000'000), c)) ==
        TicketProblem::Expired);
  // Without the event's keys the kiosk cannot check, and looks the secret up instead.
  TicketContext no_keys;
  CHECK_FALSE(ok(parse_ticket(good, no_keys)).signature_verified);
}

TEST_CASE("pretix keys come as base64 PEM SubjectPublicKeyInfo") {
  const EventKeys k = make_event_keys();
  // DER prefix of an Ed25519 SubjectPublicKeyInfo, then the raw key.
  std::string der("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);
  der.append(reinterpret_cast<const char*>(k.public_key.data()), 32);
  const std::string pem = "-----BEGIN PUBLIC KEY-----\n" + base64_encode(der, false, true) +
                          "\n-----END PUBLIC KEY-----\n";
  auto key = pretix_public_key(base64_encode(pem, false, true));
  REQUIRE(key.ok());
  CHECK(*key == k.public_key);
  CHECK_FALSE(pretix_public_key("not base64 at all!").ok());
}

TEST_CASE("Frontdesk tickets: signed - verified offline - bound to their event and attendee") {
  const EventKeys k = make_event_keys(), other = make_event_keys();
  TicketContext c;
  c.frontdesk_keys = {k.public_key};
  c.event_slug = "june";
  c.now_s = 1'800'000'000;
  const std::string t = sign_frontdesk_ticket(k, "june", "m100007", 0, 0);
  CHECK(t.rfind("FD1:", 0) == 0);
  CHECK(t.size() < 130);  // fits a small QR (version 6 at ECC M holds 154 characters)
  const Ticket ticket = ok(parse_ticket(t, c));
  CHECK(ticket.kind == TicketKind::Frontdesk);
  CHECK(ticket.code == "m100007");
  CHECK(ticket.signature_verified);
  CHECK(problem(parse_ticket(sign_frontdesk_ticket(other, "june", "m100007", 0, 0), c)) ==
        TicketProblem::Forged);
  CHECK(problem(parse_ticket(sign_frontdesk_ticket(k, "may", "m100007", 0, 0), c)) ==
        TicketProblem::WrongEvent);
  CHECK(problem(parse_ticket(sign_frontdesk_ticket(k, "june", "m1", 1'900'000'000, 0), c)) ==
        TicketProblem::NotYetValid);
  // A changed attendee id or signature is a forgery.
  std::string tampered = t;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  CHECK(problem(parse_ticket(tampered, c)) == TicketProblem::Forged);
  CHECK(problem(parse_ticket(sign_frontdesk_ticket(other, "june", "m100008", 0, 0), c)) ==
        TicketProblem::Forged);
  // Last month's ticket (another event, another key) is named as such.
  CHECK(problem(parse_ticket(sign_frontdesk_ticket(other, "may", "m100007", 0, 0), c)) ==
        TicketProblem::WrongEvent);
  // Keys survive being written to and read from text.
  auto back = event_keys_from_text(key_to_text(k.secret_key.data(), 64));
  REQUIRE(back.ok());
  CHECK(back->public_key == k.public_key);
  CHECK(*public_key_from_text(key_to_text(k.public_key.data(), 32)) == k.public_key);
}

TEST_CASE("property: round trips for random attendee ids and validity windows") {
  const EventKeys k = make_event_keys();
  TicketContext c;
  c.frontdesk_keys = {k.public_key};
  c.event_slug = "ev";
  std::mt19937 rng(11);
  for (int i = 0; i < 300; ++i) {
    std::string id;
    const int len = 1 + static_cast<int>(rng() % 40);
    for (int j = 0; j < len; ++j) id += static_cast<char>(33 + rng() % 94);
    const std::uint32_t from = rng() % 2 ? 0 : 1000 + rng() % 1000,
                        until = rng() % 2 ? 0 : 5000 + rng() % 1000;
    c.now_s = 3000;
    const Ticket t = ok(parse_ticket(sign_frontdesk_ticket(k, "ev", id, from, until), c));
    REQUIRE(t.code == id);
    REQUIRE(t.valid_from == from);
    REQUIRE(t.valid_until == until);
  }
}

TEST_CASE("property: random text never crashes and never verifies") {
  const EventKeys k = make_event_keys();
  TicketContext c;
  c.frontdesk_keys = {k.public_key};
  c.pretix_keys = {k.public_key};
  std::mt19937 rng(3);
  for (int i = 0; i < 3000; ++i) {
    std::string s = i % 3 == 0 ? "FD1:" : "";
    const int len = static_cast<int>(rng() % 200);
    for (int j = 0; j < len; ++j) s += static_cast<char>(i % 2 ? 43 + rng() % 80 : rng() % 256);
    const auto r = parse_ticket(s, c);
    if (const auto* t = std::get_if<Ticket>(&r)) REQUIRE_FALSE(t->signature_verified);
  }
}
