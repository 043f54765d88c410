// libFuzzer: the Cookie header is whatever a client sends. Any bytes give a
// bounded map of cookies, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/Parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto cookies = fd::parse_cookies(text, 32);
  if (cookies.size() > 32) std::abort();
  for (const auto& [k, v] : cookies)
    if (k.empty() || k.size() + v.size() > text.size()) std::abort();
  return 0;
}
