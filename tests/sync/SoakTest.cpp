// The soak: thousands of check-ins and undos pushed to pretix and a webhook
// through a network that fails a third of the time, by the real
// `frontdesk sync push` process, SIGKILLed in the middle and started again.
// The services must end with exactly one live check-in per person who is
// in, none for anyone else, none missing.
//
// FD_SOAK_CHECKINS sets the size (default 3000; the long run uses more).
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "FakeServices.h"
#include "TestSupport.h"
#include "engine/Engine.h"

extern char** environ;

using namespace fd;
using namespace fdtest;
namespace fs = std::filesystem;

namespace {

struct Child {
  pid_t pid = -1;
  int wait() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

Child spawn(const std::vector<std::string>& args, const fs::path& log) {
  const char* bin = std::getenv("FD_BINARY");
  REQUIRE(bin);
  std::vector<std::string> all = {bin};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  Child c;
  REQUIRE(posix_spawn(&c.pid, bin, &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  return c;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE(
    "soak: check-ins and undos reach pretix and the webhook exactly once through faults and a "
    "SIGKILL") {
  const int n = std::getenv("FD_SOAK_CHECKINS") ? std::atoi(std::getenv("FD_SOAK_CHECKINS")) : 3000;
  std::string t = (fs::temp_directory_path() / "fd-soak-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  const fs::path dir = t;
  const fs::path store = dir / "frontdesk.db", log = dir / "push.log";

  FakePretix pretix;
  for (int i = 1; i <= n; ++i) {
    char order[16];
    std::snprintf(order, sizeof order, "S%06d", i);
    pretix.add(order, "soak" + std::to_string(i), "Soak Person " + std::to_string(i));
  }
  pretix.page_size = 100;
  FakeWebhook hook;
  pretix.start();
  hook.start();
  {
    std::ofstream cfg(dir / "frontdesk.toml");
    cfg << "[pretix]\nurl = \"" << pretix.url() << "\"\norganizer = \"demo\"\nevent = \"pycon\"\n"
        << "checkin_list = 7\ntoken = \"secret-token\"\n\n[webhook]\nurl = \"" << hook.url()
        << "/hook\"\nsecret = \"hook-secret\"\n\n[sync]\ntimeout = 2\n";
  }
  ::chmod((dir / "frontdesk.toml").c_str(), 0600);
  const std::vector<std::string> common = {"--config-dir", dir.string(), "--store", store.string(),
                                           "--event",      "PyCon",      "-q"};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.begin(), common.begin(), common.end());
    return a;
  };
  // The list, by the CLI (faults are for the pushes).
  REQUIRE(spawn(with({"sync", "pull"}), log).wait() == 0);

  // A third of every request fails, in every way but a stall (a stall costs
  // the client its whole timeout; the fault tests cover it). 429s say
  // Retry-After: 0 here so the soak measures delivery, not waiting.
  FaultPlan plan;
  plan.rate = 0.35;
  plan.mix = {Fault::E500,  Fault::E502,     Fault::E503,          Fault::TooMany,
              Fault::Reset, Fault::Truncate, Fault::AppliedThen500};
  plan.retry_after = "0";
  pretix.plan(plan);
  hook.plan(plan);

  EngineOptions eo;
  eo.event = "PyCon";
  auto opened = Engine::open(store, eo);
  REQUIRE(opened.ok());
  Engine& engine = **opened;
  REQUIRE(engine.snapshot()->rsvp_yes == n);

  const auto started = std::chrono::steady_clock::now();
  // Check-ins at the door while the pusher runs; every 20th is undone.
  std::thread door([&] {
    for (int i = 1; i <= n; ++i) {
      const Decision d = engine.run(CheckInCode{"soak" + std::to_string(i)});
      if (i % 20 == 0) engine.run(Undo{d.checkin_uuid, 0});
    }
  });
  Child first = spawn(with({"sync", "push", "--timeout", "600"}), log);
  // Kill it mid-way: once the services have seen a good part of the work.
  fd::test::wait_for([&] { return pretix.requests() + hook.requests() >= n; },
                     std::chrono::seconds(30));
  ::kill(first.pid, SIGKILL);
  CHECK(first.wait() == -SIGKILL);
  const int at_kill = pretix.requests() + hook.requests();
  door.join();
  Child second = spawn(with({"sync", "push", "--timeout", "600"}), log);
  const int code = second.wait();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  INFO(slurp(log));
  CHECK(code == 0);

  // Exactly one live check-in per person who is in; none for the undone.
  const auto snap = engine.snapshot();
  const auto p_lives = pretix.lives();
  const auto h_lives = hook.lives();
  int wrong = 0, admitted = 0;
  for (int i = 1; i <= n; ++i) {
    const std::string code_i = "soak" + std::to_string(i);
    const int want = i % 20 == 0 ? 0 : 1;
    admitted += want;
    const int hp = h_lives.count(code_i) ? h_lives.at(code_i) : 0;
    if (p_lives.at(code_i) != want || hp != want) ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(snap->checked_in == admitted);
  CHECK(hook.bad_signatures == 0);

  const int rows = n + n / 20;                                   // check-ins and undos, per service
  const int requests = pretix.requests() + hook.requests() - 5;  // less the pull's requests
  std::ostringstream report;
  report << "soak: " << n << " check-ins + " << n / 20 << " undos to pretix and the webhook; "
         << requests << " requests (" << at_kill << " before the SIGKILL), "
         << pretix.faults() + hook.faults() << " faulted ("
         << (100 * (pretix.faults() + hook.faults()) / std::max(1, requests)) << "%), "
         << requests - 2 * rows << " retries, " << took.count() << " ms wall; faults:";
  std::map<std::string, int> kinds = pretix.fault_counts();
  for (const auto& [k, v] : hook.fault_counts()) kinds[k] += v;
  for (const auto& [k, v] : kinds) report << " " << k << "=" << v;
  MESSAGE(report.str());
  std::cout << report.str() << "\n";
  std::error_code ec;
  fs::remove_all(dir, ec);
}
