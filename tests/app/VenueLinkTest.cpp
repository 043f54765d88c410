// The venue's link names where the running door really answers: `serve`
// on ports of its own (8443 and 8080 taken, or --port 0) still gives a
// link that opens.
#include <doctest/doctest.h>

#include <cstdlib>

#include "TestSupport.h"

namespace {
const std::string kSmall = std::string(FD_TEST_DATA_DIR) + "/app/data/small.csv";
}  // namespace

TEST_CASE("venue-link names the running door's own ports - and the link answers") {
  fd::test::Cli cli;
  const auto imported = cli("import '" + kSmall + "' --event june");
  REQUIRE((imported.code == 0 || imported.code == 5));
  // Before any door serves: the configured address, and that it answers
  // only while one serves.
  const auto before = cli("venue-link");
  CHECK(before.code == 0);
  CHECK_MESSAGE(before.has("No door serves right now"), before.out);

  const char* bin = std::getenv("FD_BINARY");
  REQUIRE(bin);
  ::setenv("XDG_DATA_HOME", (cli.dir.path / "data").c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (cli.dir.path / "config").c_str(), 1);
  const auto log = cli.dir.path / "serve.log";
  fd::test::Spawned serve({bin, "serve", "--listen", "127.0.0.1", "--port", "0"}, log);
  std::string url;
  REQUIRE_MESSAGE(fd::test::wait_for(
                      [&] {
                        const auto r = cli("venue-link");
                        if (r.code != 0 || r.has("No door serves")) return false;
                        url = r.out.substr(0, r.out.find('\n'));
                        return true;
                      },
                      std::chrono::seconds(20), std::chrono::milliseconds(200)),
                  fd::test::read_file(log));
  CHECK_MESSAGE(url.rfind("http://127.0.0.1:", 0) == 0, url);
  CHECK_MESSAGE(url.find(":8080/") == std::string::npos, url);
  int code = 0;
  const std::string got = fd::test::run("curl -s '" + url + "?format=json'", &code);
  CHECK(code == 0);
  CHECK_MESSAGE(got.find("\"in_room\"") != std::string::npos, got);
  CHECK_MESSAGE(got.find("example.org") == std::string::npos, got);  // no e-mails, no names
}
