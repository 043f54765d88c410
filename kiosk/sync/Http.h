#pragma once
// One HTTP client for every connector: a request in, a response or a
// transport failure out. The two are kept apart on purpose: a 503 is the
// service talking (look at the status and body), a refused connection or a
// timeout is the network (try again later). libcurl stays in Http.cpp.
//
// Thread-safety: an HttpClient is used by one thread at a time (a
// connector's); separate clients may run on separate threads.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/Error.h"
#include "base/Time.h"

namespace fd {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{20000};
  std::size_t max_body = 8 * 1024 * 1024;  // a bigger answer is refused, not buffered
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  // The first header of that name (case-insensitive), or "".
  std::string header(const std::string& name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

// Error codes of transport failures: http.connect (refused, DNS, no route),
// http.timeout, http.reset (the connection broke mid-answer), http.too_large,
// http.tls, http.other. Messages are plain words and never carry headers
// (tokens live there).
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  Result<HttpResponse> send(const HttpRequest& request);
  int requests() const { return requests_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int requests_ = 0;
};

// How long a 429 or 503 asks us to wait: Retry-After in seconds or as an
// HTTP date; -1 when the answer says nothing usable. Capped at an hour.
TimeMs retry_after_ms(const HttpResponse& r, TimeMs now);

// The service's clock: its Date header as Unix ms; -1 when absent or
// unreadable. Cursors of incremental pulls come from here, not from ours.
TimeMs server_date_ms(const HttpResponse& r);

// "a=1&b=two%20words" from pairs; values percent-encoded.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);
std::string url_encode(const std::string& s);

}  // namespace fd
