// libFuzzer: anything a camera or a scanner can read. Never a crash, and
// never a verified ticket without the key's signature.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tickets/Ticket.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fd::EventKeys keys =
      fd::make_event_keys();  // fresh per run: fuzz input cannot know it
  fd::TicketContext ctx;
  ctx.frontdesk_keys = {keys.public_key};
  ctx.pretix_keys = {keys.public_key};
  ctx.event_slug = "fuzz";
  ctx.now_s = 1'800'000'000;
  const auto r = fd::parse_ticket(std::string_view(reinterpret_cast<const char*>(data), size), ctx);
  if (const auto* t = std::get_if<fd::Ticket>(&r); t && t->signature_verified) std::abort();
  return 0;
}
