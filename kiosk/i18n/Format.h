#pragma once
// printf's conventions for the door's sentences (%s, %d, %% and gettext's
// %2$s to put the second argument first), but safe: every argument is text
// already, a conversion without an argument stays empty, and no translation
// can crash the door or read memory. Translators know the notation from
// every .po file.
//
// Thread-safety: pure functions.
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace fd {

std::string format_args(std::string_view pattern, const std::vector<std::string>& args);

inline std::string format_arg(const std::string& s) { return s; }
inline std::string format_arg(std::string_view s) { return std::string(s); }
inline std::string format_arg(const char* s) { return s ? s : ""; }
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
std::string format_arg(T v) {
  return std::to_string(v);
}

template <typename... A>
std::string format(std::string_view pattern, const A&... args) {
  return format_args(pattern, {format_arg(args)...});
}

// The conversions of a pattern in argument order ("%s at %d" -> "sd";
// "%2$s %1$s" -> "ss" ordered by position): a translation must have the
// same as its English text.
std::string conversions(std::string_view pattern);

}  // namespace fd
