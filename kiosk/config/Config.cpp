#include "config/Config.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "base/Log.h"
#include "base/Utf8.h"

namespace fd {

namespace {

// ---------------------------------------------------------------------------
// [SECTION] Every section and key the file may hold
// ---------------------------------------------------------------------------

// Keep in step with config/frontdesk.toml and the readers below: a key
// missing here is reported as unknown in every organizer's file.
struct SectionKeys {
  std::string_view section;
  std::vector<std::string_view> keys;
};
const std::vector<SectionKeys>& known_keys() {
  static const std::vector<SectionKeys> k = {
      {"kiosk",
       {"store", "event", "logo", "door", "admit_not_expected", "exit_door", "idle_seconds",
        "large_text", "high_contrast", "language"}},
      {"printer", {"name", "fallback", "template"}},
      {"tickets", {"pretix_public_keys", "luma_event_id"}},
      {"backup", {"dir", "every_minutes", "quiet_minutes", "keep"}},
      {"doctor", {"services", "min_free_mb"}},
      {"pretix", {"url", "organizer", "event", "checkin_list", "token", "init_token"}},
      {"eventbrite", {"url", "event_id", "token"}},
      {"meetup",
       {"url", "event_id", "token", "refresh_token", "client_id", "client_secret", "oauth_url"}},
      {"luma", {"url", "event_id", "api_key"}},
      {"webhook", {"url", "secret"}},
      {"sync", {"pull_every", "max_refusals", "timeout"}},
      {"web", {"serve", "listen", "port", "loopback_port"}},
      {"doors", {"peers", "discover"}},
  };
  return k;
}

// Edits (insert, delete, replace) from a to b: how far a typo is from a name.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The known name a typo most likely meant; "" when none is close.
std::string nearest(std::string_view typo, const std::vector<std::string_view>& names) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, typo.size() / 3) + 1;
  for (std::string_view n : names) {
    const std::size_t d = edit_distance(typo, n);
    if (d < best_d) {
      best_d = d;
      best = std::string(n);
    }
  }
  return best;
}

std::string line_of(const toml::node& n) { return "line " + std::to_string(n.source().begin.line); }

std::vector<std::string> unknown_keys(const toml::table& t, const std::string& origin) {
  // By line, as the organizer reads the file (the table keeps keys by name).
  std::vector<std::pair<std::size_t, std::string>> found;
  const auto note = [&](const toml::node& at, const std::string& text) {
    found.emplace_back(at.source().begin.line, origin + " " + line_of(at) + ": " + text);
  };
  std::vector<std::string_view> sections;
  for (const SectionKeys& s : known_keys()) sections.push_back(s.section);
  for (const auto& [name, node] : t) {
    const std::string key(name.str());
    const auto it = std::find_if(known_keys().begin(), known_keys().end(),
                                 [&](const SectionKeys& s) { return s.section == key; });
    if (!node.is_table()) {
      // A key above the first section: which section would it belong to?
      std::string home;
      for (const SectionKeys& s : known_keys())
        if (std::find(s.keys.begin(), s.keys.end(), key) != s.keys.end() && home.empty())
          home = std::string(s.section);
      note(node, excerpt(key, 40) + " is outside any section, so it is ignored" +
                     (home.empty() ? "" : "; move it under [" + home + "]"));
      continue;
    }
    if (it == known_keys().end()) {
      const std::string near = nearest(key, sections);
      note(node, "there is no section [" + excerpt(key, 40) + "], so it is ignored" +
                     (near.empty() ? "; the sections are described in config/frontdesk.toml"
                                   : "; did you mean [" + near + "]?"));
      continue;
    }
    for (const auto& [sub, value] : *node.as_table()) {
      const std::string k(sub.str());
      if (std::find(it->keys.begin(), it->keys.end(), k) != it->keys.end()) continue;
      const std::string near = nearest(k, it->keys);
      std::string known;
      for (std::string_view n : it->keys) known += (known.empty() ? "" : ", ") + std::string(n);
      note(value,
           "[" + key + "] has no setting " + excerpt(k, 40) + ", so it is ignored" +
               (near.empty() ? "; its settings are " + known : "; did you mean " + near + "?"));
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> notes;
  for (auto& [line, text] : found) notes.push_back(std::move(text));
  return notes;
}

// ---------------------------------------------------------------------------
// [SECTION] Syntax errors in plain words
// ---------------------------------------------------------------------------

std::string line_text(std::string_view text, std::size_t line) {
  std::size_t start = 0;
  for (std::size_t l = 1; l < line && start != std::string_view::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos || start > text.size()) return "";
  const std::size_t end = std::min(text.find('\n', start), text.size());
  std::string l(text.substr(start, end - start));
  while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
  return l;
}

// toml++'s description of a syntax error → the problem and its fix, for a
// person editing the file at a venue.
std::string plain_syntax(const std::string& what, const std::string& line) {
  const auto says = [&](const char* s) { return what.find(s) != std::string::npos; };
  const auto value = line.substr(std::min(line.size(), line.find('=') + 1));
  std::string v = value;
  v.erase(0, v.find_first_not_of(" \t"));
  std::string lowered = v;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (says("unescaped control characters") || says("encountered end-of-line") ||
      (says("parsing string") && says("end-of-file")))
    return "a text in quotes is not closed; add the closing \" at the end of the value";
  if (says("unknown escape sequence"))
    return "a backslash inside \"...\" starts an escape; write the path with / instead of \\, or "
           "in single quotes ('C:\\data')";
  if (v.rfind("\xE2\x80\x9C", 0) == 0 || v.rfind("\xE2\x80\x9D", 0) == 0 ||
      v.rfind("\xE2\x80\x98", 0) == 0)
    return "the value has typographic quotes (“ ”); use straight quotes: \"...\"";
  if (says("parsing boolean") || lowered.rfind("yes", 0) == 0 || lowered.rfind("no", 0) == 0 ||
      lowered.rfind("on", 0) == 0 || lowered.rfind("off", 0) == 0)
    return "yes-or-no settings are written true or false, in lower case";
  if (says("could not determine value type"))
    return "the value is not understood; put text in quotes (name = \"Brother_QL\"), write "
           "numbers as digits and yes or no as true or false";
  if (says("integer") || says("expected digit"))
    return "a number is written with digits only, without units or letters";
  if (says("table header") && says("expected ']'"))
    return "a section name is not closed; write it as [name]";
  if (says("cannot redefine existing table"))
    return "this section appears twice; keep one and move its settings there";
  if (says("cannot redefine existing"))
    return "this setting appears twice in its section; keep one of them";
  if (says("expected '='"))
    return "a setting needs = between its name and its value: name = \"value\"";
  if (says("expected a comment or whitespace"))
    return "there is more after the value; one setting per line, and text in quotes";
  if (says("parsing array") && says("end-of-file")) return "a list is not closed; end it with ]";
  if (says("parsing key"))
    return "a setting's name is missing or has characters a name cannot have; write name = "
           "\"value\", and start comments with #";
  // Whatever else the parser stumbled on: the shapes a line may have.
  return "this line is not a setting; settings look like name = \"value\", sections like "
         "[name], and comments start with #";
}

// ---------------------------------------------------------------------------
// [SECTION] Typed reads, each error naming its line and its fix
// ---------------------------------------------------------------------------

class Reader {
 public:
  Reader(const toml::table& root, const std::string& origin) : root_(root), origin_(origin) {}

  const toml::table* section(std::string_view name) const { return root_[name].as_table(); }
  bool failed() const { return error.has_value(); }

  // Text in quotes; `example` is a value for the fix ("door 1").
  void text(std::string_view sec, std::string_view key, std::string& out,
            std::string_view example) {
    const toml::node* n = find(sec, key);
    if (!n) return;
    if (!n->is_string())
      return fail(*n, sec, key,
                  "must be text in quotes, e.g. " + std::string(key) + " = \"" +
                      std::string(example) + "\"");
    out = n->as_string()->get();
  }
  void flag(std::string_view sec, std::string_view key, bool& out) {
    const toml::node* n = find(sec, key);
    if (!n) return;
    if (!n->is_boolean())
      return fail(
          *n, sec, key,
          "must be true or false, e.g. " + std::string(key) + " = " + (out ? "true" : "false"));
    out = n->as_boolean()->get();
  }
  void whole(std::string_view sec, std::string_view key, long lo, long hi, int& out,
             std::string_view unit = "") {
    const toml::node* n = find(sec, key);
    if (!n) return;
    const auto* v = n->as_integer();
    if (!v || v->get() < lo || v->get() > hi)
      return fail(*n, sec, key,
                  "must be a whole number from " + std::to_string(lo) + " to " +
                      std::to_string(hi) + (unit.empty() ? "" : " (" + std::string(unit) + ")") +
                      ", e.g. " + std::string(key) + " = " + std::to_string(out));
    out = static_cast<int>(v->get());
  }
  // A list of texts; `check` may refuse an item with a reason.
  template <typename Check>
  void texts(std::string_view sec, std::string_view key, std::vector<std::string>& out,
             std::string_view example, Check check) {
    const toml::node* n = find(sec, key);
    if (!n) return;
    const std::string fix = ", e.g. " + std::string(key) + " = " + std::string(example);
    const auto* arr = n->as_array();
    if (!arr) return fail(*n, sec, key, "must be a list of texts in quotes" + fix);
    for (const auto& item : *arr) {
      if (!item.is_string()) return fail(item, sec, key, "must be a list of texts in quotes" + fix);
      if (std::string why = check(item.as_string()->get()); !why.empty())
        return fail(item, sec, key, why + fix);
      out.push_back(item.as_string()->get());
    }
  }
  // A value the section needs: named at the section's own line.
  void require(std::string_view sec, std::string_view key, const std::string& value,
               std::string_view what) {
    if (failed() || !value.empty()) return;
    const toml::table* t = section(sec);
    error = Error{"config.value", origin_ + " " + (t ? line_of(*t) : std::string("line 1")) +
                                      ": [" + std::string(sec) + "] needs " + std::string(key) +
                                      " (" + std::string(what) + ")"};
  }
  void fail(const toml::node& at, std::string_view sec, std::string_view key,
            const std::string& problem, const char* code = "config.type") {
    if (failed()) return;
    error = Error{code, origin_ + " " + line_of(at) + ": [" + std::string(sec) + "] " +
                            std::string(key) + " " + problem};
  }
  const toml::node* find(std::string_view sec, std::string_view key) const {
    if (failed()) return nullptr;
    const toml::table* t = section(sec);
    return t ? t->get(key) : nullptr;
  }

  std::optional<Error> error;

 private:
  const toml::table& root_;
  const std::string& origin_;
};

std::string web_address(const std::string& u) {
  return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0
             ? ""
             : "must be an https:// or http:// address";
}

// ---------------------------------------------------------------------------
// [SECTION] The sections
// ---------------------------------------------------------------------------

void read_kiosk(Reader& r, Config& c) {
  std::string store, logo;
  r.text("kiosk", "store", store, "/var/lib/frontdesk/frontdesk.db");
  r.text("kiosk", "logo", logo, "/home/pi/logo.png");
  r.text("kiosk", "event", c.event, "june-meetup");
  r.text("kiosk", "door", c.door, "door 1");
  c.store = store;
  c.logo = logo;
  r.flag("kiosk", "admit_not_expected", c.admit_not_expected);
  r.flag("kiosk", "exit_door", c.exit_door);
  r.whole("kiosk", "idle_seconds", 5, 3600, c.idle_seconds, "seconds");
  r.flag("kiosk", "large_text", c.large_text);
  r.flag("kiosk", "high_contrast", c.high_contrast);
  r.text("kiosk", "language", c.language, "de");
  if (const toml::node* n = r.find("kiosk", "language");
      n && (c.language.empty() || c.language.size() > 16 ||
            c.language.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_") != std::string::npos))
    r.fail(*n, "kiosk", "language",
           "must be a language code with a file in the i18n folder, e.g. language = \"de\"",
           "config.value");
  if (const toml::node* n = r.find("kiosk", "door"); n && c.door.empty())
    r.fail(*n, "kiosk", "door", "must not be empty, e.g. door = \"door 1\"", "config.value");
}

void read_unattended(Reader& r, Config& c) {
  std::string dir;
  r.text("printer", "name", c.printer, "Brother_QL_820NWB");
  r.text("printer", "fallback", c.printer_fallback, "Office_Laser");
  std::string tmpl;
  r.text("printer", "template", tmpl, "/home/pi/.config/frontdesk/badge.toml");
  c.badge_template = tmpl;
  r.text("backup", "dir", dir, "/media/pi/FRONTDESK/backups");
  if (const toml::node* n = r.find("backup", "dir"); n && n->is_string() && dir.empty())
    r.fail(*n, "backup", "dir", "must be a folder, e.g. dir = \"/media/pi/FRONTDESK/backups\"",
           "config.type");
  c.backup_dir = dir;
  r.whole("backup", "every_minutes", 1, 1440, c.backup_every_minutes, "minutes");
  r.whole("backup", "quiet_minutes", 1, 1440, c.backup_quiet_minutes, "minutes");
  r.whole("backup", "keep", 1, 10000, c.backup_keep, "copies");
  r.texts("doctor", "services", c.service_urls, "[\"https://pretix.eu\"]", web_address);
  r.whole("doctor", "min_free_mb", 0, 1000000, c.min_free_mb, "MB");
  r.texts("tickets", "pretix_public_keys", c.pretix_public_keys, "[\"LS0tLS1CRUdJTi...\"]",
          [](const std::string&) { return std::string(); });
  r.text("tickets", "luma_event_id", c.luma_event_id, "evt-AbCdEf123");
}

void read_pretix(Reader& r, Config& c) {
  if (!r.section("pretix")) return;
  PretixSettings p;
  r.text("pretix", "url", p.url, "https://pretix.eu");
  r.text("pretix", "organizer", p.organizer, "pyconde");
  r.text("pretix", "event", p.event, "pycon2026");
  r.text("pretix", "token", p.token, "...");
  r.text("pretix", "init_token", p.init_token, "...");
  if (const toml::node* n = r.find("pretix", "checkin_list")) {
    if (!n->is_integer())
      r.fail(*n, "pretix", "checkin_list", "must be a number (its id), e.g. checkin_list = 12345");
    else
      p.checkin_list = n->as_integer()->get();
  }
  while (!p.url.empty() && p.url.back() == '/') p.url.pop_back();
  r.require("pretix", "url", p.url, "the installation, e.g. url = \"https://pretix.eu\"");
  r.require("pretix", "organizer", p.organizer, "its short name in pretix's addresses");
  r.require("pretix", "event", p.event, "its short name in pretix's addresses");
  if (const toml::node* n = r.find("pretix", "url"); n && !web_address(p.url).empty())
    r.fail(*n, "pretix", "url", "must start with https:// or http://", "config.value");
  if (!r.failed() && p.checkin_list <= 0)
    r.require("pretix", "checkin_list", "", "the check-in list's id, e.g. checkin_list = 12345");
  if (!r.failed()) c.pretix = p;
}

// Eventbrite, Meetup, Luma and the webhook: a url, an id and a secret.
template <typename Settings>
void read_service(Reader& r, std::string_view name, Settings s, std::string Settings::*id,
                  std::string_view id_key, std::string Settings::*secret,
                  std::string_view secret_key, std::optional<Settings>& out) {
  if (!r.section(name)) return;
  r.text(name, "url", s.url, "https://example.org");
  if (id) r.text(name, id_key, s.*id, "123456789012");
  r.text(name, secret_key, s.*secret, "...");
  if (id) r.require(name, id_key, s.*id, "the event's id at the service");
  if (!id) r.require(name, "url", s.url, "where to send check-ins");
  if (const toml::node* n = r.find(name, "url"); n && !web_address(s.url).empty())
    r.fail(*n, name, "url", "must start with https:// or http://", "config.value");
  if (!r.failed()) out = s;
}

// Meetup's access tokens expire within the hour: the settings that renew them.
void read_meetup(Reader& r, Config& c) {
  if (!r.section("meetup")) return;
  MeetupSettings m;
  r.text("meetup", "refresh_token", m.refresh_token, "...");
  r.text("meetup", "client_id", m.client_id, "...");
  r.text("meetup", "client_secret", m.client_secret, "...");
  r.text("meetup", "oauth_url", m.oauth_url, "https://secure.meetup.com/oauth2/access");
  if (const toml::node* n = r.find("meetup", "oauth_url"); n && !web_address(m.oauth_url).empty())
    r.fail(*n, "meetup", "oauth_url", "must start with https:// or http://", "config.value");
  read_service(r, "meetup", m, &MeetupSettings::event_id, "event_id", &MeetupSettings::token,
               "token", c.meetup);
}

void read_network(Reader& r, Config& c) {
  read_pretix(r, c);
  read_service(r, "eventbrite", EventbriteSettings{}, &EventbriteSettings::event_id, "event_id",
               &EventbriteSettings::token, "token", c.eventbrite);
  read_meetup(r, c);
  read_service(r, "luma", LumaSettings{}, &LumaSettings::event_id, "event_id",
               &LumaSettings::api_key, "api_key", c.luma);
  read_service<WebhookSettings>(r, "webhook", WebhookSettings{}, nullptr, "",
                                &WebhookSettings::secret, "secret", c.webhook);
  r.whole("sync", "pull_every", 1, 86400, c.sync.pull_every_s, "seconds");
  r.whole("sync", "max_refusals", 1, 86400, c.sync.max_refusals);
  r.whole("sync", "timeout", 1, 86400, c.sync.timeout_s, "seconds");
  r.flag("web", "serve", c.web_serve);
  r.text("web", "listen", c.web_listen, "0.0.0.0");
  r.whole("web", "port", 0, 65535, c.web_port, "a port number");
  r.whole("web", "loopback_port", 0, 65535, c.web_loopback_port, "a port number");
  r.texts("doors", "peers", c.door_peers, "[\"192.168.1.21:8443\"]", [](const std::string& p) {
    return p.size() > 64 ? std::string("holds \"host:port\" addresses") : std::string();
  });
  r.flag("doors", "discover", c.door_discover);
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
    const std::size_t line = e.source().begin.line;
    const std::string text = line_text(toml_text, line);
    return Error{"config.syntax",
                 origin + " line " + std::to_string(line) + ": " +
                     plain_syntax(std::string(e.description()), text) +
                     (text.empty() ? "" : " (the line reads: " + excerpt(text, 60) + ")")};
  }
  Reader r(t, origin);
  read_kiosk(r, c);
  read_unattended(r, c);
  read_network(r, c);
  if (r.error) return *r.error;
  c.notes = unknown_keys(t, origin);
  return c;
}

Result<Config> load_config(const std::filesystem::path& file, bool log_notes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Config{};
  // A settings file is a few KB; anything far larger is the wrong file.
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(file, ec); !ec && size > (1u << 20))
    return Error{"config.size", file.string() + " is " + std::to_string(size >> 10) +
                                    " KB; a settings file is a few KB. Is this the right file?"};
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
  if (log_notes)
    for (const std::string& note : c->notes) log_warning("warning: " + note);
  return c;
}

}  // namespace fd
