#pragma once
// Resolves where things live (flags > config > XDG defaults), opens the
// store through the engine and picks the event: what every subcommand that
// touches attendees needs, and the first step of a door process
// (shell/DoorProcess.h).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "config/Config.h"
#include "engine/Engine.h"

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
  bool make_current = false;  // the event becomes the store's current one (event use)
};

class Session {
 public:
  // Starts the engine on the store and the event; errors in plain words.
  static Result<std::unique_ptr<Session>> open(const GlobalOptions& g, SessionOptions o = {});

  Engine& engine() { return *engine_; }
  // For the door process's shell, which owns the engine from then on.
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

Result<Config> resolve_config(const GlobalOptions& g);
std::filesystem::path resolve_config_dir(const GlobalOptions& g);
std::filesystem::path resolve_store_path(const GlobalOptions& g, const Config& c);

}  // namespace fd
