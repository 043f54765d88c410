#include "app/Session.h"

#include <cctype>

#include "base/Paths.h"
#include "tickets/Ticket.h"

namespace fd {

std::string slugify(const std::string& name) {
  std::string out;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
      dash = false;
    } else if (c >= 0x80) {
      out += static_cast<char>(c);  // keep non-ASCII names recognisable
      dash = false;
    } else if (!out.empty() && !dash) {
      out += '-';
      dash = true;
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "event" : out;
}

Result<Config> resolve_config(const GlobalOptions& g) {
  const std::filesystem::path dir =
      g.config_dir.empty() ? default_config_dir() : std::filesystem::path(g.config_dir);
  auto config = load_config(dir / "frontdesk.toml");
  if (!config) return config;
  if (!g.door.empty()) config->door = g.door;
  return config;
}

std::filesystem::path resolve_store_path(const GlobalOptions& g, const Config& c) {
  if (!g.store.empty()) return g.store;
  if (!g.data_dir.empty()) return std::filesystem::path(g.data_dir) / "frontdesk.db";
  if (!c.store.empty()) return c.store;
  return default_data_dir() / "frontdesk.db";
}

Result<std::unique_ptr<Store>> Session::open_store(const GlobalOptions& g) {
  auto config = resolve_config(g);
  if (!config) return config.error();
  const auto path = resolve_store_path(g, *config);
  if (path.has_parent_path() && path != ":memory:") {
    std::error_code ec;
    if (!std::filesystem::exists(path.parent_path(), ec)) ensure_private_dir(path.parent_path());
  }
  return Store::open(path);
}

Result<std::unique_ptr<Session>> Session::open(const GlobalOptions& g, bool create_event) {
  auto config = resolve_config(g);
  if (!config) return config.error();
  auto store = open_store(g);
  if (!store) return store.error();

  std::string wanted = g.event.empty() ? config->event : g.event;
  if (wanted.empty()) wanted = (*store)->meta("current_event").value_or("");
  std::optional<EventRecord> event;
  if (wanted.empty()) {
    const auto all = (*store)->events();
    if (all.size() == 1) event = all.front();
    if (!event) {
      if (all.empty())
        return Error{"event.none",
                     "No events yet. Import an attendee list first: frontdesk import FILE.csv "
                     "--event \"Event name\""};
      std::string names;
      for (const auto& e : all) names += "\n  " + e.slug + "  (" + e.name + ")";
      return Error{"event.ambiguous", "Which event? Pass --event SLUG. Events:" + names};
    }
  } else {
    event = (*store)->event_by_slug(wanted);
    if (!event) event = (*store)->event_by_slug(slugify(wanted));
    if (!event && create_event) event = (*store)->create_event(slugify(wanted), wanted);
    if (!event) {
      std::string names;
      for (const auto& e : (*store)->events()) names += "\n  " + e.slug + "  (" + e.name + ")";
      return Error{"event.unknown",
                   "No event called '" + wanted + "'." + (names.empty() ? "" : " Events:" + names)};
    }
  }
  (*store)->set_meta("current_event", event->slug);

  auto s = std::unique_ptr<Session>(new Session());
  s->config_ = *config;
  s->store_path_ = resolve_store_path(g, *config);
  EngineOptions opts;
  opts.event_id = event->id;
  opts.door = config->door;
  opts.admit_not_expected = config->admit_not_expected;
  for (const std::string& k : config->pretix_public_keys) {
    auto key = pretix_public_key(k);
    if (!key) return Error{"config.key", "[tickets] pretix_public_keys: " + key.error().message};
    opts.tickets.pretix_keys.push_back(*key);
  }
  opts.tickets.luma_event_id = config->luma_event_id;
  s->engine_ = std::make_unique<Engine>(std::move(*store), opts);
  return s;
}

}  // namespace fd
