#pragma once
// Several doors, one event. Each door keeps a full copy and admits on its
// own (availability over consistency: no leader, no quorum, so a door goes
// on admitting while the Wi-Fi is down). Doors keep in step by exchanging
// their append-only logs and attendee lists over the organizer web's
// server: a peer pulls what it has not seen, by the serving store's
// sequence number (its own entries and those it got from others, so
// messages also travel around a door that cannot be reached directly), and
// holds a long poll open so a check-in at one door reaches the others
// within a second. Merging is a set union by UUID; presence is derived from
// the merged log, and a person admitted at two doors while they could not
// reach each other is a double entry, listed for organizers.
//
// The exchange serves /doors/v1/... on the door's WebServer and runs one
// thread per peer it knows (from the pairing code, the config, what peers
// tell of theirs, and DNS-SD on the LAN through Avahi).
//
// Thread-safety: construct and destroy on one thread; health(), add_peer()
// and peers_known() from any thread.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/Error.h"
#include "base/Worker.h"
#include "doors/Wire.h"
#include "model/Peer.h"

namespace fd {

class Engine;
class WebServer;
class Discovery;

struct DoorsOptions {
  std::filesystem::path config_dir;       // where the event's door secret lives
  std::vector<std::string> addresses;     // where this door answers ("host:port")
  std::vector<std::string> static_peers;  // [doors] peers in the config
  std::chrono::milliseconds long_poll{20000};
  std::chrono::milliseconds connect_timeout{1500};
  std::chrono::milliseconds retry_max{2000};  // a healed link is back within about this long
  bool discover = true;                       // DNS-SD through Avahi, where the daemon runs
};

// What a door answers to another (the server side of the exchange), shared
// by the routes so a request in flight during shutdown never outlives it.
struct DoorService;

class DoorExchange : public Worker {
 public:
  // Mounts the routes on `server` and starts the peer links. A door not
  // paired yet serves "not paired" and starts exchanging once the event's
  // door secret appears (`frontdesk doors pair` / `join` while it runs).
  static Result<std::unique_ptr<DoorExchange>> start(Engine& engine, WebServer& server,
                                                     DoorsOptions options);
  ~DoorExchange() override;
  DoorExchange(const DoorExchange&) = delete;
  DoorExchange& operator=(const DoorExchange&) = delete;

  // A peer heard of (discovery, gossip, a join): "host:port", optionally
  // with its device id ("device@host:port").
  void add_peer(const std::string& address, const std::string& device_id = "");
  WorkerHealth health() const override;

 private:
  struct Link;
  DoorExchange(Engine& engine, DoorsOptions options);
  void run_link(Link& link, std::stop_token stop);
  // The greeting on one of `link`'s addresses named its door: one link per
  // door, and a link's cursors only ever meet the door they belong to.
  std::optional<Error> greeted(Link& link, const std::string& address, const PeerRecord& peer);
  // What the store remembers of a door (cursors, name), or a fresh record.
  PeerRecord remembered(const std::string& device_id,
                        const std::vector<std::string>& addresses) const;
  void start_link_locked(PeerRecord record);  // mutex_ held
  // A door greeted this one: its link (or one not knowing whose it is)
  // retries now rather than after its backoff.
  void wake(const std::string& device_id);
  bool rest(Link& link, std::stop_token& stop, std::chrono::milliseconds d);

  Engine& engine_;
  DoorsOptions options_;
  std::shared_ptr<DoorService> service_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Link>> links_;  // guarded by mutex_
  std::vector<std::string> own_addresses_;    // learnt: they reach this door; mutex_
  std::unique_ptr<Discovery> discovery_;
};

// One exchange with one peer, done once: what `frontdesk doors join` does
// right after pairing (the attendee list and log travel with the pairing),
// and what each link does in its loop. Returns what it learnt of the peer.
struct DoorPull {
  PeerRecord peer;
  int attendees = 0;  // merged
  std::size_t entries = 0;
  DoorHello hello;
};
// Called once the peer has said who it is, before anything is merged: an
// error stops the exchange (this address answers as another door, or
// another link already follows this one).
using Greeted = std::function<std::optional<Error>(const PeerRecord&)>;
Result<DoorPull> pull_from_door(Engine& engine, const std::string& secret,
                                const std::string& address, PeerRecord peer,
                                std::chrono::milliseconds long_poll,
                                std::chrono::milliseconds connect_timeout,
                                const std::vector<std::string>& my_addresses = {},
                                const Greeted& greeted = {});

}  // namespace fd

// door_addresses(): in doors/Join.h.
