#pragma once
// The base of the loopback stand-ins for the services (FakePretix.h,
// FakeLists.h, FakeServices.h): real HTTP (cpp-httplib on a thread) with
// faults injected on demand: 500/502/503, 429 with Retry-After, a
// connection cut mid-answer, a stalled answer, JSON cut off, a page served
// twice, and a write applied and then answered with 500.
//
// Thread-safety: handlers run on httplib's pool; state behind one mutex.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "TestSupport.h"

namespace fdtest {

using json = nlohmann::json;

enum class Fault {
  None,
  E500,
  E502,
  E503,
  TooMany,
  Reset,
  Stall,
  Truncate,
  Duplicate,
  AppliedThen500
};

inline const char* fault_name(Fault f) {
  switch (f) {
    case Fault::None: return "none";
    case Fault::E500: return "500";
    case Fault::E502: return "502";
    case Fault::E503: return "503";
    case Fault::TooMany: return "429";
    case Fault::Reset: return "reset";
    case Fault::Stall: return "stall";
    case Fault::Truncate: return "truncated";
    case Fault::Duplicate: return "duplicate page";
    case Fault::AppliedThen500: return "applied then 500";
  }
  return "?";
}

// Which faults to inject: a fixed script first (one per request), then
// at random with `rate` among `mix`.
struct FaultPlan {
  std::vector<Fault> script;
  double rate = 0;
  std::vector<Fault> mix;
  std::chrono::milliseconds stall{3000};
  std::string retry_after = "1";  // seconds, as the 429 says
};

class FakeServer {
 public:
  FakeServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    // Headers and body go out in separate writes: without this, Nagle and
    // the client's delayed ACK add 40 ms to every answer.
    server_.set_tcp_nodelay(true);
  }
  virtual ~FakeServer() { stop(); }
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // cpp-httplib 0.11 has no wait_until_ready(): is_running() turns true
    // once the listener accepts (PLATFORM.md).
    if (!fd::test::wait_for([this] { return server_.is_running(); }, std::chrono::seconds(10)))
      throw std::runtime_error("the loopback server did not start");
  }
  void stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void plan(FaultPlan p) {
    std::lock_guard lock(fault_mutex_);
    plan_ = std::move(p);
  }
  int requests() const { return requests_; }
  int faults() const { return faults_; }
  std::map<std::string, int> fault_counts() const {
    std::lock_guard lock(fault_mutex_);
    return fault_counts_;
  }

 protected:
  // Picks this request's fault (counting it).
  Fault next_fault(bool write) {
    ++requests_;
    std::lock_guard lock(fault_mutex_);
    Fault f = Fault::None;
    if (!plan_.script.empty()) {
      f = plan_.script.front();
      plan_.script.erase(plan_.script.begin());
    } else if (plan_.rate > 0 && !plan_.mix.empty()) {
      std::uniform_real_distribution<double> u(0, 1);
      if (u(rng_) < plan_.rate) f = plan_.mix[rng_() % plan_.mix.size()];
    }
    if (f == Fault::AppliedThen500 && !write) f = Fault::E500;
    if (f == Fault::Duplicate && write) f = Fault::E502;
    if (f != Fault::None) {
      ++faults_;
      ++fault_counts_[fault_name(f)];
    }
    return f;
  }
  // Answers with a fault instead of `body` when one applies before the
  // handler's work; returns true when the request is answered.
  bool fail_before(Fault f, httplib::Response& res, const std::string& body) {
    switch (f) {
      case Fault::E500:
      case Fault::E502:
      case Fault::E503:
        res.status = f == Fault::E500 ? 500 : f == Fault::E502 ? 502 : 503;
        res.set_content("<html><body>Bad gateway</body></html>", "text/html");
        return true;
      case Fault::TooMany:
        res.status = 429;
        res.set_header("Retry-After", plan_retry_after());
        res.set_content(R"({"detail":"Request was throttled."})", "application/json");
        return true;
      case Fault::Stall: {
        // A service that takes too long: time passing on purpose, not a wait
        // for another thread.
        std::this_thread::sleep_for(plan_stall());
        res.status = 200;
        res.set_content(body, "application/json");
        return true;
      }
      case Fault::Reset: {
        // Headers promise the whole body; the connection ends halfway.
        auto shared = std::make_shared<std::string>(body.size() > 8 ? body : body + "          ");
        res.status = 200;
        res.set_content_provider(shared->size(), "application/json",
                                 [shared](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset > 0) return false;
                                   sink.write(shared->data(), shared->size() / 2);
                                   return true;
                                 });
        return true;
      }
      case Fault::Truncate:
        res.status = 200;
        res.set_content(body.substr(0, body.size() / 2), "application/json");
        return true;
      default: return false;
    }
  }
  // Writes: a fault that strikes before the service acts (the request never
  // arrived whole) answers here; the others strike after it acted.
  static bool before_write(Fault f) {
    return f == Fault::E500 || f == Fault::E502 || f == Fault::E503 || f == Fault::TooMany ||
           f == Fault::Reset;
  }
  // After the write was applied: the answer is lost, late or cut off.
  bool fail_after(Fault f, httplib::Response& res, const std::string& body) {
    if (f == Fault::AppliedThen500) {
      res.status = 500;
      res.set_content("Internal Server Error", "text/plain");
      return true;
    }
    if (f == Fault::Stall || f == Fault::Truncate) return fail_before(f, res, body);
    return false;
  }
  std::string plan_retry_after() {
    std::lock_guard lock(fault_mutex_);
    return plan_.retry_after;
  }
  std::chrono::milliseconds plan_stall() {
    std::lock_guard lock(fault_mutex_);
    return plan_.stall;
  }

  httplib::Server server_;
  std::mutex mutex_;  // the service's data

 private:
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex fault_mutex_;
  FaultPlan plan_;
  std::mt19937 rng_{42};
  std::atomic<int> requests_{0}, faults_{0};
  std::map<std::string, int> fault_counts_;
};

}  // namespace fdtest
