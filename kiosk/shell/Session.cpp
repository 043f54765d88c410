#include "app/Session.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "backup/BackupWorker.h"
#include "base/Paths.h"
#include "doors/DoorExchange.h"
#include "doors/Join.h"
#include "sync/SyncWorker.h"
#include "tickets/Ticket.h"
#include "web/WebServer.h"

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

std::unique_ptr<Worker> start_door_exchange(Engine& engine, WebServer& server,
                                            const Session& session, std::string& note,
                                            const std::vector<std::string>& advertise) {
  DoorsOptions o;
  o.config_dir = session.config_dir();
  o.addresses = door_addresses(server.endpoints());
  if (!advertise.empty()) {
    o.addresses.clear();
    for (const std::string& a : advertise)
      if (a != "none") o.addresses.push_back(a);
  }
  o.static_peers = session.config().door_peers;
  o.discover = session.config().door_discover;
  auto doors = DoorExchange::start(engine, server, o);
  if (!doors) {
    note = doors.error().message;
    return nullptr;
  }
  note = (*doors)->health().message;
  return std::move(*doors);
}

Result<JoinReport> join_event(const GlobalOptions& g, const PairingCode& code) {
  // Opening the store on an event makes it the store's current one: a join
  // that fails leaves the door's current event as it was.
  std::string before;
  if (auto was = Session::open(g, {.require_event = false}))
    before = (*was)->engine().snapshot()->event.slug;
  GlobalOptions on_event = g;
  on_event.event = code.event_slug;
  auto s = Session::open(on_event, {.create_event = true});
  if (!s) return s.error();
  auto joined = join_door((*s)->engine(), (*s)->config_dir(), code);
  if (!joined && !before.empty() && before != code.event_slug) {
    s->reset();
    GlobalOptions back = g;
    back.event = before;
    (void)Session::open(back);
  }
  return joined;
}

void add_unattended_workers(Shell& shell, const Session& session) {
  const Config& cfg = session.config();
  // Sync with the RSVP services in the background when one is configured:
  // the outbox is delivered and the list pulled while the door works.
  if (cfg.has_sync()) {
    ConnectorOptions co;
    co.timeout = std::chrono::seconds(cfg.sync.timeout_s);
    co.state_dir = session.config_dir();
    SyncWorkerOptions so;
    so.sync.max_refusals = cfg.sync.max_refusals;
    so.pull_every = std::chrono::seconds(cfg.sync.pull_every_s);
    shell.add(std::make_unique<SyncWorker>(
        shell.engine(), [cfg, co] { return make_connectors(cfg, co); }, so));
  }
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
