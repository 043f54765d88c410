#pragma once
// An organizer's evening at the terminal, for the tests that play one: the
// real `frontdesk` found on PATH as an installed one is, run from a folder
// of the organizer's own (the exports lie there) with its store and config
// under that folder, and the advice it prints collected and run.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "TestSupport.h"

namespace fd::test {

// A word as a POSIX shell reads it back.
std::string sh_quote(const std::string& s);

// The frontdesk commands a text tells its reader to run: `in backticks`,
// on a line of their own or after a colon (to the line's end), or named in
// passing ("(frontdesk doors pair)": the command and its options).
std::vector<std::string> advice_in(const std::string& text);

// A Meetup "RSVPs" export as the site writes it: 80 people (names in many
// scripts, a title, an apostrophe, two of one name, a host, guests, the
// waitlisted and those who said no); `newer`: a day later, two said no,
// three more said yes.
std::string meetup_export(bool newer);

struct Evening {
  TempDir root;
  std::filesystem::path work = root.path / "work";      // where the organizer types
  std::filesystem::path data = root.path / "data";      // XDG_DATA_HOME
  std::filesystem::path config = root.path / "config";  // XDG_CONFIG_HOME
  Evening();

  std::filesystem::path config_dir() const { return config / "frontdesk"; }
  void write(const std::string& name, const std::string& bytes) const;
  // Appends to frontdesk.toml.
  void configure(const std::string& toml) const;

  // Runs a command line as the organizer types it (`frontdesk ...`), with
  // nothing on standard input (or `input`), no display, and `seconds` at
  // most (then SIGTERM: a server stops as at Ctrl+C).
  CliRun operator()(const std::string& line, const std::string& input = "", int seconds = 60) const;

  // Runs `line` in a copy of the store and config as they are now, so the
  // evening goes on as it was: what the advice would do, not what it did.
  // Fails the test when the command line itself is wrong (exit 2, a usage
  // message), whatever else it does.
  CliRun try_advice(const std::string& line, const std::string& input = "", int seconds = 60) const;
  // Same checks, in the evening itself.
  CliRun follow(const std::string& line, const std::string& input = "", int seconds = 60) const;

  // `line` started as a process of the test's (a server), its output in
  // `log`; stopped with SIGTERM as at Ctrl+C.
  std::unique_ptr<Spawned> start(const std::string& line, const std::filesystem::path& log) const;

  // The advice in `out` (placeholders filled from `fill`), each tried in a
  // copy; what each did, by the command as printed.
  std::map<std::string, CliRun> try_all(const std::string& out,
                                        const std::map<std::string, std::string>& fill = {}) const;

 private:
  CliRun in(const std::filesystem::path& top, const std::string& line, const std::string& input,
            int seconds) const;
  mutable int copies_ = 0;
};

// True when `r` is the command line's own complaint (CLI11's, or exit 2).
bool usage_error(const CliRun& r);

// The one advice line of `advice` that starts with `prefix` ("frontdesk
// checkin"): the test fails when there is none.
std::string advice_starting(const std::vector<std::string>& advice, const std::string& prefix);

}  // namespace fd::test
