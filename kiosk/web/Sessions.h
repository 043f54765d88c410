#pragma once
// Who is logged in to the organizer pages, and who may try again.
//
// A session is a random 256-bit token in an HttpOnly, SameSite=Strict
// cookie, with its own CSRF token that every change must echo in the
// X-CSRF-Token header. Sessions live in memory: restarting the door logs
// everyone out, which is what a lost phone wants.
//
// Logins are rate-limited: ten wrong PINs from one address lock that
// address out for a quarter of an hour, and many wrong PINs from anywhere
// lock out every address but this machine's loopback (a 4-digit PIN must
// not be guessable by asking from many phones).
//
// Thread-safety: every member is safe from any thread (one mutex each).
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace fd {

enum class Role {
  Volunteer,  // check in by hand, walk-ins, reprint, in/out; no undo, export or e-mails
  Organizer,  // everything
};
const char* to_string(Role r);

struct WebSession {
  std::string token;  // the cookie's value
  std::string csrf;   // echoed by the page in X-CSRF-Token on every change
  Role role = Role::Volunteer;
  std::chrono::steady_clock::time_point last_seen;
};

class Sessions {
 public:
  explicit Sessions(std::chrono::minutes idle_limit = std::chrono::hours(12),
                    std::size_t max_sessions = 500);
  WebSession open(Role role);
  // The session of a cookie value, refreshed; nothing when unknown or expired.
  std::optional<WebSession> find(const std::string& token);
  void close(const std::string& token);
  std::size_t size() const;

 private:
  std::chrono::minutes idle_limit_;
  std::size_t max_sessions_;
  mutable std::mutex mutex_;
  std::map<std::string, WebSession> sessions_;
};

// Constant-time comparison of two secrets (tokens, CSRF values).
bool same_secret(const std::string& a, const std::string& b);
// 32 random bytes as 64 hex characters (libsodium's CSPRNG).
std::string random_token();

class LoginGuard {
 public:
  struct Options {
    int max_failures = 10;      // per address, then locked
    int max_failures_all = 30;  // from all addresses together, then locked (but loopback)
    std::chrono::seconds lockout{15 * 60};
  };
  LoginGuard();
  explicit LoginGuard(Options o);
  // Seconds until this address may try again; 0: it may try now.
  long long locked_for(const std::string& address, bool loopback) const;
  void failed(const std::string& address);
  void succeeded(const std::string& address);

 private:
  struct Record {
    int failures = 0;
    std::chrono::steady_clock::time_point first, locked_until;
  };
  Options o_;
  mutable std::mutex mutex_;
  std::map<std::string, Record> by_address_;
  Record all_;
};

}  // namespace fd
