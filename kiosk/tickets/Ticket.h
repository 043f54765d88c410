#pragma once
// Raw QR or scanner text → a ticket, or a plain reason why not. Pure
// functions: no I/O, no clock (the time is passed in), fuzzed.
//
// Understood: plain codes (pretix secrets, Eventbrite barcodes), signed pretix
// tickets (pretix_sig1, verified offline with the event's public keys), Luma
// check-in URLs, Frontdesk's own signed tickets ("FD1:..."), and web links that
// carry one of these. Wi-Fi codes, contacts and other links are named as such.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/Base64.h"
#include "base/Error.h"

namespace fd {

using PublicKey = std::array<unsigned char, 32>;

enum class TicketKind {
  Plain,         // a code to look up: pretix secret, Eventbrite barcode, ...
  PretixSigned,  // pretix_sig1, signature checked when keys are known
  Luma,          // a Luma guest key from a check-in URL
  Frontdesk,     // signed by this group's event key
};

enum class TicketProblem { NotATicket, Forged, WrongEvent, NotYetValid, Expired };

struct Ticket {
  TicketKind kind = TicketKind::Plain;
  std::string code;  // what to look up: the secret, barcode, Luma key, or attendee id (Frontdesk)
  std::string event_ref;                         // the event the ticket names, when it names one
  std::int64_t valid_from = 0, valid_until = 0;  // Unix seconds; 0: no limit
  bool signature_verified = false;
  // pretix_sig1: the product (item), its variation and the date of a series
  // (subevent) the ticket was sold for; 0 when none. A check-in list may
  // admit only some products.
  std::int64_t item = 0, variation = 0, subevent = 0;
};

struct TicketRejection {
  TicketProblem problem;
  std::string message;  // plain words for the door
};

struct TicketContext {
  std::vector<PublicKey> pretix_keys;     // the event's valid_keys.pretix_sig1
  std::vector<PublicKey> frontdesk_keys;  // this event's Frontdesk ticket key(s)
  std::string event_slug;                 // Frontdesk tickets name their event
  std::string luma_event_id;              // "evt-..." when known
  std::int64_t now_s = 0;
};

using TicketResult = std::variant<Ticket, TicketRejection>;
TicketResult parse_ticket(std::string_view scanned, const TicketContext& ctx);

const char* to_string(TicketKind k);
const char* to_string(TicketProblem p);

// pretix publishes a key as base64 of a PEM SubjectPublicKeyInfo; the raw
// Ed25519 key is its last 32 bytes.
Result<PublicKey> pretix_public_key(std::string_view valid_keys_entry);

// --- Frontdesk tickets ------------------------------------------------------
struct EventKeys {
  PublicKey public_key{};
  std::array<unsigned char, 64> secret_key{};
};
EventKeys make_event_keys();
std::string key_to_text(const unsigned char* key, std::size_t n);  // base64
Result<PublicKey> public_key_from_text(std::string_view text);
Result<EventKeys> event_keys_from_text(std::string_view secret_text);
// "FD1:" + base64url(version | slug | attendee id | valid from | until | Ed25519 signature).
std::string sign_frontdesk_ticket(const EventKeys& keys, const std::string& event_slug,
                                  const std::string& attendee_id, std::uint32_t valid_from,
                                  std::uint32_t valid_until);

}  // namespace fd
