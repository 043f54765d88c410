#include "base/Log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace fd {
namespace {

std::mutex& log_mutex() {
  static std::mutex m;
  return m;
}
std::string& program() {
  static std::string name = "frontdesk";
  return name;
}

bool email_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '%' || c == '+' || c == '-';
}
bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '+' || c == '=';
}

// API keys, pretix secrets and signed tickets: 20+ characters mixing upper
// case, lower case and digits. File names, UUIDs and dates never do.
bool looks_secret(std::string_view run) {
  if (run.size() < 20) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : run) {
    upper |= c >= 'A' && c <= 'Z';
    lower |= c >= 'a' && c <= 'z';
    digit |= c >= '0' && c <= '9';
  }
  return upper && lower && digit;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = text.find('@', i);
    // Copy up to the next '@', hiding secret-looking runs on the way.
    const std::size_t stop = at == std::string_view::npos ? text.size() : at;
    std::size_t start = out.size();
    out.append(text.substr(i, stop - i));
    if (at == std::string_view::npos) break;
    // An e-mail address: the local part before '@' (already copied), the
    // domain after it with at least one dot.
    std::size_t local = out.size();
    while (local > start && email_char(out[local - 1])) --local;
    std::size_t end = at + 1;
    bool dot = false;
    while (end < text.size() && email_char(text[end])) dot |= text[end++] == '.';
    if (local < out.size() && dot && end > at + 2) {
      out.resize(local);
      out += "<e-mail>";
      i = end;
    } else {
      out += '@';
      i = at + 1;
    }
  }
  // Second pass: tokens.
  std::string result;
  result.reserve(out.size());
  for (std::size_t k = 0; k < out.size();) {
    if (!token_char(out[k])) {
      result += out[k++];
      continue;
    }
    std::size_t e = k;
    while (e < out.size() && token_char(out[e])) ++e;
    const std::string_view run(out.data() + k, e - k);
    result += looks_secret(run) ? std::string("<secret>") : std::string(run);
    k = e;
  }
  return result;
}

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

void set_log_program(std::string_view name) {
  std::lock_guard lock(log_mutex());
  program() = std::string(name);
}

void log(LogLevel level, std::string_view message) {
  static const bool journal = stderr_is_journal();
  std::string line;
  if (journal) {
    line = "<" + std::to_string(static_cast<int>(level)) + ">";
  } else {
    std::lock_guard lock(log_mutex());
    line = program() + ": ";
  }
  line += redact(message);
  for (char& c : line)
    if (c == '\n') c = ' ';  // one event, one line
  line += '\n';
  std::lock_guard lock(log_mutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace fd
