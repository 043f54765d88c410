#pragma once
// The pages' files (kiosk/web/assets/), compiled into the binary: the door
// serves everything itself, with no internet and no CDN.
//
// Thread-safety: immutable.
#include <string>
#include <string_view>

namespace fd {

struct Asset {
  std::string content_type;
  std::string body;
};
// "index.html", "app.js", ...; nullptr when there is no such file.
const Asset* find_asset(std::string_view name);
// Total bytes of every asset (the first load's upper bound, before gzip).
std::size_t assets_size();

}  // namespace fd
