#include "sync/Connector.h"

#include <sodium.h>

#include <algorithm>
#include <random>

namespace fd {

std::string status_words(const std::string& service, int status) {
  if (status == 401) return service + " refused our credentials (check the token)";
  if (status == 403) return service + " says we may not do this (check the token's permissions)";
  if (status == 404) return service + " does not know this event or list (check the ids)";
  if (status == 429) return service + " asks us to slow down";
  if (status >= 500)
    return service + " has a problem of its own (HTTP " + std::to_string(status) + ")";
  return service + " answered HTTP " + std::to_string(status);
}

std::string refusal_code(int status) {
  switch (status) {
    case 400: return "sync.invalid";
    case 401: return "sync.auth";
    case 403: return "sync.forbidden";
    case 404: return "sync.notfound";
    default: return "sync.refused";
  }
}

namespace {
bool transient_status(int status) { return status == 408 || status == 429 || status >= 500; }

std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> f(0.5, 1.5);
  return std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(base.count()) * f(rng)));
}
}  // namespace

std::optional<Error> Connector::fetch(
    HttpClient& http, const HttpRequest& req, const PullRequest& ctx,
    const std::function<std::optional<Error>(const HttpResponse&)>& accept) {
  constexpr int kTries = 6;
  std::chrono::milliseconds backoff(300);
  Error last{"sync.unknown", name() + ": no answer"};
  for (int attempt = 0; attempt < kTries; ++attempt) {
    if (attempt > 0) {
      ++counters_.retries;
      if (ctx.wait && !ctx.wait(backoff)) return Error{"sync.stopped", "stopped"};
      backoff = std::min(jittered(backoff * 2), std::chrono::milliseconds(20000));
    }
    ++counters_.requests;
    auto r = http.send(req);
    if (!r) {
      ++counters_.faults;
      last = r.error();
      continue;
    }
    if (!r->ok()) {
      if (!transient_status(r->status)) return Error{refusal_code(r->status), refusal_words(*r)};
      ++counters_.faults;
      last = Error{"sync.status", status_words(name(), r->status)};
      const TimeMs wait = retry_after_ms(*r, now_ms());
      if (wait > 60000)
        return Error{"sync.rate", name() + " asks us to wait " + std::to_string(wait / 1000) +
                                      " s; the next pull will try again"};
      if (wait >= 0) backoff = std::chrono::milliseconds(wait);
      continue;
    }
    busy_wait_ = -1;
    auto bad = accept(*r);
    if (!bad) return std::nullopt;
    if (bad->code != "sync.json" && bad->code != "sync.busy") return bad;
    ++counters_.faults;
    last = *bad;
    // The service said when to come back: wait that long (within reason).
    if (bad->code == "sync.busy" && busy_wait_ >= 0)
      backoff = std::chrono::milliseconds(std::min<TimeMs>(busy_wait_, 60000));
  }
  return last;
}

std::optional<Error> Connector::page_through(
    HttpClient& http, const PullRequest& ctx, PullResult& out,
    const std::function<HttpRequest(const std::string&)>& request,
    const std::function<Result<ServicePage>(const HttpResponse&)>& parse,
    const std::function<bool(const Error&)>& recover,
    const std::function<void(const HttpResponse&)>& first) {
  std::string cursor;
  std::vector<std::string> seen;
  bool first_seen = false;
  for (int pages = 1;; ++pages) {
    if (pages > 10000) return Error{"sync.size", name() + ": more pages than we accept"};
    bool more = false;
    std::string next;
    const auto accept = [&](const HttpResponse& r) {
      auto page = parse(r);
      if (!page) return std::optional<Error>(page.error());
      if (!first_seen && first) first(r);
      first_seen = true;
      for (auto& row : page->rows) out.batch.rows.push_back(std::move(row));
      for (auto& rc : page->remote) out.remote.push_back(std::move(rc));
      more = page->more;
      next = page->next;
      return std::optional<Error>();
    };
    auto err = fetch(http, request(cursor), ctx, accept);
    if (err && recover && recover(*err)) err = fetch(http, request(cursor), ctx, accept);
    if (err) return err;
    if (ctx.progress) ctx.progress(static_cast<int>(out.batch.rows.size()), pages);
    if (!more || next.empty()) return std::nullopt;
    // A cursor handed out again repeats a page (harmless: rows merge by
    // id); one that keeps coming back would loop us forever.
    if (std::count(seen.begin(), seen.end(), next) >= 3)
      return Error{"sync.shape", name() + " keeps sending the same page"};
    seen.push_back(next);
    cursor = next;
  }
}

PushOutcome Connector::classify_failure(const Result<HttpResponse>& r, const std::string& service) {
  PushOutcome o;
  o.verdict = PushVerdict::Retry;
  if (!r) {
    ++counters_.faults;
    o.message = r.error().message;
    o.offline = r.error().code == "http.connect";
    return o;
  }
  if (transient_status(r->status)) {
    ++counters_.faults;
    o.message = status_words(service, r->status);
    o.retry_after = retry_after_ms(*r, now_ms());
    return o;
  }
  if (r->status == 401 || r->status == 403) {
    // Not this row's fault: every row would fail alike. Wait, keep them all.
    o.message = status_words(service, r->status);
    o.offline = true;
    return o;
  }
  o.verdict = PushVerdict::Refused;
  o.message = status_words(service, r->status);
  return o;
}

std::string webhook_signature(const std::string& secret, const std::string& body) {
  if (sodium_init() < 0) return {};
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[2 * sizeof mac + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string("sha256=") + hex;
}

}  // namespace fd
