#include "web/WebServer.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <iostream>

#include "web/Connections.h"
#include "web/Parse.h"

namespace fd {

// ---------------------------------------------------------------------------
// [SECTION] Request helpers
// ---------------------------------------------------------------------------

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string WebRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

std::optional<std::string> WebRequest::query_param(std::string_view name) const {
  auto fields = parse_fields(query);
  if (!fields) return std::nullopt;
  for (const auto& [k, v] : *fields)
    if (k == name) return v;
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// [SECTION] Streams and headers
// ---------------------------------------------------------------------------

namespace {

class SinkAdapter : public WebStreamSink {
 public:
  SinkAdapter(httplib::DataSink& sink, const WebServer& server) : sink_(sink), server_(server) {}
  bool write(std::string_view data) override {
    return !server_.stopping() && sink_.is_writable() && sink_.write(data.data(), data.size());
  }
  bool stopping() const override { return server_.stopping(); }

 private:
  httplib::DataSink& sink_;
  const WebServer& server_;
};

// Holds one of the server's live-stream slots for as long as httplib keeps
// the stream's provider (it may copy the response; the slot goes once).
class StreamSlot {
 public:
  explicit StreamSlot(WebServer& server) : server_(server) {}
  ~StreamSlot() { server_.leave_stream(); }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

 private:
  WebServer& server_;
};

void add_security_headers(httplib::Response& res) {
  auto set_default = [&](const char* name, const char* value) {
    if (!res.has_header(name)) res.set_header(name, value);
  };
  set_default("X-Content-Type-Options", "nosniff");
  // A venue link carries its token in the path: never hand it to another site.
  set_default("Referrer-Policy", "no-referrer");
  set_default("X-Frame-Options", "DENY");
  set_default("Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  set_default("Cache-Control", "no-store");
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Listeners
// ---------------------------------------------------------------------------

struct WebServer::Listener {
  WebEndpoint endpoint;
  std::unique_ptr<httplib::Server> http;
  std::jthread thread;
};

namespace {

WebRequest to_request(const httplib::Request& req, const WebEndpoint& at) {
  WebRequest r;
  r.method = req.method;
  r.path = req.path;
  if (const auto q = req.target.find('?'); q != std::string::npos)
    r.query = req.target.substr(q + 1);
  r.headers.assign(req.headers.begin(), req.headers.end());
  r.body = req.body;
  r.remote_addr = req.remote_addr;
  r.secure = at.tls;
  r.loopback =
      !at.tls && (at.address == "127.0.0.1" || at.address == "::1" || at.address == "localhost");
  return r;
}

// Every request to `handle`: GET and friends are answered before
// httplib's regex routing (which would run std::regex over every path);
// POST and PUT need their body, which httplib reads only after
// pre-routing, so they go through a catch-all route once the path has
// passed our checks.
void route_all(httplib::Server& http, const httplib::Server::Handler& handle) {
  http.set_pre_routing_handler([handle](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
      if (req.path.size() > 2048 || !is_safe_path(req.path)) {
        res.status = 400;
        res.set_content("Bad path", "text/plain");
        add_security_headers(res);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    }
    handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  http.Post(".*", handle);
  http.Put(".*", handle);
  http.Patch(".*", handle);
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      const char* why = res.status == 413   ? "The request is too large"
                        : res.status == 414 ? "The address is too long"
                                            : "Bad request";
      res.set_content(why, "text/plain");
    }
    add_security_headers(res);
  });
}

ConnectionLimits limits_of(const WebServerOptions& o) {
  ConnectionLimits limits;
  limits.request_deadline = o.request_deadline;
  limits.silence = o.read_timeout;
  limits.write_timeout = o.write_timeout;
  limits.max_body = o.max_body;
  limits.per_address = o.max_per_address;
  limits.total = o.max_connections;
  limits.threads = o.max_threads;
  return limits;
}

}  // namespace

WebServer::WebServer(WebServerOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<WebServer>> WebServer::start(WebServerOptions options) {
  std::unique_ptr<WebServer> self(new WebServer(std::move(options)));
  const WebServerOptions& o = self->options_;
  if (o.listen.empty()) return Error{"web.listen", "Nothing to listen on"};
  self->lobby_ = std::make_unique<Lobby>(limits_of(o));
  for (const WebListen& l : o.listen) {
    auto listener = std::make_unique<Listener>();
    listener->endpoint = {l.address, l.port, l.tls};
    listener->http = make_lobby_server(*self->lobby_, l.tls, o.cert_file, o.key_file,
                                       l.tls ? "fd-web-s" : "fd-web-");
    if (!listener->http->is_valid())
      return Error{"web.certificate", "Cannot use the certificate " + o.cert_file.string() +
                                          " with its key " + o.key_file.string()};
    httplib::Server& http = *listener->http;
    http.set_payload_max_length(o.max_body);
    http.set_read_timeout(o.read_timeout);
    http.set_write_timeout(o.write_timeout);
    http.set_keep_alive_timeout(5);
    http.set_keep_alive_max_count(100);
    // The kernel hands us a connection only once its first bytes arrive:
    // connections opened and left silent never take a pool thread.
    // (Replacing httplib's socket options means setting SO_REUSEADDR too.)
    http.set_socket_options([](int sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      int wait_s = 5;
      ::setsockopt(sock, IPPROTO_TCP, TCP_DEFER_ACCEPT, &wait_s, sizeof wait_s);
    });
    WebServer* server = self.get();
    const WebEndpoint* at = &listener->endpoint;
    auto handle = [server, at](const httplib::Request& req, httplib::Response& res) {
      ++server->served_;
      WebRequest r = to_request(req, *at);
      WebResponse w;
      if (!is_safe_path(r.path)) {
        w.text(400, "Bad path");
      } else {
        try {
          server->dispatch(r, w);
        } catch (const std::exception& e) {
          // The exception's words stay in the log: they may name internals.
          std::cerr << "frontdesk web: " << r.method << " " << r.path << ": " << e.what() << "\n";
          w = WebResponse{};
          w.text(500, "Something went wrong on the server");
        }
      }
      res.status = w.status;
      for (auto& [k, v] : w.headers) res.set_header(k, v);
      if (w.stream) {
        if (!server->enter_stream()) {
          res.status = 503;
          res.set_header("Retry-After", "10");
          res.set_content("Too many live views open; try again shortly", "text/plain");
        } else {
          auto slot = std::make_shared<StreamSlot>(*server);
          res.set_header("Cache-Control", "no-cache");
          res.set_header("X-Accel-Buffering", "no");
          res.set_chunked_content_provider(
              w.content_type,
              [server, fn = std::move(w.stream), slot](std::size_t, httplib::DataSink& sink) {
                SinkAdapter adapter(sink, *server);
                fn(adapter);
                sink.done();
                return true;
              });
        }
      } else {
        res.set_content(w.body, w.content_type);
      }
      add_security_headers(res);
    };
    route_all(http, handle);
    int port = l.port;
    if (port == 0) {
      port = http.bind_to_any_port(l.address);
      if (port <= 0) return Error{"web.bind", "Cannot listen on " + l.address};
    } else if (!http.bind_to_port(l.address, port)) {
      return Error{"web.bind", "Cannot listen on " + l.address + " port " + std::to_string(port) +
                                   " (in use, or not an address of this machine)"};
    }
    widen_backlog(http);
    listener->endpoint.port = port;
    self->endpoints_.push_back(listener->endpoint);
    self->listeners_.push_back(std::move(listener));
  }
  for (auto& listener : self->listeners_) {
    httplib::Server* http = listener->http.get();
    listener->thread = std::jthread([http] { http->listen_after_bind(); });
    pthread_setname_np(listener->thread.native_handle(),
                       listener->endpoint.tls ? "fd-web-tls" : "fd-web-http");
  }
  // cpp-httplib 0.11 has no wait_until_ready(): poll is_running().
  for (auto& listener : self->listeners_)
    for (int i = 0; i < 500 && !listener->http->is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return self;
}

WebServer::~WebServer() {
  stopping_ = true;  // live streams see it within their next wait
  // Connections still arriving are closed first: none is handed to a pool
  // that is going away.
  if (lobby_) lobby_->stop();
  for (auto& l : listeners_) l->http->stop();
  for (auto& l : listeners_)
    if (l->thread.joinable()) l->thread.join();  // listen returns once its pool has joined
  listeners_.clear();
}

void WebServer::mount(const std::string& method, const std::string& pattern, WebHandler handler) {
  std::unique_lock lock(routes_mutex_);
  routes_.push_back(Route{method, pattern, std::move(handler)});
}

void WebServer::dispatch(const WebRequest& request, WebResponse& response) const {
  WebHandler handler;
  WebRequest routed = request;
  bool other_method = false;
  {
    std::shared_lock lock(routes_mutex_);
    for (const Route& r : routes_) {
      std::map<std::string, std::string> params;
      if (!match_route(r.pattern, request.path, params)) continue;
      const bool head_as_get = request.method == "HEAD" && r.method == "GET";
      if (r.method != request.method && !head_as_get) {
        other_method = true;
        continue;
      }
      handler = r.handler;
      routed.params = std::move(params);
      break;
    }
  }
  if (!handler) {
    if (other_method)
      response.text(405, "Method not allowed");
    else
      response.text(404, "Not found");
    return;
  }
  handler(routed, response);
}

int WebServer::connections() const { return lobby_ ? lobby_->held() : 0; }

bool WebServer::enter_stream() {
  if (++streams_ > options_.max_streams) {
    --streams_;
    return false;
  }
  return true;
}

WorkerHealth WebServer::health() const {
  WorkerHealth h;
  h.name = options_.name;
  h.kind = WorkerKind::Web;
  h.ok = !stopping_.load();
  std::string where;
  for (const WebEndpoint& e : endpoints_) {
    if (!where.empty()) where += ", ";
    where += std::string(e.tls ? "https://" : "http://") + e.address + ":" + std::to_string(e.port);
  }
  h.message = "Serving " + where + " · live views: " + std::to_string(streams_.load());
  if (const long long away = lobby_ ? lobby_->turned_away() : 0; away > 0)
    h.message +=
        " · " + std::to_string(away) + " connections turned away (too many from one address)";
  return h;
}

}  // namespace fd
