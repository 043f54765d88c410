#pragma once
// Resolves where things live (flags > config > XDG defaults), opens the
// store, picks the event and starts the engine: what every subcommand that
// touches attendees needs.
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

std::string slugify(const std::string& name);

class Session {
 public:
  // Opens the store and the event. With create_event, an unknown event name
  // is created (import does this); otherwise it is an error.
  static Result<std::unique_ptr<Session>> open(const GlobalOptions& g, bool create_event = false);
  // Only the store, for commands that work across events.
  static Result<std::unique_ptr<Store>> open_store(const GlobalOptions& g);

  Engine& engine() { return *engine_; }
  const Config& config() const { return config_; }
  const std::filesystem::path& store_path() const { return store_path_; }

 private:
  Config config_;
  std::filesystem::path store_path_;
  std::unique_ptr<Engine> engine_;
};

Result<Config> resolve_config(const GlobalOptions& g);
std::filesystem::path resolve_store_path(const GlobalOptions& g, const Config& c);

}  // namespace fd
