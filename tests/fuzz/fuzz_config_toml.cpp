// libFuzzer: the config file is edited by hand at a venue; any text must
// give a config or a plain error, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/Config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto c = fd::parse_config(text, "fuzz.toml");
  if (!c.ok() && c.error().message.empty()) std::abort();
  // A config that parses holds values the door can use (the door's name may
  // be unset: the stored one applies).
  if (c.ok() && (c->web_port < 0 || c->web_port > 65535)) std::abort();
  return 0;
}
