#include "config/Config.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace fd {

Result<Config> parse_config(std::string_view toml_text, const std::string& origin) {
  Config c;
  toml::table t;
  try {
    t = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return Error{"config.syntax", msg.str()};
  }
  if (const auto* printer = t["printer"].as_table()) {
    for (auto [key, out] : {std::pair<const char*, std::string*>{"name", &c.printer},
                            {"fallback", &c.printer_fallback}}) {
      if (const auto* node = printer->get(key)) {
        if (!node->is_string())
          return Error{"config.type", origin + ": [printer] " + key + " must be text in quotes"};
        *out = node->as_string()->get();
      }
    }
    if (const auto* node = printer->get("template")) {
      if (!node->is_string())
        return Error{"config.type", origin + ": [printer] template must be text in quotes"};
      c.badge_template = node->as_string()->get();
    }
  }
  if (const auto* tickets = t["tickets"].as_table()) {
    if (const auto* keys = tickets->get("pretix_public_keys")) {
      const auto* arr = keys->as_array();
      if (!arr)
        return Error{"config.type",
                     origin + ": [tickets] pretix_public_keys must be a list of texts"};
      for (const auto& k : *arr) {
        if (!k.is_string())
          return Error{"config.type",
                       origin + ": [tickets] pretix_public_keys must be a list of texts"};
        c.pretix_public_keys.push_back(k.as_string()->get());
      }
    }
    if (const auto* luma = tickets->get("luma_event_id")) {
      if (!luma->is_string())
        return Error{"config.type", origin + ": [tickets] luma_event_id must be text in quotes"};
      c.luma_event_id = luma->as_string()->get();
    }
  }
  if (const auto* web = t["web"].as_table()) {
    if (const auto* node = web->get("serve")) {
      if (!node->is_boolean())
        return Error{"config.type", origin + ": [web] serve must be true or false"};
      c.web_serve = node->as_boolean()->get();
    }
    if (const auto* node = web->get("listen")) {
      if (!node->is_string())
        return Error{"config.type", origin + ": [web] listen must be an address in quotes"};
      c.web_listen = node->as_string()->get();
    }
    for (auto [key, out] : {std::pair<const char*, int*>{"port", &c.web_port},
                            {"loopback_port", &c.web_loopback_port}}) {
      if (const auto* node = web->get(key)) {
        if (!node->is_integer() || node->as_integer()->get() < 0 ||
            node->as_integer()->get() > 65535)
          return Error{"config.type", origin + ": [web] " + key + " must be a port number"};
        *out = static_cast<int>(node->as_integer()->get());
      }
    }
  }
  const auto* kiosk = t["kiosk"].as_table();
  if (!kiosk) return c;
  auto text = [&](const char* key, std::string& out) -> std::optional<Error> {
    if (const auto* node = kiosk->get(key)) {
      if (!node->is_string())
        return Error{"config.type", origin + ": [kiosk] " + key + " must be text in quotes"};
      out = node->as_string()->get();
    }
    return std::nullopt;
  };
  std::string store, logo;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"store", &store},
                          {"logo", &logo},
                          {"event", &c.event},
                          {"door", &c.door}}) {
    if (auto err = text(key, *out)) return *err;
  }
  c.store = store;
  c.logo = logo;
  if (const auto* node = kiosk->get("admit_not_expected")) {
    if (!node->is_boolean())
      return Error{"config.type", origin + ": [kiosk] admit_not_expected must be true or false"};
    c.admit_not_expected = node->as_boolean()->get();
  }
  if (const auto* node = kiosk->get("exit_door")) {
    if (!node->is_boolean())
      return Error{"config.type", origin + ": [kiosk] exit_door must be true or false"};
    c.exit_door = node->as_boolean()->get();
  }
  if (c.door.empty()) return Error{"config.value", origin + ": [kiosk] door must not be empty"};
  return c;
}

Result<Config> load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Config{};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), file.string());
}

}  // namespace fd
