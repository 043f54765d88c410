#include "shell/Session.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/Paths.h"
#include "tickets/Ticket.h"

namespace fd {

std::filesystem::path resolve_config_dir(const GlobalOptions& g) {
  return g.config_dir.empty() ? default_config_dir() : std::filesystem::path(g.config_dir);
}

Result<Config> resolve_config(const GlobalOptions& g) {
  auto config = load_config(resolve_config_dir(g) / "frontdesk.toml");
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

namespace {
// The store's folder must be writable: SQLite keeps its -wal and -shm files
// beside the store. Under a read-only root (an overlay, a locked SD card) the
// default folder is not, and the person needs to hear what to do about it.
Result<bool> ensure_store_dir(const std::filesystem::path& dir) {
  const std::string hint =
      ". Keep the store on a writable, durable partition: --data-dir DIR, or store = "
      "\"/path/to/frontdesk.db\" under [kiosk] in frontdesk.toml";
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    try {
      ensure_private_dir(dir);
    } catch (const std::filesystem::filesystem_error& e) {
      return Error{"store.dir", "Cannot create the store's folder " + dir.string() + ": " +
                                    e.code().message() + hint};
    }
  }
  if (::access(dir.c_str(), W_OK) != 0)
    return Error{"store.dir", "The store's folder " + dir.string() + " is not writable (" +
                                  std::strerror(errno) + ")" + hint};
  return true;
}
}  // namespace

Result<std::unique_ptr<Session>> Session::open(const GlobalOptions& g, SessionOptions o) {
  auto config = resolve_config(g);
  if (!config) return config.error();
  const auto path = resolve_store_path(g, *config);
  if (path != ":memory:") {
    auto dir = ensure_store_dir(path.has_parent_path() ? path.parent_path() : ".");
    if (!dir) return dir.error();
  }
  EngineOptions opts;
  opts.event = g.event.empty() ? config->event : g.event;
  opts.create_event = o.create_event;
  opts.make_current = o.make_current;
  opts.require_event = o.require_event;
  opts.door = config->door;
  opts.admit_not_expected = config->admit_not_expected;
  opts.exit_door = config->exit_door;
  for (const std::string& k : config->pretix_public_keys) {
    auto key = pretix_public_key(k);
    if (!key) return Error{"config.key", "[tickets] pretix_public_keys: " + key.error().message};
    opts.tickets.pretix_keys.push_back(*key);
  }
  opts.tickets.luma_event_id = config->luma_event_id;
  auto engine = Engine::open(path, opts);
  if (!engine) return engine.error();

  auto s = std::unique_ptr<Session>(new Session());
  s->config_ = *config;
  s->store_path_ = path;
  s->config_dir_ = resolve_config_dir(g);
  s->engine_ = std::move(*engine);
  return s;
}

}  // namespace fd
