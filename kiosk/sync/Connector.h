#pragma once
// One connector per RSVP service behind one interface: pull the attendee
// list (paged, incremental where the service allows), push one log event
// (idempotently: the check-in's UUID is the nonce / idempotency key, reused
// on every retry). Connectors only talk HTTP and translate; the store and
// the engine never see a connector, and a connector never sees the store.
//
// Thread-safety: a connector is used by one thread at a time; the sync
// worker makes one set per thread (pushing, pulling).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "config/Config.h"
#include "model/Import.h"
#include "model/Sync.h"
#include "sync/Http.h"
#include "sync/Parse.h"

namespace fd {

struct PullRequest {
  std::string cursor;  // where the last pull ended ("" or full: everything)
  // Waits between retries; false when the caller is stopping.
  std::function<bool(std::chrono::milliseconds)> wait;
  std::function<void(int people, int pages)> progress;
};

struct PullResult {
  ImportBatch batch;  // every page, merged only once complete
  std::vector<RemoteCheckIn> remote;
  std::string cursor;  // for the next incremental pull
  std::optional<TicketRules> rules;
  bool incremental = false;
  // The batch is the service's whole list (not only what changed): people
  // of this service missing from it are no longer expected.
  bool complete = false;
  // What this pull could not do although it worked (plain words, with what
  // to change): e.g. a device profile that hides names. "" when nothing.
  std::string notice;
};

enum class PushVerdict {
  Delivered,  // the service has it (or there is nothing for this service to do)
  Retry,      // the network or the service had a problem: try again later
  Refused,    // the service said no for this row: counts toward a dead letter
};

struct PushOutcome {
  PushVerdict verdict = PushVerdict::Retry;
  std::string message;      // plain words, never a token
  TimeMs retry_after = -1;  // the service asked us to wait this long (ms)
  // Every row would fail alike (the network, credentials, a setting to fix):
  // pause the whole service; `message` says what the organizer can do.
  bool offline = false;
  // Refused: asking again cannot change the answer (pretix logs each refused
  // scan, so a retry only adds to its log): a dead letter at once.
  bool final = false;
};

// What a connector saw, for the soak's report and `sync status`.
struct SyncCounters {
  std::atomic<int> requests{0};
  std::atomic<int> faults{0};   // transport failures, 5xx, 429, unreadable answers
  std::atomic<int> retries{0};  // requests repeated within a pull
};

// Plain words for an HTTP status from a service.
std::string status_words(const std::string& service, int status);

class Connector {
 public:
  virtual ~Connector() = default;
  virtual std::string name() const = 0;  // "pretix", "eventbrite", "meetup", "luma", "webhook"
  virtual bool can_pull() const = 0;
  virtual bool can_push() const = 0;
  virtual Result<PullResult> pull(const PullRequest& request) = 0;
  virtual PushOutcome push(const OutboxItem& item) = 0;
  SyncCounters& counters() { return counters_; }

 protected:
  // One request of a pull, repeated on transient failures (the network,
  // 5xx, 429 with its Retry-After, an answer cut off) with backoff and
  // jitter; gives up after a few tries or on a refusal. A refusal's code
  // says which: sync.invalid (400), sync.auth (401), sync.forbidden (403),
  // sync.notfound (404), sync.refused (any other), with refusal_words().
  // `accept` reads the body (keeping what it needs); an Error from it with
  // code sync.json (unreadable, cut off) or sync.busy (the service's "slow
  // down" inside a 200; busy_wait_ may say for how long) counts as transient.
  std::optional<Error> fetch(
      HttpClient& http, const HttpRequest& req, const PullRequest& ctx,
      const std::function<std::optional<Error>(const HttpResponse&)>& accept);
  // A cursor-paged list (each page hands out the next page's cursor), all
  // pages into `out`, until the service says there is no more. `parse`
  // reads one answer; `recover` may repair a refusal once per page (renew a
  // token) and return true to ask again; `first` sees the first answer.
  std::optional<Error> page_through(
      HttpClient& http, const PullRequest& ctx, PullResult& out,
      const std::function<HttpRequest(const std::string& cursor)>& request,
      const std::function<Result<ServicePage>(const HttpResponse&)>& parse,
      const std::function<bool(const Error&)>& recover = {},
      const std::function<void(const HttpResponse&)>& first = {});
  // Plain words for a refusal; services that explain themselves in the
  // body override it to pass their words on.
  virtual std::string refusal_words(const HttpResponse& r) const {
    return status_words(name(), r.status);
  }
  // A push: one request, its failure classified.
  PushOutcome classify_failure(const Result<HttpResponse>& r, const std::string& service);
  SyncCounters counters_;
  TimeMs busy_wait_ = -1;  // set by an `accept` that returns sync.busy: wait this long (ms)
};

// Error codes of fetch()'s refusals, by HTTP status.
std::string refusal_code(int status);

struct ConnectorOptions {
  std::chrono::milliseconds timeout{15000};  // a whole request
  std::chrono::milliseconds connect_timeout{5000};
  std::filesystem::path state_dir;  // where pretix's device token is kept (owner-only)
};

// The connectors a configuration asks for, pretix first, the webhook last.
std::vector<std::unique_ptr<Connector>> make_connectors(const Config& config,
                                                        const ConnectorOptions& options);

// The webhook's signature header value for a body: "sha256=" + hex HMAC.
std::string webhook_signature(const std::string& secret, const std::string& body);

}  // namespace fd
