#pragma once
// An RFC 4180 reader that survives what spreadsheets and hand edits do to
// files: CRLF or LF or CR line ends, quoted fields with delimiters, doubled
// quotes and newlines, stray quotes inside unquoted fields, blank lines, and
// an unbalanced quote, which costs one row instead of the rest of the file.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based physical line where the record starts
};

struct CsvError {
  std::size_t line = 0;
  std::string message;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRecord> records;  // after the header, blank lines skipped
  std::vector<CsvError> errors;
  char delimiter = ',';
  std::size_t header_line = 0;
};

// delimiter 0: detect among , ; TAB | from the header line (outside quotes).
CsvTable parse_csv(std::string_view utf8, char delimiter = 0);
char detect_delimiter(std::string_view utf8);

// RFC 4180 output (CRLF line ends, fields quoted only when needed). The
// first row is written like any other, so it carries the header.
std::string write_csv(const std::vector<std::vector<std::string>>& rows, char delimiter = ',');

}  // namespace fd
