#include "import/Csv.h"

#include <array>

namespace fd {
namespace {

bool is_newline(char c) { return c == '\n' || c == '\r'; }

// Reads one record starting at `pos`. On return `pos` is just past its line
// end. `first_newline` is the position after the first line end crossed,
// where parsing resumes if the record turns out to be broken.
struct RawRecord {
  std::vector<std::string> fields;
  std::size_t lines = 1;          // physical lines spanned
  std::size_t first_newline = 0;  // resume point for recovery
  bool unterminated = false;      // a quote ran to the end of the file
  bool blank = false;
};

std::size_t skip_newline(std::string_view s, std::size_t pos) {
  if (s[pos] == '\r' && pos + 1 < s.size() && s[pos + 1] == '\n') return pos + 2;
  return pos + 1;
}

RawRecord read_record(std::string_view s, std::size_t& pos, char delim) {
  RawRecord r;
  const std::size_t n = s.size();
  r.first_newline = n;
  if (is_newline(s[pos])) {
    r.blank = true;
    pos = skip_newline(s, pos);
    r.first_newline = pos;
    return r;
  }
  std::string field;
  for (;;) {
    // One field.
    field.clear();
    if (pos < n && s[pos] == '"') {
      ++pos;
      bool closed = false;
      while (pos < n) {
        const char c = s[pos];
        if (c == '"') {
          if (pos + 1 < n && s[pos + 1] == '"') {
            field += '"';
            pos += 2;
            continue;
          }
          ++pos;
          closed = true;
          break;
        }
        if (is_newline(c)) {
          const std::size_t next = skip_newline(s, pos);
          if (r.lines == 1) r.first_newline = next;
          ++r.lines;
          field.append(s.data() + pos, next - pos);
          pos = next;
          continue;
        }
        // Copy a run of ordinary characters at once.
        std::size_t end = pos + 1;
        while (end < n && s[end] != '"' && !is_newline(s[end])) ++end;
        field.append(s.data() + pos, end - pos);
        pos = end;
      }
      if (!closed) {
        r.unterminated = true;
        r.fields.push_back(std::move(field));
        return r;
      }
      // Lenient: text after a closing quote ("abc"def) is kept literally.
      while (pos < n && s[pos] != delim && !is_newline(s[pos])) field += s[pos++];
    } else {
      std::size_t end = pos;
      while (end < n && s[end] != delim && !is_newline(s[end])) ++end;
      field.assign(s.data() + pos, end - pos);
      pos = end;
    }
    r.fields.push_back(std::move(field));
    if (pos >= n) return r;
    if (s[pos] == delim) {
      ++pos;
      if (pos >= n) {  // a trailing delimiter at the end of the file
        r.fields.emplace_back();
        return r;
      }
      continue;
    }
    // A line end closes the record.
    pos = skip_newline(s, pos);
    if (r.lines == 1) r.first_newline = pos;
    return r;
  }
}

std::size_t count_lines(std::string_view s, std::size_t from, std::size_t to) {
  std::size_t lines = 0;
  for (std::size_t i = from; i < to; ++i) {
    if (s[i] == '\n')
      ++lines;
    else if (s[i] == '\r' && (i + 1 >= to || s[i + 1] != '\n'))
      ++lines;
  }
  return lines;
}

}  // namespace

char detect_delimiter(std::string_view s) {
  constexpr std::array<char, 4> candidates{',', ';', '\t', '|'};
  std::array<std::size_t, 4> counts{};
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (is_newline(c)) break;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (c == candidates[i]) ++counts[i];
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < candidates.size(); ++i)
    if (counts[i] > counts[best]) best = i;
  return counts[best] ? candidates[best] : ',';
}

CsvTable parse_csv(std::string_view s, char delimiter) {
  CsvTable t;
  // Skip leading blank lines before detecting the delimiter on the header.
  std::size_t pos = 0;
  std::size_t line = 1;
  while (pos < s.size() && is_newline(s[pos])) {
    pos = skip_newline(s, pos);
    ++line;
  }
  t.delimiter = delimiter ? delimiter : detect_delimiter(s.substr(pos));
  bool have_header = false;
  while (pos < s.size()) {
    const std::size_t start = pos;
    const std::size_t start_line = line;
    RawRecord r = read_record(s, pos, t.delimiter);
    if (r.blank) {
      ++line;
      continue;
    }
    const bool broken =
        r.unterminated || (have_header && r.lines > 1 && r.fields.size() != t.header.size());
    if (broken) {
      // The quote that opened a field on this line never closed where it
      // should: give up this one line and read on from the next.
      t.errors.push_back(
          {start_line, "unbalanced quote: a field opened with \" is not closed on this row"});
      pos = r.first_newline > start ? r.first_newline : s.size();
      ++line;
      continue;
    }
    line += count_lines(s, start, pos);
    if (!have_header) {
      t.header = std::move(r.fields);
      t.header_line = start_line;
      have_header = true;
      continue;
    }
    t.records.push_back({std::move(r.fields), start_line});
  }
  return t;
}

std::string write_csv(const std::vector<std::vector<std::string>>& rows, char delimiter) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += delimiter;
      const std::string& f = row[i];
      const bool quote =
          f.find_first_of(std::string{'"', '\r', '\n', delimiter}) != std::string::npos ||
          (row.size() == 1 && f.empty());  // else an empty line, read as blank
      if (!quote) {
        out += f;
        continue;
      }
      out += '"';
      for (char c : f) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace fd
