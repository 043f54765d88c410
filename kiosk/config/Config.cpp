#include "config/Config.h"

#include <toml++/toml.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace fd {

namespace {
// [kiosk] idle/accessibility keys, [backup] and [doctor]: the unattended
// door's settings.
std::optional<Error> parse_unattended(const toml::table& t, const std::string& origin, Config& c) {
  auto integer = [&](const toml::table* section, const char* name, const char* key, int lo, int hi,
                     int& out) -> std::optional<Error> {
    const toml::node* node = section ? section->get(key) : nullptr;
    if (!node) return std::nullopt;
    const auto* v = node->as_integer();
    if (!v || v->get() < lo || v->get() > hi)
      return Error{"config.value", origin + ": [" + name + "] " + key +
                                       " must be a whole number from " + std::to_string(lo) +
                                       " to " + std::to_string(hi)};
    out = static_cast<int>(v->get());
    return std::nullopt;
  };
  auto boolean = [&](const toml::table* section, const char* name, const char* key,
                     bool& out) -> std::optional<Error> {
    const toml::node* node = section ? section->get(key) : nullptr;
    if (!node) return std::nullopt;
    if (!node->is_boolean())
      return Error{"config.type", origin + ": [" + name + "] " + key + " must be true or false"};
    out = node->as_boolean()->get();
    return std::nullopt;
  };
  const auto* kiosk = t["kiosk"].as_table();
  if (auto e = integer(kiosk, "kiosk", "idle_seconds", 5, 3600, c.idle_seconds)) return e;
  if (auto e = boolean(kiosk, "kiosk", "large_text", c.large_text)) return e;
  if (auto e = boolean(kiosk, "kiosk", "high_contrast", c.high_contrast)) return e;
  const auto* backup = t["backup"].as_table();
  if (backup) {
    if (const auto* dir = backup->get("dir")) {
      if (!dir->is_string() || dir->as_string()->get().empty())
        return Error{"config.type", origin + ": [backup] dir must be a folder in quotes"};
      c.backup_dir = dir->as_string()->get();
    }
  }
  if (auto e = integer(backup, "backup", "every_minutes", 1, 1440, c.backup_every_minutes))
    return e;
  if (auto e = integer(backup, "backup", "quiet_minutes", 1, 1440, c.backup_quiet_minutes))
    return e;
  if (auto e = integer(backup, "backup", "keep", 1, 10000, c.backup_keep)) return e;
  const auto* doctor = t["doctor"].as_table();
  if (doctor) {
    if (const auto* urls = doctor->get("services")) {
      const auto* arr = urls->as_array();
      if (!arr) return Error{"config.type", origin + ": [doctor] services must be a list of texts"};
      for (const auto& u : *arr) {
        if (!u.is_string() || (u.as_string()->get().rfind("http://", 0) != 0 &&
                               u.as_string()->get().rfind("https://", 0) != 0))
          return Error{"config.value",
                       origin + ": [doctor] services must be http:// or https:// addresses"};
        c.service_urls.push_back(u.as_string()->get());
      }
    }
  }
  if (auto e = integer(doctor, "doctor", "min_free_mb", 0, 1000000, c.min_free_mb)) return e;
  return std::nullopt;
}
}  // namespace

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
  if (auto err = parse_unattended(t, origin, c)) return *err;
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
