#include "Evening.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace fd::test {
namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// Subcommands with subcommands of their own: "doors pair", "sync retry".
const std::set<std::string> kNested = {"doors", "sync", "pin", "event", "people", "bench"};

bool is_placeholder(const std::string& word) {
  static const std::regex re(R"([A-Z][A-Z0-9]*(-[A-Z0-9]+)*(\.[a-z]+)?)");
  return word.size() > 1 && std::regex_match(word, re);
}

// "frontdesk doors pair)" named in passing: the subcommand (and its own),
// then options and placeholders; the prose after them is not part of it.
std::string command_in_prose(const std::string& from) {
  std::istringstream in(from);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  std::string cmd;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    bool ends = false;
    while (!w.empty() && std::string(").,;").find(w.back()) != std::string::npos) {
      w.pop_back();
      ends = true;
    }
    const bool take = !w.empty() && (i == 0 || (i == 1 && kNested.count(words[0]) && w[0] != '-') ||
                                     w[0] == '-' || is_placeholder(w));
    if (!take) break;
    cmd += " " + w;
    if (ends) break;
  }
  return cmd;
}

std::string shell_script_for(const fs::path& top, const std::string& line, const fs::path& input) {
  const char* bin = std::getenv("FD_BINARY");
  REQUIRE_MESSAGE(bin, "FD_BINARY names the frontdesk binary (set by ctest)");
  return "cd " + sh_quote((top / "work").string()) +
         " && unset DISPLAY WAYLAND_DISPLAY && export XDG_DATA_HOME=" +
         sh_quote((top / "data").string()) +
         " XDG_CONFIG_HOME=" + sh_quote((top / "config").string()) +
         " PATH=" + sh_quote(fs::path(bin).parent_path().string()) + ":\"$PATH\" && exec " + line +
         " < " + sh_quote(input.string());
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
}

}  // namespace

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> advice_in(const std::string& text) {
  std::vector<std::string> found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    for (std::size_t at = line.find("frontdesk "); at != std::string::npos;
         at = line.find("frontdesk ", at + 1)) {
      const char before = at ? line[at - 1] : ' ';
      if (std::string(" `(\t:\"").find(before) == std::string::npos) continue;
      const std::size_t args = at + 10;
      if (args >= line.size() || !(std::islower(static_cast<unsigned char>(line[args])) ||
                                   line.compare(args, 2, "--") == 0))
        continue;
      std::string cmd;
      const std::string lead = trim(line.substr(0, at));
      if (before == '`') {
        const auto end = line.find('`', at);
        if (end == std::string::npos) continue;
        cmd = line.substr(at, end - at);
      } else if (lead.empty() || lead.back() == ':') {
        cmd = trim(line.substr(at));
        int open = 0;
        for (std::size_t i = 0; i < cmd.size(); ++i) {
          if (cmd[i] == '(') ++open;
          if (cmd[i] == ')' && --open < 0) {
            cmd.resize(i);
            break;
          }
        }
        cmd = trim(cmd);
        while (!cmd.empty() && cmd.back() == '.') cmd.pop_back();
      } else {
        cmd = "frontdesk" + command_in_prose(line.substr(args));
      }
      found.push_back(cmd);
    }
  }
  return found;
}

std::string meetup_export(bool newer) {
  // Name, User ID, Title, Event Host, RSVP, Guests, RSVPed on.
  struct Row {
    std::string name;
    int id = 0;
    std::string host = "No", rsvp = "Yes";
    int guests = 0;
    std::string when;
  };
  const auto row = [](std::string name, int id, std::string host = "No", std::string rsvp = "Yes",
                      int guests = 0) {
    Row r;
    r.name = std::move(name);
    r.id = id;
    r.host = std::move(host);
    r.rsvp = std::move(rsvp);
    r.guests = guests;
    return r;
  };
  std::vector<Row> rows = {row("Dr. Jane Smith", 5001),
                           row("Иван Петров", 5002, "No", "Yes", 1),
                           row("Chloe Evans", 5003, "Yes"),
                           row("Seán O'Brien", 5004),
                           row("Maria Silva", 5005),
                           row("Maria Silva", 5006),
                           row("Hiro Tanaka", 5007, "No", "No"),
                           row("Kavya Rao", 5008),
                           row("Luca Rossi", 5009),
                           row("王秀英", 5010)};
  const char* first[] = {"Ana",   "Ben",   "Dmitri", "Elif",  "Farah", "Grace", "Ines",
                         "Jonas", "Kemal", "Lena",   "Mateo", "Nadia", "Omar",  "Priya",
                         "Quinn", "Rosa",  "Sven",   "Tariq", "Uma",   "Yusuf"};
  const char* last[] = {"García", "Okafor", "Novak", "Yılmaz",   "Haddad",
                        "Hopper", "Moreau", "Berg",  "Nakamura", "Adeyemi"};
  for (int i = 0; i < 70; ++i) {
    Row r = row(std::string(first[i % 20]) + " " + last[(i / 20 + i) % 10], 6000 + i);
    if (i % 11 == 4) r.rsvp = "Waitlist";
    if (i % 13 == 6) r.rsvp = "No";
    if (i % 9 == 2) r.guests = 1;
    rows.push_back(r);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    char when[32];
    std::snprintf(when, sizeof when, "2026-05-%02zu %02zu:%02zu", 1 + i % 20, 8 + i % 12,
                  (i * 7) % 60);
    rows[i].when = when;
  }
  if (newer) {
    for (Row& r : rows)
      if (r.name == "Kavya Rao" || r.name == "Luca Rossi") {
        r.rsvp = "No";
        r.when = "2026-05-25 09:30";
      }
    for (Row r : {row("Zainab Bello", 7001), row("Tomás Díaz", 7002), row("Aiko Sato", 7003)}) {
      r.when = "2026-05-26 1" + std::to_string(r.id % 10) + ":00";
      rows.push_back(r);
    }
  }
  std::string csv =
      "Name,User ID,Title,Event Host,RSVP,Guests,RSVPed on,Joined Group on,URL of Member "
      "Profile\r\n";
  for (const Row& r : rows)
    csv += r.name + "," + std::to_string(r.id) + ",," + r.host + "," + r.rsvp + "," +
           std::to_string(r.guests) + "," + r.when + ",2025-01-10,https://www.meetup.com/members/" +
           std::to_string(r.id) + "/\r\n";
  return csv;
}

Evening::Evening() {
  fs::create_directories(work);
  fs::create_directories(config_dir());
}

void Evening::write(const std::string& name, const std::string& bytes) const {
  std::ofstream(work / name, std::ios::binary) << bytes;
}

void Evening::configure(const std::string& toml) const {
  std::ofstream(config_dir() / "frontdesk.toml", std::ios::app) << toml;
}

CliRun Evening::in(const fs::path& top, const std::string& line, const std::string& input,
                   int seconds) const {
  fs::path in_file = "/dev/null";
  if (!input.empty()) {
    in_file = top / ("input-" + std::to_string(++copies_));
    std::ofstream(in_file) << input;
  }
  CliRun r;
  r.out = run("timeout --preserve-status -s TERM -k 5 " + std::to_string(seconds) + " sh -c " +
                  sh_quote(shell_script_for(top, line, in_file)),
              &r.code);
  return r;
}

CliRun Evening::operator()(const std::string& line, const std::string& input, int seconds) const {
  return in(root.path, line, input, seconds);
}

bool usage_error(const CliRun& r) {
  return r.code == 2 || r.has("Run with --help") || r.has("not expected") ||
         r.has("nknown option") || r.has("is required");
}

CliRun Evening::try_advice(const std::string& line, const std::string& input, int seconds) const {
  // A copy of everything: the work folder, the config (its paths pointing
  // into the copy), and the store as one consistent copy (`frontdesk
  // backup`, as a running door may be writing to it).
  const fs::path top = root.path / ("try-" + std::to_string(++copies_));
  fs::create_directories(top / "data" / "frontdesk");
  int code = 0;
  run("cp -a " + sh_quote(work.string()) + " " + sh_quote((top / "work").string()) + " && cp -a " +
          sh_quote(config.string()) + " " + sh_quote((top / "config").string()),
      &code);
  REQUIRE(code == 0);
  const fs::path toml = top / "config" / "frontdesk" / "frontdesk.toml";
  if (fs::exists(toml)) {
    std::string text = read_file(toml);
    replace_all(text, root.path.string() + "/", top.string() + "/");
    std::ofstream(toml, std::ios::trunc) << text;
  }
  if (fs::exists(data / "frontdesk" / "frontdesk.db")) {
    const CliRun copied = (*this)("frontdesk -q backup --to " + sh_quote((top / "copy").string()));
    REQUIRE_MESSAGE(copied.code == 0, copied.out);
    for (const auto& f : fs::directory_iterator(top / "copy"))
      fs::rename(f.path(), top / "data" / "frontdesk" / "frontdesk.db");
  }
  const CliRun r = in(top, line, input, seconds);
  CHECK_MESSAGE(!usage_error(r), "the advice `" << line << "` does not run:\n" << r.out);
  return r;
}

CliRun Evening::follow(const std::string& line, const std::string& input, int seconds) const {
  const CliRun r = (*this)(line, input, seconds);
  CHECK_MESSAGE(!usage_error(r), "the advice `" << line << "` does not run:\n" << r.out);
  return r;
}

std::unique_ptr<Spawned> Evening::start(const std::string& line, const fs::path& log) const {
  return std::make_unique<Spawned>(
      std::vector<std::string>{"/bin/sh", "-c", shell_script_for(root.path, line, "/dev/null")},
      log);
}

std::map<std::string, CliRun> Evening::try_all(
    const std::string& out, const std::map<std::string, std::string>& fill) const {
  std::map<std::string, CliRun> done;
  for (const std::string& printed : advice_in(out)) {
    std::string line = printed;
    for (const auto& [from, to] : fill) replace_all(line, from, to);
    // What is left in capitals outside quotes is a placeholder nobody filled.
    std::string bare = line;
    bare = std::regex_replace(bare, std::regex("'[^']*'|\"[^\"]*\""), "");
    std::istringstream words(bare);
    for (std::string w; words >> w;)
      CHECK_MESSAGE(!is_placeholder(w), "advice with an unfilled placeholder: " << printed);
    if (done.count(printed)) continue;
    done[printed] = try_advice(line, line.find(" pin set") != std::string::npos ? "482913\n" : "",
                               line.find(" serve") != std::string::npos ? 2 : 60);
  }
  return done;
}

std::string advice_starting(const std::vector<std::string>& advice, const std::string& prefix) {
  for (const std::string& a : advice)
    if (a.rfind(prefix, 0) == 0) return a;
  FAIL_CHECK("no advice starts with `" << prefix << "`");
  return "";
}

}  // namespace fd::test
