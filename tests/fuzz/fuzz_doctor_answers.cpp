// libFuzzer: what other machines tell the door checks — a service's HTTP
// Date header, a printer's media keywords, the kiosk's display description —
// must give an answer or "no", never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "doctor/Doctor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      for (const fd::LabelSize& l : fd::label_presets()) (void)fd::media_fits(text, l);
      break;
    case 1:
      if (auto t = fd::parse_http_date(text); t && text.size() > 64) std::abort();
      break;
    default:
      if (auto d = fd::parse_display_info(text); !d && d.error().message.empty()) std::abort();
  }
  return 0;
}
