#include "TestSupport.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

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

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds within,
              std::chrono::milliseconds slowest) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::chrono::milliseconds pause(1);
  for (;;) {
    if (done()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return done();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, slowest);
  }
}

Spawned::Spawned(const std::vector<std::string>& argv, const std::filesystem::path& log,
                 int stop_signal)
    : stop_signal_(stop_signal) {
  int in[2];
  REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  const int rc = posix_spawnp(&pid_, args[0].c_str(), &fa, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  stdin_ = in[1];
  if (rc != 0) pid_ = 0;
  REQUIRE_MESSAGE(rc == 0, "cannot start " << args[0]);
}

Spawned::~Spawned() {
  if (pid_) stop(stop_signal_);
  close_stdin();
}

void Spawned::close_stdin() {
  if (stdin_ >= 0) ::close(stdin_);
  stdin_ = -1;
}

int Spawned::wait(std::chrono::milliseconds limit) {
  if (!pid_) return -1;
  int status = 0;
  const bool ended = wait_for([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
  if (!ended) return -1;
  pid_ = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int Spawned::stop(int signal, std::chrono::milliseconds grace) {
  if (!pid_) return -1;
  ::kill(pid_, signal);
  if (const int status = wait(grace); status != -1) return status;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
  return -1;
}

int served_port(const std::filesystem::path& log, std::size_t skip,
                std::chrono::milliseconds within) {
  int port = 0;
  const std::regex printed("http://127\\.0\\.0\\.1:([0-9]+)/");
  wait_for(
      [&] {
        std::smatch m;
        const std::string all = read_file(log);
        const std::string text = all.size() > skip ? all.substr(skip) : "";
        if (std::regex_search(text, m, printed)) port = std::stoi(m[1]);
        return port != 0;
      },
      within);
  return port;
}

std::string xvfb(int w, int h) {
  return "xvfb-run -a -s '-screen 0 " + std::to_string(w + 64) + "x" + std::to_string(h + 64) +
         "x24' ";
}

std::string store_options(const std::filesystem::path& data, const std::filesystem::path& config) {
  return "--data-dir '" + data.string() + "' --config-dir '" + config.string() + "' ";
}

std::string frontdesk_at(const std::filesystem::path& dir) {
  const char* bin = std::getenv("FD_BINARY");
  REQUIRE_MESSAGE(bin, "FD_BINARY names the frontdesk binary (set by ctest)");
  return "'" + std::string(bin) + "' " + store_options(dir, dir);
}

}  // namespace fd::test
