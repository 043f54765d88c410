#pragma once
// Pairing doors, the same code for `frontdesk doors pair / join` and the
// kiosk's organizer screen ("Pair another door", a pairing code scanned
// there): the CLI prints what these return, the kiosk shows it.
//
// Thread-safety: each call uses the engine it is given (its commands and
// reads are safe from any thread) and the files of the config dir; run a
// join off a UI thread, it waits on the network.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "doors/Pairing.h"

namespace fd {

class Engine;

// Where the running doors of the engine's event on its store answer other
// doors (a kiosk, `frontdesk serve`: their exchanges record it, and keep it
// current as DHCP renumbers the machine), LAN first; none when no door of
// the event runs. `host`: their host key.
struct ServingDoor {
  std::vector<std::string> addresses;
  std::string host;
};
ServingDoor serving_door(Engine& engine);

// This door's code for its event: makes the event's door secret when there
// is none yet (the door is paired from then on). `addresses`: where this
// door answers other doors, "host:port", LAN first; none is an error that
// says how to offer one. `host`: the host key of the machine they belong
// to ("": this one). Where this process's own door exchange runs, the
// addresses it answers at now are the code's.
Result<PairingCode> make_pairing_code(Engine& engine, const std::filesystem::path& config_dir,
                                      std::vector<std::string> addresses, std::string host = "");

// What joining brought into this store.
struct JoinReport {
  std::string event_slug, event_name;
  std::string door_name;  // the first door's name ("door 1")
  std::string my_name;    // this door's name now ("door 2")
  std::string address;    // where it answered
  std::size_t people = 0;
  int checkins = 0;  // people in so far (all doors' check-ins, as merged)
};
// Joins `engine`'s store to the code's event. The engine must be open on
// the code's event (create it: SessionOptions::create_event). Pulls the
// attendee list and the log from the first door until in step, remembers
// that door, names this one (the first "door N" no door the first one
// knows has, unless --door or [kiosk] door name it, or it already has a
// name no other door has), and only then saves the event's door secret: a
// join that fails (unreachable, refused) leaves the door's secrets as they
// were. The code's loopback addresses are only tried on the first door's
// own host.
Result<JoinReport> join_door(Engine& engine, const std::filesystem::path& config_dir,
                             const PairingCode& code);
// `Joined "Doors Night" with door 1 at 10.0.0.5:8443: 300 people, 12 check-ins; this is door 2`.
std::string describe(const JoinReport& report);
// The first "door N" (N = 1, 2, ...) that none of `names` but `me`'s has.
std::string first_free_door_name(const std::vector<std::pair<std::string, std::string>>& names,
                                 const std::string& me);

}  // namespace fd
