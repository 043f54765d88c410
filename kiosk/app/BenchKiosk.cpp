// `frontdesk bench ui` and `frontdesk bench idle`: the kiosk is its own
// binary (the CLI never links SDL), so these build a door of 3,000
// attendees and let frontdesk-kiosk render it, timing its frames or
// measuring what it costs while nobody is at the door.
#include "app/BenchKiosk.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/BenchFixtures.h"
#include "app/Commands.h"
#include "app/ExitCodes.h"

namespace fd {
namespace {

bool have_display(const char* bench) {
  if (std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY")) return true;
  std::cerr << "bench " << bench
            << " needs a display; on a headless machine run: xvfb-run -a -s '-screen 0 "
               "1280x800x24' frontdesk bench "
            << bench << "\n";
  return false;
}

// A store of `attendees` with 200 of them in: a busy dashboard.
std::filesystem::path kiosk_store(const std::filesystem::path& tmp, std::size_t attendees) {
  auto opened = Engine::open(tmp / "bench.db", bench_options("Bench night", true));
  if (!opened) throw std::runtime_error(opened.error().message);
  Engine& engine = **opened;
  engine.run(MergeImport{synthetic_batch(attendees, 11), "synthetic", false});
  for (int i = 1; i <= 200; ++i) engine.run(CheckInAttendee{i, Method::Search});
  return tmp / "bench.db";
}

// CPU time (user + system) a process has used so far, from /proc.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  // The command name may hold spaces: fields are counted after its ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) stime = std::stol(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Starts the kiosk on the store, waits until it says it is ready, measures
// its CPU over `seconds`, and stops it. Percent of one core, or -1.
double idle_cpu(const std::filesystem::path& kiosk, const std::filesystem::path& store,
                const std::filesystem::path& config, const std::string& camera, int seconds) {
  const std::filesystem::path log = config.parent_path() / ("kiosk-" + camera + ".log");
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 2);
      ::dup2(fd, 1);
    }
    ::execl(kiosk.c_str(), kiosk.c_str(), "--store", store.c_str(), "--config-dir", config.c_str(),
            "--window", "1280x800", "--no-sound", "--camera", camera.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid < 0) return -1;
  // Ready: the kiosk drew its ready screen and said so.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool ready = false;
  while (!ready && std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    ready = text.find("Ready:") != std::string::npos;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  double percent = -1;
  if (ready) {
    std::this_thread::sleep_for(std::chrono::seconds(2));  // the first frames and textures
    const double before = cpu_seconds(pid);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    const double used = cpu_seconds(pid) - before;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    percent = 100.0 * used / wall;
  } else {
    std::cerr << "bench idle: the kiosk did not get ready; its log: " << log << "\n";
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return percent;
}

}  // namespace

int bench_ui(const std::string& dir, std::size_t attendees, int frames) {
  if (!have_display("ui")) return exit_code::usage;
  const std::filesystem::path kiosk = kiosk_binary();
  if (kiosk.empty()) {
    std::cerr << "bench ui: frontdesk-kiosk is not installed next to frontdesk\n";
    return exit_code::failure;
  }
  const auto tmp = make_temp_dir(dir);
  const auto store = kiosk_store(tmp, attendees);
  int rc = 0;
  for (const char* size : {"800x480", "1920x1080"}) {
    const std::string cmd = "'" + kiosk.string() + "' --store '" + store.string() +
                            "' --config-dir '" + (tmp / "config").string() + "' --window " + size +
                            " --bench-frames " + std::to_string(frames) + " --no-sound";
    rc |= std::system(cmd.c_str());
  }
  std::filesystem::remove_all(tmp);
  return rc == 0 ? exit_code::ok : exit_code::failure;
}

int bench_idle(const std::string& dir, std::size_t attendees, int seconds) {
  if (!have_display("idle")) return exit_code::usage;
  const std::filesystem::path kiosk = kiosk_binary();
  if (kiosk.empty()) {
    std::cerr << "bench idle: frontdesk-kiosk is not installed next to frontdesk\n";
    return exit_code::failure;
  }
  const auto tmp = make_temp_dir(dir);
  const auto store = kiosk_store(tmp, attendees);
  std::filesystem::create_directories(tmp / "config");
  std::cout << "bench idle: the kiosk (1280x800, " << attendees
            << " attendees) with nobody at the door, CPU over " << seconds
            << " s after it is ready (percent of one core; goal <= 10%)\n";
  bool ok = true;
  for (const auto& [camera, what] :
       {std::pair{"none", "no camera"}, std::pair{"synthetic:empty", "camera on an empty hall"}}) {
    const double cpu = idle_cpu(kiosk, store, tmp / "config", camera, seconds);
    if (cpu < 0) {
      ok = false;
      continue;
    }
    std::printf("  %-28s %6.1f%% of one core\n", what, cpu);
  }
  std::filesystem::remove_all(tmp);
  return ok ? exit_code::ok : exit_code::failure;
}

}  // namespace fd
