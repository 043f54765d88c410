#include "doors/Discovery.h"

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/thread-watch.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "doors/Reach.h"

namespace fd {

namespace {
constexpr const char* kType = "_frontdesk._tcp";

// Publish the port other doors reach us on: the first LAN address's.
int port_of(const std::vector<std::string>& addresses) {
  for (const std::string& a : addresses)
    if (!is_loopback(a)) return std::atoi(a.substr(a.rfind(':') + 1).c_str());
  return 0;
}

}  // namespace

// One door announced on the LAN, and the resolver that follows its address.
struct FoundService {
  Discovery::Impl* impl = nullptr;
  AvahiIfIndex interface = AVAHI_IF_UNSPEC;
  AvahiProtocol protocol = AVAHI_PROTO_UNSPEC;
  std::string name, type, domain;
  AvahiServiceResolver* resolver = nullptr;  // freed by the client when it goes
  bool resolved = false;                     // its resolver has found it
  std::chrono::steady_clock::time_point asked{};
};

struct Discovery::Impl {
  std::string event, device;
  std::vector<std::string> addresses;  // the poll thread's, or under its lock
  Found found;
  AvahiThreadedPoll* poll = nullptr;
  AvahiClient* client = nullptr;
  AvahiEntryGroup* group = nullptr;
  AvahiServiceBrowser* browser = nullptr;
  int published_port = 0;
  // The poll thread's, or under its lock: keyed by interface, protocol, name.
  std::map<std::string, std::unique_ptr<FoundService>> services;
  std::chrono::steady_clock::time_point refreshed{}, retried{};
  mutable std::mutex mutex;
  std::string problem;

  void fail(const std::string& why) {
    std::lock_guard lock(mutex);
    problem = why;
  }

  int port() const { return port_of(addresses); }

  void resolve(FoundService& s);

  std::string service_name;  // "Frontdesk 1a2b3c4d", another if that one collided

  void publish(AvahiClient* c);
};

namespace {

// The announcement's fate. A collision (another host announced this name,
// or our own old announcement is still in a cache when DHCP renumbers us)
// withdraws it for good unless it is announced again under another name.
void on_group(AvahiEntryGroup* g, AvahiEntryGroupState state, void* data) {
  auto* impl = static_cast<Discovery::Impl*>(data);
  if (state == AVAHI_ENTRY_GROUP_COLLISION) {
    char* other = avahi_alternative_service_name(impl->service_name.c_str());
    impl->service_name = other;
    avahi_free(other);
    avahi_entry_group_reset(g);
    impl->publish(avahi_entry_group_get_client(g));
  } else if (state == AVAHI_ENTRY_GROUP_FAILURE) {
    impl->fail(std::string("cannot announce this door: ") +
               avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(g))));
  }
}

// Called again whenever the door's records change (a new address): the
// resolver stays until the door's service goes or resolving fails.
void on_resolved(AvahiServiceResolver* r, AvahiIfIndex, AvahiProtocol, AvahiResolverEvent event,
                 const char*, const char*, const char*, const char*, const AvahiAddress* address,
                 std::uint16_t port, AvahiStringList* txt, AvahiLookupResultFlags, void* data) {
  auto* service = static_cast<FoundService*>(data);
  Discovery::Impl* impl = service->impl;
  if (event == AVAHI_RESOLVER_FOUND && address) {
    std::string ev, door;
    for (AvahiStringList* t = txt; t; t = avahi_string_list_get_next(t)) {
      const std::string kv(reinterpret_cast<const char*>(avahi_string_list_get_text(t)),
                           avahi_string_list_get_size(t));
      if (kv.rfind("event=", 0) == 0) ev = kv.substr(6);
      if (kv.rfind("door=", 0) == 0) door = kv.substr(5);
    }
    char host[AVAHI_ADDRESS_STR_MAX];
    avahi_address_snprint(host, sizeof host, address);
    // Announced on the loopback interface too, with the LAN port (HTTPS),
    // where this door would speak plain HTTP: only LAN addresses help.
    const bool loopback = std::string_view(host).rfind("127.", 0) == 0;
    service->resolved = true;
    if (ev == impl->event && !door.empty() && door != impl->device && !loopback)
      impl->found(door, std::string(host) + ":" + std::to_string(port));
    return;
  }
  // Not found (it went, or timed out): a refresh() or its next
  // announcement resolves it again.
  avahi_service_resolver_free(r);
  service->resolver = nullptr;
}

void on_browse(AvahiServiceBrowser*, AvahiIfIndex interface, AvahiProtocol protocol,
               AvahiBrowserEvent event, const char* name, const char* type, const char* domain,
               AvahiLookupResultFlags, void* data) {
  auto* impl = static_cast<Discovery::Impl*>(data);
  if (event != AVAHI_BROWSER_NEW && event != AVAHI_BROWSER_REMOVE) return;
  const std::string key =
      std::to_string(interface) + "/" + std::to_string(protocol) + "/" + name + "." + domain;
  if (event == AVAHI_BROWSER_REMOVE) {
    if (auto it = impl->services.find(key); it != impl->services.end()) {
      if (it->second->resolver) avahi_service_resolver_free(it->second->resolver);
      impl->services.erase(it);
    }
    return;
  }
  auto& s = impl->services[key];
  if (!s) s = std::make_unique<FoundService>();
  s->impl = impl;
  s->interface = interface;
  s->protocol = protocol;
  s->name = name;
  s->type = type;
  s->domain = domain;
  impl->resolve(*s);
}

void on_client(AvahiClient* c, AvahiClientState state, void* data) {
  auto* impl = static_cast<Discovery::Impl*>(data);
  switch (state) {
    case AVAHI_CLIENT_S_RUNNING:
      // Also after the daemon came back: announce and browse afresh.
      impl->client = c;  // (called from inside avahi_client_new, before it returns)
      impl->fail("");
      impl->publish(c);
      if (!impl->browser)
        impl->browser = avahi_service_browser_new(c, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, kType,
                                                  nullptr, AvahiLookupFlags(0), on_browse, impl);
      break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      if (impl->group) avahi_entry_group_reset(impl->group);
      break;
    case AVAHI_CLIENT_CONNECTING:
      // No daemon yet (at boot it may start after us): the client waits.
      impl->fail("LAN discovery waits for the Avahi daemon");
      break;
    case AVAHI_CLIENT_FAILURE:
      if (avahi_client_errno(c) == AVAHI_ERR_DISCONNECTED) {
        // The daemon went away (restarted, upgraded): a new client waits
        // for it to come back. Freeing the old one frees its group and
        // browser.
        impl->fail("LAN discovery waits for the Avahi daemon");
        impl->group = nullptr;
        impl->browser = nullptr;
        impl->services.clear();  // their resolvers go with the client
        avahi_client_free(c);
        impl->client = nullptr;
        int error = 0;
        impl->client = avahi_client_new(avahi_threaded_poll_get(impl->poll), AVAHI_CLIENT_NO_FAIL,
                                        on_client, impl, &error);
        if (!impl->client)
          impl->fail(std::string("LAN discovery stopped: ") + avahi_strerror(error));
        break;
      }
      impl->fail(std::string("LAN discovery stopped: ") + avahi_strerror(avahi_client_errno(c)));
      break;
  }
}

}  // namespace

void Discovery::Impl::publish(AvahiClient* c) {
  if (!group) group = avahi_entry_group_new(c, on_group, this);
  published_port = port();
  if (!group || port() <= 0) return;
  if (service_name.empty()) service_name = "Frontdesk " + device.substr(0, 8);
  const std::string ev = "event=" + event, dev = "door=" + device;
  if (avahi_entry_group_add_service(group, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, AvahiPublishFlags(0),
                                    service_name.c_str(), kType, nullptr, nullptr,
                                    static_cast<std::uint16_t>(port()), ev.c_str(), dev.c_str(),
                                    nullptr) < 0 ||
      avahi_entry_group_commit(group) < 0)
    fail(std::string("cannot announce this door: ") + avahi_strerror(avahi_client_errno(c)));
}

void Discovery::Impl::resolve(FoundService& s) {
  s.resolved = false;
  s.asked = std::chrono::steady_clock::now();
  if (s.resolver) avahi_service_resolver_free(s.resolver);
  s.resolver = avahi_service_resolver_new(client, s.interface, s.protocol, s.name.c_str(),
                                          s.type.c_str(), s.domain.c_str(), AVAHI_PROTO_INET,
                                          AvahiLookupFlags(0), on_resolved, &s);
}

Discovery::Discovery(std::string event_slug, std::string device_id,
                     std::vector<std::string> addresses, Found found)
    : impl_(std::make_unique<Impl>()) {
  impl_->event = std::move(event_slug);
  impl_->device = std::move(device_id);
  impl_->addresses = std::move(addresses);
  impl_->found = std::move(found);
  impl_->poll = avahi_threaded_poll_new();
  if (!impl_->poll) {
    impl_->fail("LAN discovery unavailable");
    return;
  }
  int error = 0;
  // NO_FAIL: a daemon that is not running yet, or restarts, is waited for
  // (on_client announces and browses each time it is there).
  impl_->client = avahi_client_new(avahi_threaded_poll_get(impl_->poll), AVAHI_CLIENT_NO_FAIL,
                                   on_client, impl_.get(), &error);
  if (!impl_->client) {
    impl_->fail(std::string("LAN discovery unavailable (") + avahi_strerror(error) +
                "): doors use the addresses from the pairing code");
    return;
  }
  avahi_threaded_poll_start(impl_->poll);
}

Discovery::~Discovery() {
  if (impl_->poll) avahi_threaded_poll_stop(impl_->poll);
  // Freeing the client frees its browser, resolvers and entry group.
  if (impl_->client) avahi_client_free(impl_->client);
  if (impl_->poll) avahi_threaded_poll_free(impl_->poll);
}

void Discovery::set_addresses(std::vector<std::string> addresses) {
  if (!impl_->poll) return;
  avahi_threaded_poll_lock(impl_->poll);
  impl_->addresses = std::move(addresses);
  // Avahi follows the host's own addresses itself; only a new port (a
  // door that had no LAN address when it started) needs announcing anew.
  if (impl_->client && impl_->port() != impl_->published_port &&
      avahi_client_get_state(impl_->client) == AVAHI_CLIENT_S_RUNNING) {
    if (impl_->group) avahi_entry_group_reset(impl_->group);
    impl_->publish(impl_->client);
  }
  avahi_threaded_poll_unlock(impl_->poll);
}

void Discovery::refresh() {
  if (!impl_->poll) return;
  avahi_threaded_poll_lock(impl_->poll);
  const auto now = std::chrono::steady_clock::now();
  if (impl_->client && now - impl_->refreshed > std::chrono::seconds(3)) {
    impl_->refreshed = now;
    for (auto& [key, s] : impl_->services) impl_->resolve(*s);
  }
  avahi_threaded_poll_unlock(impl_->poll);
}

void Discovery::keep_fresh() {
  if (!impl_->poll) return;
  avahi_threaded_poll_lock(impl_->poll);
  const auto now = std::chrono::steady_clock::now();
  if (impl_->client && now - impl_->retried > std::chrono::seconds(2)) {
    impl_->retried = now;
    // Failed, or still asking after a while: a renumbering in the middle
    // of resolving can leave Avahi's resolver waiting for good. Resolved a
    // while ago: Avahi does not always tell a resolver that the door's
    // address record changed, so ask again now and then (from its cache,
    // which the other host's goodbye and announcement keep right).
    for (auto& [key, s] : impl_->services)
      if (!s->resolver || (!s->resolved && now - s->asked > std::chrono::seconds(4)) ||
          (s->resolved && now - s->asked > std::chrono::seconds(5)))
        impl_->resolve(*s);
  }
  avahi_threaded_poll_unlock(impl_->poll);
}

std::string Discovery::problem() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->problem;
}

}  // namespace fd
