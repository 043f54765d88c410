#pragma once
// What many tests need around the code under test: a temporary folder that
// goes away, a shell command's output and exit status, a file's text, and a
// wait on a condition with a deadline (instead of a sleep that hopes).
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

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
// most every 50 ms), so a fast condition costs no fixed sleep and a slow one
// does not spin. Use it wherever a test waits for another thread or process:
// a sleep of a guessed length either wastes time or fails on a loaded machine.
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds within);

}  // namespace fd::test
