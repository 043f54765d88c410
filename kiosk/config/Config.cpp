#include "config/Config.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <cstdlib>
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

// One service section: text keys into their fields, with plain errors.
struct Section {
  const toml::table* table;
  const std::string& origin;
  const char* name;
  std::optional<Error> text(const char* key, std::string& out) const {
    if (const auto* node = table->get(key)) {
      if (!node->is_string())
        return Error{"config.type", origin + ": [" + name + "] " + key + " must be text in quotes"};
      out = node->as_string()->get();
    }
    return std::nullopt;
  }
  std::optional<Error> require(const char* key, const std::string& value) const {
    if (value.empty()) return Error{"config.value", origin + ": [" + name + "] needs " + key};
    return std::nullopt;
  }
  std::optional<Error> url(const char* key, const std::string& value) const {
    if (!value.empty() && value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0)
      return Error{"config.value",
                   origin + ": [" + name + "] " + key + " must start with https:// or http://"};
    return std::nullopt;
  }
};

std::optional<Error> parse_sync_sections(const toml::table& t, const std::string& origin,
                                         Config& c) {
  if (const auto* tab = t["pretix"].as_table()) {
    Section sec{tab, origin, "pretix"};
    PretixSettings p;
    for (auto [key, out] : {std::pair<const char*, std::string*>{"url", &p.url},
                            {"organizer", &p.organizer},
                            {"event", &p.event},
                            {"token", &p.token},
                            {"init_token", &p.init_token}})
      if (auto e = sec.text(key, *out)) return e;
    if (const auto* node = tab->get("checkin_list")) {
      if (!node->is_integer())
        return Error{"config.type", origin + ": [pretix] checkin_list must be a number (its id)"};
      p.checkin_list = node->as_integer()->get();
    }
    while (!p.url.empty() && p.url.back() == '/') p.url.pop_back();
    for (auto [key, value] : {std::pair<const char*, const std::string*>{"url", &p.url},
                              {"organizer", &p.organizer},
                              {"event", &p.event}})
      if (auto e = sec.require(key, *value)) return e;
    if (auto e = sec.url("url", p.url)) return e;
    if (p.checkin_list <= 0)
      return Error{"config.value",
                   origin + ": [pretix] needs checkin_list (the check-in list's id)"};
    c.pretix = p;
  }
  if (const auto* tab = t["eventbrite"].as_table()) {
    Section sec{tab, origin, "eventbrite"};
    EventbriteSettings e;
    for (auto [key, out] : {std::pair<const char*, std::string*>{"url", &e.url},
                            {"event_id", &e.event_id},
                            {"token", &e.token}})
      if (auto err = sec.text(key, *out)) return err;
    if (auto err = sec.require("event_id", e.event_id)) return err;
    if (auto err = sec.url("url", e.url)) return err;
    c.eventbrite = e;
  }
  if (const auto* tab = t["meetup"].as_table()) {
    Section sec{tab, origin, "meetup"};
    MeetupSettings m;
    for (auto [key, out] : {std::pair<const char*, std::string*>{"url", &m.url},
                            {"event_id", &m.event_id},
                            {"token", &m.token},
                            {"refresh_token", &m.refresh_token},
                            {"client_id", &m.client_id},
                            {"client_secret", &m.client_secret},
                            {"oauth_url", &m.oauth_url}})
      if (auto err = sec.text(key, *out)) return err;
    if (auto err = sec.require("event_id", m.event_id)) return err;
    if (auto err = sec.url("url", m.url)) return err;
    if (auto err = sec.url("oauth_url", m.oauth_url)) return err;
    c.meetup = m;
  }
  if (const auto* tab = t["luma"].as_table()) {
    Section sec{tab, origin, "luma"};
    LumaSettings l;
    for (auto [key, out] : {std::pair<const char*, std::string*>{"url", &l.url},
                            {"event_id", &l.event_id},
                            {"api_key", &l.api_key}})
      if (auto err = sec.text(key, *out)) return err;
    if (auto err = sec.require("event_id", l.event_id)) return err;
    if (auto err = sec.url("url", l.url)) return err;
    c.luma = l;
  }
  if (const auto* tab = t["webhook"].as_table()) {
    Section sec{tab, origin, "webhook"};
    WebhookSettings w;
    for (auto [key, out] :
         {std::pair<const char*, std::string*>{"url", &w.url}, {"secret", &w.secret}})
      if (auto err = sec.text(key, *out)) return err;
    if (auto err = sec.require("url", w.url)) return err;
    if (auto err = sec.url("url", w.url)) return err;
    c.webhook = w;
  }
  if (const auto* tab = t["sync"].as_table()) {
    for (auto [key, out] : {std::pair<const char*, int*>{"pull_every", &c.sync.pull_every_s},
                            {"max_refusals", &c.sync.max_refusals},
                            {"timeout", &c.sync.timeout_s}}) {
      if (const auto* node = tab->get(key)) {
        if (!node->is_integer() || node->as_integer()->get() < 1 ||
            node->as_integer()->get() > 86400)
          return Error{"config.type",
                       origin + ": [sync] " + key + " must be a whole number from 1 to 86400"};
        *out = static_cast<int>(node->as_integer()->get());
      }
    }
  }
  return std::nullopt;
}

bool holds_secret(const Config& c) {
  return (c.pretix && (!c.pretix->token.empty() || !c.pretix->init_token.empty())) ||
         (c.eventbrite && !c.eventbrite->token.empty()) ||
         (c.meetup && (!c.meetup->token.empty() || !c.meetup->refresh_token.empty() ||
                       !c.meetup->client_secret.empty())) ||
         (c.luma && !c.luma->api_key.empty()) || (c.webhook && !c.webhook->secret.empty());
}

}  // namespace

void apply_token_environment(Config& c) {
  const auto env = [](const char* name, std::string& out) {
    if (const char* v = std::getenv(name); v && *v) out = v;
  };
  if (c.pretix) {
    env("FRONTDESK_PRETIX_TOKEN", c.pretix->token);
    env("FRONTDESK_PRETIX_INIT_TOKEN", c.pretix->init_token);
  }
  if (c.eventbrite) env("FRONTDESK_EVENTBRITE_TOKEN", c.eventbrite->token);
  if (c.meetup) {
    env("FRONTDESK_MEETUP_TOKEN", c.meetup->token);
    env("FRONTDESK_MEETUP_REFRESH_TOKEN", c.meetup->refresh_token);
    env("FRONTDESK_MEETUP_CLIENT_SECRET", c.meetup->client_secret);
  }
  if (c.luma) env("FRONTDESK_LUMA_API_KEY", c.luma->api_key);
  if (c.webhook) env("FRONTDESK_WEBHOOK_SECRET", c.webhook->secret);
}

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
  if (auto err = parse_sync_sections(t, origin, c)) return *err;
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
  if (const auto* doors = t["doors"].as_table()) {
    if (const auto* node = doors->get("peers")) {
      const auto* list = node->as_array();
      if (!list)
        return Error{"config.type",
                     origin + ": [doors] peers must be a list like [\"192.168.1.21:8443\"]"};
      for (const auto& item : *list) {
        if (!item.is_string() || item.as_string()->get().size() > 64)
          return Error{"config.type", origin + ": [doors] peers holds \"host:port\" addresses"};
        c.door_peers.push_back(item.as_string()->get());
      }
    }
    if (const auto* node = doors->get("discover")) {
      if (!node->is_boolean())
        return Error{"config.type", origin + ": [doors] discover must be true or false"};
      c.door_discover = node->as_boolean()->get();
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
  if (kiosk->get("door") && c.door.empty())
    return Error{"config.value", origin + ": [kiosk] door must not be empty"};
  return c;
}

Result<Config> load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Config{};
  std::ostringstream ss;
  ss << in.rdbuf();
  auto c = parse_config(ss.str(), file.string());
  if (!c) return c;
  // A token in a file others can read is a token others have.
  struct stat st {};
  if (holds_secret(*c) && ::stat(file.c_str(), &st) == 0 && (st.st_mode & 077))
    return Error{"config.permissions", file.string() +
                                           " holds a token but other users can read it: run "
                                           "chmod 600 " +
                                           file.string()};
  apply_token_environment(*c);
  return c;
}

}  // namespace fd
