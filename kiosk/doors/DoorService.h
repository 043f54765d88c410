#pragma once
// Inside kiosk/doors only: the server side of the exchange, what a door
// answers another (its greeting, pages of its log and attendees, a long
// poll), shared by the routes and the exchange so a request in flight
// during shutdown never outlives it.
//
// Thread-safety: the routes run on the server's threads, many at once; the
// fields under `mutex` and the hooks are guarded, the rest set before the
// routes are mounted.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "doors/DoorSecret.h"
#include "doors/DoorServing.h"
#include "doors/Wire.h"

namespace fd {

class Engine;

struct DoorService {
  DoorService(Engine& e, std::function<bool()> stopping)
      : engine(e), stopping(std::move(stopping)) {}
  Engine& engine;
  const std::function<bool()> stopping;  // the server's: long polls end
  std::filesystem::path config_dir;
  std::string event_slug;
  std::string device_id;
  std::string host;  // this door's host key
  std::chrono::milliseconds max_wait{25000};
  mutable std::mutex mutex;
  std::vector<std::string> addresses;        // where this door answers now
  std::vector<std::string> peers;            // "device@host:port", told to peers in the greeting
  std::map<std::string, std::string> names;  // device -> name of the doors this one knows
  // What a greeting tells the exchange; cleared (under hooks_mutex) before
  // the exchange goes, as a request may still be answered meanwhile.
  struct Hooks {
    // A door that greets us says where it answers: we pull from it too.
    std::function<void(const std::string& device, const std::vector<std::string>& addresses,
                       const std::string& host)>
        learn;
    // It is up: a link to it that waits to retry need not wait.
    std::function<void(const std::string& device)> greeted_by;
  };
  void set_hooks(Hooks h) {
    std::lock_guard lock(hooks_mutex);
    hooks = std::move(h);
  }
  void learn(const std::string& device, const std::vector<std::string>& addresses,
             const std::string& host) const {
    std::lock_guard lock(hooks_mutex);
    if (hooks.learn) hooks.learn(device, addresses, host);
  }
  void greeted_by(const std::string& device) const {
    std::lock_guard lock(hooks_mutex);
    if (hooks.greeted_by) hooks.greeted_by(device);
  }
  // The event's door secret, read once it exists: `frontdesk doors pair`
  // may run while this door already serves.
  std::string secret() const {
    std::lock_guard lock(mutex);
    if (cached_secret.empty())
      if (auto s = load_door_secret(config_dir, event_slug)) cached_secret = *s;
    return cached_secret;
  }
  // The greeting for a door on `their_host`: this door's loopback
  // addresses, and those of doors it reaches on this host, only for a door
  // on this host too.
  DoorHello hello_for(const std::string& their_host) const;

 private:
  mutable std::string cached_secret;  // guarded by mutex
  mutable std::mutex hooks_mutex;
  Hooks hooks;  // guarded by hooks_mutex
};

// Mounts /doors/v1/hello, /log and /attendees through `serving`; each
// answers only a request signed with the event's door secret.
void mount_door_routes(const DoorServing& serving, const std::shared_ptr<DoorService>& service);

}  // namespace fd
