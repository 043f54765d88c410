#pragma once
// The door process's HTTP server (cpp-httplib behind this header): HTTPS on
// the venue LAN with the door's own certificate, plain HTTP on loopback. It
// knows nothing about organizers or doors: modules mount their routes on it
// (web/OrganizerSite for the organizer pages and the venue feed, the door
// exchange for /doors/...), each route guarding its own access.
//
//   auto web = WebServer::start(options);          // binds, or says why not
//   web->mount("GET", "/doors/log", handler);      // any time, any thread
//   shell.add(std::move(*web));                    // the shell stops it
//
// Every request passes the same gate before a handler sees it: size limits
// (body, headers), slow clients kept off the request threads until their
// request is whole (a deadline for it, a limit per client address), a safe
// path (no "..", no backslashes), a bounded number of live streams, and
// security headers on every answer (nosniff, no referrer, no framing, a
// same-origin CSP).
//
// Thread-safety: mount(), routes and health() are safe from any thread.
// Handlers run on the server's pool threads, many at once: they read
// snapshots and post engine commands, never hold the engine.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/Error.h"
#include "base/Worker.h"
#include "web/Http.h"

namespace fd {

struct WebListen {
  std::string address = "127.0.0.1";  // "0.0.0.0" for the LAN
  int port = 0;                       // 0: any free port (tests)
  bool tls = false;                   // HTTPS with WebServerOptions' certificate
};

struct WebServerOptions {
  std::vector<WebListen> listen;
  std::filesystem::path cert_file, key_file;  // PEM, for the TLS listeners
  std::size_t max_body = 64 * 1024;           // larger requests get 413
  // A client that sends nothing (or cannot take our answer) for this long is
  // dropped: a phone on bad Wi-Fi, or someone holding connections open.
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
  int max_threads = 160;  // requests served at once per listener; more wait in a queue
  int max_streams = 120;  // live views (server-sent events) at once; more get 503
  // Slow clients: a connection takes a thread only once its whole request
  // has arrived (web/Connections.h); until then it waits, at most this long.
  std::chrono::seconds request_deadline{10};
  int max_per_address = 256;           // connections one client address may hold; more are refused
  int max_connections = 1024;          // connections held at all
  std::string name = "Organizer web";  // in the shell's health list
};

// One bound listener, after start().
struct WebEndpoint {
  std::string address;
  int port = 0;
  bool tls = false;
};

class Lobby;

class WebServer : public Worker {
 public:
  // Binds every listener and starts serving. Errors in plain words ("port
  // 8443 is in use", "the certificate cannot be read").
  static Result<std::unique_ptr<WebServer>> start(WebServerOptions options);
  // Stops accepting, ends live streams, finishes requests in hand, joins.
  ~WebServer() override;
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Adds a route: method "GET"/"POST"/"PUT"/"DELETE", pattern as in
  // match_route() ("/api/attendees/:id", "/doors/*"). The first mounted
  // route that matches wins; mount the specific before the general.
  void mount(const std::string& method, const std::string& pattern, WebHandler handler);

  const std::vector<WebEndpoint>& endpoints() const { return endpoints_; }
  int live_streams() const { return streams_.load(); }
  // Connections open now (waiting for their request, or being answered).
  int connections() const;
  WorkerHealth health() const override;

  // Internal: used by the listener glue in WebServer.cpp.
  struct Route {
    std::string method, pattern;
    WebHandler handler;
  };
  struct Listener;
  void dispatch(const WebRequest& request, WebResponse& response) const;
  bool stopping() const { return stopping_.load(); }
  bool enter_stream();
  void leave_stream() { --streams_; }
  const WebServerOptions& options() const { return options_; }

 private:
  explicit WebServer(WebServerOptions options);

  WebServerOptions options_;
  std::vector<WebEndpoint> endpoints_;
  mutable std::shared_mutex routes_mutex_;
  std::vector<Route> routes_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> streams_{0};
  std::atomic<long long> served_{0};
  std::unique_ptr<Lobby> lobby_;                      // slow connections wait here
  std::vector<std::unique_ptr<Listener>> listeners_;  // last: stopped first
};

}  // namespace fd
