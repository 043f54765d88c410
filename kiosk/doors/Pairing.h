#pragma once
// The pairing code that joins a door to an event: printed by `frontdesk
// doors pair` (and shown as a QR code on the kiosk), typed or scanned at the
// new door. It carries the event, where the first door answers, and the
// event's shared secret, from which every request between doors is signed.
//
//   FDPAIR1:<base64url of compact JSON>
//
// Thread-safety: pure functions.
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace fd {

struct PairingCode {
  std::string event_slug;
  std::string event_name;
  std::string door_id;                 // the inviting door's device id
  std::string door_name;               // "door 1"
  std::vector<std::string> addresses;  // "host:port" where it answers, LAN first
  // Its host key (doors/Reach.h): its loopback addresses are for doors on
  // the same host only; "" (an older code): never.
  std::string host;
  std::string secret;  // 32 raw bytes, the event's door secret
};

constexpr std::size_t kDoorSecretBytes = 32;

std::string encode_pairing(const PairingCode& code);
// "FDPAIR..." text, well formed or not: never a ticket. A door routes these
// before the engine sees a scan (parse_pairing says what is wrong with one).
bool looks_like_pairing_code(std::string_view text);
// Outside input (typed, scanned): limits on every field, plain errors.
Result<PairingCode> parse_pairing(std::string_view text);
// A new random secret for an event's doors.
std::string new_door_secret();
// "host:port" with a sane host and a port in 1..65535.
bool valid_address(std::string_view address);

}  // namespace fd
