// libFuzzer: JSON bodies of the organizer API. Any bytes give one flat
// object within the limits or a plain error; deep nesting costs nothing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "web/Parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fd::FieldLimits limits;
  const auto j = fd::parse_json_object(text, limits);
  if (!j.ok()) {
    if (j.error().message.empty()) std::abort();
    return 0;
  }
  if (j->size() > limits.max_fields) std::abort();
  for (const auto& [k, v] : *j)
    if (v.size() > limits.max_value) std::abort();
  return 0;
}
