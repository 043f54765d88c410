#pragma once
// Doors find each other on the venue LAN by DNS-SD (Avahi; the daemon runs
// by default on Debian desktops and Raspberry Pi OS): each door publishes
// _frontdesk._tcp with its event and device id, and browses for the
// others of the same event. Where multicast is blocked or no daemon runs,
// the addresses in the pairing code and the config still work.
//
// A door's address changes with its DHCP lease: each service found is
// resolved again whenever Avahi hears its records change, and afresh on
// refresh() (a link that reaches its door nowhere asks).
//
// Thread-safety: Avahi's own poll thread (owned here) calls `found`;
// construct and destroy on one thread; set_addresses() and refresh() from
// any other thread (never from `found`).
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fd {

class Discovery {
 public:
  using Found = std::function<void(const std::string& device_id, const std::string& address)>;
  Discovery(std::string event_slug, std::string device_id, std::vector<std::string> addresses,
            Found found);
  ~Discovery();
  Discovery(const Discovery&) = delete;
  Discovery& operator=(const Discovery&) = delete;
  // "" when running; else why not, in plain words.
  std::string problem() const;
  // Where this door answers now: announced again when its port changed.
  void set_addresses(std::vector<std::string> addresses);
  // Resolves every door found again (at most every few seconds).
  void refresh();
  // Resolves again the doors whose resolving failed or never finished, and
  // those resolved more than a few seconds ago (at most every 2 s): Avahi
  // gives up on a door whose address went away for a moment, as when DHCP
  // renumbers it, or keeps waiting, or keeps the resolver at the old one.
  void keep_fresh();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fd
