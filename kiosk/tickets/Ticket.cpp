#include "tickets/Ticket.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <optional>

namespace fd {
namespace {

// ---------------------------------------------------------------------------
// [SECTION] Small helpers
// ---------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;  // idempotent and thread-safe
  return ok;
}

TicketRejection reject(TicketProblem p, std::string message) { return {p, std::move(message)}; }

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// Plain codes are printable ASCII of a sensible length; anything else is
// some other kind of QR text.
bool looks_like_code(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;  // some lists number their tickets 1, 2, 3
  return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127; });
}

std::string validity_time(std::int64_t t) {
  const std::time_t s = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::optional<TicketRejection> check_validity(std::int64_t from, std::int64_t until,
                                              std::int64_t now) {
  if (from && now < from)
    return reject(TicketProblem::NotYetValid, "This ticket is valid from " + validity_time(from));
  if (until && now > until)
    return reject(TicketProblem::Expired, "This ticket expired on " + validity_time(until));
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// [SECTION] pretix_sig1
// ---------------------------------------------------------------------------

// A bounded protobuf reader for the few fields pretix puts in a ticket.
struct PretixPayload {
  std::string seed;
  std::int64_t item = 0, variation = 0, subevent = 0;
  std::int64_t valid_from = 0, valid_until = 0;
};

std::optional<std::uint64_t> varint(std::string_view& in) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
  return std::nullopt;
}

std::optional<PretixPayload> parse_pretix_payload(std::string_view in) {
  PretixPayload p;
  while (!in.empty()) {
    const auto key = varint(in);
    if (!key) return std::nullopt;
    const auto field = *key >> 3, wire = *key & 7;
    if (wire == 0) {
      const auto v = varint(in);
      if (!v) return std::nullopt;
      if (field == 2) p.item = static_cast<std::int64_t>(*v);
      if (field == 3) p.variation = static_cast<std::int64_t>(*v);
      if (field == 4) p.subevent = static_cast<std::int64_t>(*v);
      if (field == 5) p.valid_from = static_cast<std::int64_t>(*v);
      if (field == 6) p.valid_until = static_cast<std::int64_t>(*v);
    } else if (wire == 2) {
      const auto len = varint(in);
      if (!len || *len > in.size()) return std::nullopt;
      if (field == 1) p.seed = std::string(in.substr(0, *len));
      in.remove_prefix(*len);
    } else if (wire == 1 && in.size() >= 8) {
      in.remove_prefix(8);
    } else if (wire == 5 && in.size() >= 4) {
      in.remove_prefix(4);
    } else {
      return std::nullopt;
    }
  }
  return p;
}

// The secret is base64 written backwards (so tickets do not all start alike).
std::optional<std::string> pretix_envelope(std::string_view secret) {
  if (secret.size() < 96 || secret.size() > 1024) return std::nullopt;
  std::string forward(secret.rbegin(), secret.rend());
  auto raw = base64_decode(forward, false);
  if (!raw || raw->size() < 5 || static_cast<unsigned char>((*raw)[0]) != 0x01) return std::nullopt;
  return *raw;
}

TicketResult parse_pretix_signed(std::string_view secret, const std::string& raw,
                                 const TicketContext& ctx) {
  const auto u16 = [&](std::size_t at) {
    return static_cast<std::size_t>((static_cast<unsigned char>(raw[at]) << 8) |
                                    static_cast<unsigned char>(raw[at + 1]));
  };
  const std::size_t payload_len = u16(1), sig_len = u16(3);
  if (5 + payload_len + sig_len != raw.size() || sig_len != crypto_sign_BYTES)
    return reject(TicketProblem::Forged,
                  "We can't read this ticket as valid — please see an organizer");
  const std::string_view payload(raw.data() + 5, payload_len);
  const auto* sig = reinterpret_cast<const unsigned char*>(raw.data() + 5 + payload_len);
  const auto fields = parse_pretix_payload(payload);
  if (!fields)
    return reject(TicketProblem::Forged,
                  "We can't read this ticket as valid — please see an organizer");
  Ticket t;
  t.kind = TicketKind::PretixSigned;
  t.code = std::string(secret);
  t.valid_from = fields->valid_from;
  t.valid_until = fields->valid_until;
  t.item = fields->item;
  t.variation = fields->variation;
  t.subevent = fields->subevent;
  if (!ctx.pretix_keys.empty()) {
    if (!sodium_ready())
      return reject(TicketProblem::Forged, "Signature checks are unavailable on this kiosk");
    const bool ok =
        std::any_of(ctx.pretix_keys.begin(), ctx.pretix_keys.end(), [&](const PublicKey& k) {
          return crypto_sign_verify_detached(sig,
                                             reinterpret_cast<const unsigned char*>(payload.data()),
                                             payload.size(), k.data()) == 0;
        });
    if (!ok)
      return reject(TicketProblem::Forged,
                    "This ticket is not signed by this event — please see an organizer");
    t.signature_verified = true;
  }
  if (auto bad = check_validity(t.valid_from, t.valid_until, ctx.now_s)) return *bad;
  return t;
}

// ---------------------------------------------------------------------------
// [SECTION] Frontdesk tickets
// ---------------------------------------------------------------------------

constexpr std::string_view kFdPrefix = "FD1:";
constexpr unsigned char kFdVersion = 1;

std::string fd_payload(const std::string& slug, const std::string& id, std::uint32_t from,
                       std::uint32_t until) {
  std::string p;
  p += static_cast<char>(kFdVersion);
  p += static_cast<char>(std::min<std::size_t>(slug.size(), 255));
  p += slug.substr(0, 255);
  p += static_cast<char>(std::min<std::size_t>(id.size(), 255));
  p += id.substr(0, 255);
  for (std::uint32_t v : {from, until})
    for (int shift = 24; shift >= 0; shift -= 8) p += static_cast<char>((v >> shift) & 0xFF);
  return p;
}

TicketResult parse_frontdesk(std::string_view text, const TicketContext& ctx) {
  const auto forged = [] {
    return reject(TicketProblem::Forged,
                  "We can't read this ticket as valid — please see an organizer");
  };
  auto raw = base64_decode(text.substr(kFdPrefix.size()), true);
  if (!raw || raw->size() < 1 + 1 + 1 + 8 + crypto_sign_BYTES) return forged();
  const std::string& r = *raw;
  if (static_cast<unsigned char>(r[0]) != kFdVersion) return forged();
  std::size_t at = 1;
  const std::size_t slug_len = static_cast<unsigned char>(r[at++]);
  if (at + slug_len + 1 > r.size()) return forged();
  const std::string slug = r.substr(at, slug_len);
  at += slug_len;
  const std::size_t id_len = static_cast<unsigned char>(r[at++]);
  if (at + id_len + 8 + crypto_sign_BYTES != r.size()) return forged();
  const std::string id = r.substr(at, id_len);
  at += id_len;
  std::uint32_t times[2] = {0, 0};
  for (auto& v : times)
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(r[at++]);
  const std::string_view signed_part(r.data(), at);
  const auto* sig = reinterpret_cast<const unsigned char*>(r.data() + at);
  if (!sodium_ready()) return forged();
  const bool ok =
      std::any_of(ctx.frontdesk_keys.begin(), ctx.frontdesk_keys.end(), [&](const PublicKey& k) {
        return crypto_sign_verify_detached(
                   sig, reinterpret_cast<const unsigned char*>(signed_part.data()),
                   signed_part.size(), k.data()) == 0;
      });
  // Checked before the event name: a forger can write any event name.
  if (!ok) {
    if (!ctx.event_slug.empty() && slug != ctx.event_slug)
      return reject(TicketProblem::WrongEvent, "This ticket is for another event");
    return reject(TicketProblem::Forged,
                  "We can't read this ticket as valid — please see an organizer");
  }
  if (!ctx.event_slug.empty() && slug != ctx.event_slug)
    return reject(TicketProblem::WrongEvent, "This ticket is for another event");
  if (auto bad = check_validity(times[0], times[1], ctx.now_s)) return *bad;
  Ticket t;
  t.kind = TicketKind::Frontdesk;
  t.code = id;
  t.event_ref = slug;
  t.valid_from = times[0];
  t.valid_until = times[1];
  t.signature_verified = true;
  return t;
}

// ---------------------------------------------------------------------------
// [SECTION] Links
// ---------------------------------------------------------------------------

struct Url {
  std::string host;
  std::vector<std::string> path;
  std::vector<std::pair<std::string, std::string>> query;
};

std::optional<Url> parse_url(std::string_view s) {
  const auto scheme = s.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  Url u;
  std::string_view rest = s.substr(scheme + 3);
  const auto path_at = rest.find_first_of("/?#");
  u.host = std::string(rest.substr(0, path_at));
  std::transform(u.host.begin(), u.host.end(), u.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (path_at == std::string_view::npos) return u;
  rest = rest.substr(path_at);
  const auto frag = rest.find('#');
  if (frag != std::string_view::npos) rest = rest.substr(0, frag);
  const auto q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  while (!path.empty()) {
    path.remove_prefix(path.front() == '/' ? 1 : 0);
    const auto slash = path.find('/');
    const auto seg = path.substr(0, slash);
    if (!seg.empty()) u.path.push_back(percent_decode(seg));
    if (slash == std::string_view::npos) break;
    path = path.substr(slash);
  }
  if (q != std::string_view::npos) {
    std::string_view qs = rest.substr(q + 1);
    while (!qs.empty()) {
      const auto amp = qs.find('&');
      const auto item = qs.substr(0, amp);
      const auto eq = item.find('=');
      if (eq != std::string_view::npos)
        u.query.emplace_back(percent_decode(item.substr(0, eq)),
                             percent_decode(item.substr(eq + 1)));
      if (amp == std::string_view::npos) break;
      qs = qs.substr(amp + 1);
    }
  }
  return u;
}

TicketResult parse_inner(std::string_view text, const TicketContext& ctx, int depth);

TicketResult parse_link(std::string_view text, const Url& u, const TicketContext& ctx, int depth) {
  const auto param = [&](std::string_view key) -> std::string {
    for (const auto& [k, v] : u.query)
      if (k == key) return v;
    return {};
  };
  const bool luma = u.host == "lu.ma" || u.host.ends_with(".lu.ma") || u.host == "luma.com" ||
                    u.host.ends_with(".luma.com");
  if (luma) {
    const std::string pk = param("pk");
    if (pk.empty())
      return reject(TicketProblem::NotATicket, "This is a link to a Luma page, not a ticket");
    Ticket t;
    t.kind = TicketKind::Luma;
    t.code = pk;
    for (const auto& seg : u.path)
      if (seg.rfind("evt-", 0) == 0) t.event_ref = seg;
    if (!ctx.luma_event_id.empty() && !t.event_ref.empty() && t.event_ref != ctx.luma_event_id)
      return reject(TicketProblem::WrongEvent, "This ticket is for another event");
    return t;
  }
  // Links that carry a code in a parameter or as their last path segment.
  if (depth == 0) {
    for (const char* key : {"secret", "code", "ticket", "pk", "barcode"}) {
      const std::string v = param(key);
      if (!v.empty()) return parse_inner(v, ctx, depth + 1);
    }
    if (!u.path.empty()) {
      const std::string& last = u.path.back();
      const bool codeish =
          last.size() >= 16 && std::all_of(last.begin(), last.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
          });
      if (codeish) return parse_inner(last, ctx, depth + 1);
    }
  }
  (void)text;
  return reject(TicketProblem::NotATicket, "This QR code is a web link, not a ticket");
}

TicketResult parse_inner(std::string_view text, const TicketContext& ctx, int depth) {
  text = trim(text);
  if (text.empty())
    return reject(TicketProblem::NotATicket, "That code is empty — please try again");
  struct Known {
    const char* prefix;
    const char* what;
  };
  static constexpr Known kNotTickets[] = {
      {"WIFI:", "This is a Wi-Fi QR code, not a ticket"},
      {"BEGIN:VCARD", "This is a contact card, not a ticket"},
      {"MECARD:", "This is a contact card, not a ticket"},
      {"BEGIN:VEVENT", "This is a calendar entry, not a ticket"},
      {"BEGIN:VCALENDAR", "This is a calendar entry, not a ticket"},
      {"MATMSG:", "This is an e-mail QR code, not a ticket"},
      {"mailto:", "This is an e-mail address, not a ticket"},
      {"SMSTO:", "This is a text-message QR code, not a ticket"},
      {"tel:", "This is a phone number, not a ticket"},
      {"geo:", "This is a map location, not a ticket"},
      {"bitcoin:", "This is a payment QR code, not a ticket"},
  };
  for (const Known& k : kNotTickets)
    if (starts_with_ci(text, k.prefix)) return reject(TicketProblem::NotATicket, k.what);
  if (starts_with_ci(text, kFdPrefix)) return parse_frontdesk(text, ctx);
  if (starts_with_ci(text, "http://") || starts_with_ci(text, "https://")) {
    if (auto u = parse_url(text)) return parse_link(text, *u, ctx, depth);
    return reject(TicketProblem::NotATicket, "This QR code is a web link, not a ticket");
  }
  if (auto raw = pretix_envelope(text)) return parse_pretix_signed(text, *raw, ctx);
  if (!looks_like_code(text))
    return reject(TicketProblem::NotATicket, "This QR code is not a ticket");
  Ticket t;
  t.code = std::string(text);
  return t;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Public API
// ---------------------------------------------------------------------------

TicketResult parse_ticket(std::string_view scanned, const TicketContext& ctx) {
  return parse_inner(scanned, ctx, 0);
}

const char* to_string(TicketKind k) {
  switch (k) {
    case TicketKind::Plain: return "plain";
    case TicketKind::PretixSigned: return "pretix-signed";
    case TicketKind::Luma: return "luma";
    case TicketKind::Frontdesk: return "frontdesk";
  }
  return "plain";
}

const char* to_string(TicketProblem p) {
  switch (p) {
    case TicketProblem::NotATicket: return "not-a-ticket";
    case TicketProblem::Forged: return "forged";
    case TicketProblem::WrongEvent: return "wrong-event";
    case TicketProblem::NotYetValid: return "not-yet-valid";
    case TicketProblem::Expired: return "expired";
  }
  return "forged";
}

Result<PublicKey> pretix_public_key(std::string_view entry) {
  auto pem = base64_decode(trim(entry), false);
  if (!pem) return Error{"key.base64", "The pretix key is not base64"};
  // The PEM's body is base64 of the DER SubjectPublicKeyInfo.
  std::string body;
  std::string_view p = *pem;
  const auto begin = p.find("-----BEGIN PUBLIC KEY-----");
  const auto end = p.find("-----END PUBLIC KEY-----");
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin)
    return Error{"key.pem", "The pretix key is not a PEM public key"};
  for (char c : p.substr(begin + 26, end - begin - 26))
    if (!std::isspace(static_cast<unsigned char>(c))) body += c;
  auto der = base64_decode(body, false);
  if (!der || der->size() < 32) return Error{"key.der", "The pretix key's PEM body is damaged"};
  PublicKey k{};
  std::copy(der->end() - 32, der->end(), k.begin());
  return k;
}

EventKeys make_event_keys() {
  sodium_ready();
  EventKeys k;
  crypto_sign_keypair(k.public_key.data(), k.secret_key.data());
  return k;
}

std::string key_to_text(const unsigned char* key, std::size_t n) {
  return base64_encode(std::string_view(reinterpret_cast<const char*>(key), n), false, true);
}

Result<PublicKey> public_key_from_text(std::string_view text) {
  auto raw = base64_decode(trim(text), false);
  if (!raw || raw->size() != 32)
    return Error{"key.public", "Not a Frontdesk public key (32 bytes of base64)"};
  PublicKey k{};
  std::copy(raw->begin(), raw->end(), k.begin());
  return k;
}

Result<EventKeys> event_keys_from_text(std::string_view text) {
  auto raw = base64_decode(trim(text), false);
  if (!raw || raw->size() != 64)
    return Error{"key.secret", "Not a Frontdesk secret key (64 bytes of base64)"};
  EventKeys k;
  std::copy(raw->begin(), raw->end(), k.secret_key.begin());
  crypto_sign_ed25519_sk_to_pk(k.public_key.data(), k.secret_key.data());
  return k;
}

std::string sign_frontdesk_ticket(const EventKeys& keys, const std::string& slug,
                                  const std::string& id, std::uint32_t from, std::uint32_t until) {
  sodium_ready();
  std::string p = fd_payload(slug, id, from, until);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(p.data()), p.size(),
                       keys.secret_key.data());
  p.append(reinterpret_cast<const char*>(sig), sizeof sig);
  return std::string(kFdPrefix) + base64_encode(p, true, false);
}

}  // namespace fd
