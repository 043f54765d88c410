#pragma once
// Every request between doors, and every answer, is signed with the event's
// door secret (HMAC-SHA256): a process that was never paired gets nothing
// and can write nothing, and an answer cannot be forged on the way. TLS on
// the LAN keeps the attendee list private; the signature makes it authentic
// without having to trust a self-signed certificate.
//
// Thread-safety: pure functions.
#include <string>
#include <string_view>

namespace fd {

// The headers a signed request or answer carries.
constexpr const char* kDoorHeader = "X-Frontdesk-Door";
constexpr const char* kNonceHeader = "X-Frontdesk-Nonce";
constexpr const char* kSignatureHeader = "X-Frontdesk-Signature";

std::string new_nonce();  // 16 random bytes, hex
// hex(HMAC-SHA256(secret, what \n door \n nonce \n sha256(body))), where
// `what` is "GET /doors/v1/log?since=4" for requests and "answer <nonce>"
// for answers (an answer is bound to the request it answers).
std::string door_signature(std::string_view secret, std::string_view what, std::string_view door,
                           std::string_view nonce, std::string_view body);
bool door_signature_ok(std::string_view secret, std::string_view what, std::string_view door,
                       std::string_view nonce, std::string_view body, std::string_view signature);

}  // namespace fd
