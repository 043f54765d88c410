#pragma once
// The web server's request and response as plain values, so that modules
// mounting routes (the organizer pages, the venue feed, the door exchange)
// never include httplib.h: the server converts at its edge.
//
// Thread-safety: a Request and its Response belong to the one server
// thread handling them.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fd {

struct WebRequest {
  std::string method;  // GET, POST, ...
  std::string path;    // decoded path, without the query ("/api/stats")
  std::string query;   // raw query string after '?', not decoded ("q=ana&x=1")
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
  std::string remote_addr;
  bool secure = false;    // arrived over HTTPS
  bool loopback = false;  // arrived on the loopback listener (this machine)
  // Values of the route pattern's ":name" segments ("/api/attendees/:id").
  std::map<std::string, std::string> params;

  // First header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
  // A query parameter, decoded (query strings parsed by web/Parse.h).
  std::optional<std::string> query_param(std::string_view name) const;
  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

// Where a streamed response writes (server-sent events). write() returns
// false once the client has gone; the stream then ends.
class WebStreamSink {
 public:
  virtual ~WebStreamSink() = default;
  virtual bool write(std::string_view data) = 0;
  // The server is shutting down: streams must end promptly.
  virtual bool stopping() const = 0;
};

struct WebResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for a long-lived stream (text/event-stream): called once on the
  // request's thread; it writes until the client leaves or the server stops.
  std::function<void(WebStreamSink&)> stream;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  void text(int code, std::string message) {
    status = code;
    content_type = "text/plain; charset=utf-8";
    body = std::move(message);
  }
  void json(int code, std::string json_text) {
    status = code;
    content_type = "application/json";
    body = std::move(json_text);
  }
};

using WebHandler = std::function<void(const WebRequest&, WebResponse&)>;

}  // namespace fd
