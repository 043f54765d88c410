#include "app/Advice.h"

#include <utility>

#include "base/Paths.h"

namespace fd {

std::string shell_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_./=:,+@%") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string frontdesk_command(const GlobalOptions& g, bool with_event) {
  std::string cmd = "frontdesk";
  for (const auto& [flag, value] :
       {std::pair<const char*, const std::string*>{"--data-dir", &g.data_dir},
        {"--config-dir", &g.config_dir},
        {"--store", &g.store},
        {"--event", with_event ? &g.event : nullptr},
        {"--door", &g.door}})
    if (value && !value->empty()) cmd += std::string(" ") + flag + " " + shell_word(*value);
  return cmd;
}

std::string example_config() {
  // <prefix>/share/doc/frontdesk/examples, beside <prefix>/share/frontdesk.
  return shipped_path("../doc/frontdesk/examples/frontdesk.toml", "config/frontdesk.toml")
      .lexically_normal()
      .string();
}

}  // namespace fd
