#pragma once
// What many tests need around the code under test: a temporary folder that
// goes away, a shell command's output and exit status, a file's text.
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

// Looks at `ready` every `step` until it holds or `limit` has passed; true
// when it held. The way to wait for something another process does.
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds limit,
                std::chrono::milliseconds step = std::chrono::milliseconds(20));

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

}  // namespace fd::test
