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
  bool offline = false;     // cannot reach the service at all: pause every row
};

// What a connector saw, for the soak's report and `sync status`.
struct SyncCounters {
  std::atomic<int> requests{0};
  std::atomic<int> faults{0};   // transport failures, 5xx, 429, unreadable answers
  std::atomic<int> retries{0};  // requests repeated within a pull
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual std::string name() const = 0;  // "pretix", "eventbrite", "meetup", "luma", "webhook"
  virtual bool can_pull() const = 0;
  virtual bool can_push() const = 0;
  virtual Result<PullResult> pull(const PullRequest& request) = 0;
  virtual PushOutcome push(const OutboxItem& item) = 0;
  // A row is given up on: tell the service when it keeps such a record
  // (pretix's failed_checkins). Best effort.
  virtual void dead_letter(const OutboxItem&, const std::string&) {}
  SyncCounters& counters() { return counters_; }

 protected:
  // One request of a pull, repeated on transient failures (the network,
  // 5xx, 429 with its Retry-After, an answer cut off) with backoff and
  // jitter; gives up after a few tries or on a refusal (401, 403, 404).
  // `accept` reads the body (keeping what it needs); an Error from it with
  // code sync.json (unreadable, cut off) counts as transient.
  std::optional<Error> fetch(
      HttpClient& http, const HttpRequest& req, const PullRequest& ctx,
      const std::function<std::optional<Error>(const HttpResponse&)>& accept);
  // A push: one request, its failure classified.
  PushOutcome classify_failure(const Result<HttpResponse>& r, const std::string& service);
  SyncCounters counters_;
};

// Plain words for an HTTP status from a service.
std::string status_words(const std::string& service, int status);

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
