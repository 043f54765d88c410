#pragma once
// What many tests need around the code under test: a temporary folder that
// goes away, a shell command's output and exit status, a file's text.
#include <filesystem>
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

}  // namespace fd::test
