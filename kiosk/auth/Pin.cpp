#include "auth/Pin.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/Paths.h"

namespace fd {

Result<std::string> hash_pin(const std::string& pin) {
  if (sodium_init() < 0) return Error{"pin.sodium", "libsodium failed to initialise"};
  if (pin.size() < 4 || pin.size() > 12 ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return Error{"pin.format", "A PIN is 4 to 12 digits"};
  char out[crypto_pwhash_STRBYTES];
  // Interactive limits: ~50 ms and 64 MiB here; enough to make each guess
  // costly with the lockout on top, fast enough for a person waiting.
  if (crypto_pwhash_str(out, pin.c_str(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Error{"pin.memory", "Not enough memory to hash the PIN"};
  return std::string(out);
}

std::string guessable_pin(const std::string& pin) {
  if (pin.empty() ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "";
  if (pin == "1234") return "1234 is the demo's PIN and the first one anyone tries";
  const auto all = [&](auto same) {
    for (std::size_t i = 1; i < pin.size(); ++i)
      if (!same(i)) return false;
    return true;
  };
  if (all([&](std::size_t i) { return pin[i] == pin[0]; })) return "it is one digit repeated";
  if (all([&](std::size_t i) { return pin[i] == pin[i - 1] + 1; }) ||
      all([&](std::size_t i) { return pin[i] == pin[i - 1] - 1; }))
    return "it counts up or down";
  if (pin.size() % 2 == 0 && all([&](std::size_t i) { return pin[i] == pin[i % 2]; }))
    return "it repeats two digits";
  if (pin.size() == 4 && pin[0] == pin[1] && pin[2] == pin[3]) return "it is two doubled digits";
  if (pin.size() == 4 && (pin.rfind("19", 0) == 0 || pin.rfind("20", 0) == 0))
    return "it looks like a year";
  for (const char* column : {"2580", "0852", "1470", "3690", "147258369"})
    if (pin == column) return "it is a line on the keypad";
  return "";
}

bool verify_pin(const std::string& stored_hash, const std::string& pin) {
  if (sodium_init() < 0 || stored_hash.empty()) return false;
  return crypto_pwhash_str_verify(stored_hash.c_str(), pin.c_str(), pin.size()) == 0;
}

Result<bool> save_pin(const std::filesystem::path& file, const std::string& pin) {
  auto h = hash_pin(pin);
  if (!h) return h.error();
  if (file.has_parent_path()) ensure_private_dir(file.parent_path());
  const mode_t old = ::umask(077);
  std::ofstream out(file, std::ios::trunc);
  ::umask(old);
  out << *h << "\n";
  if (!out) return Error{"pin.write", "Cannot write " + file.string()};
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace);
  return true;
}

Result<std::string> load_pin_hash(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line) || line.empty())
    return Error{"pin.none", "No organizer PIN is set: run `frontdesk pin set`"};
  return line;
}

}  // namespace fd
