#pragma once
// Asking another door: one signed exchange (its greeting, then its
// attendees and log, merged through engine commands), for `frontdesk doors
// join` and for each link of the exchange.
//
// Thread-safety: pull_from_door() uses the engine's thread-safe commands
// and reads; a CallInterrupt may be used from any thread.
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "doors/Wire.h"
#include "model/Peer.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace fd {

class Engine;

// Pages of attendees or log entries asked for (and served) at once.
inline constexpr std::size_t kDoorPage = 1000;

// Lets another thread end a link's call in flight: its door answers
// elsewhere now, or this door's own address changed under the connection.
// httplib's Client::stop() shuts the socket down, and the call returns.
class CallInterrupt {
 public:
  // False when interrupted already: do not start the call.
  bool attach(httplib::Client* client);
  // True when the call was interrupted.
  bool detach();
  void interrupt();
  void reset();

 private:
  std::mutex mutex_;
  httplib::Client* client_ = nullptr;  // guarded by mutex_
  bool interrupted_ = false;           // guarded by mutex_
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
struct PullOptions {
  std::chrono::milliseconds long_poll{0};  // 0: take what there is and return
  std::chrono::milliseconds connect_timeout{3000};
  std::vector<std::string> my_addresses;  // told in the greeting (loopback only to this host)
  Greeted greeted;
  CallInterrupt* interrupt = nullptr;  // ends a call in flight from another thread
};
Result<DoorPull> pull_from_door(Engine& engine, const std::string& secret,
                                const std::string& address, PeerRecord peer,
                                const PullOptions& options);

}  // namespace fd
