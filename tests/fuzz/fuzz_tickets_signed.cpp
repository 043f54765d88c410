// libFuzzer: the signed-ticket decoders behind the base64 layer. The input
// is wrapped the way each format wraps its bytes, so the fuzzer explores the
// framing, protobuf and signature code rather than the base64 alphabet.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tickets/Ticket.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fd::EventKeys keys = fd::make_event_keys();
  fd::TicketContext ctx;
  ctx.frontdesk_keys = {keys.public_key};
  ctx.pretix_keys = {keys.public_key};
  ctx.event_slug = "fuzz";
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  // Frontdesk: "FD1:" + base64url(bytes).
  const auto fd_ticket = fd::parse_ticket("FD1:" + fd::base64_encode(bytes, true, false), ctx);
  // pretix: reversed standard base64, with a version byte in front.
  const std::string b64 = fd::base64_encode(std::string(1, '\x01') + bytes, false, true);
  const auto pretix = fd::parse_ticket(std::string(b64.rbegin(), b64.rend()), ctx);
  for (const auto* r : {&fd_ticket, &pretix})
    if (const auto* t = std::get_if<fd::Ticket>(r); t && t->signature_verified) std::abort();
  return 0;
}
