#include "TestSupport.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace fd::test {

TempDir::TempDir(const std::filesystem::path& base) {
  std::string t = (base / "fd-test-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  path = t;
}

TempDir::~TempDir() {
  std::error_code ec;  // destructors never throw
  std::filesystem::remove_all(path, ec);
}

std::string run(const std::string& cmd, int* code, bool with_stderr) {
  std::string out;
  FILE* p = ::popen((with_stderr ? cmd + " 2>&1" : cmd).c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  if (code) *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CliRun Cli::operator()(const std::string& args) const {
  const char* bin = std::getenv("FD_BINARY");
  REQUIRE_MESSAGE(bin, "FD_BINARY names the frontdesk binary (set by ctest)");
  CliRun r;
  r.out = run("XDG_DATA_HOME='" + (dir.path / "data").string() + "' XDG_CONFIG_HOME='" +
                  (dir.path / "config").string() + "' '" + bin + "' " + args,
              &r.code);
  return r;
}

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::chrono::milliseconds pause(1);
  for (;;) {
    if (done()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return done();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

}  // namespace fd::test
