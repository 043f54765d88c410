#pragma once
// Test fixture: a real IPP printer (ippeveprinter) on loopback with its own
// D-Bus, keeping every job it receives in a spool folder. Started in the
// constructor, killed in the destructor even when a test fails.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace fd::testing {
namespace fs = std::filesystem;

inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

inline bool accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

inline std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  std::size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (p) ::pclose(p);
  return out;
}

// Starts and stops ippeveprinter; the destructor always cleans up.
struct IppPrinter {
  fs::path dir;
  int port = free_port();
  pid_t printer = 0, dbus = 0;
  // print_script: what the printer "does" with each job (exit 1: the job aborts).
  explicit IppPrinter(const std::string& print_script = "#!/bin/sh\nexit 0\n") {
    std::string t = (fs::temp_directory_path() / "fd-ipp-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    dir = t;
    fs::create_directories(dir / "spool");
    std::ofstream(dir / "print.sh") << print_script;
    fs::permissions(dir / "print.sh", fs::perms::owner_all);
    const std::string out =
        run("dbus-daemon --session --fork --nopidfile --print-pid=1 --address=unix:path='" +
            (dir / "dbus.sock").string() + "'");
    dbus = static_cast<pid_t>(std::atoi(out.c_str()));
    start();
  }
  void start() {
    const std::string bus = "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + (dir / "dbus.sock").string();
    std::vector<std::string> env{bus, "PATH=/usr/bin:/bin"};
    std::vector<std::string> args{"ippeveprinter",
                                  "-r",
                                  "off",
                                  "-c",
                                  (dir / "print.sh").string(),
                                  "-d",
                                  (dir / "spool").string(),
                                  "-k",
                                  "-f",
                                  "application/pdf",
                                  "-p",
                                  std::to_string(port),
                                  "-n",
                                  "localhost",
                                  "BadgePrinter"};
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    REQUIRE(posix_spawnp(&printer, "ippeveprinter", &fa, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < 100 && !accepts(port); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(accepts(port));
  }
  void stop() {
    if (printer) {
      ::kill(printer, SIGKILL);
      ::waitpid(printer, nullptr, 0);
      printer = 0;
    }
  }
  std::string uri() const { return "ipp://localhost:" + std::to_string(port) + "/ipp/print"; }
  ~IppPrinter() {
    stop();
    if (dbus > 0) {
      ::kill(dbus, SIGTERM);
      // dbus-daemon forked away from us: give it a moment to close its socket.
      for (int i = 0; i < 50 && ::kill(dbus, 0) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::error_code
        ec;  // a destructor must not throw: dbus-daemon may still be removing its socket
    fs::remove_all(dir, ec);
  }
  std::vector<fs::path> received() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir / "spool"))
      if (e.path().extension() == ".pdf") out.push_back(e.path());
    return out;
  }
};

}  // namespace fd::testing
