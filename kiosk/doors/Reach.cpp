#include "doors/Reach.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace fd {
namespace {

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// Field 22 of /proc/PID/stat: when the process started, in clock ticks
// after boot. "" when there is no such process.
std::string start_time(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  // The command name (field 2) is in parentheses and may hold spaces.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(stat.substr(close + 1));
  std::string f;
  for (int field = 3; field <= 22 && fields >> f; ++field)
    if (field == 22) return f;
  return {};
}

std::string_view host_of(std::string_view address) {
  const auto colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

}  // namespace

std::string this_host() {
  struct stat ns {};
  std::string netns = "?";
  if (::stat("/proc/self/ns/net", &ns) == 0)
    netns = std::to_string(ns.st_dev) + ":" + std::to_string(ns.st_ino);
  const std::string what = "frontdesk host\n" + boot_id() + "\n" + netns;
  unsigned char hash[16];
  if (sodium_init() < 0) return "?";
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(what.data()),
                     what.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

bool is_loopback(std::string_view address) {
  const std::string_view host = host_of(address);
  return host.rfind("127.", 0) == 0 || host == "localhost" || host == "[::1]" || host == "::1" ||
         host.rfind("[::ffff:127.", 0) == 0;
}

bool usable_from(std::string_view address, std::string_view their_host, std::string_view my_host) {
  return !is_loopback(address) || (!their_host.empty() && their_host == my_host);
}

std::vector<std::string> offered_to(const std::vector<std::string>& addresses,
                                    std::string_view their_host, std::string_view my_host) {
  std::vector<std::string> out;
  for (const std::string& a : addresses)
    if (usable_from(a, my_host, their_host)) out.push_back(a);
  return out;
}

std::string this_process() {
  const long pid = static_cast<long>(::getpid());
  return boot_id() + "/" + std::to_string(pid) + "/" + start_time(pid);
}

bool process_alive(std::string_view process) {
  const auto a = process.find('/');
  const auto b = a == std::string_view::npos ? a : process.find('/', a + 1);
  if (b == std::string_view::npos || process.substr(0, a) != boot_id()) return false;
  const std::string pid(process.substr(a + 1, b - a - 1));
  if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const std::string started = start_time(std::stol(pid));
  return !started.empty() && process.substr(b + 1) == started;
}

}  // namespace fd
