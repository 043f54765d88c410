// libFuzzer: query strings and form bodies come from any browser on the
// venue's Wi-Fi. Any bytes give fields within the limits or a plain error.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/Utf8.h"
#include "web/Parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fd::FieldLimits limits;
  const auto f = fd::parse_fields(text, limits);
  if (!f.ok()) {
    if (f.error().message.empty()) std::abort();
    return 0;
  }
  if (f->size() > limits.max_fields) std::abort();
  for (const auto& [k, v] : *f)
    if (v.size() > limits.max_value || !fd::is_valid_utf8(k) || !fd::is_valid_utf8(v)) std::abort();
  return 0;
}
