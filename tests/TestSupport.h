#pragma once
// What many tests need around the code under test: a temporary folder that
// goes away, a shell command's output and exit status, a file's text, and a
// wait on a condition with a deadline (instead of a sleep that hopes), a
// process of the test's own.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fd::test {

// A fresh folder under the system's temporary directory (or `base`),
// removed with everything in it when the test is done.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::filesystem::path& base = std::filesystem::temp_directory_path());
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Runs `cmd` with /bin/sh and returns what it printed: stdout, and stderr too
// when `with_stderr` (else stderr goes where the test's goes). `code`: its
// exit status, or -1 when it did not exit normally.
std::string run(const std::string& cmd, int* code = nullptr, bool with_stderr = true);

// A whole file's bytes ("" when it cannot be read).
std::string read_file(const std::filesystem::path& file);

// `frontdesk` (FD_BINARY) run as a person runs it, with its data and
// config under a folder of its own (XDG_DATA_HOME, XDG_CONFIG_HOME):
// stdout and stderr together, and the exit status.
struct CliRun {
  int code = -1;
  std::string out;
  bool has(const std::string& s) const { return out.find(s) != std::string::npos; }
};
struct Cli {
  TempDir dir;
  CliRun operator()(const std::string& args) const;
  std::filesystem::path data() const { return dir.path / "data"; }
  std::filesystem::path config() const { return dir.path / "config" / "frontdesk"; }
};

// Waits until `done()` is true or `within` has passed; returns the last
// answer of `done()`. Looks often at first (1 ms) and less often later (at
// most every `slowest`: more for a `done()` that runs a command), so a fast
// condition costs no fixed sleep and a slow one does not spin. Use it
// wherever a test waits for another thread or process: a sleep of a guessed
// length either wastes time or fails on a loaded machine.
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds within,
              std::chrono::milliseconds slowest = std::chrono::milliseconds(50));

// A process of the test's: `argv` started (PATH searched) with stdout and
// stderr into `log`, and stdin from a pipe the test holds (closed by
// close_stdin(), or when the test ends however it ends). Stopped with
// `stop_signal` and waited for on destruction.
class Spawned {
 public:
  Spawned(const std::vector<std::string>& argv, const std::filesystem::path& log,
          int stop_signal = 15);
  ~Spawned();
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;
  pid_t pid() const { return pid_; }
  void close_stdin();
  // Stops it (`signal`, then SIGKILL after `grace`); its exit status.
  int stop(int signal, std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits for it to end by itself.
  int wait(std::chrono::milliseconds limit);

 private:
  pid_t pid_ = 0;
  int stdin_ = -1;
  int stop_signal_;
};

// A store of the test's own for `frontdesk` or `frontdesk-kiosk`: the
// options "--data-dir 'DATA' --config-dir 'CONFIG' " (quoted for /bin/sh),
// and `frontdesk` (FD_BINARY) with them, with both in `dir`.
std::string store_options(const std::filesystem::path& data, const std::filesystem::path& config);
std::string frontdesk_at(const std::filesystem::path& dir);

// `xvfb-run` for a kiosk window of w x h: a screen a little larger, so that
// the window is never clipped by it. Ends with a space.
std::string xvfb(int w, int h);

// The port a door started by the test (`frontdesk serve --port 0`, its
// output in `log` after the first `skip` bytes: an earlier run's) bound on
// 127.0.0.1, read from the address it prints; 0 when it printed none within
// `within`.
int served_port(const std::filesystem::path& log, std::size_t skip = 0,
                std::chrono::milliseconds within = std::chrono::seconds(20));

}  // namespace fd::test
