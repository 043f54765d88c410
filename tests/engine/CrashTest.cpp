// Crash safety: a child process checks people in; we SIGKILL it at random
// moments, reopen the store, and check that every check-in it acknowledged
// is there, undos too, and nothing is half-written.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include "store/Store.h"

extern char** environ;

using namespace fd;
namespace fs = std::filesystem;

namespace {

struct Killed {
  std::vector<std::string> acked;
  std::vector<std::string> undone;
  std::vector<std::string> errors;
};

// Runs the child for about `lifetime`, then SIGKILLs it. Returns what it
// acknowledged on complete lines before dying.
Killed run_and_kill(const fs::path& store, std::chrono::microseconds lifetime) {
  int out[2];
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  std::string child = CRASH_CHILD;
  std::string arg = store.string();
  char* argv[] = {child.data(), arg.data(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, child.c_str(), &fa, nullptr, argv, environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);

  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + lifetime;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::kill(pid, SIGKILL);
  // What the child wrote before the kill is still in the pipe: read it all.
  for (;;) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);

  Killed k;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (lines.eof()) break;  // a line cut by the kill was never acknowledged
    if (line.rfind("ACK ", 0) == 0)
      k.acked.push_back(line.substr(4));
    else if (line.rfind("UNDO ", 0) == 0)
      k.undone.push_back(line.substr(5));
    else if (line.rfind("ERR ", 0) == 0)
      k.errors.push_back(line);
  }
  return k;
}

}  // namespace

TEST_CASE(
    "SIGKILL at 250 random moments loses no acknowledged check-in and leaves nothing "
    "half-written") {
  std::string t = (fs::temp_directory_path() / "fd-crash-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  const fs::path store_file = dir / "crash.db";

  std::mt19937 rng(20261123);
  // Kills land anywhere: during startup and migration, mid-import, and
  // between or inside check-in transactions.
  std::uniform_int_distribution<int> lifetime_us(0, 60'000);
  std::set<std::string> acked, undone;
  int kills = 0, total_acks = 0;
  // 250 kills; on a loaded machine the child gets less done per life, so go
  // on (for at most a minute more) until the kills interrupted a busy door.
  const auto extra_until = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  for (int round = 0;
       round < 250 || (total_acks <= 200 && std::chrono::steady_clock::now() < extra_until);
       ++round) {
    const Killed k = run_and_kill(store_file, std::chrono::microseconds(lifetime_us(rng)));
    ++kills;
    CHECK_MESSAGE(k.errors.empty(), (k.errors.empty() ? "" : k.errors.front()));
    acked.insert(k.acked.begin(), k.acked.end());
    undone.insert(k.undone.begin(), k.undone.end());
    total_acks += static_cast<int>(k.acked.size());

    if (!fs::exists(store_file)) continue;  // killed before the file existed
    auto store = Store::open(store_file);
    REQUIRE_MESSAGE(store.ok(), store.error().message);
    const auto ok = (*store)->verify();
    REQUIRE_MESSAGE(ok.ok(), ok.error().message);
    const auto ev = (*store)->event_by_slug("crash");
    if (!ev) {
      CHECK(acked.empty());
      continue;
    }
    std::set<std::string> in_log, annulled;
    for (const LogEntry& e : (*store)->log(ev->id)) {
      if (e.kind == CheckInKind::CheckIn)
        in_log.insert(e.uuid);
      else
        annulled.insert(e.ref_uuid);
    }
    for (const std::string& u : acked) REQUIRE_MESSAGE(in_log.count(u), "lost check-in " << u);
    for (const std::string& u : undone) REQUIRE_MESSAGE(annulled.count(u), "lost undo of " << u);
  }
  MESSAGE("kills: " << kills << ", acknowledged check-ins: " << total_acks
                    << ", undos: " << undone.size());
  CHECK(kills >= 200);
  CHECK(total_acks > 200);  // the kills really did interrupt a busy door
  fs::remove_all(dir);
}
