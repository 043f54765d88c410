#include "shell/DoorProcess.h"

#include "backup/BackupWorker.h"
#include "base/Log.h"
#include "doors/DoorExchange.h"
#include "sync/SyncWorker.h"
#include "web/DoorWeb.h"
#include "web/WebServer.h"

namespace fd {

namespace {

// The badge template: the config's, else badge.toml next to it, else the
// built-in one.
Result<BadgeTemplate> badge_template(const Config& cfg, const std::filesystem::path& config_dir) {
  const std::filesystem::path file =
      !cfg.badge_template.empty() ? cfg.badge_template : config_dir / "badge.toml";
  if (!std::filesystem::exists(file)) return default_badge_template();
  return load_badge_template(file);
}

// The exchange answers other doors on this door's web server. It knows no
// web server (doors/ does not depend on web/): its routes are mounted here,
// each request turned into the exchange's DoorAsk and its DoorReply back.
// The routes belong to the server, so `server` outlives every call.
DoorServing serving_on(WebServer& server) {
  DoorServing serving;
  serving.mount = [&server](const std::string& path, DoorHandler handle) {
    server.mount("GET", path, [handle = std::move(handle)](const WebRequest& r, WebResponse& out) {
      const DoorAsk ask{r.method,
                        r.path,
                        r.query,
                        r.body,
                        r.remote_addr,
                        [&r](std::string_view name) { return r.header(name); },
                        [&r](std::string_view name) { return r.query_param(name); }};
      DoorReply reply = handle(ask);
      for (auto& [name, value] : reply.headers) out.set_header(std::move(name), std::move(value));
      if (reply.status == 200)
        out.json(200, std::move(reply.body));
      else
        out.text(reply.status, std::move(reply.body));
    });
  };
  serving.stopping = [&server] { return server.stopping(); };
  return serving;
}

// Opens the engine on the code's event (creating it) and joins; the engine
// is closed when this returns, whatever happened.
Result<JoinReport> join_with_engine(const GlobalOptions& g, const PairingCode& code) {
  GlobalOptions on_event = g;
  on_event.event = code.event_slug;
  auto s = Session::open(on_event, {.create_event = true});
  if (!s) return s.error();
  auto joined = join_door((*s)->engine(), (*s)->config_dir(), code);
  // Only a join that worked moves the door to the event: opening the store
  // on it did not (Engine: make_current).
  if (joined) (*s)->engine().run(MakeEventCurrent{});
  return joined;
}

}  // namespace

Result<JoinReport> join_event(const GlobalOptions& g, const PairingCode& code) {
  return join_with_engine(g, code);
}

Result<std::unique_ptr<DoorProcess>> DoorProcess::open(DoorProcessOptions o) {
  auto door = std::unique_ptr<DoorProcess>(new DoorProcess());
  // 1. The store and the event: a join first, on an engine of its own that
  // is closed before the door's engine opens (one engine at a time).
  if (o.join) {
    door->join_result_ = join_with_engine(o.where, *o.join);
    if (*door->join_result_) o.where.event = (*door->join_result_)->event_slug;
  }
  door->pinned_event_ = !o.where.event.empty() && !o.join;
  auto session = Session::open(o.where);
  if (!session) return session.error();
  auto started = door->start(o, std::move(*session));
  if (!started) return started.error();
  return door;
}

Result<bool> DoorProcess::start(const DoorProcessOptions& o, std::unique_ptr<Session> session) {
  config_ = session->config();
  config_dir_ = session->config_dir();
  store_path_ = session->store_path();
  pin_file_ = config_dir_ / "organizer.pin";
  auto badge = badge_template(config_, config_dir_);
  if (!badge) return badge.error();
  badge_ = *badge;

  // 2. The shell: camera, scanner and the print worker around the engine.
  ShellOptions so;
  so.camera = o.camera;
  so.camera_width = o.camera_width;
  so.camera_height = o.camera_height;
  if (!config_.printer.empty()) {
    PrintOptions po;
    po.printer = config_.printer;
    po.fallback = config_.printer_fallback;
    po.badge = badge_;
    so.printing = po;
  }
  shell_ = std::make_unique<Shell>(session->take_engine(), so);

  // 3. and 4. The web server with the door exchange on it.
  if (o.serve.value_or(config_.web_serve))
    start_web(o);
  else
    web_problem_ =
        "This door does not serve the other doors: set serve = true under [web] in "
        "frontdesk.toml, then restart it.";
  // 5. Sync and backup, as the config asks.
  add_unattended_workers();
  return true;
}

void DoorProcess::start_web(const DoorProcessOptions& o) {
  DoorWebOptions wo;
  wo.listen = o.listen.empty() ? config_.web_listen : o.listen;
  wo.port = o.port >= 0 ? o.port : config_.web_port;
  wo.loopback_port = o.loopback_port >= 0 ? o.loopback_port : config_.web_loopback_port;
  wo.config_dir = config_dir_;
  wo.language = o.language.empty() ? config_.language : o.language;
  wo.i18n_dirs = o.i18n_dirs;
  wo.health = [shell = shell_.get()] { return shell->health(); };
  auto web = start_door_web(shell_->engine(), wo);
  if (!web) {
    web_problem_ = "This door's web server did not start: " + web.error().message;
    return;
  }
  served_ = Served{web->url, web->local_url, web->fingerprint};

  DoorsOptions d;
  d.config_dir = config_dir_;
  d.addresses = door_addresses(web->server->endpoints());
  // No --advertise: where this door answers is wherever its server does,
  // on whatever addresses the machine has at the time.
  d.follow = [endpoints = web->server->endpoints()] { return door_addresses(endpoints); };
  if (!o.advertise.empty()) {
    d.addresses.clear();
    d.follow = nullptr;
    for (const std::string& a : o.advertise)
      if (a != "none") d.addresses.push_back(a);
  }
  door_addresses_ = d.addresses;
  d.static_peers = config_.door_peers;
  d.discover = config_.door_discover;
  // The exchange first, so that the server (and its requests in flight)
  // stops before it.
  if (auto doors = DoorExchange::start(shell_->engine(), serving_on(*web->server), d)) {
    doors_note_ = (*doors)->health().message;
    exchange_running_ = true;
    shell_->add(std::move(*doors));
  } else {
    doors_note_ = doors.error().message;
    web_problem_ = "The exchange with other doors did not start: " + doors_note_;
  }
  shell_->add(std::move(web->server));
}

void DoorProcess::add_unattended_workers() {
  // Sync with the RSVP services in the background when one is configured:
  // the outbox is delivered and the list pulled while the door works.
  if (config_.has_sync()) {
    ConnectorOptions co;
    co.timeout = std::chrono::seconds(config_.sync.timeout_s);
    co.state_dir = config_dir_;
    SyncWorkerOptions so;
    so.sync.max_refusals = config_.sync.max_refusals;
    so.pull_every = std::chrono::seconds(config_.sync.pull_every_s);
    shell_->add(std::make_unique<SyncWorker>(
        shell_->engine(), [cfg = config_, co] { return make_connectors(cfg, co); }, so));
  }
  if (!config_.backup_dir.empty() && store_path_ != ":memory:") {
    BackupOptions b;
    b.store = store_path_;
    b.dir = config_.backup_dir;
    b.every = std::chrono::minutes(config_.backup_every_minutes);
    b.quiet = std::chrono::minutes(config_.backup_quiet_minutes);
    b.keep = config_.backup_keep;
    shell_->add(std::make_unique<BackupWorker>(shell_->engine(), b));
  }
}

Result<PairingCode> DoorProcess::pairing_code() {
  if (!exchange_running_) return Error{"pairing.serve", web_problem_};
  return make_pairing_code(shell_->engine(), config_dir_, door_addresses_);
}

std::optional<std::string> DoorProcess::moved_to() {
  if (pinned_event_) return std::nullopt;
  Engine& engine = shell_->engine();
  const std::string current = engine.current_event().get();
  if (current.empty() || current == engine.snapshot()->event.slug) return std::nullopt;
  return current;
}

DoorProcess::~DoorProcess() = default;

}  // namespace fd
