// sd_notify outside and inside a supervisor: nothing happens without one;
// with one, READY=1 and rate-limited WATCHDOG=1 arrive on its socket.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "service/Notify.h"

using namespace fd;

TEST_CASE("without a supervisor the notifier does nothing") {
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ServiceNotifier n;
  CHECK_FALSE(n.supervised());
  CHECK(n.watchdog_interval().count() == 0);
  n.ready("x");
  n.alive();
  n.stopping();
}

TEST_CASE(
    "ready and watchdog pings reach the supervisor's socket - pings at most every quarter "
    "interval") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("fd-notify-" + std::to_string(::getpid())))
          .string();
  const int sock = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ::unlink(path.c_str());
  REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ServiceNotifier n;
  CHECK(n.supervised());
  CHECK(n.watchdog_interval() == std::chrono::milliseconds(400));
  auto receive = [&](int wait_ms) {
    std::string all;
    pollfd p{sock, POLLIN, 0};
    while (::poll(&p, 1, wait_ms) > 0) {
      char buf[512];
      const ssize_t k = ::recv(sock, buf, sizeof buf, 0);
      if (k <= 0) break;
      all += std::string(buf, static_cast<std::size_t>(k)) + "|";
    }
    return all;
  };
  n.ready("Ready: test");
  const std::string first = receive(50);
  CHECK(first.find("READY=1") != std::string::npos);
  CHECK(first.find("STATUS=Ready: test") != std::string::npos);
  // A frame loop at 60 fps for 0.5 s: a handful of pings, not thirty.
  int pings = 0;
  for (int i = 0; i < 30; ++i) {
    n.alive();
    std::this_thread::sleep_for(std::chrono::milliseconds(16));
    const std::string got = receive(0);
    for (std::size_t at = got.find("WATCHDOG=1"); at != std::string::npos;
         at = got.find("WATCHDOG=1", at + 1))
      ++pings;
  }
  CHECK(pings >= 3);
  CHECK(pings <= 8);
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  ::close(sock);
  ::unlink(path.c_str());
}
