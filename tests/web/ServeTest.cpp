// `frontdesk serve` as an organizer starts it: the real binary, HTTPS on
// the LAN address with a certificate made on first run, the fingerprint it
// prints matching the certificate it serves, plain HTTP on loopback, and a
// clean stop on SIGTERM.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>

#include "TestSupport.h"
#include "web/Certificate.h"

namespace fs = std::filesystem;

namespace {

using fd::test::TempDir;

int sh(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE(
    "frontdesk serve - HTTPS with the fingerprint it prints - HTTP on loopback - stops on "
    "SIGTERM") {
  const char* bin = std::getenv("FD_BINARY");
  REQUIRE(bin);
  TempDir dir;
  const std::string env = "XDG_DATA_HOME='" + (dir.path / "data").string() + "' XDG_CONFIG_HOME='" +
                          (dir.path / "config").string() + "' ";
  REQUIRE(sh(env + "'" + bin + "' import '" + FD_TEST_DATA_DIR +
             "/app/data/small.csv' --event 'June Meetup' -q >/dev/null 2>&1") == 5);
  REQUIRE(sh("echo 1234 | " + env + "'" + bin + "' pin set --yes >/dev/null") == 0);

  int out[2];
  REQUIRE(::pipe(out) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::setenv("XDG_DATA_HOME", (dir.path / "data").c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (dir.path / "config").c_str(), 1);
    ::execl(bin, bin, "serve", "--port", "0", "--loopback-port", "0", nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  std::string printed;
  std::smatch https, http, fingerprint;
  const std::regex https_re(R"(https://([0-9.]+):(\d+)/)"),
      http_re(R"(http://127\.0\.0\.1:(\d+)/)"), fp_re(R"(SHA-256: ([0-9A-F:]{95}))");
  char buf[512];
  while (!std::regex_search(printed, http, http_re) ||
         !std::regex_search(printed, https, https_re) ||
         !std::regex_search(printed, fingerprint, fp_re)) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    printed.append(buf, static_cast<std::size_t>(n));
  }
  INFO(printed);
  REQUIRE(std::regex_search(printed, https, https_re));
  REQUIRE(std::regex_search(printed, http, http_re));
  REQUIRE(std::regex_search(printed, fingerprint, fp_re));

  // The certificate on disk is the one printed; its key is owner-only.
  const fs::path cert = dir.path / "config" / "frontdesk" / "web-cert.pem";
  auto fp = fd::certificate_fingerprint(cert);
  REQUIRE(fp.ok());
  CHECK(*fp == fingerprint[1].str());
  CHECK((fs::status(dir.path / "config" / "frontdesk" / "web-key.pem").permissions() &
         (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

  // HTTPS answers with that certificate (verified against it), on loopback too.
  httplib::SSLClient tls("127.0.0.1", std::stoi(https[2].str()));
  tls.enable_server_certificate_verification(true);
  tls.set_ca_cert_path(cert.c_str());
  auto page = tls.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  auto api = tls.Get("/api/stats");
  REQUIRE(api);
  CHECK(api->status == 401);
  httplib::Client plain("127.0.0.1", std::stoi(http[1].str()));
  auto local = plain.Get("/");
  REQUIRE(local);
  CHECK(local->status == 200);

  ::kill(pid, SIGTERM);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  ::close(out[0]);
}
