#pragma once
// Loopback stand-ins for the services Frontdesk syncs with, speaking their
// APIs as they are today on real HTTP (cpp-httplib on a thread), strict
// about what each refuses, with faults injected on demand (FakeServer.h):
// pretix (FakePretix.h), Eventbrite, Meetup and Luma (FakeLists.h), and a
// webhook receiver (here).
//
// Thread-safety: handlers run on httplib's pool; state behind one mutex.
#include <sodium.h>

#include "FakeLists.h"
#include "FakePretix.h"
#include "FakeServer.h"

namespace fdtest {

// ---------------------------------------------------------------------------
// Webhook: Frontdesk's own format (README), HMAC-SHA256 signature
// ---------------------------------------------------------------------------

class FakeWebhook : public FakeServer {
 public:
  std::string secret = "hook-secret";
  std::map<std::string, json> received;  // by idempotency key
  int bad_signatures = 0, duplicates = 0;
  FakeWebhook() {
    server_.Post("/hook", [this](const auto& req, auto& res) {
      const Fault f = next_fault(true);
      std::unique_lock lock(mutex_);
      if (before_write(f) && fail_before(f, res, "{}")) return;
      unsigned char mac[crypto_auth_hmacsha256_BYTES];
      crypto_auth_hmacsha256_state st;
      crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                  secret.size());
      crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(req.body.data()),
                                    req.body.size());
      crypto_auth_hmacsha256_final(&st, mac);
      char hex[65];
      sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
      if (req.get_header_value("X-Frontdesk-Signature") != std::string("sha256=") + hex) {
        ++bad_signatures;
        res.status = 401;
        return;
      }
      const std::string key = req.get_header_value("Idempotency-Key");
      if (received.count(key)) ++duplicates;
      received[key] = json::parse(req.body, nullptr, false);
      lock.unlock();
      if (fail_after(f, res, R"({"received":true})")) return;
      res.set_content(R"({"received":true})", "application/json");
    });
  }
  // Live check-ins by ticket code: check-ins minus those an annul names.
  std::map<std::string, int> lives() {
    std::lock_guard lock(mutex_);
    std::set<std::string> annulled;
    for (const auto& [k, b] : received)
      if (b.value("type", "") == "annul") annulled.insert(b["check_in"].value("ref_uuid", ""));
    std::map<std::string, int> out;
    for (const auto& [k, b] : received)
      if (b.value("type", "") == "checkin" && !annulled.count(k))
        ++out[b["check_in"].value("ticket_code", "")];
    return out;
  }
};

}  // namespace fdtest
