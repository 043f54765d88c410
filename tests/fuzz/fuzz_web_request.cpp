// libFuzzer: the first bytes of a connection, as the server's lobby judges
// them (web/Connections.h). Never a crash; a whole request stays whole as
// more bytes come; and nothing short of its head is ever whole unless too
// long to wait for.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "web/Parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kHeader = 8192, kBody = 64 * 1024;
  const bool whole = fd::request_whole(text, kHeader, kBody);
  if (whole && !fd::request_whole(std::string(text) + "more", kHeader, kBody)) std::abort();
  if (whole && text.find("\r\n\r\n") == std::string_view::npos && text.size() <= kHeader + 2048)
    std::abort();
  return 0;
}
