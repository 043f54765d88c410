#pragma once
// Resolves where things live (flags > config > XDG defaults), opens the
// store through the engine and picks the event: what every subcommand that
// touches attendees needs.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "badge/BadgeTemplate.h"
#include "config/Config.h"
#include "engine/Engine.h"
#include "shell/Shell.h"

namespace fd {

struct GlobalOptions {
  std::string data_dir;    // --data-dir
  std::string config_dir;  // --config-dir
  std::string store;       // --store
  std::string event;       // --event (slug or name)
  std::string door;        // --door
  bool quiet = false;
};

struct SessionOptions {
  bool create_event = false;  // an unknown --event name is created (import)
  bool require_event = true;  // false: store-wide commands (event list)
};

class Session {
 public:
  // Starts the engine on the store and the event; errors in plain words.
  static Result<std::unique_ptr<Session>> open(const GlobalOptions& g, SessionOptions o = {});

  Engine& engine() { return *engine_; }
  // For the door's shell, which owns the engine from then on.
  std::unique_ptr<Engine> take_engine() { return std::move(engine_); }
  const Config& config() const { return config_; }
  const std::filesystem::path& store_path() const { return store_path_; }
  const std::filesystem::path& config_dir() const { return config_dir_; }

 private:
  Config config_;
  std::filesystem::path store_path_;
  std::filesystem::path config_dir_;
  std::unique_ptr<Engine> engine_;
};

// What a door process (the kiosk, `frontdesk serve`) runs besides the engine:
// the camera, the print worker with the badge template, the PIN file.
struct DoorSetup {
  BadgeTemplate badge = default_badge_template();
  ShellOptions shell;
};
Result<DoorSetup> door_setup(const Session& session, const std::string& camera);

class WebServer;
// The door exchange of a door process, serving on `server` (it starts
// sharing once the event is paired). Returns nullptr with `note` set when
// it cannot start. Add it to the shell BEFORE the server, so the server
// (and its requests in flight) stops first. `advertise`: where other doors should reach this one,
// instead of the server's own addresses (a door behind port forwarding; "none": only the config's
// peers reach out).
std::unique_ptr<Worker> start_door_exchange(Engine& engine, WebServer& server,
                                            const Session& session, std::string& note,
                                            const std::vector<std::string>& advertise = {});

struct PairingCode;
struct JoinReport;
// Joins this door to the event of a pairing code (`frontdesk doors join`,
// the kiosk's organizer screen): opens the store on the code's event,
// creating it, and pulls the list and the log from the first door
// (doors/Join.h). The engine it opens is closed before it returns.
Result<JoinReport> join_event(const GlobalOptions& g, const PairingCode& code);

// The unattended door's workers from the config (sync with the services it
// names, [backup]), added to a door process's shell: the kiosk and
// `frontdesk serve` call this.
void add_unattended_workers(Shell& shell, const Session& session);

Result<Config> resolve_config(const GlobalOptions& g);
std::filesystem::path resolve_config_dir(const GlobalOptions& g);
std::filesystem::path resolve_store_path(const GlobalOptions& g, const Config& c);

}  // namespace fd
