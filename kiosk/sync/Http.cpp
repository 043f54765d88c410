#include "sync/Http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace fd {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string s) {
  const auto notspace = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notspace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notspace).base(), s.end());
  return s;
}

void global_init() {
  // curl_global_init is not thread-safe; once per process.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  HttpResponse* response;
  std::size_t max_body;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t len = size * n;
  if (sink->response->body.size() + len > sink->max_body) {
    sink->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t len = size * n;
  const std::string line(data, len);
  // A new status line (after a redirect or 100 Continue) starts over.
  if (line.rfind("HTTP/", 0) == 0) {
    sink->response->headers.clear();
    return len;
  }
  const auto colon = line.find(':');
  if (colon != std::string::npos && sink->response->headers.size() < 200)
    sink->response->headers.emplace_back(lower(trim(line.substr(0, colon))),
                                         trim(line.substr(colon + 1)));
  return len;
}

}  // namespace

struct HttpClient::Impl {
  CURL* curl = nullptr;
  Impl() {
    global_init();
    curl = curl_easy_init();
  }
  ~Impl() {
    if (curl) curl_easy_cleanup(curl);
  }
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}
HttpClient::~HttpClient() = default;

std::string HttpResponse::header(const std::string& name) const {
  const std::string want = lower(name);
  for (const auto& [k, v] : headers)
    if (k == want) return v;
  return {};
}

Result<HttpResponse> HttpClient::send(const HttpRequest& req) {
  ++requests_;
  CURL* c = impl_->curl;
  if (!c) return Error{"http.other", "Cannot start the network library"};
  // One handle per client: connections are kept alive between requests.
  curl_easy_reset(c);
  HttpResponse response;
  Sink sink{&response, req.max_body};
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.total_timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Frontdesk/0.1 (check-in kiosk)");
  // gzip only: brotli at the quality servers default to costs them more time
  // than it saves on a list of a few thousand people.
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
  // Redirects could carry our Authorization header elsewhere: never follow.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (req.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : req.headers)
    headers = curl_slist_append(headers, (k + ": " + v).c_str());
  // No "Expect: 100-continue" round trip for small JSON bodies.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  if (rc != CURLE_OK) {
    // Messages name the server only: short enough for the dashboard, and a
    // URL's path or query could carry an id or a token.
    const auto scheme = req.url.find("://");
    const std::string where = req.url.substr(
        0, scheme == std::string::npos ? req.url.find('/') : req.url.find('/', scheme + 3));
    if (sink.too_large)
      return Error{"http.too_large", where + " answered with more than " +
                                         std::to_string(req.max_body / 1024) + " KB"};
    switch (rc) {
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        return Error{"http.connect", "Cannot reach " + where + " (offline?)"};
      case CURLE_OPERATION_TIMEDOUT:
        return Error{"http.timeout", where + " did not answer in time"};
      case CURLE_RECV_ERROR:
      case CURLE_SEND_ERROR:
      case CURLE_GOT_NOTHING:
      case CURLE_PARTIAL_FILE:
        return Error{"http.reset", "The connection to " + where + " broke off"};
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
        return Error{"http.tls", "Cannot make a secure connection to " + where};
      default: return Error{"http.other", where + ": " + curl_easy_strerror(rc)};
    }
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

TimeMs retry_after_ms(const HttpResponse& r, TimeMs now) {
  const std::string v = r.header("retry-after");
  if (v.empty()) return -1;
  constexpr TimeMs cap = 3600 * 1000;
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (v.size() > 7) return cap;
    return std::min<TimeMs>(std::stoll(v) * 1000, cap);
  }
  const time_t when = curl_getdate(v.c_str(), nullptr);
  if (when < 0) return -1;
  return std::clamp<TimeMs>(static_cast<TimeMs>(when) * 1000 - now, 0, cap);
}

TimeMs server_date_ms(const HttpResponse& r) {
  const std::string v = r.header("date");
  if (v.empty()) return -1;
  const time_t when = curl_getdate(v.c_str(), nullptr);
  return when < 0 ? -1 : static_cast<TimeMs>(when) * 1000;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += url_encode(k) + "=" + url_encode(v);
  }
  return out;
}

}  // namespace fd
