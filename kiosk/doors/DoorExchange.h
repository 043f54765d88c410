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
// The exchange answers /doors/v1/... on the door's web server and runs one
// thread per peer it knows (from the pairing code, the config, what peers
// tell of theirs, and DNS-SD on the LAN through Avahi). It knows no web
// server: the door process (shell/DoorProcess) mounts its routes there
// (DoorServing), so data flows one way, from the server into the exchange.
//
// Addresses: a door tells others where it answers (its greeting, DNS-SD,
// the pairing code), following the machine's interfaces as DHCP renumbers
// them; loopback addresses only ever go to, and are only dialled for, doors
// on the same host (doors/Reach.h). A door heard of at a new address (DNS-SD
// resolves it there, or it greets from there) is tried there at once, and
// an address that stopped answering while another works is dropped.
//
// Thread-safety: construct and destroy on one thread; health() and
// add_peer() from any thread.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "base/Worker.h"
#include "doors/DoorPull.h"
#include "doors/DoorServing.h"
#include "doors/Wire.h"
#include "model/Peer.h"

namespace fd {

class Engine;
class Discovery;

struct DoorsOptions {
  std::filesystem::path config_dir;  // where the event's door secret lives
  // Where this door answers ("host:port").
  std::vector<std::string> addresses;
  // Where it answers now, asked every second: the server's own listeners
  // on the machine's interfaces (no --advertise), so a DHCP lease that
  // renumbers the door is told to the others within about a second.
  // Empty: `addresses` stay as given.
  std::function<std::vector<std::string>()> follow;
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
  // Mounts the routes through `serving` and starts the peer links. A door
  // not paired yet serves "not paired" and starts exchanging once the
  // event's door secret appears (`frontdesk doors pair` / `join` while it runs).
  static Result<std::unique_ptr<DoorExchange>> start(Engine& engine, const DoorServing& serving,
                                                     DoorsOptions options);
  ~DoorExchange() override;
  DoorExchange(const DoorExchange&) = delete;
  DoorExchange& operator=(const DoorExchange&) = delete;

  // How a door's address was heard of. DNS-SD and the door's own greeting
  // say where it answers now: such an address is tried first, at once.
  enum class Heard { Config, Discovery, Greeting, Gossip, Elsewhere };
  // A door heard of at "host:port" (its device id when known). `host`: the
  // host key of the door that said so ("" unknown): a loopback address is
  // taken only from this host.
  void add_peer(const std::string& address, const std::string& device_id, Heard heard,
                const std::string& host);
  WorkerHealth health() const override;

 private:
  struct Link;
  struct Round;
  DoorExchange(Engine& engine, DoorsOptions options);
  void run_link(Link& link, std::stop_token stop);
  // One pass over the link's addresses until one answers.
  Round try_addresses(Link& link, PeerRecord rec, const std::string& secret, std::stop_token& stop);
  // What a round learnt goes into the link (addresses, when each answered).
  bool settle(Link& link, Round& round);
  void remember_address_locked(Link& link, const std::string& address, Heard heard,
                               bool interrupt);  // the link's mutex held
  // A door said where it answers now (its greeting's `from`).
  void door_says(const std::string& device_id, const std::vector<std::string>& addresses,
                 const std::string& host);
  // Follows the machine's interfaces; tells the store where this door answers.
  void watch(std::stop_token stop);
  void set_addresses(std::vector<std::string> addresses);
  void save_listener(bool stopping);
  void refresh_discovery();
  bool is_static(const std::string& address) const;  // from the config: never dropped
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
  std::string my_host_;  // this_host(), once
  std::string process_;  // this_process(), once
  std::shared_ptr<DoorService> service_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Link>> links_;  // guarded by mutex_
  std::vector<std::string> addresses_;        // where this door answers now; mutex_
  std::vector<std::string> own_addresses_;    // learnt: they reach this door; mutex_
  // Not under mutex_: Avahi's thread holds its own lock while it calls
  // add_peer(), which takes mutex_.
  std::mutex discovery_mutex_;
  std::unique_ptr<Discovery> discovery_;  // guarded by discovery_mutex_
  std::jthread watcher_;                  // last: stopped first
};

}  // namespace fd
