#pragma once
// Where the door exchange meets the door's web server, as plain values:
// doors/ does not depend on web/. The door process (shell/DoorProcess)
// mounts the exchange's routes on its server, turns each request into a
// DoorAsk and writes the DoorReply back; the exchange never sees the
// server, so data flows one way (server, shell, exchange, engine).
//
// Thread-safety: values; a DoorAsk belongs to the request's thread.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fd {

// A request from another door, as the web server read it: the server's
// own request stays on its side of the seam (shell/DoorProcess converts).
struct DoorAsk {
  std::string method, path;
  std::string query;  // raw, after '?', as signed
  std::string body;
  std::string remote_addr;
  std::function<std::string(std::string_view name)> header;                      // "" when absent
  std::function<std::optional<std::string>(std::string_view name)> query_param;  // decoded
};
// The answer: a signed JSON body (200), or plain words (401, 400).
struct DoorReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};
using DoorHandler = std::function<DoorReply(const DoorAsk&)>;
// Where the exchange answers other doors: the door process's web server.
struct DoorServing {
  // Mounts a GET route (`path`: "/doors/v1/log").
  std::function<void(const std::string& path, DoorHandler handler)> mount;
  // The server is shutting down: a long poll answers now.
  std::function<bool()> stopping;
};

}  // namespace fd
