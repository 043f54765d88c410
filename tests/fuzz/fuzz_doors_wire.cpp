// Another door's answers and pairing codes are outside input: no input may
// crash the parsers, and whatever parses re-encodes and parses again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "doors/Pairing.h"
#include "doors/Wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto code = fd::parse_pairing(text)) {
    auto again = fd::parse_pairing(fd::encode_pairing(*code));
    if (!again || again->secret != code->secret) __builtin_trap();
  }
  if (auto page = fd::parse_log_page(text)) {
    auto again = fd::parse_log_page(fd::to_json(*page));
    if (!again || again->entries.size() != page->entries.size()) __builtin_trap();
  }
  if (auto page = fd::parse_attendee_page(text)) {
    auto again = fd::parse_attendee_page(fd::to_json(*page));
    if (!again || again->attendees.size() != page->attendees.size()) __builtin_trap();
  }
  if (auto hello = fd::parse_hello(text)) {
    auto again = fd::parse_hello(fd::to_json(*hello));
    if (!again || again->names != hello->names || again->host != hello->host) __builtin_trap();
  }
  return 0;
}
