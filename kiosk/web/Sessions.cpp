#include "web/Sessions.h"

#include <sodium.h>

#include <algorithm>

namespace fd {

const char* to_string(Role r) { return r == Role::Organizer ? "organizer" : "volunteer"; }

std::string random_token() {
  if (sodium_init() < 0) return {};
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Sessions::Sessions(std::chrono::minutes idle_limit, std::size_t max_sessions)
    : idle_limit_(idle_limit), max_sessions_(max_sessions) {}

WebSession Sessions::open(Role role) {
  WebSession s;
  s.token = random_token();
  s.csrf = random_token();
  s.role = role;
  s.last_seen = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= max_sessions_) {
    // The least recently seen goes: a phone that logged in and was put away.
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    sessions_.erase(oldest);
  }
  sessions_[s.token] = s;
  return s;
}

std::optional<WebSession> Sessions::find(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  // A map lookup compares the token with others' tokens character by
  // character; the compared prefix leaks only which random tokens sort
  // near it, not a valid one.
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_seen > idle_limit_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void Sessions::close(const std::string& token) {
  std::lock_guard lock(mutex_);
  sessions_.erase(token);
}

std::size_t Sessions::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

LoginGuard::LoginGuard() : LoginGuard(Options{}) {}
LoginGuard::LoginGuard(Options o) : o_(o) {}

long long LoginGuard::locked_for(const std::string& address, bool loopback) const {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto left = [&](const Record& r) -> long long {
    if (r.locked_until <= now) return 0;
    return std::chrono::duration_cast<std::chrono::seconds>(r.locked_until - now).count() + 1;
  };
  long long wait = 0;
  if (auto it = by_address_.find(address); it != by_address_.end()) wait = left(it->second);
  // The kiosk's own machine is never locked out by others' guessing.
  if (!loopback) wait = std::max(wait, left(all_));
  return wait;
}

void LoginGuard::failed(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto count = [&](Record& r, int limit) {
    if (r.failures == 0 || now - r.first > o_.lockout) {
      r.failures = 0;
      r.first = now;
    }
    if (++r.failures >= limit) {
      r.locked_until = now + o_.lockout;
      r.failures = 0;
    }
  };
  if (by_address_.size() > 10000) by_address_.clear();  // bounded memory under a flood
  count(by_address_[address], o_.max_failures);
  count(all_, o_.max_failures_all);
}

void LoginGuard::succeeded(const std::string& address) {
  std::lock_guard lock(mutex_);
  by_address_.erase(address);
}

}  // namespace fd
