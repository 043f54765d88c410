#include "web/Parse.h"

#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "base/Utf8.h"

namespace fd {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return Error{"web.escape", "A %-escape is cut short"};
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return Error{"web.escape", "A %-escape is not two hex digits"};
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<Fields> parse_fields(std::string_view text, const FieldLimits& limits) {
  if (text.size() > limits.max_bytes) return Error{"web.too_long", "The form is too long"};
  Fields out;
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    if (out.size() >= limits.max_fields)
      return Error{"web.too_many", "The form has too many fields"};
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    if (!name) return name.error();
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!value) return value.error();
    if (value->size() > limits.max_value) return Error{"web.too_long", "A form field is too long"};
    if (!is_valid_utf8(*name) || !is_valid_utf8(*value))
      return Error{"web.encoding", "A form field is not UTF-8 text"};
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

std::map<std::string, std::string> parse_cookies(std::string_view header, std::size_t max_cookies) {
  std::map<std::string, std::string> out;
  if (header.size() > 8192) return out;  // larger than any cookie we set: ignore it all
  while (!header.empty() && out.size() < max_cookies) {
    const std::size_t semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view name = trim(pair.substr(0, eq)), value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    // First wins: a cookie set for a narrower path comes first (RFC 6265).
    out.emplace(std::string(name), std::string(value));
  }
  return out;
}

Result<std::map<std::string, std::string>> parse_json_object(std::string_view body,
                                                             const FieldLimits& limits) {
  if (body.size() > limits.max_bytes) return Error{"web.too_long", "The request is too long"};
  if (!is_valid_utf8(body)) return Error{"web.encoding", "The request is not UTF-8 text"};
  // The callback refuses nesting while parsing, so a deep document costs
  // nothing (nlohmann would otherwise recurse into it).
  bool nested = false;
  auto refuse_nesting = [&nested](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    if ((event == nlohmann::json::parse_event_t::object_start && depth > 0) ||
        event == nlohmann::json::parse_event_t::array_start) {
      nested = true;
      return false;
    }
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), refuse_nesting, false);
  if (nested) return Error{"web.nested", "The request must be one flat JSON object"};
  if (j.is_discarded() || !j.is_object())
    return Error{"web.json", "The request is not a JSON object"};
  if (j.size() > limits.max_fields) return Error{"web.too_many", "The request has too many fields"};
  std::map<std::string, std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    std::string text;
    if (v.is_string())
      text = v.get<std::string>();
    else if (v.is_boolean())
      text = v.get<bool>() ? "true" : "false";
    else if (v.is_number_integer())
      text = std::to_string(v.get<long long>());
    else if (v.is_number_unsigned())
      text = std::to_string(v.get<unsigned long long>());
    else if (v.is_number_float())
      text = v.dump();
    else if (v.is_null())
      text.clear();
    else
      return Error{"web.nested", "The request must be one flat JSON object"};
    if (text.size() > limits.max_value) return Error{"web.too_long", "A field is too long"};
    out[it.key()] = std::move(text);
  }
  return out;
}

std::string field(const Fields& f, std::string_view name) {
  for (const auto& [k, v] : f)
    if (k == name) return v;
  return {};
}

bool is_safe_path(std::string_view path) {
  if (path.empty() || path.front() != '/' || path.size() > 2048) return false;
  for (char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string_view seg = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "." || seg == "..") return false;
    if (seg.empty() && slash != std::string_view::npos) return false;  // "//"
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

bool match_route(std::string_view pattern, std::string_view path,
                 std::map<std::string, std::string>& params) {
  std::map<std::string, std::string> found;
  std::size_t pi = 0, si = 0;
  while (pi < pattern.size()) {
    if (pattern[pi] == '*' && pi + 1 == pattern.size()) {
      found["*"] = std::string(path.substr(si));
      params = std::move(found);
      return true;
    }
    if (pattern[pi] == ':') {
      std::size_t pend = pattern.find('/', pi);
      if (pend == std::string_view::npos) pend = pattern.size();
      std::size_t send = path.find('/', si);
      if (send == std::string_view::npos) send = path.size();
      if (send == si) return false;  // an empty segment names nothing
      found[std::string(pattern.substr(pi + 1, pend - pi - 1))] =
          std::string(path.substr(si, send - si));
      pi = pend;
      si = send;
      continue;
    }
    if (si >= path.size() || pattern[pi] != path[si]) return false;
    ++pi;
    ++si;
  }
  if (si != path.size()) return false;
  params = std::move(found);
  return true;
}

long long parse_id(std::string_view s) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return 0;
  return v;
}

bool request_whole(std::string_view d, std::size_t max_header, std::size_t max_body) {
  const auto end = d.find("\r\n\r\n");
  if (end == std::string_view::npos) return d.size() > max_header + 2048;
  std::size_t length = 0;
  for (std::size_t line = d.find("\r\n"); line < end;) {
    const std::size_t next = d.find("\r\n", line + 2);
    const std::string_view h = d.substr(line + 2, next - line - 2);
    line = next;
    const auto colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(h.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "transfer-encoding" || name == "expect") return true;
    if (name != "content-length") continue;
    std::string_view v = h.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string_view::npos)
      return true;
    length = std::stoull(std::string(v));
    if (length > max_body) return true;
  }
  return d.size() >= end + 4 + length;
}

}  // namespace fd
