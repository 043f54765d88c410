// libFuzzer: request paths (decoded) against our route patterns, and the
// %-decoder. A path judged safe never holds "..", "//" or a backslash.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "web/Parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = fd::percent_decode(text, false);
  const std::string path = decoded.ok() ? *decoded : std::string(text);
  if (fd::is_safe_path(path)) {
    if (path.find("/../") != std::string::npos || path.find("//") != std::string::npos ||
        path.find('\\') != std::string::npos || path.front() != '/')
      std::abort();
    if (path.size() >= 3 && path.compare(path.size() - 3, 3, "/..") == 0) std::abort();
  }
  std::map<std::string, std::string> params;
  for (const char* pattern : {"/api/attendees/:id", "/venue/:token", "/doors/*", "/api/stats"})
    if (fd::match_route(pattern, path, params))
      for (const auto& [k, v] : params)
        if (v.size() > path.size()) std::abort();
  (void)fd::parse_id(text);
  return 0;
}
