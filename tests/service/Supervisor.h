#pragma once
// A stand-in for systemd running a Type=notify service with Restart=always
// and WatchdogSec= (this test machine has no systemd as PID 1, so
// `systemd-run --user` is not available): it starts the command with
// NOTIFY_SOCKET (a datagram socket it reads), WATCHDOG_USEC and WATCHDOG_PID
// set, and JOURNAL_STREAM naming the log file its output goes to; restarts
// it whenever it exits; and, once the service said READY=1, sends SIGABRT
// (systemd's default WatchdogSignal) when no WATCHDOG=1 came within the
// interval, then SIGKILL if it still lives after a grace period.
//
// Thread-safety: one thread of its own; the accessors lock.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fd::testing {

class Supervisor {
 public:
  using Clock = std::chrono::steady_clock;
  struct Event {
    std::string what;  // started, ready, exited, killed, watchdog
    Clock::time_point at;
    int pid = 0;
    std::string detail;
  };

  Supervisor(std::vector<std::string> argv, std::vector<std::string> env, std::filesystem::path log,
             std::filesystem::path socket, std::chrono::milliseconds watchdog)
      : argv_(std::move(argv)),
        env_(std::move(env)),
        log_(std::move(log)),
        socket_path_(std::move(socket)),
        watchdog_(watchdog) {
    sock_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof addr.sun_path - 1);
    ::unlink(socket_path_.c_str());
    ::bind(sock_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    thread_ = std::jthread([this](std::stop_token stop) { loop(stop); });
  }
  ~Supervisor() {
    stop();
    ::close(sock_);
  }
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // systemctl stop: SIGTERM, wait for the exit, no restart.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }
  int pid() const {
    std::lock_guard lock(mutex_);
    return pid_;
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // Waits until the n-th event named `what` happened; returns it.
  std::optional<Event> wait_for(const std::string& what, int nth, std::chrono::seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int seen = 0;
      for (const Event& e : events())
        if (e.what == what && ++seen == nth) return e;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

 private:
  void record(const std::string& what, int pid, const std::string& detail = "") {
    std::lock_guard lock(mutex_);
    events_.push_back({what, Clock::now(), pid, detail});
  }

  int start() {
    const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    struct stat st {};
    ::fstat(out, &st);
    const pid_t pid = ::fork();
    if (pid == 0) {
      const rlimit no_core{0, 0};  // a watchdog abort leaves no core file behind
      ::setrlimit(RLIMIT_CORE, &no_core);
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
      ::setenv("NOTIFY_SOCKET", socket_path_.c_str(), 1);
      ::setenv("WATCHDOG_USEC", std::to_string(watchdog_.count() * 1000).c_str(), 1);
      ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
      ::setenv("JOURNAL_STREAM",
               (std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino)).c_str(), 1);
      for (const std::string& kv : env_) ::putenv(const_cast<char*>(kv.c_str()));
      std::vector<char*> args;
      for (const std::string& a : argv_) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out);
    return pid;
  }

  void loop(std::stop_token stop) {
    Clock::time_point last_ping{}, abort_sent{};
    bool ready = false;
    int pid = 0;
    while (true) {
      if (!pid) {
        if (stop.stop_requested()) return;
        pid = start();
        ready = false;
        abort_sent = {};
        {
          std::lock_guard lock(mutex_);
          pid_ = pid;
        }
        record("started", pid);
      }
      pollfd p{sock_, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) {
        char buf[4096];
        const ssize_t n = ::recv(sock_, buf, sizeof buf - 1, 0);
        if (n > 0) {
          const std::string msg(buf, static_cast<std::size_t>(n));
          if (msg.find("READY=1") != std::string::npos) {
            ready = true;
            last_ping = Clock::now();
            record("ready", pid, msg);
          }
          if (msg.find("WATCHDOG=1") != std::string::npos) last_ping = Clock::now();
          if (msg.find("STOPPING=1") != std::string::npos) record("stopping", pid);
        }
      }
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        record("exited", pid,
               WIFSIGNALED(status) ? std::string("signal ") + ::strsignal(WTERMSIG(status))
                                   : "status " + std::to_string(WEXITSTATUS(status)));
        pid = 0;
        {
          std::lock_guard lock(mutex_);
          pid_ = 0;
        }
        if (stop.stop_requested()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // RestartSec=100ms
        continue;
      }
      if (stop.stop_requested() && term_sent_ != pid) {
        ::kill(pid, SIGTERM);
        term_sent_ = pid;
      }
      const auto now = Clock::now();
      if (ready && abort_sent == Clock::time_point{} && now - last_ping > watchdog_) {
        record("watchdog", pid);
        ::kill(pid, SIGABRT);
        abort_sent = now;
      }
      if (abort_sent != Clock::time_point{} && now - abort_sent > std::chrono::seconds(5))
        ::kill(pid, SIGKILL);
    }
  }

  std::vector<std::string> argv_, env_;
  std::filesystem::path log_, socket_path_;
  std::chrono::milliseconds watchdog_;
  int sock_ = -1;
  int term_sent_ = 0;
  mutable std::mutex mutex_;
  int pid_ = 0;
  bool stopping_ = false;
  std::vector<Event> events_;
  std::jthread thread_;
};

}  // namespace fd::testing
