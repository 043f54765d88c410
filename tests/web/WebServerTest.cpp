// The server core as a module mounting routes sees it: a real server on a
// loopback port, real HTTP(S) clients, and the gate every request passes.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "TestSupport.h"
#include "web/Certificate.h"
#include "web/WebServer.h"

namespace fs = std::filesystem;
using namespace fd;

namespace {

using fd::test::TempDir;

std::unique_ptr<WebServer> plain_server(WebServerOptions o = {}) {
  o.listen = {WebListen{"127.0.0.1", 0, false}};
  auto s = WebServer::start(o);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(*s);
}

}  // namespace

TEST_CASE("a mounted route answers with its captures and security headers") {
  auto web = plain_server();
  web->mount("GET", "/hello/:name", [](const WebRequest& r, WebResponse& w) {
    w.text(200, "hello " + r.param("name") + " " + r.query_param("x").value_or("-"));
  });
  httplib::Client c("127.0.0.1", web->endpoints().at(0).port);
  auto res = c.Get("/hello/ana?x=a%20b");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "hello ana a b");
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(res->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(res->get_header_value("Content-Security-Policy").find("default-src 'self'") !=
        std::string::npos);
  CHECK(c.Get("/nothing-here")->status == 404);
  CHECK(c.Post("/hello/ana", "x", "text/plain")->status == 405);
}

TEST_CASE("routes mounted after start serve at once - POST bodies reach handlers") {
  auto web = plain_server();
  httplib::Client c("127.0.0.1", web->endpoints().at(0).port);
  CHECK(c.Post("/doors/log", "abc", "text/plain")->status == 404);
  web->mount("POST", "/doors/*",
             [](const WebRequest& r, WebResponse& w) { w.text(200, r.param("*") + ":" + r.body); });
  auto res = c.Post("/doors/log", "abc", "text/plain");
  REQUIRE(res);
  CHECK(res->body == "log:abc");
}

TEST_CASE("path traversal is refused before any handler") {
  auto web = plain_server();
  int calls = 0;
  web->mount("GET", "/*", [&](const WebRequest&, WebResponse& w) {
    ++calls;
    w.text(200, "ok");
  });
  httplib::Client c("127.0.0.1", web->endpoints().at(0).port);
  for (const char* p : {"/../etc/passwd", "/a/%2e%2e/%2e%2e/etc/passwd", "/a/..%2fb", "/a//b",
                        "/a\\..\\b", "/%2e%2e/"}) {
    auto res = c.Get(p);
    REQUIRE(res);
    CHECK_MESSAGE(res->status == 400, p);
    CHECK(res->body.find("root:") == std::string::npos);
  }
  CHECK(calls == 0);
  CHECK(c.Get("/fine")->status == 200);
}

TEST_CASE("an oversized body is refused with 413 and the server keeps serving") {
  WebServerOptions o;
  o.max_body = 1024;
  auto web = plain_server(o);
  int calls = 0;
  web->mount("POST", "/api/x", [&](const WebRequest&, WebResponse& w) {
    ++calls;
    w.text(200, "ok");
  });
  httplib::Client c("127.0.0.1", web->endpoints().at(0).port);
  auto big = c.Post("/api/x", std::string(1 << 20, 'a'), "application/json");
  if (big) CHECK(big->status == 413);  // or the connection is cut mid-upload
  CHECK(calls == 0);
  CHECK(c.Post("/api/x", "{}", "application/json")->status == 200);
}

TEST_CASE("a client that connects and sends nothing is dropped after the read timeout") {
  WebServerOptions o;
  o.read_timeout = std::chrono::seconds(1);
  auto web = plain_server(o);
  web->mount("GET", "/", [](const WebRequest&, WebResponse& w) { w.text(200, "ok"); });
  const int port = web->endpoints().at(0).port;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::write(fd, "GET / HT", 8) == 8);  // half a request line, then silence
  timeval tv{4, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  const auto t0 = std::chrono::steady_clock::now();
  const ssize_t n = ::read(fd, buf, sizeof buf);  // 0: closed by the server
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(n <= 0);
  CHECK(waited < std::chrono::seconds(4));
  ::close(fd);
  httplib::Client c("127.0.0.1", port);
  CHECK(c.Get("/")->status == 200);
}

TEST_CASE("live streams are bounded and end when the server stops") {
  WebServerOptions o;
  o.max_streams = 2;
  auto web = plain_server(o);
  web->mount("GET", "/live", [](const WebRequest&, WebResponse& w) {
    w.content_type = "text/event-stream";
    w.stream = [](WebStreamSink& sink) {
      while (!sink.stopping() && sink.write(": ping\n\n"))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    };
  });
  const int port = web->endpoints().at(0).port;
  std::atomic<int> got{0};
  std::vector<std::jthread> watchers;
  for (int i = 0; i < 2; ++i)
    watchers.emplace_back([&, port] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(10, 0);
      c.Get("/live", [&](const char*, size_t) {
        ++got;
        return true;
      });
    });
  for (int i = 0; i < 200 && web->live_streams() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(web->live_streams() == 2);
  httplib::Client c("127.0.0.1", port);
  auto third = c.Get("/live");
  REQUIRE(third);
  CHECK(third->status == 503);
  CHECK(web->health().message.find("live views: 2") != std::string::npos);
  const auto t0 = std::chrono::steady_clock::now();
  web.reset();  // must not hang on the open streams
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  watchers.clear();
  CHECK(got > 0);
}

TEST_CASE("HTTPS with a certificate made on first run - key owner-only - same fingerprint after") {
  TempDir dir;
  auto id = ensure_certificate(dir.path, {"192.0.2.7"});
  REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : id.error().message));
  CHECK(id->fingerprint.size() == 95);  // 32 bytes as AB:CD:...
  struct stat st {};
  REQUIRE(::stat(id->key_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = ensure_certificate(dir.path, {});
  REQUIRE(again.ok());
  CHECK(again->fingerprint == id->fingerprint);

  WebServerOptions o;
  o.listen = {WebListen{"127.0.0.1", 0, true}};
  o.cert_file = id->cert_file;
  o.key_file = id->key_file;
  auto web = WebServer::start(o);
  REQUIRE_MESSAGE(web.ok(), (web.ok() ? "" : web.error().message));
  (*web)->mount("GET", "/", [](const WebRequest& r, WebResponse& w) {
    w.text(200, r.secure ? "secure" : "plain");
  });
  httplib::SSLClient c("127.0.0.1", (*web)->endpoints().at(0).port);
  c.enable_server_certificate_verification(true);
  c.set_ca_cert_path(id->cert_file.c_str());
  auto res = c.Get("/");
  REQUIRE(res);
  CHECK(res->body == "secure");
  // A plain-HTTP request to the TLS port gets nothing useful.
  httplib::Client plain("127.0.0.1", (*web)->endpoints().at(0).port);
  plain.set_read_timeout(2, 0);
  auto p = plain.Get("/");
  CHECK((!p || p->status != 200));
}

TEST_CASE("slow TLS handshakes wait in the lobby - an HTTPS request still answers at once") {
  TempDir dir;
  auto id = ensure_certificate(dir.path, {"127.0.0.1"});
  REQUIRE(id.ok());
  WebServerOptions o;
  o.listen = {WebListen{"127.0.0.1", 0, true}};
  o.cert_file = id->cert_file;
  o.key_file = id->key_file;
  auto web = WebServer::start(o);
  REQUIRE(web.ok());
  (*web)->mount("GET", "/", [](const WebRequest&, WebResponse& w) { w.text(200, "ok"); });
  const int port = (*web)->endpoints().at(0).port;
  // 200 clients from one address send the first bytes of a TLS greeting and
  // stall: more than the server has request threads (160).
  std::vector<int> stalled;
  for (int i = 0; i < 200; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in me{}, a{};
    me.sin_family = a.sin_family = AF_INET;
    me.sin_addr.s_addr = htonl(0x7f000003);  // 127.0.0.3
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&me), sizeof me) == 0);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::send(fd, "\x16\x03\x01\x02\x00\x01", 6, MSG_NOSIGNAL) == 6);
    stalled.push_back(fd);
  }
  CHECK_MESSAGE(
      fd::test::wait_for([&] { return (*web)->connections() >= 200; }, std::chrono::seconds(10)),
      "the server holds " << (*web)->connections() << " connections");
  httplib::SSLClient c("127.0.0.1", port);
  c.enable_server_certificate_verification(false);
  const auto t0 = std::chrono::steady_clock::now();
  auto res = c.Get("/");
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE(res);
  CHECK(res->body == "ok");
  CHECK(took < std::chrono::seconds(1));
  MESSAGE("an HTTPS request beside 200 stalled TLS handshakes: "
          << std::chrono::duration<double, std::milli>(took).count() << " ms");
  for (int fd : stalled) ::close(fd);
}
