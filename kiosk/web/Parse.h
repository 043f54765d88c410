#pragma once
// Parsers for what a browser sends us: query strings, form fields, cookies,
// small JSON bodies and paths. Outside input: each has limits on size and
// count, answers bad input with an Error in plain words, and is fuzzed
// (tests/fuzz/fuzz_web_*).
//
// Thread-safety: pure functions.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Error.h"

namespace fd {

struct FieldLimits {
  std::size_t max_bytes = 16 * 1024;  // the whole input
  std::size_t max_fields = 64;
  std::size_t max_value = 2000;  // bytes of one decoded value
};

using Fields = std::vector<std::pair<std::string, std::string>>;

// "%41" -> "A"; plus_is_space for form encoding. Bad escapes are an error.
Result<std::string> percent_decode(std::string_view s, bool plus_is_space);
// a=1&b=two%20words (query strings and application/x-www-form-urlencoded).
// Names and values must be UTF-8 once decoded.
Result<Fields> parse_fields(std::string_view text, const FieldLimits& limits = {});
// The Cookie header: "a=1; b=2". Malformed pairs are skipped, as browsers do.
std::map<std::string, std::string> parse_cookies(std::string_view header,
                                                 std::size_t max_cookies = 32);
// A JSON object whose values are strings, numbers, booleans or null (the
// bodies our API accepts), flattened to text: numbers as written, booleans as
// "true"/"false", null as "". Nested objects and arrays are refused.
Result<std::map<std::string, std::string>> parse_json_object(std::string_view body,
                                                             const FieldLimits& limits = {});
// The value of a field, or "".
std::string field(const Fields& f, std::string_view name);

// A decoded request path we are willing to route: absolute, no "." or ".."
// segments, no backslashes, control characters or empty segments.
bool is_safe_path(std::string_view path);
// Matches "/api/attendees/:id" against "/api/attendees/42" (params["id"] =
// "42"); a trailing "*" matches any rest ("/doors/*" -> params["*"]).
bool match_route(std::string_view pattern, std::string_view path,
                 std::map<std::string, std::string>& params);

// A positive id from text ("42"), or 0.
long long parse_id(std::string_view s);

// Whether `received` (the start of a connection's bytes) holds a whole HTTP
// request: its head, and as much body as Content-Length says. One that must
// be refused or read on a request thread (a head past `max_header`, a body
// past `max_body`, a bad length, chunked, "Expect: 100-continue") counts as
// whole too: it is handed on at once. The server's connections wait for this
// before they take a thread (web/Connections.h).
bool request_whole(std::string_view received, std::size_t max_header, std::size_t max_body);

}  // namespace fd
