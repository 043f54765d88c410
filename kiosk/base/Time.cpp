#include "base/Time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace fd {

TimeMs now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
std::tm local_tm(TimeMs t) {
  const std::time_t s = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&s, &tm);
  return tm;
}
}  // namespace

std::string local_hhmm(TimeMs t) {
  const std::tm tm = local_tm(t);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
  return buf;
}

std::string local_datetime(TimeMs t) {
  const std::tm tm = local_tm(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string iso8601_utc(TimeMs t) {
  const std::time_t s = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(t % 1000));
  return buf;
}

TimeMs parse_datetime(const std::string& s) {
  int Y = 0, M = 0, D = 0, h = 0, m = 0, sec = 0, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[ T]%2d:%2d%n", &Y, &M, &D, &h, &m, &used) < 5)
    return -1;
  size_t i = static_cast<size_t>(used);
  if (i < s.size() && s[i] == ':') {
    int n2 = 0;
    if (std::sscanf(s.c_str() + i, ":%2d%n", &sec, &n2) < 1) return -1;
    i += static_cast<size_t>(n2);
    while (i < s.size() && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9'))) ++i;  // fractions
  }
  if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return -1;
  std::tm tm{};
  tm.tm_year = Y - 1900;
  tm.tm_mon = M - 1;
  tm.tm_mday = D;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = sec;
  const std::string rest = s.substr(i);
  if (rest.empty()) {
    tm.tm_isdst = -1;
    return static_cast<TimeMs>(std::mktime(&tm)) * 1000;
  }
  int off = 0;
  if (rest == "Z" || rest == "z") {
    off = 0;
  } else {
    int oh = 0, om = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) < 1 ||
        (rest[0] != '+' && rest[0] != '-'))
      return -1;
    off = (oh * 60 + om) * (rest[0] == '-' ? -1 : 1);
  }
  return (static_cast<TimeMs>(timegm(&tm)) - off * 60) * 1000;
}

}  // namespace fd
