// libFuzzer: names and queries are outside input (CSV files, keyboards).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "text/Fold.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const std::string f = fd::fold(s);
  if (fd::fold(f) != f) std::abort();  // idempotent
  for (const auto& t : fd::fold_tokens(s))
    if (t.empty()) std::abort();
  return 0;
}
