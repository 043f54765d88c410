#pragma once
// How the web server holds its connections (private to kiosk/web; httplib
// stays in the .cpp).
//
// cpp-httplib gives a connection a pool thread from the moment it is
// accepted until it closes. A few hundred clients that open connections
// and dribble their requests (phones on bad Wi-Fi, or a slow-loris) would
// then hold every thread, and a logged-in organizer's request would wait
// behind them. Here a connection gets a thread only once a whole request
// has arrived (request line, headers and a body of known length): the TLS
// handshake, the dribbling and the idle time between keep-alive requests
// are spent in the lobby, one thread that polls every such connection.
//
// Limits: a whole request must arrive within `request_deadline` and a
// client silent for `silence` is dropped; one client address holds at most
// `per_address` connections, the server `total`; a listener serves at most
// `threads` requests at once (live views and door long polls hold one each).
//
// Thread-safety: Lobby is safe from any thread; stop() before the servers
// made with it stop.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace fd {

struct ConnectionLimits {
  std::chrono::milliseconds request_deadline{10000};
  std::chrono::milliseconds silence{5000};
  std::chrono::milliseconds write_timeout{5000};
  std::chrono::milliseconds keep_alive{5000};  // idle between two requests
  std::size_t keep_alive_requests = 100;
  std::size_t max_body = 64 * 1024;
  std::size_t max_header = 8192;
  int per_address = 256;
  int total = 1024;
  int threads = 160;
};

class Lobby {
 public:
  explicit Lobby(ConnectionLimits limits);
  ~Lobby();
  Lobby(const Lobby&) = delete;
  Lobby& operator=(const Lobby&) = delete;
  // Closes every connection waiting here; those parked later are closed.
  void stop();
  // Connections refused because their address, or the server, held too many.
  long long turned_away() const { return turned_away_.load(); }
  int held() const;  // connections open now
  const ConnectionLimits& limits() const { return limits_; }

  struct Impl;  // WebServer's connections: Connections.cpp only

 private:
  ConnectionLimits limits_;
  std::atomic<long long> turned_away_{0};
  std::unique_ptr<Impl> impl_;
  friend struct LobbyAccess;
};

// A server whose connections wait in `lobby` until a request is whole.
// `tls`: HTTPS with the certificate and key; `thread_prefix` names its pool.
std::unique_ptr<httplib::Server> make_lobby_server(Lobby& lobby, bool tls,
                                                   const std::filesystem::path& cert,
                                                   const std::filesystem::path& key,
                                                   const std::string& thread_prefix);
// After the server bound its port: a backlog for bursts (httplib's is 5).
void widen_backlog(httplib::Server& server);

}  // namespace fd
