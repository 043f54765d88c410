#include "app/Session.h"

#include "backup/BackupWorker.h"
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

Result<std::unique_ptr<Session>> Session::open(const GlobalOptions& g, SessionOptions o) {
  auto config = resolve_config(g);
  if (!config) return config.error();
  const auto path = resolve_store_path(g, *config);
  if (path.has_parent_path() && path != ":memory:") {
    std::error_code ec;
    if (!std::filesystem::exists(path.parent_path(), ec)) ensure_private_dir(path.parent_path());
  }
  EngineOptions opts;
  opts.event = g.event.empty() ? config->event : g.event;
  opts.create_event = o.create_event;
  opts.require_event = o.require_event;
  opts.door = config->door;
  opts.admit_not_expected = config->admit_not_expected;
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

Result<DoorSetup> door_setup(const Session& session, const std::string& camera) {
  DoorSetup d;
  const Config& cfg = session.config();
  // The badge template: the config's, else badge.toml next to it.
  const std::filesystem::path tfile =
      !cfg.badge_template.empty() ? cfg.badge_template : session.config_dir() / "badge.toml";
  if (std::filesystem::exists(tfile)) {
    auto t = load_badge_template(tfile);
    if (!t) return t.error();
    d.badge = *t;
  }
  d.shell.camera = camera;
  d.shell.pin_file = session.config_dir() / "organizer.pin";
  if (!cfg.printer.empty()) {
    PrintOptions po;
    po.printer = cfg.printer;
    po.fallback = cfg.printer_fallback;
    po.badge = d.badge;
    d.shell.printing = po;
  }
  return d;
}

void add_unattended_workers(Shell& shell, const Session& session) {
  const Config& cfg = session.config();
  if (!cfg.backup_dir.empty() && session.store_path() != ":memory:") {
    BackupOptions o;
    o.store = session.store_path();
    o.dir = cfg.backup_dir;
    o.every = std::chrono::minutes(cfg.backup_every_minutes);
    o.quiet = std::chrono::minutes(cfg.backup_quiet_minutes);
    o.keep = cfg.backup_keep;
    shell.add(std::make_unique<BackupWorker>(shell.engine(), o));
  }
}

}  // namespace fd
