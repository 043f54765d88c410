// Printing to a real IPP printer: ippeveprinter (CUPS's reference printer)
// on loopback, with its own D-Bus, keeping every job it receives.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "badge/BadgeRenderer.h"
#include "badge/PrintSink.h"

extern char** environ;
using namespace fd;
namespace fs = std::filesystem;

namespace {

int free_port() {
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

bool accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

std::string run(const std::string& cmd) {
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
  IppPrinter() {
    std::string t = (fs::temp_directory_path() / "fd-ipp-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()));
    dir = t;
    fs::create_directories(dir / "spool");
    std::ofstream(dir / "print.sh") << "#!/bin/sh\nexit 0\n";
    fs::permissions(dir / "print.sh", fs::perms::owner_all);
    const std::string out = run("dbus-daemon --session --fork --nopidfile --print-pid=1 --address=unix:path='" +
                                (dir / "dbus.sock").string() + "'");
    dbus = static_cast<pid_t>(std::atoi(out.c_str()));
    start();
  }
  void start() {
    const std::string bus = "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + (dir / "dbus.sock").string();
    std::vector<std::string> env{bus, "PATH=/usr/bin:/bin"};
    std::vector<std::string> args{"ippeveprinter", "-r", "off", "-c", (dir / "print.sh").string(), "-d",
                                  (dir / "spool").string(), "-k", "-f", "application/pdf", "-p",
                                  std::to_string(port), "-n", "localhost", "BadgePrinter"};
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
    for (int i = 0; i < 100 && !accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
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
    if (dbus > 0) ::kill(dbus, SIGTERM);
    fs::remove_all(dir);
  }
  std::vector<fs::path> received() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir / "spool"))
      if (e.path().extension() == ".pdf") out.push_back(e.path());
    return out;
  }
};

PrintStatus follow(PrintSink& sink, const std::string& job) {
  PrintStatus st;
  for (int i = 0; i < 100; ++i) {
    st = sink.status(job);
    if (st.state == PrintState::Done || st.state == PrintState::Failed) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return st;
}

const BadgeData kAna{"Ana", "García", "Ana García", "Acme Corp", "", "Speaker", "PyMeetup", "A1", ""};

}  // namespace

TEST_CASE("a badge printed to an IPP printer arrives as a label-sized PDF with the name in it") {
  IppPrinter printer;
  const BadgeTemplate t = default_badge_template("dymo-99014");
  auto pdf = render_badge_pdf(kAna, t);
  REQUIRE(pdf.ok());
  auto sink = make_ipp_sink(printer.uri());
  auto job = sink->submit(*pdf, "badge-ana");
  REQUIRE_MESSAGE(job.ok(), (job.ok() ? "" : job.error().message));
  CHECK(follow(*sink, *job).state == PrintState::Done);
  const auto got = printer.received();
  REQUIRE(got.size() == 1);
  const std::string info = run("pdfinfo '" + got[0].string() + "'");
  double w = 0, h = 0;
  const auto at = info.find("Page size:");
  REQUIRE(at != std::string::npos);
  REQUIRE(std::sscanf(info.c_str() + at, "Page size: %lf x %lf", &w, &h) == 2);
  CHECK(std::abs(w - 54 * 72 / 25.4) < 0.5);
  CHECK(std::abs(h - 101 * 72 / 25.4) < 0.5);
  CHECK(run("pdftotext '" + got[0].string() + "' -").find("Ana") != std::string::npos);
}

TEST_CASE("a printer that is gone is a quick plain error - and printing works again when it is back") {
  IppPrinter printer;
  auto pdf = render_badge_pdf(kAna, default_badge_template());
  REQUIRE(pdf.ok());
  auto sink = make_ipp_sink(printer.uri());
  REQUIRE(sink->submit(*pdf, "first").ok());
  printer.stop();  // unplugged mid-evening
  const auto t0 = std::chrono::steady_clock::now();
  auto failed = sink->submit(*pdf, "second");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("offline") != std::string::npos);
  CHECK(secs < 12);  // a dead printer never hangs the print worker
  const PrintStatus gone = sink->status("1");
  CHECK(gone.reason == "offline");
  CHECK(gone.retryable);
  printer.start();  // plugged back in
  auto again = sink->submit(*pdf, "second");
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(follow(*sink, *again).state == PrintState::Done);
}

TEST_CASE("printer problems in plain words") {
  CHECK(printer_problem_in_words("media-empty-error") == "Printer out of labels");
  CHECK(printer_problem_in_words("media-jam-warning") == "Labels jammed in the printer");
  CHECK(printer_problem_in_words("door-open") == "The printer's cover is open");
  CHECK(printer_problem_in_words("none").empty());
}
